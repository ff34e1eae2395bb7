import { APPLICATION_NO_KEYS, Keypad } from '../components/keypad.tsx';
import { PinEntry } from '../components/pin-entry.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import { useTypedKeys } from '../components/use-typed-keys.ts';
import { useTypedValue } from '../components/use-typed-value.ts';
import { CancelButton } from './pin.tsx';
import type { ScreenProps } from './screen-props.ts';

/** Longest application number the keyboard accepts; real ones are far shorter. */
export const APPLICATION_NO_MAX_LENGTH = 32;

const isApplicationNoKey = (key: string) => /^[0-9A-Z-]$/.test(key);

/** Typing the application number (then its PIN) when the code cannot be scanned. */
export function ManualEntryScreen({ view, t, send }: ScreenProps<'manual-entry'>) {
  const step = view.manualEntry?.step ?? 'application-no';
  return (
    <ScreenFrame screen="manual-entry" locale={view.locale} t={t} send={send}>
      {step === 'pin' ? (
        <PinEntry key={view.pin?.wrongCount ?? 0} pin={view.pin} t={t} send={send} />
      ) : (
        <ApplicationNoEntry t={t} send={send} />
      )}
      <CancelButton t={t} send={send} />
    </ScreenFrame>
  );
}

function ApplicationNoEntry({ t, send }: Pick<ScreenProps, 't' | 'send'>) {
  const [getValue, setValue, value] = useTypedValue();
  const onKey = (key: string) => {
    const current = getValue();
    if (current.length < APPLICATION_NO_MAX_LENGTH) setValue(current + key);
  };
  const onBackspace = () => setValue(getValue().slice(0, -1));
  const onSubmit = () => {
    const applicationNo = getValue();
    if (applicationNo.length > 0) send({ type: 'application-no', applicationNo });
  };
  useTypedKeys({ accept: isApplicationNoKey, onKey, onBackspace, onSubmit });
  return (
    <div class="appno-entry">
      <h1>{t('manual.appNoTitle')}</h1>
      <p class="lead">{t('manual.appNoHint')}</p>
      <p
        class="appno-field"
        role="status"
        aria-label={`${t('manual.appNoField')}: ${value || t('manual.empty')}`}
      >
        <span aria-hidden="true">{value || '\u00a0'}</span>
      </p>
      <Keypad
        keys={APPLICATION_NO_KEYS}
        t={t}
        onKey={onKey}
        onBackspace={onBackspace}
        onSubmit={onSubmit}
        canSubmit={value.length > 0}
        wide
      />
    </div>
  );
}
