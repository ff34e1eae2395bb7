import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The code is being checked and the application looked up; nothing to do but wait. */
export function CheckingScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame
      screen="checking"
      view={view}
      t={t}
      send={send}
      busy
      title={{ key: 'checking.title' }}
      instruction={[{ key: 'checking.wait' }]}
    >
      <div class="spinner" aria-hidden="true" />
    </ScreenFrame>
  );
}
