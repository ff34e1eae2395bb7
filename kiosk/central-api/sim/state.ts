import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../drivers/shared/clock.ts';
import {
  ASSISTANCE_OPEN_MS,
  CLAIM_LEASE_MS,
  PIN_MAX_ATTEMPTS,
  PIN_PROOF_TTL_MS,
  RESIDENT_PROOF_TTL_MS,
} from '../contract.ts';
import type { SimApplication, SimResident } from './seed.ts';

/** One kiosk the simulator knows: its token and the regions it may serve. */
export interface SimKiosk {
  kioskId: string;
  token: string;
  regions: string[];
}

export interface SimClaim {
  claimId: string;
  applicationNo: string;
  kioskId: string;
  grantedAt: number;
  leaseExpiresAt: number;
  state: 'live' | 'completed' | 'released';
  releaseReason?: string;
}

/** What the simulator saw, for tests to check against the kiosk's own record. */
export interface SimRecords {
  requests: Array<{
    method: string;
    path: string;
    kioskId?: string;
    idempotencyKey?: string;
    status: number;
  }>;
  claims: SimClaim[];
  completions: Array<{ claimId: string; applicationNo: string; body: Record<string, unknown>; at: number }>;
  releases: Array<{ claimId: string; applicationNo: string; reason: string; reference?: string; at: number }>;
  heartbeats: Array<{ kioskId: string; body: Record<string, unknown>; at: number }>;
  feedback: Array<Record<string, unknown>>;
  pinChecks: Array<{ applicationNo: string; ok: boolean }>;
  /** 1.1: resident sign-ins, right or wrong (never the PIN). */
  logins: Array<{ nik: string; kioskId: string; ok: boolean; at: number }>;
  /** 1.1: hand-offs to the counter, one per session reference and reason. */
  handoffs: Array<{ kioskId: string; body: Record<string, unknown>; at: number }>;
  /**
   * 1.1: every assistance request received; `opened` is false for one that came while the kiosk's
   * request was still open (the kiosk should not have sent it).
   */
  assistanceRequests: Array<{ kioskId: string; body: Record<string, unknown>; at: number; opened: boolean }>;
}

/** An answer of an operation: status, body (JSON, or bytes with their content type). */
export type SimAnswer = [number, unknown, string?];

export interface AppState {
  app: SimApplication;
  wrongPins: number;
  locked: boolean;
}

interface ResidentState {
  resident: SimResident;
  wrongPins: number;
  locked: boolean;
}

type Body = Record<string, unknown>;

export function emptyRecords(): SimRecords {
  return {
    requests: [],
    claims: [],
    completions: [],
    releases: [],
    heartbeats: [],
    feedback: [],
    pinChecks: [],
    logins: [],
    handoffs: [],
    assistanceRequests: [],
  };
}

/**
 * The simulated central API's state and its operations, each taking a request the contract's schemas
 * have already passed (sim/request.ts) and answering as central-api.yaml says.
 */
export class SimState {
  readonly apps = new Map<string, AppState>();
  readonly docs = new Map<string, { app: AppState; index: number }>();
  readonly residents = new Map<string, ResidentState>();
  private readonly pinProofs = new Map<string, { applicationNo: string; expiresAt: number }>();
  private readonly residentProofs = new Map<string, { nik: string; kioskId: string; expiresAt: number }>();
  /** The kiosk's open assistance request: open until this time (or cleared). */
  private readonly assistanceOpenUntil = new Map<string, number>();

  constructor(
    apps: SimApplication[],
    residents: SimResident[],
    readonly records: SimRecords,
    private readonly clock: Clock,
  ) {
    for (const app of apps) {
      const state = { app, wrongPins: 0, locked: false };
      this.apps.set(app.applicationNo, state);
      for (const [index, d] of app.documents.entries()) this.docs.set(d.documentId, { app: state, index });
    }
    for (const r of residents) this.residents.set(r.nik, { resident: r, wrongPins: 0, locked: false });
  }

  lookup(no: string, kiosk: SimKiosk): SimAnswer {
    const s = this.apps.get(no);
    if (!s) return notFound('application');
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    return [200, publicApplication(s.app)];
  }

  document(id: string, kiosk: SimKiosk, claimId: string): SimAnswer {
    const d = this.docs.get(id);
    if (!d) return notFound('document');
    if (!kiosk.regions.includes(d.app.app.regionCode)) return forbiddenRegion();
    const claim = this.liveClaim(d.app.app.applicationNo);
    if (!claim || claim.claimId !== claimId || claim.kioskId !== kiosk.kioskId)
      return [403, { code: 'NO_LIVE_CLAIM', message: 'a live claim is needed to download' }];
    const doc = d.app.app.documents[d.index]!;
    return [200, doc.bytes, doc.contentType];
  }

