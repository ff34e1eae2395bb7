import { CentralApiSimulator } from './server.ts';

/**
 * `npm run central-sim [-- --port 8080]`: the central API simulator on its own, on loopback. Prints
 * `CENTRAL SIM <baseUrl>` once it listens; its code page is at `/sim/codes`.
 */
const argv = process.argv.slice(2);
const i = argv.indexOf('--port');
const port = i >= 0 ? Number(argv[i + 1]) : 8080;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('central-sim: --port takes a port number (0 for a free one)\n');
  process.exit(2);
}
const sim = await CentralApiSimulator.start({ port });
process.stdout.write(`CENTRAL SIM ${sim.baseUrl}\n`);
process.stderr.write(`print codes: ${sim.baseUrl.replace(/\/v1$/, '')}/sim/codes\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
