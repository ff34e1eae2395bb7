import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** Progress of the print, as the core reports it: a bar and plain words with the time left. */
export function PrintingScreen({ view, t, send }: ScreenProps<'printing'>) {
  const printing = view.printing;
  const percent = Math.round(Math.min(1, Math.max(0, printing?.progress ?? 0)) * 100);
  const seconds = Math.max(0, Math.ceil(printing?.etaSeconds ?? 0));
  const words =
    seconds === 0
      ? t('printing.almost')
      : t(printing?.medium === 'A4' ? 'printing.a4' : 'printing.card', { seconds });
  return (
    <ScreenFrame screen="printing" locale={view.locale} t={t} send={send} busy>
      <div
        class={printing?.medium === 'A4' ? 'print-icon print-icon-a4' : 'print-icon print-icon-card'}
        aria-hidden="true"
      />
      <h1 aria-live="polite">{words}</h1>
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
      <p class="lead">{t('printing.stay')}</p>
    </ScreenFrame>
  );
}
