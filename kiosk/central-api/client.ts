import { randomUUID } from 'node:crypto';
import ky, { type KyInstance } from 'ky';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { type ApiFailure, readAnswer, readFailure } from './answer.ts';
import type { ReleaseReason, Service } from './contract.ts';
import {
  type Application,
  applicationSchema,
  type Claim,
  type ContractSchema,
  claimSchema,
  completeAnswerSchema,
  type OperationName,
  operationOf,
  type PinProof,
  pinProofSchema,
  type ResidentLogin,
  releaseAnswerSchema,
  residentLoginSchema,
} from './schemas.ts';

export type { ApiFailure } from './answer.ts';

export interface CentralApiOptions {
  baseUrl: string;
  token: string;
  kioskId: string;
  /**
   * Bounds one attempt, the whole answer included: an answer whose body stalls after its headers is a
   * timeout like one that never starts (issue 13 item 4).
   */
  timeoutMs: number;
  /** For tests and the simulator image: a fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface CompleteBody {
  printedAt: string;
  cardsPrinted?: number;
  pagesPrinted?: number;
  cardPrinterSerial?: string;
  /** The session's reference (1.1, `SessionReference`). */
  reference?: string;
}

export interface HeartbeatBody {
  at: string;
  state: 'IN_SERVICE' | 'OUT_OF_SERVICE' | 'MAINTENANCE';
  softwareVersion: string;
  devices: Record<string, string>;
  supplies: { blankCards?: number; ribbonPanelsLeft?: number; paperSheets?: number };
  outboxPending: number;
}

export interface FeedbackBody {
  kioskId: string;
  rating: 1 | 2 | 3 | 4;
  service?: Service;
  at: string;
}

/** `POST /kiosks/{kioskId}/handoffs` (1.1): an unfinished session handed over to the counter. */
export interface HandoffBody {
  /** The session's reference, shown to the applicant (`SessionReference`). */
  reference: string;
  at: string;
  /** The error screen's data-reason; `incomplete`; `card-not-taken`. */
  reason: string;
  applicationNo?: string;
  claimId?: string;
  cardsPrinted?: number;
  pagesPrinted?: number;
}

/** `POST /kiosks/{kioskId}/assistance-requests` (1.1): the applicant asked for staff. */
export interface AssistanceRequestBody {
  at: string;
  /** The data-screen the applicant was on. */
  screen: string;
  reference?: string;
}

/** A POST's answer as the outbox needs it: acknowledged, refused for good, or to be tried again. */
export type PostOutcome = { kind: 'ack'; status: number; body: unknown } | ApiFailure;

/**
 * The central Dukcapil API of central-api.yaml. Every call carries the bearer token and X-Kiosk-Id,
 * every POST an Idempotency-Key (the caller's, so a retry after a crash reuses it). Nothing here throws
 * for what the network or the API can do: each answer is checked against its schema and comes back as a
 * Result.
 */
export class CentralApi {
  private readonly http: KyInstance;

