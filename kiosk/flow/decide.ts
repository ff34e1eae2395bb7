import type { ApiFailure } from '../central-api/client.ts';
import type { Application } from '../central-api/schemas.ts';
import type { ErrorReason } from '../view.ts';
import type { ClaimDecision, LoginDecision, LookupDecision, PinDecision } from './machine.ts';
import type { SessionSource } from './session-data.ts';

/**
 * Whether this kiosk can print a medium right now. `paused`: the printer is fine but its queue was
 * stopped (by a technician or the spooler); the applicant hears that, not that supplies ran out.
 */
export type MediumCapability = 'ok' | 'unsupported' | 'out-of-supplies' | 'paused';
export interface Capabilities {
  CARD: MediumCapability;
  A4: MediumCapability;
}

/**
 * What the looked-up application allows, in the order of kiosk-runtime.md: the code must match its
 * application, then region, status, self-print, and a working printer with supplies for every document.
 * Nothing is claimed for an application the kiosk cannot finish.
 */
export function decideApplication(
  app: Application,
  ctx: { codeService?: string; regionCode: string; source: SessionSource; capabilities: Capabilities },
): LookupDecision {
  const error = (reason: ErrorReason, extra: { stage?: string; paused?: true } = {}): LookupDecision => ({
    next: 'error',
    reason,
    ...extra,
  });
  if (ctx.codeService !== undefined && app.service !== ctx.codeService) return error('invalid-qr');
  if (app.regionCode !== ctx.regionCode) return error('wrong-region');
  switch (app.status) {
    case 'PRINTED':
      return error('already-printed');
    case 'IN_PROCESS':
      return error('not-ready', app.stage ? { stage: app.stage } : {});
    case 'REJECTED':
    case 'CANCELLED':
      return error('rejected');
    case 'READY':
      break;
  }
  if (!app.selfPrint) return error('not-self-print');
  const media = new Set(app.documents.map((d) => d.medium));
  for (const m of media) if (ctx.capabilities[m] === 'unsupported') return error('unsupported-service');
  // The reason stays `out-of-supplies` (the contract's list); `paused` changes only the words.
  for (const m of media) if (ctx.capabilities[m] === 'out-of-supplies') return error('out-of-supplies');
  for (const m of media)
    if (ctx.capabilities[m] === 'paused') return error('out-of-supplies', { paused: true });
  const needsPin = app.pinRequired || ctx.source === 'manual';
  return { next: needsPin ? 'pin' : 'claim', applicationNo: app.applicationNo };
}

/** A refusal or failure of the central API, as the applicant's reason. */
export function reasonOf(failure: ApiFailure): { reason: ErrorReason; canRetry?: boolean } {
  if (failure.kind !== 'refused' || failure.status === 401)
    return { reason: 'service-unavailable', canRetry: true };
  switch (failure.code) {
    case 'NOT_FOUND':
      return { reason: 'not-found' };
    case 'FORBIDDEN_REGION':
      return { reason: 'wrong-region' };
    case 'ALREADY_PRINTED':
      return { reason: 'already-printed' };
    case 'CLAIMED_ELSEWHERE':
      return { reason: 'claimed-elsewhere' };
    case 'NOT_READY':
      return { reason: 'not-ready' };
    case 'NOT_SELF_PRINT':
      return { reason: 'not-self-print' };
    case 'PIN_LOCKED':
      return { reason: 'pin-locked' };
    default:
      return { reason: 'service-unavailable', canRetry: true };
  }
}

/** The lookup's failure as a decision. */
export function decideLookupFailure(failure: ApiFailure): LookupDecision {
  return { next: 'error', ...reasonOf(failure) };
}

/** The PIN check's answer as a decision: wrong with attempts left, locked, or a refusal. */
export function decidePinFailure(failure: ApiFailure): PinDecision {
  if (failure.kind === 'refused' && failure.code === 'PIN_WRONG' && failure.attemptsLeft !== undefined) {
    return failure.attemptsLeft > 0
      ? { next: 'pin-wrong', attemptsLeft: failure.attemptsLeft }
      : { next: 'error', reason: 'pin-locked' };
  }
  return { next: 'error', ...reasonOf(failure) };
}

/**
 * The claim's failure as a decision: a PIN_REQUIRED sends the applicant to the PIN first, or, for a claim
 * that carried a resident's sign-in proof (expired: the session took too long), back home to sign in again.
 */
export function decideClaimFailure(failure: ApiFailure, withResidentProof = false): ClaimDecision {
  if (failure.kind === 'refused' && failure.code === 'PIN_REQUIRED')
    return withResidentProof ? { next: 'sign-in-again' } : { next: 'pin' };
  return { next: 'error', ...reasonOf(failure) };
}

/**
 * A resident's sign-in answer as a decision: a wrong login PIN with attempts left, a lock (423, or the
 * last attempt), an unregistered NIK, or the service being unavailable.
 */
export function decideLoginFailure(failure: ApiFailure): LoginDecision {
  if (failure.kind === 'refused') {
    if (failure.code === 'PIN_WRONG' && failure.attemptsLeft !== undefined)
      return failure.attemptsLeft > 0
        ? { next: 'pin-wrong', attemptsLeft: failure.attemptsLeft }
        : { next: 'error', reason: 'pin-locked' };
    if (failure.code === 'PIN_LOCKED' || failure.status === 423)
      return { next: 'error', reason: 'pin-locked' };
    if (failure.code === 'NOT_REGISTERED' || failure.status === 404)
      return { next: 'error', reason: 'not-registered' };
  }
  return { next: 'error', reason: 'service-unavailable' };
}
