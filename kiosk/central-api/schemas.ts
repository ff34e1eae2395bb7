import type { CardDocument } from '../../drivers/card-printer/types.ts';
import type { ApplicationStatus, Service } from './contract.ts';
import { type CompiledSchema, type Operation, operation, responseFor, schemaAt } from './openapi.ts';

/**
 * The answers of central-api.yaml as checks compiled from the contract's own schemas (openapi.ts):
 * every answer is checked against the schema the contract lists for its operation and status before
 * the flow sees it, and a breach is a `malformed` failure, never a crash further down. The TypeScript
 * types below only name what the kiosk reads; the checks are the contract's.
 */
export interface ContractSchema<T> {
  /** The contract's schema for this answer, plus the kiosk's own needs where it has any. */
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/**
 * An answer schema of one operation: `status` picks the listed response, `media` its content type.
 * `extra` adds what the kiosk needs beyond the contract (it cannot print an A4 document without its
 * page count): it answers a message for a value it cannot use.
 */
function answerSchema<T>(
  opId: string,
  status: number,
  media = 'application/json',
  extra?: (value: T) => string | undefined,
): ContractSchema<T> {
  const op = operation(opId);
  const pointer = responseFor(op, status)?.content[media];
  if (!pointer) throw new Error(`central-api.yaml: ${opId} lists no ${status} ${media} answer`);
  return fromCompiled(schemaAt(pointer), extra);
}

function fromCompiled<T>(
  schema: CompiledSchema,
  extra?: (value: T) => string | undefined,
): ContractSchema<T> {
  return {
    safeParse(value) {
      const breach = schema.check(value) ?? extra?.(value as T);
      return breach === undefined
        ? { success: true, data: value as T }
        : { success: false, error: { message: breach } };
    },
  };
}

/** One document of an application (`Document`). */
export interface ApplicationDocument {
  documentId: string;
  medium: 'CARD' | 'A4';
  template?: 'KTP_EL' | 'KIA';
  pages?: number;
  sha256: string;
}

/** `Application`. Its `service` may be one this kiosk does not know (the list grows). */
export interface Application {
  applicationNo: string;
  service: Service;
  status: ApplicationStatus;
  stage?: string;
  regionCode: string;
  selfPrint: boolean;
  pinRequired: boolean;
  subject: { nik: string; name: string };
  documents: ApplicationDocument[];
  updatedAt: string;
}

export interface Claim {
  claimId: string;
  applicationNo: string;
  leaseExpiresAt: string;
}

export interface PinProof {
  pinProof: string;
  expiresAt: string;
}

/** The answer of `POST /residents/{nik}/logins` (1.1): the proof, the resident and their applications. */
export interface ResidentLogin {
  /** Valid 15 minutes, bound to this NIK and kiosk; sent with the claim of an application chosen. */
  residentProof: string;
  expiresAt: string;
  resident: { nik: string; name: string };
  /** Newest first, at most 20, in any status and region. */
  applications: Application[];
}

/** `CardDocument`: the card printer's own type, the one its renderer takes. */
export type CardDocumentBody = CardDocument;

export interface ApiError {
  code: string;
  message: string;
  attemptsLeft?: number;
}

/** The most pages one A4 document may announce: a bound on what the kiosk spools, not the contract's. */
const MAX_PAGES = 500;

/** What the kiosk needs of a document to print it: pages for A4 (the contract's "A4: required"), a template for a card. */
function printable(app: Application): string | undefined {
  for (const [i, d] of app.documents.entries()) {
    if (d.medium === 'A4' && d.pages === undefined) return `documents.${i}.pages: is required for A4`;
    if (d.medium === 'A4' && (d.pages ?? 0) > MAX_PAGES)
      return `documents.${i}.pages: more than ${MAX_PAGES}`;
    if (d.medium === 'CARD' && d.template === undefined)
      return `documents.${i}.template: is required for CARD`;
  }
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The contract marks the images `contentEncoding: base64`, an annotation only: the kiosk checks it. */
function base64Images(card: CardDocumentBody): string | undefined {
  if (card.photo && !BASE64.test(card.photo.data)) return 'photo.data: is not base64';
  if (card.signature && !BASE64.test(card.signature.data)) return 'signature.data: is not base64';
  return undefined;
}

export const OP = {
  lookup: 'GET /applications/{applicationNo}',
  pin: 'POST /applications/{applicationNo}/pin-verifications',
  login: 'POST /residents/{nik}/logins',
  claim: 'POST /applications/{applicationNo}/claims',
  document: 'GET /documents/{documentId}',
  complete: 'POST /claims/{claimId}/complete',
  release: 'POST /claims/{claimId}/release',
  heartbeat: 'POST /kiosks/{kioskId}/heartbeat',
  handoff: 'POST /kiosks/{kioskId}/handoffs',
  assistance: 'POST /kiosks/{kioskId}/assistance-requests',
  feedback: 'POST /feedback',
} as const;
export type OperationName = keyof typeof OP;

/** The contract's operation behind a client call. */
export function operationOf(name: OperationName): Operation {
  return operation(OP[name]);
}

export const applicationSchema = answerSchema<Application>(OP.lookup, 200, 'application/json', printable);
export const pinProofSchema = answerSchema<PinProof>(OP.pin, 200);
export const residentLoginSchema = answerSchema<ResidentLogin>(OP.login, 200);
export const claimSchema = answerSchema<Claim>(OP.claim, 201);
export const completeAnswerSchema = answerSchema<{ applicationNo: string; status: 'PRINTED' }>(
  OP.complete,
  200,
);
export const releaseAnswerSchema = answerSchema<{ applicationNo: string; status: ApplicationStatus }>(
  OP.release,
  200,
);
export const cardDocumentSchema = answerSchema<CardDocumentBody>(
  OP.document,
  200,
  'application/vnd.adm.card+json',
  base64Images,
);
export const errorSchema = fromCompiled<ApiError>(schemaAt('/components/schemas/Error'));
