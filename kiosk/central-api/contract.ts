import { knownServicesOfContract } from './openapi.ts';

/**
 * Names and patterns fixed by central-api.yaml, shared by the client, the simulator and the code
 * verifier so that each is spelt once.
 */
/**
 * The Services this kiosk knows: the contract's list (1.1: 24), read from `central-api.yaml` itself so
 * it is spelt once. The service catalogue (`kiosk/documents/`) names each of them; its test keeps the
 * two in step.
 */
export const SERVICES: readonly string[] = knownServicesOfContract();

/**
 * A Service: any string of `SERVICE_PATTERN`. Not a closed union on purpose (central-api.yaml 1.1: the
 * list grows; a kiosk accepts services it does not know and prints them by their documents' media).
 */
export type Service = string;

/** Any Service string (central-api.yaml 1.1). */
export const SERVICE_PATTERN = /^[A-Z0-9_]{1,40}$/;

/** Whether the contract (and so the service catalogue) knows this service. */
export function isKnownService(service: string): boolean {
  return SERVICES.includes(service);
}

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
  'NOT_REGISTERED',
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

/** A residentProof is valid 15 minutes (1.1). */
export const RESIDENT_PROOF_TTL_MS = 15 * 60 * 1000;
/** An assistance request stays open 5 minutes: no second one from the kiosk meanwhile (1.1). */
export const ASSISTANCE_OPEN_MS = 5 * 60 * 1000;
/** `SessionReference` (1.1): two groups of 4 Crockford base32 characters, e.g. `K7Q2-9XMD`. */
export const SESSION_REFERENCE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
/** A NIK: 16 digits. */
export const NIK_PATTERN = /^[0-9]{16}$/;
