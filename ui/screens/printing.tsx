import { ScreenFrame } from '../components/screen-frame.tsx';
import type { SpokenLine } from '../speech/speaker.ts';
import type { ScreenProps } from './screen-props.ts';

/** Progress of the print, as the core reports it: a bar and plain words with the time left. */
export function PrintingScreen({ view, t, send }: ScreenProps<'printing'>) {
  const printing = view.printing;
  const percent = Math.round(Math.min(1, Math.max(0, printing?.progress ?? 0)) * 100);
  const seconds = Math.max(0, Math.ceil(printing?.etaSeconds ?? 0));
  const title: SpokenLine = printing?.checking
    ? { key: 'printing.checking' }
    : printing?.cooling
      ? { key: 'printing.cooling', params: { seconds: printing.cooling.secondsLeft } }
      : seconds === 0
        ? { key: 'printing.almost' }
        : { key: printing?.medium === 'A4' ? 'printing.a4' : 'printing.card', params: { seconds } };
  const instruction: SpokenLine = printing?.checking
    ? { key: 'printing.checkingNext' }
    : printing?.cooling
      ? { key: 'printing.coolingNext' }
      : { key: 'printing.stay' };
  return (
    <ScreenFrame
      screen="printing"
      view={view}
      t={t}
      send={send}
      busy
      icon={printing?.medium === 'A4' ? 'document' : 'card'}
      title={title}
      instruction={[instruction]}
    >
      {printing && printing.of > 1 && (
        <p class="lead">{t('printing.of', { index: printing.index, of: printing.of })}</p>
      )}
      <div
        class="progress"
        role="progressbar"
        aria-label={t('printing.progress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p class="progress-percent" aria-hidden="true">
        {percent}%
      </p>
    </ScreenFrame>
  );
}
