import { randomUUID } from 'node:crypto';
import ky, { type KyInstance, TimeoutError } from 'ky';
import type { z } from 'zod';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { type ApiFailure, readAnswer, readFailure } from './answer.ts';
import type { ReleaseReason, Service } from './contract.ts';
import {
  type Application,
  applicationSchema,
  type Claim,
  claimSchema,
  completeAnswerSchema,
  type PinProof,
  pinProofSchema,
  releaseAnswerSchema,
} from './schemas.ts';

export type { ApiFailure } from './answer.ts';

export interface CentralApiOptions {
  baseUrl: string;
  token: string;
  kioskId: string;
  /** Bounds one attempt. */
  timeoutMs: number;
  /** For tests and the simulator image: a fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface CompleteBody {
  printedAt: string;
  cardsPrinted?: number;
  pagesPrinted?: number;
  cardPrinterSerial?: string;
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
      timeout: opts.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
      headers: { authorization: `Bearer ${opts.token}`, 'x-kiosk-id': opts.kioskId },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  /** `GET /applications/{no}`; tried once more on timeout, 5xx or a broken connection. */
  getApplication(applicationNo: string): Promise<Result<Application, ApiFailure>> {
    return this.twice(() =>
      this.call('get', `applications/${encodeURIComponent(applicationNo)}`, undefined, applicationSchema),
    );
  }

  /** `POST /applications/{no}/pin-verifications`. A wrong PIN is `refused` with `attemptsLeft`. */
  verifyPin(
    applicationNo: string,
    pin: string,
    idempotencyKey: string,
  ): Promise<Result<PinProof, ApiFailure>> {
    return this.twice(() =>
      this.call(
        'post',
        `applications/${encodeURIComponent(applicationNo)}/pin-verifications`,
        { pin },
        pinProofSchema,
        idempotencyKey,
      ),
    );
  }

  /** `POST /applications/{no}/claims` (201 new, 200 this kiosk's live claim again). */
  claim(
    applicationNo: string,
    pinProof: string | undefined,
    idempotencyKey: string,
  ): Promise<Result<Claim, ApiFailure>> {
    const body = pinProof ? { kioskId: this.opts.kioskId, pinProof } : { kioskId: this.opts.kioskId };
    return this.twice(() =>
      this.call(
        'post',
        `applications/${encodeURIComponent(applicationNo)}/claims`,
        body,
        claimSchema,
        idempotencyKey,
      ),
    );
  }

  /** `GET /documents/{id}` with the claim: the raw bytes, whose SHA-256 the caller checks. */
  getDocument(documentId: string, claimId: string): Promise<Result<Uint8Array, ApiFailure>> {
    return this.twice(async () => {
      const r = await this.send(() =>
        this.http.get(`documents/${encodeURIComponent(documentId)}`, { headers: { 'x-claim-id': claimId } }),
      );
      if (!r.ok) return r;
      const res = r.value;
      if (res.ok) return ok(new Uint8Array(await res.arrayBuffer()));
      return err(await readFailure(res));
    });
  }

  /** `POST /claims/{id}/complete`, as the outbox sends it. */
  complete(claimId: string, body: CompleteBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(
      `claims/${encodeURIComponent(claimId)}/complete`,
      body,
      idempotencyKey,
      completeAnswerSchema,
    );
  }

  /** `POST /claims/{id}/release`, as the outbox sends it. */
  release(
    claimId: string,
    reason: ReleaseReason,
    detail: string | undefined,
    idempotencyKey: string,
  ): Promise<PostOutcome> {
    const body = detail ? { reason, detail: detail.slice(0, 500) } : { reason };
    return this.post(
      `claims/${encodeURIComponent(claimId)}/release`,
      body,
      idempotencyKey,
      releaseAnswerSchema,
    );
  }

  /** `POST /kiosks/{id}/heartbeat`. */
  heartbeat(body: HeartbeatBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post(`kiosks/${encodeURIComponent(this.opts.kioskId)}/heartbeat`, body, idempotencyKey);
  }

  /** `POST /feedback`. */
  feedback(body: FeedbackBody, idempotencyKey: string): Promise<PostOutcome> {
    return this.post('feedback', body, idempotencyKey);
  }

  /** A fresh Idempotency-Key. */
  static newKey(): string {
    return randomUUID();
  }

  private async post(path: string, body: unknown, key: string, schema?: z.ZodType): Promise<PostOutcome> {
    const r = await this.call('post', path, body, schema, key);
    if (r.ok) return { kind: 'ack', status: 200, body: r.value };
    return r.error;
  }

  private async call<T>(
    method: 'get' | 'post',
    path: string,
    body: unknown,
    schema: z.ZodType<T> | undefined,
    idempotencyKey?: string,
  ): Promise<Result<T, ApiFailure>> {
    const r = await this.send(() =>
      this.http(path, {
        method,
        ...(body === undefined ? {} : { json: body }),
        ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
      }),
    );
    if (!r.ok) return r;
    return readAnswer(r.value, schema, `${method.toUpperCase()} ${path}`);
  }

  private async send(run: () => Promise<Response>): Promise<Result<Response, ApiFailure>> {
    try {
      return ok(await run());
    } catch (e) {
      if (e instanceof TimeoutError) return err({ kind: 'unavailable', detail: 'timeout' });
      // A fetch may reject with anything (null, a string): only an Error has a message to pass on.
      return err({
        kind: 'unavailable',
        detail: `connection: ${(e instanceof Error && e.message) || 'failed'}`,
      });
    }
  }

  /** One more try after a timeout, a 5xx or a broken connection (kiosk-runtime.md). */
  private async twice<T>(attempt: () => Promise<Result<T, ApiFailure>>): Promise<Result<T, ApiFailure>> {
    const first = await attempt();
    if (first.ok || first.error.kind !== 'unavailable') return first;
    return attempt();
  }
}
