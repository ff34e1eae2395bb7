// The file Electron starts (`electron kiosk/hosts/electron/entry.mjs`): it lets Electron's Node load the
// project's TypeScript as plain Node does (tsx), then hands over to main.ts, which only wires.
import { register } from 'tsx/esm/api';

register();
const electron = await import('electron');
const { runElectronMain } = await import('./main.ts');
await runElectronMain(process.argv.slice(2), electron.app);