  verifyPin(no: string, b: Body, kiosk: SimKiosk): SimAnswer {
    const s = this.apps.get(no);
    if (!s) return notFound('application');
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    const notPrintable = this.notPrintable(s);
    if (notPrintable) return notPrintable;
    if (s.locked) return pinLocked();
    if (b.pin !== s.app.pin) {
      this.records.pinChecks.push({ applicationNo: no, ok: false });
      return wrongPin(s);
    }
    s.wrongPins = 0;
    this.records.pinChecks.push({ applicationNo: no, ok: true });
    const pinProof = `pp_${randomUUID()}`;
    const expiresAt = this.clock.now() + PIN_PROOF_TTL_MS;
    this.pinProofs.set(pinProof, { applicationNo: no, expiresAt });
    return [200, { pinProof, expiresAt: new Date(expiresAt).toISOString() }];
  }

  /** 1.1: a resident's sign-in; the list holds what they are the subject of or applied for. */
  login(nik: string, b: Body, kiosk: SimKiosk): SimAnswer {
    const r = this.residents.get(nik);
    const at = this.clock.now();
    if (!r) return [404, { code: 'NOT_REGISTERED', message: 'this NIK has no ADM self-service login' }];
    if (r.locked) return pinLocked();
    if (b.pin !== r.resident.loginPin) {
      this.records.logins.push({ nik, kioskId: kiosk.kioskId, ok: false, at });
      return wrongPin(r);
    }
    r.wrongPins = 0;
    this.records.logins.push({ nik, kioskId: kiosk.kioskId, ok: true, at });
    const residentProof = `rp_${randomUUID()}`;
    const expiresAt = at + RESIDENT_PROOF_TTL_MS;
    this.residentProofs.set(residentProof, { nik, kioskId: kiosk.kioskId, expiresAt });
    return [
      200,
      {
        residentProof,
        expiresAt: new Date(expiresAt).toISOString(),
        resident: { nik, name: r.resident.name },
        applications: this.applicationsOf(nik).map(publicApplication),
      },
    ];
  }

  /** A resident's applications, newest first, at most 20 (as the contract lists them). */
  applicationsOf(nik: string): SimApplication[] {
    return [...this.apps.values()]
      .map((s) => s.app)
      .filter((a) => a.subject.nik === nik || a.applicantNik === nik)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, 20);
  }

  claim(no: string, b: Body, kiosk: SimKiosk): SimAnswer {
    const s = this.apps.get(no);
    if (!s) return notFound('application');
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    const live = this.liveClaim(no);
    if (s.app.status === 'PRINTED') return [409, { code: 'ALREADY_PRINTED', message: 'printed already' }];
    if (live && live.kioskId !== kiosk.kioskId)
      return [409, { code: 'CLAIMED_ELSEWHERE', message: 'claimed by another kiosk' }];
    const notPrintable = this.notPrintable(s);
    if (notPrintable) return notPrintable;
    const now = this.clock.now();
    if (b.residentProof !== undefined) {
      const proof = this.residentProofs.get(b.residentProof as string);
      const theirs =
        proof &&
        proof.expiresAt > now &&
        proof.kioskId === kiosk.kioskId &&
        this.applicationsOf(proof.nik).some((a) => a.applicationNo === no);
      if (!theirs) return pinRequired('a valid residentProof for this application is required');
    }
    if (s.app.pinRequired || b.pinProof !== undefined) {
      const proof = this.pinProofs.get(b.pinProof as string);
      if (!proof || proof.applicationNo !== no || proof.expiresAt <= now)
        return pinRequired('a valid pinProof is required');
    }
    if (live) return [200, claimBody(live)];
    const claim: SimClaim = {
      claimId: `CLM-${randomUUID()}`,
      applicationNo: no,
      kioskId: kiosk.kioskId,
      grantedAt: now,
      leaseExpiresAt: now + CLAIM_LEASE_MS,
      state: 'live',
    };
    this.records.claims.push(claim);
    return [201, claimBody(claim)];
  }

  complete(claimId: string, b: Body, kiosk: SimKiosk): SimAnswer {
    const claim = this.claimOf(claimId, kiosk);
    if (!claim) return notFound('claim');
    const s = this.apps.get(claim.applicationNo)!;
    if (claim.state !== 'completed') {
      const other = this.records.claims.find(
        (c) => c.applicationNo === claim.applicationNo && c !== claim && c.state === 'completed',
      );
      // The report of what really came out of the printer wins, unless another claim printed it.
      if (other)
        return [409, { code: 'CLAIM_LOST', message: 'the application was printed under another claim' }];
      claim.state = 'completed';
      s.app.status = 'PRINTED';
      this.records.completions.push({
        claimId,
        applicationNo: claim.applicationNo,
        body: b,
        at: this.clock.now(),
      });
    }
    return [200, { applicationNo: claim.applicationNo, status: 'PRINTED' }];
  }

  release(claimId: string, b: Body, kiosk: SimKiosk): SimAnswer {
    const claim = this.claimOf(claimId, kiosk);
    if (!claim) return notFound('claim');
    const s = this.apps.get(claim.applicationNo)!;
    if (claim.state === 'completed')
      return [409, { code: 'ALREADY_PRINTED', message: 'the claim was completed' }];
    if (claim.state === 'live') {
      claim.state = 'released';
      claim.releaseReason = b.reason as string;
      this.records.releases.push({
        claimId,
        applicationNo: claim.applicationNo,
        reason: b.reason as string,
        ...(typeof b.reference === 'string' ? { reference: b.reference } : {}),
        at: this.clock.now(),
      });
    }
    return [200, { applicationNo: claim.applicationNo, status: s.app.status }];
  }

  heartbeat(b: Body, kiosk: SimKiosk): SimAnswer {
    this.records.heartbeats.push({ kioskId: kiosk.kioskId, body: b, at: this.clock.now() });
    return [204, undefined];
  }

  /** 1.1: one hand-off per session reference and reason; a repeat answers 201 and records nothing. */
  handoff(b: Body, kiosk: SimKiosk): SimAnswer {
    const seen = this.records.handoffs.some(
      (h) => h.kioskId === kiosk.kioskId && h.body.reference === b.reference && h.body.reason === b.reason,
    );
    if (!seen) this.records.handoffs.push({ kioskId: kiosk.kioskId, body: b, at: this.clock.now() });
    return [201, undefined];
  }

  /** 1.1: at most one open request per kiosk, open 5 minutes or until a technician clears it. */
  assistance(b: Body, kiosk: SimKiosk): SimAnswer {
    const now = this.clock.now();
    const opened = (this.assistanceOpenUntil.get(kiosk.kioskId) ?? 0) <= now;
    if (opened) this.assistanceOpenUntil.set(kiosk.kioskId, now + ASSISTANCE_OPEN_MS);
    this.records.assistanceRequests.push({ kioskId: kiosk.kioskId, body: b, at: now, opened });
    return [201, undefined];
  }

  /** Whether the kiosk has an open assistance request now. */
  assistanceOpen(kioskId: string): boolean {
    return (this.assistanceOpenUntil.get(kioskId) ?? 0) > this.clock.now();
  }

  /** A technician cleared the kiosk's request in the maintenance menu. */
  clearAssistance(kioskId: string): void {
    this.assistanceOpenUntil.delete(kioskId);
  }

  feedback(b: Body): SimAnswer {
    this.records.feedback.push(b);
    return [204, undefined];
  }

  private liveClaim(no: string): SimClaim | undefined {
    const now = this.clock.now();
    return this.records.claims.find(
      (c) => c.applicationNo === no && c.state === 'live' && c.leaseExpiresAt > now,
    );
  }

  private claimOf(claimId: string, kiosk: SimKiosk): SimClaim | undefined {
    return this.records.claims.find((c) => c.claimId === claimId && c.kioskId === kiosk.kioskId);
  }

  private notPrintable(s: AppState): SimAnswer | undefined {
    const st = s.app.status;
    if (st === 'PRINTED') return [409, { code: 'ALREADY_PRINTED', message: 'printed already' }];
    if (st !== 'READY') return [409, { code: 'NOT_READY', message: `status ${st}` }];
    if (!s.app.selfPrint) return [409, { code: 'NOT_SELF_PRINT', message: 'printed at the office' }];
    return undefined;
  }
}

