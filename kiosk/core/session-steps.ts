import { createHash, randomUUID } from 'node:crypto';
import { pageCount } from '../../drivers/paper-printer/page-count.ts';
import { maskNik } from '../audit/mask.ts';
import { cardDocumentSchema } from '../central-api/schemas.ts';
import { checkCardText } from '../documents/card/index.ts';
import {
  type Capabilities,
  decideApplication,
  decideClaimFailure,
  decideLoginFailure,
  decideLookupFailure,
  decidePinFailure,
} from '../flow/decide.ts';
import type {
  ClaimDecision,
  CodeDecision,
  LoginDecision,
  LookupDecision,
  PinDecision,
} from '../flow/machine.ts';
import type { FetchedDocument, SessionData, SessionSource } from '../flow/session-data.ts';
import { verifyCode } from '../print-code/verify.ts';
import type { ErrorReason } from '../view.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { SessionRecord } from './session-record.ts';
import type { Settlement } from './settlement.ts';

/** What the steps need to know of the devices right now. */
export interface DeviceCheck {
  /** Re-reads the devices (before a claim: nothing is claimed that cannot be finished). */
  refresh(): Promise<void>;
  capabilities(): Capabilities;
}

/**
 * The session's steps before printing (kiosk-runtime.md path steps 1 to 5): the code check, the lookup,
 * the PIN, the claim and the download of every document with its checks. Each returns the flow's
 * decision and writes what it learned into the session record (held in the flow machine's context).
 */
export class SessionSteps {
  constructor(
    private readonly deps: KioskCoreDeps,
    private readonly record: SessionRecord,
    private readonly settlement: Settlement,
    private readonly devices: DeviceCheck,
  ) {}

  async checkCode(text: string, s: SessionData | undefined): Promise<CodeDecision> {
    const r = await verifyCode(text, {
      kind: 'print',
      issuerKeys: this.deps.config.qr.issuerKeys,
      regionCode: this.deps.config.regionCode,
      now: this.deps.clock.now(),
    });
    if (!r.ok) {
      if (s) this.record.refused(s, r.error);
      return { next: 'error', reason: r.error };
    }
    if (s) s.codeService = r.value.service;
    return { next: 'lookup', applicationNo: r.value.applicationNo };
  }

  async lookUp(
    applicationNo: string,
    source: SessionSource,
    s: SessionData | undefined,
  ): Promise<LookupDecision> {
    const r = await this.deps.api.getApplication(applicationNo);
    if (!r.ok) {
      const d = decideLookupFailure(r.error);
      if (d.next === 'error' && s)
        this.record.refused(s, d.reason, r.error.kind !== 'refused' ? r.error.detail : undefined);
      return d;
    }
    const app = r.value;
    if (s) {
      s.application = app;
      this.record.step(s, {
        step: 'looked-up',
        applicationNo: app.applicationNo,
        service: app.service,
        nikMasked: maskNik(app.subject.nik),
        documents: app.documents.map((d) => ({
          documentId: d.documentId,
          medium: d.medium,
          ...(d.pages ? { pages: d.pages } : {}),
        })),
      });
    }
    const d = decideApplication(app, {
      codeService: s?.codeService,
      regionCode: this.deps.config.regionCode,
      source,
      capabilities: this.devices.capabilities(),
    });
    if (d.next === 'error' && s) this.record.refused(s, d.reason);
    return d;
  }

  async checkPin(applicationNo: string, pin: string, s: SessionData | undefined): Promise<PinDecision> {
    const r = await this.deps.api.verifyPin(applicationNo, pin, randomUUID());
    if (r.ok) {
      if (s) s.pinProof = r.value.pinProof;
      return { next: 'claim', pinProof: r.value.pinProof };
    }
    const d = decidePinFailure(r.error);
    if (d.next === 'error' && s) this.record.refused(s, d.reason);
    return d;
  }

  /**
   * A resident's sign-in (1.1): the NIK typed on `nik-entry` and the login PIN. A new Idempotency-Key per
   * try (each is a new request). The NIK, the proof and the list stay in the session record only.
   */
  async logIn(pin: string, s: SessionData | undefined): Promise<LoginDecision> {
    const nik = s?.resident?.nik;
    if (!s || !nik) return { next: 'error', reason: 'service-unavailable' };
    const r = await this.deps.api.login(nik, pin, randomUUID());
    if (!r.ok) {
      const d = decideLoginFailure(r.error);
      if (d.next === 'error')
        this.record.refused(s, d.reason, r.error.kind !== 'refused' ? r.error.detail : undefined);
      return d;
    }
    s.resident = {
      nik,
      name: r.value.resident.name,
      residentProof: r.value.residentProof,
      applications: r.value.applications,
    };
    return { next: 'choose' };
  }

