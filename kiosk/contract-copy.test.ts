import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DIR, ROOT } from './paths.ts';

/** The shared contract beside the project, where the contract is kept; a plain clone has none. */
const SHARED = join(ROOT, '..', 'shared', 'contract');

describe("the project's copy of the contract", () => {
  it('holds the files the kiosk and the simulator read', () => {
    for (const f of ['central-api.yaml', 'qr-code.md', 'qr-test-vectors.json', 'sim-issuer-key.json'])
      expect(existsSync(join(CONTRACT_DIR, f)), f).toBe(true);
  });

  it.skipIf(!existsSync(SHARED))('is the same as ../shared/contract (else: npm run contract:sync)', () => {
    const shared = readdirSync(SHARED).sort();
    expect(readdirSync(CONTRACT_DIR).sort()).toEqual(shared);
    for (const f of shared)
      expect(readFileSync(join(CONTRACT_DIR, f)).equals(readFileSync(join(SHARED, f))), `${f} differs`).toBe(
        true,
      );
  });
});
