/**
 * Pokes the A4 printer by hand (for a technician or a developer):
 *
 *   tsx drivers/paper-printer/cli.ts status --cups ADM_A4 [--server /run/cups/cups.sock]
 *   tsx drivers/paper-printer/cli.ts print FILE.pdf --pages 2 --cups ADM_A4
 *   tsx drivers/paper-printer/cli.ts status --windows "HP LaserJet"
 *
 * Prints JSON lines; exit code 0 when the printer is ready / the job completed, 1 otherwise, 2 for usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openPaperPrinter, type PaperPrinterConfig } from './index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cups: { type: 'string' },
    server: { type: 'string' },
    windows: { type: 'string' },
    pages: { type: 'string' },
    name: { type: 'string', default: 'ADM-TEST' },
  },
});

const usage =
  'usage: cli.ts status|print [FILE.pdf --pages N] (--cups QUEUE [--server S] | --windows PRINTER)';
const config: PaperPrinterConfig | undefined = values.cups
  ? { driver: 'cups', queue: values.cups, ...(values.server ? { server: values.server } : {}) }
  : values.windows
    ? { driver: 'windows', printer: values.windows }
    : undefined;
const [command, file] = positionals;
if (
  !config ||
  (command !== 'status' && command !== 'print') ||
  (command === 'print' && (!file || !values.pages))
) {
  console.error(usage);
  process.exit(2);
}

const { printer } = await openPaperPrinter(config);
const status = await printer.getStatus();
console.log(JSON.stringify({ status }));
if (command === 'status') process.exit(status.state === 'READY' ? 0 : 1);

const pdf = new Uint8Array(await readFile(file!));
const result = await printer.print(
  { pdf, expectedPages: Number(values.pages), jobName: values.name! },
  (job) => {
    console.log(JSON.stringify({ submitted: job }));
  },
);
console.log(JSON.stringify({ result }));
await printer.close();
process.exit(result.ok ? 0 : 1);
