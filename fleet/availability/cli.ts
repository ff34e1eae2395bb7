import { join } from 'node:path';
import { readInventory, startAvailabilityService } from './server.ts';

/**
 * `npx tsx fleet/availability/cli.ts --prometheus http://127.0.0.1:9090 [--inventory FILE] [--host H]
 * [--port 8088]`: serves the public availability page and feed. Behind the operators' reverse proxy
 * (TLS, rate limits); it listens on loopback unless told otherwise.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const prometheusUrl = arg('prometheus');
if (!prometheusUrl) {
  process.stderr.write('usage: cli.ts --prometheus URL [--inventory FILE] [--host HOST] [--port PORT]\n');
  process.exit(2);
}
const service = await startAvailabilityService({
  prometheusUrl,
  inventory: readInventory(arg('inventory', join(import.meta.dirname, 'inventory.json'))!),
  host: arg('host', '127.0.0.1')!,
  port: Number(arg('port', '8088')),
});
process.stdout.write(`AVAILABILITY ${service.url}\n`);
const stop = () => void service.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
