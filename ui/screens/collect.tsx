import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { SpokenLine } from '../speech/speaker.ts';
import type { ScreenProps } from './screen-props.ts';

/** Everything that could be printed came out: take it. When some could not, say so and whom to ask. */
export function CollectScreen({ view, t, send }: ScreenProps<'collect'>) {
  const media = view.collect?.media ?? [];
  const incomplete = view.collect?.incomplete ?? false;
  // The card waited in the exit bezel and was drawn back: the counter has it (the reference is shown).
  const notTaken = view.collect?.notTaken === true;
  const instruction: SpokenLine[] = [
    ...(media.includes('CARD') ? [{ key: 'collect.card' }] : []),
    ...(media.includes('A4') ? [{ key: 'collect.a4' }] : []),
  ];
  return (
    <ScreenFrame
      screen="collect"
      view={view}
      t={t}
      send={send}
      icon="check"
      title={{ key: 'collect.title' }}
      instruction={instruction}
      speakAlso={[
        ...(incomplete ? [{ key: 'collect.incomplete' }] : []),
        ...(notTaken ? [{ key: 'collect.notTaken' }] : []),
      ]}
    >
      {notTaken && (
        <p class="warning" role="alert">
          {t('collect.notTaken')}
        </p>
      )}
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
