import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's root folder: the nearest folder above this module that holds `package.json`. Found by
 * walking up rather than by a fixed `..`, so the same code works from the sources (`kiosk/`), from the
 * compiled bundle (`dist/kiosk/`) and from an installed package.
 */
export const ROOT = findRoot(import.meta.dirname);

/** The project's own copy of the contract (refreshed by `npm run contract:sync`). */
export const CONTRACT_DIR = join(ROOT, 'contract');

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '..');
  }
}
