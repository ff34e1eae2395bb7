// `npm start` (after `npm run build`): the compiled kiosk on its embedded default (every device simulated,
// the built-in central API simulator). The Electron host when the Electron binary is installed; otherwise
// the browser host, whose URL is printed as `KIOSK READY <url>`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    // The package is installed for its types only (ELECTRON_SKIP_BINARY_DOWNLOAD): no binary.
    return undefined;
  }
}

const electron = electronBinary();
const electronMain = join(root, 'dist', 'app', 'kiosk', 'hosts', 'electron', 'entry.js');
const child =
  electron && existsSync(electronMain)
    ? spawn(electron, [electronMain, ...args], { stdio: 'inherit', cwd: root })
    : spawn(process.execPath, [join(root, 'dist', 'app', 'kiosk', 'main.js'), '--host', 'browser', ...args], {
        stdio: 'inherit',
        cwd: root,
      });
if (!electron) process.stderr.write('npm start: no Electron binary installed; starting the browser host\n');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
