/**
 * Listens to a serial 2D scanner by hand: prints each code and each status change as a JSON line,
 * until Ctrl-C.
 *
 *   tsx drivers/scanner/cli.ts /dev/ttyACM0 [9600]
 */
import { openScanner } from './index.ts';

const [path, baud] = process.argv.slice(2);
if (!path) {
  console.error('usage: cli.ts SERIAL_PATH [BAUD]');
  process.exit(2);
}
const scanner = await openScanner({ driver: 'serial', path, ...(baud ? { baudRate: Number(baud) } : {}) });
console.log(JSON.stringify({ status: scanner.getStatus() }));
scanner.onStatus((status) => console.log(JSON.stringify({ status })));
scanner.onCode((code) => console.log(JSON.stringify({ code })));
process.on('SIGINT', () => {
  void scanner.close().then(() => process.exit(0));
});
