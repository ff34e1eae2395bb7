import { render } from 'preact';
import { App } from './app.tsx';
import { createBridge } from './bridge.ts';
import { CameraView } from './camera/camera-view.tsx';
import { installPageLockdown } from './page-lockdown.ts';
import './styles.css';

installPageLockdown(window);
const root = document.getElementById('app');
if (root) {
  const bridge = createBridge(window);
  render(
    <App
      bridge={bridge}
      renderCamera={(onText) => (
        <CameraView onText={onText} label="Kamera pemindai kode / Code scanner camera" />
      )}
    />,
    root,
  );
}
