import { knownServicesOfContract } from '../central-api/openapi.ts';
import { ERROR_REASONS } from '../view.ts';

/**
 * The closed sets every label value is drawn from. A label value outside its set becomes `other`, so
 * nothing a caller passes by mistake (a name, a NIK, an application number) can reach the exposition:
 * the contract lets any `^[A-Z0-9_]{1,40}$` string be a Service, and a 16-digit NIK fits that pattern,
 * so only the Services the contract lists by name are labels of their own.
 */
export const OTHER = 'other';

export const SERVICES: readonly string[] = knownServicesOfContract();
export const MEDIA = ['CARD', 'A4'] as const;
export const KIOSK_STATES = ['IN_SERVICE', 'OUT_OF_SERVICE', 'MAINTENANCE'] as const;
export const DEVICES = ['card_printer', 'paper_printer', 'scanner'] as const;
export const SUPPLIES = ['blank_cards', 'ribbon_panels', 'paper_sheets'] as const;
export const OUTCOMES = ['printed', 'partial', 'refused', 'cancelled', 'timeout', 'failed'] as const;
/** The error screen's reasons (kiosk-runtime.md), 1.1's `not-registered` included. */
export const REFUSAL_REASONS: readonly string[] = [...ERROR_REASONS, 'not-registered'];
/** Hand-off reasons: an error screen's reason, `incomplete`, `card-not-taken` (central-api.yaml). */
export const HANDOFF_REASONS: readonly string[] = [...REFUSAL_REASONS, 'incomplete', 'card-not-taken'];
export const STEPS = ['scan_to_confirm', 'confirm_to_print_start', 'print_end_to_collect'] as const;
export const ROUTES = [
  'lookup',
  'login',
  'pin',
  'claim',
  'document',
  'complete',
  'release',
  'heartbeat',
  'feedback',
  'handoff',
  'assistance',
] as const;
/**
 * Device states as the heartbeat names them: the card printer's states (card-printer.md), the paper
 * printer's and the scanner's, and UNKNOWN before the first answer. Upper-case words only.
 */
const DEVICE_STATE = /^[A-Z][A-Z_]{0,31}$/;

export type Outcome = (typeof OUTCOMES)[number];
export type Route = (typeof ROUTES)[number];
export type Step = (typeof STEPS)[number];
export type KioskState = (typeof KIOSK_STATES)[number];
export type DeviceName = (typeof DEVICES)[number];
export type SupplyName = (typeof SUPPLIES)[number];

/** `value` when it is one of `allowed`, else `other`. */
export function oneOf(value: unknown, allowed: readonly string[]): string {
  return typeof value === 'string' && allowed.includes(value) ? value : OTHER;
}

/** A device state name, or `other` for anything that is not a short upper-case word. */
export function deviceState(value: unknown): string {
  return typeof value === 'string' && DEVICE_STATE.test(value) ? value : OTHER;
}

/** An HTTP status (100 to 599), `timeout` or `network`. */
export function httpStatus(value: unknown): string {
  if (value === 'timeout' || value === 'network') return value;
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
    ? String(value)
    : OTHER;
}
