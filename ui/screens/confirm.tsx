import { ScreenFrame } from '../components/screen-frame.tsx';
import type { SpokenLine } from '../speech/speaker.ts';
import type { ScreenProps } from './screen-props.ts';

/**
 * What is said of the subject: the name (free text, the platform's voice if it has one) and only the last
 * digits of the masked NIK, never all of it.
 */
function subjectLines(name: string, nikMasked: string): SpokenLine[] {
  const digits = /(\d+)$/.exec(nikMasked)?.[1] ?? '';
  return [{ free: name }, ...(digits ? [{ key: 'speech.nikEnd', params: { digits } }] : [])];
}

/** What will be printed: the preview of each document, the subject's name and masked NIK; print or cancel. */
export function ConfirmScreen({ view, t, send, assetUrl }: ScreenProps<'confirm'>) {
  const confirm = view.confirm;
  const documents = confirm?.documents ?? [];
  return (
    <ScreenFrame
      screen="confirm"
      view={view}
      t={t}
      send={send}
      title={{ key: 'confirm.title' }}
      instruction={[{ key: 'confirm.instruction' }]}
      speakAlso={confirm ? subjectLines(confirm.name, confirm.nikMasked) : []}
      actions={
        <>
          <p class="question">{t('confirm.question')}</p>
          <div class="actions-row">
            <button
              type="button"
              class="btn btn-secondary"
              data-action="cancel"
              onClick={() => send({ type: 'cancel' })}
            >
              {t('action.cancel')}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              data-action="confirm"
              onClick={() => send({ type: 'confirm' })}
            >
              {t('action.confirm')}
            </button>
          </div>
        </>
      }
    >
      {confirm && (
        <dl class="subject">
          <div>
            <dt>{t('confirm.document')}</dt>
            <dd>{confirm.serviceName}</dd>
          </div>
          <div>
            <dt>{t('confirm.name')}</dt>
            <dd class="subject-name">{confirm.name}</dd>
          </div>
          <div>
            <dt>{t('confirm.nik')}</dt>
            <dd class="subject-nik">{confirm.nikMasked}</dd>
          </div>
        </dl>
      )}
      {documents.length > 1 && <p class="lead">{t('confirm.count', { count: documents.length })}</p>}
      <div class={documents.length > 1 ? 'previews previews-many' : 'previews'}>
        {documents.map((doc) => (
          <figure
            class={doc.medium === 'CARD' ? 'preview preview-card' : 'preview preview-a4'}
            key={doc.previewUrl}
          >
            <img
              src={assetUrl(doc.previewUrl)}
              alt={
                doc.medium === 'CARD'
                  ? t('confirm.previewCard')
                  : t('confirm.previewA4', { pages: doc.pages ?? 1 })
              }
              draggable={false}
            />
          </figure>
        ))}
      </div>
    </ScreenFrame>
  );
}
