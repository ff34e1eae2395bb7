import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import type { Clock } from '../../../drivers/shared/clock.ts';
import { CONTRACT_DIR } from '../../paths.ts';

/** Where the simulated issuer's test key lives (the project's copy of the contract). */
export const SIM_ISSUER_KEY_PATH = join(CONTRACT_DIR, 'sim-issuer-key.json');

export interface SimIssuerKey {
  kid: string;
  publicKey: string;
  privateKeyJwk: JWK;
}

/** Reads the simulated issuer's key (a test key: never on a real kiosk). */
export function readSimIssuerKey(path = SIM_ISSUER_KEY_PATH): SimIssuerKey {
  return JSON.parse(readFileSync(path, 'utf8')) as SimIssuerKey;
}

export interface Minter {
  kid: string;
  printCode(
    claims: { applicationNo: string; service: string; regionCode: string } & Record<string, unknown>,
  ): Promise<string>;
  badge(technicianId: string, regionCode: string): Promise<string>;
}

/** Mints print codes and technician badges as the Dukcapil issuer would, with the simulated key. */
export async function createMinter(clock: Clock, key = readSimIssuerKey()): Promise<Minter> {
  const privateKey = await importJWK(key.privateKeyJwk, 'EdDSA');
  const sign = (typ: string, payload: Record<string, unknown>, sub: string, ttlS: number) => {
    const nowS = Math.floor(clock.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ, kid: key.kid })
      .setIssuer('dukcapil')
      .setSubject(sub)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + ttlS)
      .setJti(randomUUID())
      .sign(privateKey);
  };
  return {
    kid: key.kid,
    printCode: ({ applicationNo, service, regionCode, ...rest }) =>
      sign('adm-print+jwt', { reg: regionCode, svc: service, ...rest }, applicationNo, 30 * 24 * 3600),
    badge: (technicianId, regionCode) =>
      sign('adm-tech+jwt', { role: 'technician', reg: regionCode }, technicianId, 365 * 24 * 3600),
  };
}
