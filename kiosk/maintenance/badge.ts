import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { type IssuerKey, verifyCode } from '../print-code/verify.ts';

/** The JOSE `typ` of a technician badge (qr-code.md). */
const BADGE_TYP = 'adm-tech+jwt';

/**
 * Whether a scanned text claims to be a technician badge (header `typ: adm-tech+jwt`). Only a routing
 * hint for the core, so a badge goes to maintenance and not to the print-code check; nothing is trusted
 * until `badgeVerifier` has checked the signature.
 */
export function isTechnicianBadge(text: string): boolean {
  const head = text.trim().split('.')[0];
  if (!head || head.length > 512) return false;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { typ?: unknown };
    return header.typ === BADGE_TYP;
  } catch {
    return false;
  }
}

/** `MaintenanceDeps.verifyBadge` over the kiosk's issuer keys and region. */
export function badgeVerifier(opts: {
  issuerKeys: IssuerKey[];
  regionCode: string;
  now: () => number;
}): (token: string) => Promise<Result<{ technicianId: string }, string>> {
  return async (token) => {
    const r = await verifyCode(token.trim(), {
      kind: 'technician',
      issuerKeys: opts.issuerKeys,
      regionCode: opts.regionCode,
      now: opts.now(),
    });
    return r.ok ? ok({ technicianId: r.value.technicianId }) : err(r.error);
  };
}
