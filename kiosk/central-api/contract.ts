/**
 * Names and patterns fixed by central-api.yaml, shared by the client, the simulator and the code
 * verifier so that each is spelt once.
 */
export const SERVICES = [
  'KTP_EL',
  'KIA',
  'KK',
  'AKTA_KELAHIRAN',
  'AKTA_KEMATIAN',
  'AKTA_PERKAWINAN',
  'AKTA_PERCERAIAN',
  'SURAT_PINDAH',
  'BIODATA',
] as const;
export type Service = (typeof SERVICES)[number];

/**
 * Any Service string (central-api.yaml 1.1: the list grows; a kiosk accepts services it does not know and
 * prints them by their documents' media).
 */
export const SERVICE_PATTERN = /^[A-Z0-9_]{1,40}$/;

export const APPLICATION_STATUSES = ['IN_PROCESS', 'READY', 'PRINTED', 'REJECTED', 'CANCELLED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const RELEASE_REASONS = [
  'CANCELLED_BY_APPLICANT',
  'TIMEOUT',
  'DEVICE_FAULT',
  'OUT_OF_SUPPLIES',
  'DOCUMENT_INVALID',
  'INTERRUPTED',
] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

export const ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN_REGION',
  'NOT_FOUND',
  'PIN_WRONG',
  'PIN_LOCKED',
  'PIN_REQUIRED',
  'ALREADY_PRINTED',
  'CLAIMED_ELSEWHERE',
  'NOT_READY',
  'NOT_SELF_PRINT',
  'NO_LIVE_CLAIM',
  'CLAIM_LOST',
  'BAD_REQUEST',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof ERROR_CODES)[number];

/** `ApplicationNo` path parameter pattern. */
export const APPLICATION_NO_PATTERN = /^[A-Z0-9][A-Z0-9-]{5,39}$/;

/** A lease lasts 15 minutes. */
export const CLAIM_LEASE_MS = 15 * 60 * 1000;
/** A pinProof is valid 15 minutes. */
export const PIN_PROOF_TTL_MS = 15 * 60 * 1000;
/** The third wrong PIN in a row locks the application. */
export const PIN_MAX_ATTEMPTS = 3;

/** The media of each service: KTP-el and KIA are cards, the rest A4. */
export function mediumOf(service: Service): 'CARD' | 'A4' {
  return service === 'KTP_EL' || service === 'KIA' ? 'CARD' : 'A4';
}
