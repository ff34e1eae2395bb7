import electron from 'electron';
import { runElectronMain } from './main.ts';

// The file Electron starts, compiled to `dist/app/kiosk/hosts/electron/entry.js` (package.json `main`).
// Started unpackaged (`electron .`) the arguments follow the app's path; packaged, the executable's.
await runElectronMain(process.argv.slice(electron.app.isPackaged ? 1 : 2), electron.app);