  constructor(private readonly opts: CentralApiOptions) {
    this.http = ky.create({
      prefixUrl: opts.baseUrl.replace(/\/+$/, ''),
      // The deadline is the client's own (`attempt`): ky's covers only the wait for the headers.
      timeout: false,
      retry: 0,
      throwHttpErrors: false,
      headers: { authorization: `Bearer ${opts.token}`, 'x-kiosk-id': opts.kioskId },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  /** `GET /applications/{no}`; tried once more on timeout, 5xx or a broken connection. */
  getApplication(applicationNo: string): Promise<Result<Application, ApiFailure>> {
    return this.twice((signal) =>
      this.call(
        'lookup',
        'get',
        `applications/${encodeURIComponent(applicationNo)}`,
        undefined,
        applicationSchema,
        signal,
      ),
    );
  }

  /** `POST /applications/{no}/pin-verifications`. A wrong PIN is `refused` with `attemptsLeft`. */
  verifyPin(
    applicationNo: string,
    pin: string,
    idempotencyKey: string,
  ): Promise<Result<PinProof, ApiFailure>> {
    return this.twice((signal) =>
      this.call(
        'pin',
        'post',
        `applications/${encodeURIComponent(applicationNo)}/pin-verifications`,
        { pin },
        pinProofSchema,
        signal,
        idempotencyKey,
      ),
    );
  }

  /**
   * `POST /residents/{nik}/logins` (1.1): signs a resident in with their NIK and login PIN. Expected
   * failures come back as `refused`: 422 PIN_WRONG with `attemptsLeft`, 423 PIN_LOCKED, 404
   * NOT_REGISTERED. Tried once more on timeout, 5xx or a broken connection (same key).
   */
  login(nik: string, pin: string, idempotencyKey: string): Promise<Result<ResidentLogin, ApiFailure>> {
    return this.twice((signal) =>
      this.call(
        'login',
        'post',
        `residents/${encodeURIComponent(nik)}/logins`,
        { kioskId: this.opts.kioskId, pin },
        residentLoginSchema,
        signal,
        idempotencyKey,
      ),
    );
  }

  /**
   * `POST /applications/{no}/claims` (201 new, 200 this kiosk's live claim again). `residentProof`
   * (1.1) goes with an application chosen after a resident sign-in; an invalid or expired one is 403
   * PIN_REQUIRED.
   */
  claim(
    applicationNo: string,
    pinProof: string | undefined,
    idempotencyKey: string,
    residentProof?: string,
  ): Promise<Result<Claim, ApiFailure>> {
    const body = {
      kioskId: this.opts.kioskId,
      ...(pinProof ? { pinProof } : {}),
      ...(residentProof ? { residentProof } : {}),
    };
    return this.twice((signal) =>
      this.call(
        'claim',
        'post',
        `applications/${encodeURIComponent(applicationNo)}/claims`,
        body,
        claimSchema,
        signal,
        idempotencyKey,
      ),
    );
  }

  /** `GET /documents/{id}` with the claim: the raw bytes, whose SHA-256 the caller checks. */
  getDocument(documentId: string, claimId: string): Promise<Result<Uint8Array, ApiFailure>> {
    return this.twice(async (signal) => {
      const res = await this.http.get(`documents/${encodeURIComponent(documentId)}`, {
        headers: { 'x-claim-id': claimId },
        signal,
      });
      // The bytes are checked against Document.sha256 by the caller: a 200 with any other bytes, of
      // whatever type, is an invalid document (document-invalid), not a failure to be tried again.
      if (!res.ok) return err(await readFailure(res, operationOf('document')));
      return ok(new Uint8Array(await res.arrayBuffer()));
    });
  }

  /** `POST /claims/{id}/complete`, as the outbox sends it. */
  complete(claimId: string, body: CompleteBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(
      'complete',
      `claims/${encodeURIComponent(claimId)}/complete`,
      body,
      idempotencyKey,
      completeAnswerSchema,
    );
  }

  /** `POST /claims/{id}/release`, as the outbox sends it; `reference` (1.1) is the session's. */
  release(
    claimId: string,
    reason: ReleaseReason,
    detail: string | undefined,
    idempotencyKey: string,
    reference?: string,
  ): Promise<PostOutcome> {
    const body = {
      reason,
      ...(detail ? { detail: detail.slice(0, 500) } : {}),
      ...(reference ? { reference } : {}),
    };
    return this.post(
      'release',
      `claims/${encodeURIComponent(claimId)}/release`,
      body,
      idempotencyKey,
      releaseAnswerSchema,
    );
  }

  /** `POST /kiosks/{id}/heartbeat`. */
  heartbeat(body: HeartbeatBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(
      'heartbeat',
      `kiosks/${encodeURIComponent(this.opts.kioskId)}/heartbeat`,
      body,
      idempotencyKey,
    );
  }

  /** `POST /kiosks/{id}/handoffs` (1.1), as the outbox sends it: 201 is `ack`. */
  handoff(body: HandoffBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(
      'handoff',
      `kiosks/${encodeURIComponent(this.opts.kioskId)}/handoffs`,
      body,
      idempotencyKey,
    );
  }

  /** `POST /kiosks/{id}/assistance-requests` (1.1), as the outbox sends it: 201 is `ack`. */
  requestAssistance(body: AssistanceRequestBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(
      'assistance',
      `kiosks/${encodeURIComponent(this.opts.kioskId)}/assistance-requests`,
      body,
      idempotencyKey,
    );
  }

  /** `POST /feedback`. */
  feedback(body: FeedbackBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post('feedback', 'feedback', body, idempotencyKey);
  }

  /** A fresh Idempotency-Key. */
  static newKey(): string {
    return randomUUID();
  }

  private async post(
    name: OperationName,
    path: string,
    body: unknown,
    key: string,
    schema?: ContractSchema<unknown>,
  ): Promise<PostOutcome> {
    const r = await this.attempt((signal) => this.call(name, 'post', path, body, schema, signal, key));
    if (r.ok) return { kind: 'ack', status: 200, body: r.value };
    return r.error;
  }

  private async call<T>(
    name: OperationName,
    method: 'get' | 'post',
    path: string,
    body: unknown,
    schema: ContractSchema<T> | undefined,
    signal: AbortSignal,
    idempotencyKey?: string,
  ): Promise<Result<T, ApiFailure>> {
    const res = await this.http(path, {
      method,
      signal,
      ...(body === undefined ? {} : { json: body }),
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });
    return readAnswer(res, schema, `${method.toUpperCase()} ${path}`, operationOf(name));
  }

  /**
   * One attempt under one deadline, from the request to the last byte of the answer: the timer aborts
   * the fetch and the reading of its body alike, and whatever was read by then is thrown away as a
   * timeout. Nothing the network does escapes as an exception.
   */
  private async attempt<T>(
    run: (signal: AbortSignal) => Promise<Result<T, ApiFailure>>,
  ): Promise<Result<T, ApiFailure>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.opts.timeoutMs);
    try {
      const r = await run(deadline.signal);
      return deadline.signal.aborted ? err({ kind: 'unavailable', detail: 'timeout' }) : r;
    } catch (e) {
      if (deadline.signal.aborted) return err({ kind: 'unavailable', detail: 'timeout' });
      // A fetch may reject with anything (null, a string): only an Error has a message to pass on.
      return err({
        kind: 'unavailable',
        detail: `connection: ${(e instanceof Error && e.message) || 'failed'}`,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** One more try after a timeout, a 5xx or a broken connection (kiosk-runtime.md). */
  private async twice<T>(
    run: (signal: AbortSignal) => Promise<Result<T, ApiFailure>>,
  ): Promise<Result<T, ApiFailure>> {
    const first = await this.attempt(run);
    if (first.ok || first.error.kind !== 'unavailable') return first;
    return this.attempt(run);
  }
}