/** The third wrong PIN in a row locks (423); the first two answer 422 with the attempts left. */
function wrongPin(s: { wrongPins: number; locked: boolean }): SimAnswer {
  s.wrongPins++;
  if (s.wrongPins >= PIN_MAX_ATTEMPTS) {
    s.locked = true;
    return pinLocked();
  }
  return [422, { code: 'PIN_WRONG', message: 'wrong PIN', attemptsLeft: PIN_MAX_ATTEMPTS - s.wrongPins }];
}

function pinLocked(): SimAnswer {
  return [423, { code: 'PIN_LOCKED', message: 'too many wrong PINs; the office unlocks it' }];
}

function pinRequired(message: string): SimAnswer {
  return [403, { code: 'PIN_REQUIRED', message }];
}

function notFound(what: string): SimAnswer {
  return [404, { code: 'NOT_FOUND', message: `no such ${what}` }];
}

function forbiddenRegion(): SimAnswer {
  return [403, { code: 'FORBIDDEN_REGION', message: 'this kiosk may not serve that region' }];
}

/** An application as the API shows it (without what only the simulator knows). */
export function publicApplication(app: SimApplication) {
  return {
    applicationNo: app.applicationNo,
    service: app.service,
    status: app.status,
    ...(app.stage && app.status === 'IN_PROCESS' ? { stage: app.stage } : {}),
    regionCode: app.regionCode,
    selfPrint: app.selfPrint,
    pinRequired: app.pinRequired,
    subject: app.subject,
    documents: app.documents.map((d) => ({
      documentId: d.documentId,
      medium: d.medium,
      ...(d.template ? { template: d.template } : {}),
      ...(d.pages ? { pages: d.pages } : {}),
      sha256: d.sha256,
    })),
    updatedAt: app.updatedAt,
  };
}

function claimBody(c: SimClaim) {
  return {
    claimId: c.claimId,
    applicationNo: c.applicationNo,
    leaseExpiresAt: new Date(c.leaseExpiresAt).toISOString(),
  };
}
