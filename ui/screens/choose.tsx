import type { ChoiceItem } from '../../kiosk/view.ts';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { Translate } from '../i18n/translate.ts';
import type { ScreenProps } from './screen-props.ts';

/** Stages the central API reports for an application still IN_PROCESS, with words in the catalogue. */
const KNOWN_STAGES = new Set(['VERIFICATION', 'DATA_ENTRY', 'VALIDATION', 'SIGNING']);

/**
 * A signed-in resident's applications, newest first: those that can be printed here with a `choose`
 * button, those in process with their stage in plain words, the rest greyed with the reason.
 */
export function ChooseScreen({ view, t, send }: ScreenProps<'choose'>) {
  const { name, applications } = view.choose;
  const printable = applications.filter((a) => a.printable);
  return (
    <ScreenFrame
      screen="choose"
      view={view}
      t={t}
      send={send}
      title={name ? { key: 'choose.titleNamed', params: { name } } : { key: 'choose.title' }}
      instruction={[{ key: printable.length > 0 ? 'choose.hint' : 'choose.nothing' }]}
      actions={
        <button
          type="button"
          class="btn btn-secondary btn-wide"
          data-action="home"
          onClick={() => send({ type: 'home' })}
        >
          {t('action.home')}
        </button>
      }
    >
      <ul class="choices">
        {applications.map((a) => (
          <li
            key={a.applicationNo}
            class={a.printable ? 'choice' : 'choice choice-greyed'}
            data-application={a.applicationNo}
            data-status={a.status}
          >
            <div class="choice-text">
              <strong>{a.serviceName}</strong>
              <span>{a.applicationNo}</span>
              {!a.printable && <span class="choice-why">{whyNot(a, t)}</span>}
            </div>
            {a.printable && (
              <button
                type="button"
                class="btn btn-primary"
                data-action="choose"
                aria-label={t('choose.print', { service: a.serviceName })}
                onClick={() => send({ type: 'choose', applicationNo: a.applicationNo })}
              >
                {t('choose.printShort')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </ScreenFrame>
  );
}

function whyNot(a: ChoiceItem, t: Translate): string {
  if (a.why === 'not-ready') {
    const stage = a.stage && KNOWN_STAGES.has(a.stage) ? t(`stage.${a.stage}`) : t('stage.unknown');
    return t('choose.why.inProcess', { stage });
  }
  return t(`choose.why.${a.why ?? 'unavailable'}`);
}
