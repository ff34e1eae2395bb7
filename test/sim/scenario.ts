import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { ERROR_REASONS } from '../../kiosk/view.ts';

/** Card printer faults the simulator can have, plus a printer that stops answering or answers noise. */
export const CARD_FAULTS = [
  'COVER_OPEN',
  'FEEDER_EMPTY',
  'RIBBON_ENDED',
  'NO_RIBBON',
  'CARD_JAM',
  'HOPPER_FULL',
  'MECHANICAL_ERROR',
  'SILENT',
  'GARBAGE',
] as const;
export const CARD_MOMENTS = ['now', 'before-ss', 'between-panels', 'during-print'] as const;
export const PAPER_FAULTS = ['MEDIA_EMPTY', 'MEDIA_JAM', 'DOOR_OPEN', 'OFFLINE'] as const;
export const API_ROUTES = [
  'lookup',
  'pin',
  'claim',
  'document',
  'complete',
  'release',
  'heartbeat',
  'feedback',
] as const;
export const RELEASE_REASONS = [
  'CANCELLED_BY_APPLICANT',
  'TIMEOUT',
  'DEVICE_FAULT',
  'DOCUMENT_INVALID',
  'INTERRUPTED',
] as const;

const apiFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('status'), status: z.number().int().min(400).max(599) }),
  z.strictObject({ kind: z.literal('malformed') }),
  z.strictObject({ kind: z.literal('wrong-shape') }),
  z.strictObject({ kind: z.literal('reset') }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('slow'), ms: z.number().int().positive() }),
]);

const count = z.number().int().min(0);

/** One thing the scenario does or checks. Exactly one key per step. */
export const stepSchema = z.union([
  /** Mints a signed print code for a seeded application and types it into the simulated scanner. */
  z.strictObject({
    scan: z.strictObject({ app: z.string(), overrides: z.record(z.string(), z.unknown()).optional() }),
  }),
  /** Types raw text into the simulated scanner. */
  z.strictObject({ scanRaw: z.string() }),
  /** Clicks `[data-action=<name>]` in the real UI. */
  z.strictObject({ tap: z.string() }),
  /** Clicks a survey choice `[data-rating=<n>]`. */
  z.strictObject({ rate: z.number().int().min(1).max(4) }),
  /** Taps keypad keys `[data-key=…]` one by one. */
  z.strictObject({ keypad: z.string() }),
  /** Taps the print PIN of a seeded application on the keypad. */
  z.strictObject({ enterPin: z.string() }),
  /**
   * A device fault. Card: any printer fault at a moment of the next print sequence, or `SILENT` /
   * `GARBAGE` on the line (`now`, or `during-print`: once the card is fed). Paper: `now` or half-way
   * through the next job.
   */
  z.strictObject({
    fault: z.discriminatedUnion('device', [
      z.strictObject({ device: z.literal('card'), fault: z.enum(CARD_FAULTS), when: z.enum(CARD_MOMENTS) }),
      z.strictObject({
        device: z.literal('paper'),
        fault: z.enum(PAPER_FAULTS),
        when: z.enum(['now', 'during-job']),
        /** Strikes `now` once the `printing` screen reaches this document (1-based) of the application. */
        atDocument: z.number().int().min(1).optional(),
      }),
    ]),
  }),
  /** The technician removed every device fault's cause and cleared the printers. */
  z.strictObject({ clearDeviceFaults: z.literal(true) }),
  /** The next `times` calls of a central API route misbehave (no `times`: until `clearApiFaults`). */
  z.strictObject({
    apiFault: z.strictObject({
      route: z.enum(API_ROUTES),
      fault: apiFault,
      times: z.number().int().positive().optional(),
    }),
  }),
  z.strictObject({ clearApiFaults: z.literal(true) }),
  /** The 2D scanner is unplugged (false) or plugged back (true). */
  z.strictObject({ scannerConnected: z.boolean() }),
  /** Waits until the UI shows the screen (and reason), then checks the rest against the View. */
  z.strictObject({
    expect: z.strictObject({
      screen: z.string(),
      reason: z.enum(ERROR_REASONS).optional(),
      canRetry: z.boolean().optional(),
      incomplete: z.boolean().optional(),
      available: z.strictObject({ card: z.boolean().optional(), a4: z.boolean().optional() }).optional(),
      timeoutMs: z.number().int().positive().optional(),
    }),
  }),
  /**
   * What the central API saw since the scenario began (polled until it matches: the outbox sends
   * later). `releases` lists the release reasons in order.
   */
  z.strictObject({
    expectRecords: z.strictObject({
      /** Central API requests other than heartbeats (none: the kiosk did not call the API at all). */
      requests: count.optional(),
      claims: count.optional(),
      completions: count.optional(),
      releases: z.array(z.enum(RELEASE_REASONS)).optional(),
      feedback: count.optional(),
      heartbeatsAtLeast: count.optional(),
      /** The body of the (only) completion, e.g. `{ "cardsPrinted": 0, "pagesPrinted": 1 }`. */
      completion: z
        .strictObject({ cardsPrinted: count.optional(), pagesPrinted: count.optional() })
        .optional(),
      timeoutMs: z.number().int().positive().optional(),
    }),
  }),
  /** A heartbeat sent since the scenario began (polled) whose devices and state include these. */
  z.strictObject({
    expectHeartbeat: z.strictObject({
      state: z.enum(['IN_SERVICE', 'OUT_OF_SERVICE', 'MAINTENANCE']).optional(),
      devices: z.record(z.string(), z.string()).optional(),
    }),
  }),
  /** The simulated devices' own counters since the scenario began. */
  z.strictObject({
    expectCounters: z.strictObject({
      cardsPrinted: count.optional(),
      cardsSpoiled: count.optional(),
      a4JobsPrinted: count.optional(),
      a4JobsFailed: count.optional(),
    }),
  }),
  /** The blank-card ledger's movements since the scenario began. */
  z.strictObject({ expectLedger: z.strictObject({ printed: count.optional(), spoiled: count.optional() }) }),
  /** Incidents recorded since the scenario began, by kind. */
  z.strictObject({ expectIncidents: z.array(z.string()) }),
  /** Lets real time pass (the outbox retries, a device poll). */
  z.strictObject({ sleep: z.number().int().positive().max(60_000) }),
]);

export type Step = z.infer<typeof stepSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Seeded applications the scenario uses: set READY again before it runs. */
  apps: z.array(z.string()).default([]),
  steps: z.array(stepSchema).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;

/** Reads and checks one scenario file; a broken file is a value with one line per problem. */
export function loadScenario(file: string): { ok: true; value: Scenario } | { ok: false; error: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: [`${basename(file)}: ${(e as Error).message}`] };
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${basename(file)}: ${i.path.join('.')}: ${i.message}`),
    };
  }
  return { ok: true, value: parsed.data };
}

/** A short label of a step for reports: its key and value. */
export function describeStep(step: Step): string {
  const [key, value] = Object.entries(step)[0]!;
  return `${key} ${JSON.stringify(value)}`;
}
