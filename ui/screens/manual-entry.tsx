import { useState } from 'preact/hooks';
import { typeApplicationNoKey, wrongApplicationNoPart } from '../components/application-no.ts';
import { APPLICATION_NO_KEYS, Keypad } from '../components/keypad.tsx';
import { PinEntry, pinWarning } from '../components/pin-entry.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import { useTypedKeys } from '../components/use-typed-keys.ts';
import { useTypedValue } from '../components/use-typed-value.ts';
import { CancelButton } from './pin.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The example of the hint: the shape real application numbers have. */
export const APPLICATION_NO_EXAMPLE = '3574-KIA-2611-000123';

const isApplicationNoKey = (key: string) => /^[0-9A-Z-]$/.test(key);

/** Typing the application number (then its PIN) when the code cannot be scanned. */
export function ManualEntryScreen({ view, t, send }: ScreenProps<'manual-entry'>) {
  const step = view.manualEntry?.step ?? 'application-no';
  const pinStep = step === 'pin';
  return (
    <ScreenFrame
      screen="manual-entry"
      view={view}
      t={t}
      send={send}
      title={{ key: pinStep ? 'pin.title' : 'manual.appNoTitle' }}
      instruction={
        pinStep
          ? [{ key: 'pin.hint' }]
          : [{ key: 'manual.appNoHint', params: { example: APPLICATION_NO_EXAMPLE } }]
      }
      speakAlso={pinStep ? pinWarning(view.pin) : []}
      actions={<CancelButton t={t} send={send} />}
    >
      {pinStep ? (
        <PinEntry key={view.pin?.wrongCount ?? 0} pin={view.pin} t={t} send={send} />
      ) : (
        <ApplicationNoEntry t={t} send={send} />
      )}
    </ScreenFrame>
  );
}

/**
 * The application number, typed on a keyboard that follows its shape (`application-no.ts`): the groups
 * appear as they are typed, a key that cannot come next is disabled, and a number of the wrong shape is
 * refused here, naming the part that is wrong, before anything is sent.
 */
function ApplicationNoEntry({ t, send }: Pick<ScreenProps, 't' | 'send'>) {
  const [getValue, setValue, value] = useTypedValue();
  const [wrongPart, setWrongPart] = useState(0);
  const onKey = (key: string) => {
    const next = typeApplicationNoKey(getValue(), key);
    if (next === undefined) return;
    setValue(next);
    setWrongPart(0);
  };
  const onBackspace = () => {
    setValue(getValue().slice(0, -1));
    setWrongPart(0);
  };
  const onSubmit = () => {
    const applicationNo = getValue();
    if (applicationNo.length === 0) return;
    const part = wrongApplicationNoPart(applicationNo);
    setWrongPart(part);
    if (part === 0) send({ type: 'application-no', applicationNo });
  };
  useTypedKeys({ accept: isApplicationNoKey, onKey, onBackspace, onSubmit });
  const groups = value ? value.split('-') : [];
  return (
    <div class="appno-entry">
      <p
        class="appno-field"
        role="status"
        aria-label={`${t('manual.appNoField')}: ${value || t('manual.empty')}`}
      >
        {groups.length === 0 ? (
          <span class="appno-group appno-empty" aria-hidden="true">
            {'\u00a0'}
          </span>
        ) : (
          groups.map((group, i) => (
            <span key={i} class="appno-group" data-part={i + 1} aria-hidden="true">
              {group || '\u00a0'}
            </span>
          ))
        )}
      </p>
      {wrongPart > 0 && (
        <p class="warning" role="alert" data-wrong-part={wrongPart}>
          {t('manual.wrongShape')} {t(`manual.part${wrongPart}`)}
        </p>
      )}
      <Keypad
        keys={APPLICATION_NO_KEYS}
        t={t}
        onKey={onKey}
        onBackspace={onBackspace}
        onSubmit={onSubmit}
        canSubmit={value.length > 0}
        canType={(key) => typeApplicationNoKey(value, key) !== undefined}
        wide
      />
    </div>
  );
}
