import { render } from 'preact';
import { CameraView } from '../../ui/camera/camera-view.tsx';

/**
 * The test page for the camera path in Chromium: the real CameraView (worker, wasm, guide frame) with
 * its callbacks recorded on `window` for the test to read.
 */
declare global {
  interface Window {
    cameraTexts: string[];
    cameraAvailable: (boolean | string)[];
  }
}

window.cameraTexts = [];
window.cameraAvailable = [];
const root = document.getElementById('app');
if (root) {
  render(
    <CameraView
      label="camera"
      onText={(text) => window.cameraTexts.push(text)}
      onAvailable={(available, detail) => window.cameraAvailable.push(available || (detail ?? false))}
    />,
    root,
  );
}
