import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyPin } from '../../maintenance/pin-hash.ts';
import { ROOT } from '../../paths.ts';

/** The simulator's kiosk config: its technician (badge id and PIN hash) is the one the code page shows. */
export const SIM_CONFIG_PATH = join(ROOT, 'config', 'sim.json');

/**
 * The PIN of the sim technician in `config/sim.json`. A hash cannot be turned back into its PIN, so it
 * is written down here, beside the config it belongs to, and checked against the config's hash
 * whenever it is shown (`simTechnician`): a config whose hash no longer matches shows no PIN at all
 * rather than a wrong one. A test PIN for the simulator only; never on a real kiosk.
 */
export const SIM_TECHNICIAN_PIN = '246810';

/** The sim technician as the code page shows it: id, and the PIN when it matches the config's hash. */
export async function simTechnician(
  path = SIM_CONFIG_PATH,
): Promise<{ id: string; regionCode: string; pin: string | undefined } | undefined> {
  const config = JSON.parse(readFileSync(path, 'utf8')) as {
    regionCode?: string;
    technicians?: Array<{ id: string; pinHash: string }>;
  };
  const tech = config.technicians?.[0];
  if (!tech) return undefined;
  const pin = (await verifyPin(SIM_TECHNICIAN_PIN, tech.pinHash)) ? SIM_TECHNICIAN_PIN : undefined;
  return { id: tech.id, regionCode: config.regionCode ?? '3574', pin };
}
