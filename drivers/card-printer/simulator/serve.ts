import { parseArgs } from 'node:util';
import { CardPrinterSimulator } from './simulator.ts';

/**
 * Serves the simulated card printer on a tty for people and other programs:
 *   tsx drivers/card-printer/simulator/serve.ts --link /tmp/ttyCARD [--state-dir DIR] [--time-factor 0.05]
 *     [--cooling-after N [--cooling-seconds S]] [--bezel]
 * then `npm run card-printer -- --path /tmp/ttyCARD status`. Ctrl-C stops it.
 */
const { values } = parseArgs({
  options: {
    link: { type: 'string', default: '/tmp/ttyCARD' },
    'state-dir': { type: 'string' },
    'time-factor': { type: 'string', default: '0.05' },
    'cooling-after': { type: 'string' },
    'cooling-seconds': { type: 'string' },
    bezel: { type: 'boolean', default: false },
  },
});

const sim = new CardPrinterSimulator({
  ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
  timeFactor: Number(values['time-factor']),
  ...(values['cooling-after'] ? { coolingAfterCards: Number(values['cooling-after']) } : {}),
  ...(values['cooling-seconds'] ? { coolingSeconds: Number(values['cooling-seconds']) } : {}),
  bezel: values.bezel,
});
const served = await sim.serveOnPty(values.link);
if ('error' in served) {
  process.stderr.write(`cannot serve on ${values.link}: ${served.error}\n`);
  process.exit(1);
}
process.stdout.write(`card printer simulator on ${served.path}${sim.bezel ? ' (with an exit bezel)' : ''}\n`);
if (sim.bezel) {
  // Someone at the kiosk: Enter on this terminal takes the card waiting in the bezel.
  process.stdin.on('data', () => {
    process.stdout.write(sim.takeCard() ? 'card taken from the bezel\n' : 'the bezel is empty\n');
  });
}
const stop = async () => {
  await served.close();
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
