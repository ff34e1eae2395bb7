import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The code is being checked and the application looked up; nothing to do but wait. */
export function CheckingScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame screen="checking" locale={view.locale} t={t} send={send} busy>
      <div class="spinner" aria-hidden="true" />
      <h1 aria-live="polite">{t('checking.title')}</h1>
      <p class="lead">{t('checking.wait')}</p>
    </ScreenFrame>
  );
}
