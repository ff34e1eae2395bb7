import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** Everything that could be printed came out: take it. When some could not, say so and whom to ask. */
export function CollectScreen({ view, t, send }: ScreenProps<'collect'>) {
  const media = view.collect?.media ?? [];
  const incomplete = view.collect?.incomplete ?? false;
  return (
    <ScreenFrame screen="collect" locale={view.locale} t={t} send={send}>
      <div class="big-check" aria-hidden="true">
        ✓
      </div>
      <h1>{t('collect.title')}</h1>
      <ul class="collect-list">
        {media.includes('CARD') && <li>{t('collect.card')}</li>}
        {media.includes('A4') && <li>{t('collect.a4')}</li>}
      </ul>
      {incomplete && (
        <>
          <p class="warning" role="alert">
            {t('collect.incomplete')}
          </p>
          <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
        </>
      )}
    </ScreenFrame>
  );
}
