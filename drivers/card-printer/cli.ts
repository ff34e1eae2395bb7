import { parseArgs } from 'node:util';
import { type CardPrinterConfig, openCardPrinter } from './index.ts';
import { renderTestPattern } from './render/test-pattern.ts';

/**
 * Pokes a card printer by hand:
 *   npm run card-printer -- --path /dev/ttyUSB0 status
 *   npm run card-printer -- --path /dev/ttyUSB0 test-print
 *   npm run card-printer -- --usb [--vendor 0x0f2f --product 0x1001] status
 *   npm run card-printer -- --sim [--bezel] [--cooling-after N] test-print
 *   npm run card-printer -- --path /dev/ttyUSB0 draw-back     (1.1: the card in the exit bezel to the reject box)
 */
const USAGE = `usage: card-printer (--path DEV [--baud N] | --usb [--vendor ID --product ID] | --sim [--bezel] [--cooling-after N]) status|test-print|clear|reset|draw-back`;
const COMMANDS = ['status', 'test-print', 'clear', 'reset', 'draw-back'];

const { values, positionals } = parseArgs({
  options: {
    path: { type: 'string' },
    baud: { type: 'string' },
    usb: { type: 'boolean' },
    vendor: { type: 'string' },
    product: { type: 'string' },
    sim: { type: 'boolean' },
    bezel: { type: 'boolean' },
    'cooling-after': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
});

function config(): CardPrinterConfig | undefined {
  if (values.path) return { driver: 'serial', path: values.path, baudRate: Number(values.baud ?? 115200) };
  if (values.usb) {
    return {
      driver: 'usb',
      ...(values.vendor ? { vendorId: Number(values.vendor) } : {}),
      ...(values.product ? { productId: Number(values.product) } : {}),
    };
  }
  if (values.sim) {
    return {
      driver: 'sim',
      timeFactor: 0.05,
      ...(values.bezel ? { bezel: true } : {}),
      ...(values['cooling-after'] ? { coolingAfterCards: Number(values['cooling-after']) } : {}),
    };
  }
  return undefined;
}

const command = positionals[0];
const cfg = config();
if (values.help || !cfg || !COMMANDS.includes(command ?? '')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}

const print = (label: string, value: unknown): void => {
  process.stdout.write(`${label}: ${JSON.stringify(value)}\n`);
};
const { printer } = await openCardPrinter(cfg);
let code = 0;
const status = await printer.getStatus();
print('status', status);
if (status.state === 'OFFLINE') {
  code = 1;
} else if (command === 'status') {
  print('info', await printer.readInfo());
  print('counters', await printer.readCounters());
  print('bezel', await printer.readBezel?.());
} else if (command === 'clear') {
  const r = await printer.clearFault();
  print('clear', r);
  code = r.ok ? 0 : 1;
} else if (command === 'draw-back') {
  const r = await printer.drawBackCard?.();
  print('draw-back', r);
  code = r?.ok ? 0 : 1;
} else if (command === 'reset') {
  const r = await printer.reset();
  print('reset', r);
  code = r.ok ? 0 : 1;
} else {
  const card = await renderTestPattern();
  const outcome = await printer.printCard(card.panels, (step, counters) => print(step, counters));
  print('outcome', outcome);
  code = outcome.kind === 'printed' ? 0 : 1;
}
await printer.close();
process.exit(code);