  async claimAndFetch(applicationNo: string, s: SessionData | undefined): Promise<ClaimDecision> {
    const app = s?.application;
    if (!s || !app) return { next: 'error', reason: 'service-unavailable', canRetry: true };
    // The devices may have failed since the lookup: nothing is claimed that cannot be finished.
    await this.devices.refresh();
    const again = decideApplication(app, {
      regionCode: this.deps.config.regionCode,
      source: s.source,
      capabilities: this.devices.capabilities(),
    });
    if (again.next === 'error') {
      this.record.refused(s, again.reason);
      return again;
    }
    // The intent is journaled before the request: a crash before the answer is recorded leaves a claim
    // that recovery learns by repeating this request with the same key, and releases.
    const idempotencyKey = randomUUID();
    this.record.step(s, {
      step: 'claim-intent',
      applicationNo,
      idempotencyKey,
      ...(s.pinProof ? { pinProof: s.pinProof } : {}),
      ...(s.resident?.residentProof ? { residentProof: s.resident.residentProof } : {}),
    });
    const residentProof = s.resident?.residentProof;
    const claim = await this.deps.api.claim(applicationNo, s.pinProof, idempotencyKey, residentProof);
    if (!claim.ok) {
      const d = decideClaimFailure(claim.error, residentProof !== undefined);
      if (d.next === 'error') this.record.refused(s, d.reason);
      return d;
    }
    s.claim = claim.value;
    // A retry after a released claim (a failed download) works on a new claim: it must be settled again.
    s.settled = false;
    this.record.step(s, {
      step: 'claimed',
      claimId: claim.value.claimId,
      leaseExpiresAt: claim.value.leaseExpiresAt,
    });
    const docs: FetchedDocument[] = [];
    for (const doc of app.documents) {
      const bytes = await this.deps.api.getDocument(doc.documentId, claim.value.claimId);
      if (!bytes.ok) {
        this.settlement.releaseSession(s, 'INTERRUPTED', `download failed: ${bytes.error.kind}`);
        // A 401 is the kiosk's credentials, not the document: service-unavailable, as for a lookup.
        const reason: ErrorReason =
          bytes.error.kind === 'refused' && bytes.error.status !== 401
            ? 'document-invalid'
            : 'service-unavailable';
        this.record.refused(s, reason);
        return { next: 'error', reason, canRetry: reason === 'service-unavailable' };
      }
      const checked = await this.checkDocument(doc, bytes.value);
      if (!checked) {
        this.settlement.releaseSession(s, 'DOCUMENT_INVALID', `document ${doc.documentId} failed its check`);
        this.record.refused(s, 'document-invalid');
        return { next: 'error', reason: 'document-invalid' };
      }
      docs.push(checked);
    }
    s.documents = docs;
    this.record.step(s, { step: 'downloaded' });
    this.deps.metrics?.stepEnd('scan_to_confirm');
    return { next: 'confirm' };
  }

  /** The SHA-256, then the card's shape (rendered for print and, masked, for the screen) or the PDF's pages. */
  private async checkDocument(
    doc: FetchedDocument['doc'],
    bytes: Uint8Array,
  ): Promise<FetchedDocument | undefined> {
    if (createHash('sha256').update(bytes).digest('hex') !== doc.sha256) return undefined;
    const previewId = randomUUID();
    if (doc.medium === 'CARD') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        return undefined;
      }
      const card = cardDocumentSchema.safeParse(parsed);
      if (!card.success || (doc.template && card.data.template !== doc.template)) return undefined;
      const render = this.deps.devices.renderCard;
      if (!render) return undefined;
      const data = card.data as Parameters<typeof render>[0];
      // A name or address the card cannot carry (a character its font lacks, too long even wrapped and
      // smaller) is not printed badly: the applicant is sent to the counter with the problems recorded.
      const text = checkCardText(data);
      if (!text.ok) {
        this.deps.incidents?.record({ kind: 'card-text', detail: { problems: text.error } });
        return undefined;
      }
      // The card prints as issued; the picture on screen masks the identity numbers (a passer-by may see it).
      const [rendered, masked] = await Promise.all([render(data), render(maskCardNumbers(data))]);
      return { doc, bytes, card: rendered, previewId, preview: masked.previewPng };
    }
    const pages = await pageCount(bytes);
    if (!pages.ok || pages.value !== doc.pages) return undefined;
    const preview = await this.deps.devices.renderPdfPreview?.(bytes).catch(() => undefined);
    return { doc, bytes, previewId, ...(preview ? { preview } : {}) };
  }
}

/** The NIK and the KK number (KIA) masked as the confirm screen shows them: first 6 and last 4 digits. */
function maskCardNumbers<T extends { fields: Record<string, string> }>(doc: T): T {
  const fields = { ...doc.fields };
  for (const key of ['nik', 'noKk']) if (fields[key]) fields[key] = maskNik(fields[key]);
  return { ...doc, fields };
}
