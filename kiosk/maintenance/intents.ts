/**
 * Everything the maintenance menu sends the core, with its arguments. The hosts validate it at the
 * boundary (`kiosk/hosts/intent-schema.ts`) like the applicant's intents; the controller switches on
 * `action` and the type checker knows each one's `args`.
 */

/** The sections a technician can open from the home menu (`navigate` with `to`). */
export const MAINTENANCE_SECTIONS = [
  'home',
  'checklist',
  'devices',
  'ledger',
  'incidents',
  'outbox',
  'log',
  'config',
  'report',
] as const;
export type MaintenanceSection = (typeof MAINTENANCE_SECTIONS)[number];

/** What a technician can export to the USB stick. */
export const MAINTENANCE_EXPORTS = ['report-csv', 'report-pdf', 'reconciliation-csv', 'log-csv'] as const;
export type MaintenanceExport = (typeof MAINTENANCE_EXPORTS)[number];

/** The largest count a technician can type for one load or removal (a few feeders' worth). */
export const MAX_COUNT = 10_000;
/** Longest reason or note a technician can type. */
export const MAX_NOTE = 200;
/** A technician PIN: at least 6 digits. */
export const TECHNICIAN_PIN = /^[0-9]{6,12}$/;

type M<A extends string, Args = undefined> = Args extends undefined
  ? { type: 'maintenance'; action: A }
  : { type: 'maintenance'; action: A; args: Args };

/** One intent of the maintenance menu. */
export type MaintenanceIntent =
  /** The hidden corner: opens the badge prompt (or waits for an applicant to finish). */
  | M<'enter'>
  /** A scanned technician badge (the core also sends this for a badge read by any scanner). */
  | M<'badge', { token: string }>
  | M<'pin', { pin: string }>
  /** Leaves maintenance (logs out, or closes the prompt). */
  | M<'exit'>
  | M<'navigate', { to: MaintenanceSection }>
  /** Re-reads what the current screen shows ("Check again"). */
  | M<'refresh'>
  | M<'test-print-card'>
  | M<'test-print-a4'>
  /** The checklist's one touch: a test card and a test page, both booked as test prints. */
  | M<'test-print-both'>
  /** The technician cleaned the card printer's head (the checklist counts cards from here). */
  | M<'head-cleaned'>
  /** The technician came to the applicant who called for staff: the call is closed. */
  | M<'clear-assistance'>
  | M<'clear-fault'>
  | M<'reset-card-printer'>
  | M<'load-cards', { count: number }>
  | M<'load-paper', { count: number }>
  | M<'remove-cards', { count: number; reason: string }>
  | M<'remove-paper', { count: number; reason: string }>
  | M<'correct-cards', { delta: number; reason: string }>
  | M<'correct-paper', { delta: number; reason: string }>
  | M<'reconcile'>
  | M<'set-baseline'>
  | M<'send-now'>
  | M<'resolve-incident', { id: number; note: string }>
  | M<'out-of-service', { on: boolean }>
  | M<'verify-audit'>
  /** `day` is `YYYY-MM-DD` in the kiosk's time zone. */
  | M<'report-day', { day: string }>
  | M<'export', { what: MaintenanceExport; day?: string }>
  | M<'restart'>;

/** The action names, for the UI and the tests. */
export type MaintenanceAction = MaintenanceIntent['action'];
