import { z } from 'zod';
import {
  MAINTENANCE_EXPORTS,
  MAINTENANCE_SECTIONS,
  MAX_COUNT,
  MAX_NOTE,
  type MaintenanceIntent,
  TECHNICIAN_PIN,
} from '../maintenance/intents.ts';
import type { Intent } from '../view.ts';

/** Longest text a scanner or keyboard can send; a QR print code is far shorter. */
const MAX_TEXT = 4096;

/** An application number as the contract spells it: 6 to 40 characters of digits, capitals and hyphens. */
const APPLICATION_NO = /^[0-9A-Z-]{6,40}$/;

const count = z.number().int().min(1).max(MAX_COUNT);
const note = z.string().trim().min(1).max(MAX_NOTE);
/** A counted difference: never 0, at most a few feeders' worth either way, with its reason. */
const correction = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-MAX_COUNT)
    .max(MAX_COUNT)
    .refine((n) => n !== 0),
  reason: note,
});

/** One maintenance action with no arguments. */
function bare<A extends string>(action: A) {
  return z.strictObject({ type: z.literal('maintenance'), action: z.literal(action) });
}

/** One maintenance action with its arguments. */
function withArgs<A extends string, S extends z.ZodType>(action: A, args: S) {
  return z.strictObject({ type: z.literal('maintenance'), action: z.literal(action), args });
}

const maintenanceIntentSchema = z.discriminatedUnion('action', [
  bare('enter'),
  withArgs('badge', z.strictObject({ token: z.string().min(1).max(MAX_TEXT) })),
  withArgs('pin', z.strictObject({ pin: z.string().regex(TECHNICIAN_PIN) })),
  bare('exit'),
  withArgs('navigate', z.strictObject({ to: z.enum(MAINTENANCE_SECTIONS) })),
  bare('refresh'),
  bare('clear-assistance'),
  bare('test-print-card'),
  bare('test-print-a4'),
  bare('test-print-both'),
  bare('head-cleaned'),
  bare('clear-fault'),
  bare('reset-card-printer'),
  withArgs('load-cards', z.strictObject({ count })),
  withArgs('load-paper', z.strictObject({ count })),
  withArgs('remove-cards', z.strictObject({ count, reason: note })),
  withArgs('remove-paper', z.strictObject({ count, reason: note })),
  withArgs('correct-cards', correction),
  withArgs('correct-paper', correction),
  bare('reconcile'),
  bare('set-baseline'),
  bare('send-now'),
  withArgs('resolve-incident', z.strictObject({ id: z.number().int().positive(), note })),
  withArgs('out-of-service', z.strictObject({ on: z.boolean() })),
  bare('verify-audit'),
  withArgs('report-day', z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
  withArgs(
    'export',
    z.strictObject({
      what: z.enum(MAINTENANCE_EXPORTS),
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    }),
  ),
  bare('restart'),
]);

// The schema and the hand-written union must describe the same intents: each fails to compile otherwise.
type Parsed = z.infer<typeof maintenanceIntentSchema>;
const sameShape: [Parsed] extends [MaintenanceIntent]
  ? [MaintenanceIntent] extends [Parsed]
    ? true
    : false
  : false = true;
void sameShape;

const intentSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('scan'),
    text: z.string().min(1).max(MAX_TEXT),
    source: z.literal('keyboard').optional(),
  }),
  z.strictObject({ type: z.literal('manual-entry') }),
  z.strictObject({ type: z.literal('nik-login') }),
  z.strictObject({ type: z.literal('nik'), nik: z.string().regex(/^[0-9]{16}$/) }),
  z.strictObject({ type: z.literal('choose'), applicationNo: z.string().regex(APPLICATION_NO) }),
  z.strictObject({ type: z.literal('application-no'), applicationNo: z.string().regex(APPLICATION_NO) }),
  z.strictObject({ type: z.literal('pin'), pin: z.string().regex(/^[0-9]{6}$/) }),
  z.strictObject({ type: z.literal('confirm') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('retry') }),
  z.strictObject({ type: z.literal('home') }),
  z.strictObject({ type: z.literal('info') }),
  z.strictObject({ type: z.literal('language'), locale: z.enum(['id', 'en']) }),
  z.strictObject({ type: z.literal('audio') }),
  z.strictObject({ type: z.literal('volume'), step: z.union([z.literal(1), z.literal(-1)]) }),
  z.strictObject({ type: z.literal('text-size') }),
  z.strictObject({ type: z.literal('call-staff') }),
  z.strictObject({
    type: z.literal('rating'),
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }),
  z.strictObject({ type: z.literal('skip') }),
  z.strictObject({ type: z.literal('touch') }),
  z.strictObject({
    type: z.literal('camera'),
    available: z.boolean(),
    detail: z.string().max(200).optional(),
  }),
  maintenanceIntentSchema,
]);

/**
 * An intent from the UI (Electron renderer or browser page), or undefined when it is malformed. The renderer is not trusted: a
 * compromised page must not be able to hand the core anything an honest UI could not.
 */
export function parseIntent(raw: unknown): Intent | undefined {
  const parsed = intentSchema.safeParse(raw);
  return parsed.success ? (parsed.data as Intent) : undefined;
}

/** A maintenance intent, or undefined when it is not one the menu can send. */
export function parseMaintenanceIntent(raw: unknown): MaintenanceIntent | undefined {
  const parsed = maintenanceIntentSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
