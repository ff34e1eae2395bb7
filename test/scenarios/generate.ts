import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario, Step } from '../sim/scenario.ts';

/**
 * Writes the fault matrix as scenario files into this folder (`npx tsx test/scenarios/generate.ts`).
 * Every generated file starts with `m-`; hand-written scenarios beside them are left alone. The
 * expected outcomes are those of kiosk-runtime.md; where a row's outcome follows from how the
 * simulators fail, the reason is given beside it.
 */

const KIA = '3574-KIA-2611-000123';
const KTP_PIN = '3574-KTP-2611-000045';
/** KK: one A4 document of 2 pages. */
const KK = '3574-KK-2611-000200';
/** Akta kelahiran with KK (A4, A4) and KIA (card): three documents. */
const MULTI = '3574-AKL-2611-000301';

const CARD_PRINTER_FAULTS = [
  'COVER_OPEN',
  'FEEDER_EMPTY',
  'RIBBON_ENDED',
  'NO_RIBBON',
  'CARD_JAM',
  'HOPPER_FULL',
  'MECHANICAL_ERROR',
] as const;
const SEQUENCE_MOMENTS = ['before-ss', 'between-panels', 'during-print'] as const;
/** These stop the printer only after the card in it came out (the card is not in the feed path). */
const CARD_COMES_OUT = new Set(['HOPPER_FULL', 'FEEDER_EMPTY']);
const PAPER_FAULTS = ['MEDIA_EMPTY', 'MEDIA_JAM', 'DOOR_OPEN', 'OFFLINE'] as const;

const API_FAULTS = {
  timeout: { kind: 'hang' },
  '500': { kind: 'status', status: 500 },
  '401': { kind: 'status', status: 401 },
  malformed: { kind: 'malformed' },
  'wrong-shape': { kind: 'wrong-shape' },
  reset: { kind: 'reset' },
  // The simulator answers 503 after the delay: later than the kiosk's 1 s timeout, so a slow answer
  // arrives after the kiosk gave up on it.
  slow: { kind: 'slow', ms: 2500 },
} as const;
type ApiFaultName = keyof typeof API_FAULTS;

/** Faults the client tries once more (timeout, 5xx, broken connection): two in a row reach the applicant. */
const RETRIED: ReadonlySet<ApiFaultName> = new Set(['timeout', '500', 'reset', 'slow']);
/** Outbox messages are retried with backoff 1, 2, 4 s: three failures in a row, then delivery. */
const OUTBOX_FAILURES = 3;

// ---- step helpers ----

const expect = (screen: string, more: Record<string, unknown> = {}): Step =>
  ({ expect: { screen, ...more } }) as Step;
const error = (reason: string, more: Record<string, unknown> = {}): Step =>
  expect('error', { reason, ...more });
const tap = (action: string): Step => ({ tap: action });
const scan = (app: string): Step => ({ scan: { app } });

/** From `confirm`: print, collect, rate, done, home. */
const printToHome: Step[] = [
  tap('confirm'),
  expect('collect', { incomplete: false }),
  expect('survey'),
  { rate: 4 },
  expect('done'),
  tap('home'),
  expect('home'),
];

const scenarios: Scenario[] = [];
const add = (name: string, description: string, apps: string[], steps: Step[]) =>
  scenarios.push({ name, description, apps, steps });

// ---- baseline: the happy paths the faults are measured against ----

add(
  'm-base-kia',
  'A KIA prints through the real UI: one claim, one completion, one card.',
  [KIA],
  [
    scan(KIA),
    expect('confirm'),
    ...printToHome,
    {
      expectRecords: {
        claims: 1,
        completions: 1,
        releases: [],
        feedback: 1,
        completion: { cardsPrinted: 1 },
      },
    },
    { expectCounters: { cardsPrinted: 1, cardsSpoiled: 0 } },
    { expectLedger: { printed: 1, spoiled: 0 } },
  ],
);

add(
  'm-base-kk',
  'A two-page KK prints on A4.',
  [KK],
  [
    scan(KK),
    expect('confirm'),
    ...printToHome,
    { expectRecords: { claims: 1, completions: 1, releases: [], completion: { pagesPrinted: 2 } } },
    { expectCounters: { a4JobsPrinted: 1, a4JobsFailed: 0 } },
  ],
);

// ---- card printer: each fault at each print step ----

for (const fault of CARD_PRINTER_FAULTS) {
  add(
    `m-card-${fault}-now`,
    `${fault} before the session: home offers no card; a KIA is refused as out-of-supplies, nothing claimed.`,
    [KIA],
    [
      { fault: { device: 'card', fault, when: 'now' } },
      expect('home', { available: { card: false, a4: true } }),
      scan(KIA),
      error('out-of-supplies'),
      tap('home'),
      { expectRecords: { claims: 0 } },
      { clearDeviceFaults: true },
      expect('home', { available: { card: true, a4: true } }),
    ],
  );
  for (const when of SEQUENCE_MOMENTS) {
    const comesOut = when === 'during-print' && CARD_COMES_OUT.has(fault);
    // A fault during printing spoils the card in the printer; before the feed no card moves.
    const spoiled = when === 'during-print' && !comesOut ? 1 : 0;
    const steps: Step[] = [
      scan(KIA),
      expect('confirm'),
      { fault: { device: 'card', fault, when } },
      tap('confirm'),
    ];
    if (comesOut) {
      steps.push(
        expect('collect', { incomplete: false }),
        { expectRecords: { claims: 1, completions: 1, releases: [], completion: { cardsPrinted: 1 } } },
        { expectCounters: { cardsPrinted: 1, cardsSpoiled: 0 } },
        { expectLedger: { printed: 1, spoiled: 0 } },
        expect('survey'),
        tap('skip'),
        expect('done'),
        tap('home'),
        expect('home', { available: { card: false } }),
      );
    } else {
      steps.push(
        error('device-fault', { canRetry: false }),
        { expectRecords: { claims: 1, completions: 0, releases: ['DEVICE_FAULT'] } },
        { expectCounters: { cardsPrinted: 0, cardsSpoiled: spoiled } },
        { expectLedger: { printed: 0, spoiled } },
        tap('home'),
        expect('home', { available: { card: false } }),
      );
    }
    steps.push({ clearDeviceFaults: true }, expect('home', { available: { card: true } }));
    add(
      `m-card-${fault}-${when}`,
      comesOut
        ? `${fault} ${when}: the card in the printer still comes out; complete, then no card service.`
        : `${fault} ${when}: device-fault, released DEVICE_FAULT, ${spoiled} card spoiled.`,
      [KIA],
      steps,
    );
  }
}

for (const fault of ['SILENT', 'GARBAGE'] as const) {
  add(
    `m-card-${fault}-now`,
    `The card printer ${fault === 'SILENT' ? 'stops answering' : 'answers noise'}: no card service, nothing claimed.`,
    [KIA],
    [
      { fault: { device: 'card', fault, when: 'now' } },
      expect('home', { available: { card: false, a4: true } }),
      scan(KIA),
      error('out-of-supplies'),
      tap('home'),
      { expectRecords: { claims: 0 } },
      { clearDeviceFaults: true },
      expect('home', { available: { card: true } }),
    ],
  );
  add(
    `m-card-${fault}-during-print`,
    `The line goes ${fault === 'SILENT' ? 'quiet' : 'noisy'} once the card is fed: the kiosk cannot tell whether it came out, ` +
      'so it neither completes nor releases blindly; once the printer answers again the counters say the card is out: complete.',
    [KIA],
    [
      scan(KIA),
      expect('confirm'),
      { fault: { device: 'card', fault, when: 'during-print' } },
      tap('confirm'),
      { sleep: 4000 },
      expect('printing'),
      { expectRecords: { claims: 1, completions: 0, releases: [] } },
      { clearDeviceFaults: true },
      expect('collect', { incomplete: false }),
      { expectRecords: { claims: 1, completions: 1, releases: [], completion: { cardsPrinted: 1 } } },
      { expectCounters: { cardsPrinted: 1, cardsSpoiled: 0 } },
      { expectLedger: { printed: 1, spoiled: 0 } },
      expect('survey'),
      tap('skip'),
      expect('done'),
      tap('home'),
      expect('home', { available: { card: true } }),
    ],
  );
}

// ---- paper printer ----

for (const fault of PAPER_FAULTS) {
  add(
    `m-paper-${fault}-now`,
    `${fault} before the session: home offers no A4; a KK is refused as out-of-supplies, nothing claimed.`,
    [KK],
    [
      { fault: { device: 'paper', fault, when: 'now' } },
      expect('home', { available: { card: true, a4: false } }),
      scan(KK),
      error('out-of-supplies'),
      tap('home'),
      { expectRecords: { claims: 0 } },
      { clearDeviceFaults: true },
      expect('home', { available: { a4: true } }),
    ],
  );
  add(
    `m-paper-${fault}-during-job`,
    `${fault} half-way through a two-page KK: the job counts as not printed; released DEVICE_FAULT.`,
    [KK],
    [
      scan(KK),
      expect('confirm'),
      { fault: { device: 'paper', fault, when: 'during-job' } },
      tap('confirm'),
      error('device-fault', { canRetry: false }),
      { expectRecords: { claims: 1, completions: 0, releases: ['DEVICE_FAULT'] } },
      { expectCounters: { a4JobsPrinted: 0, a4JobsFailed: 1 } },
      tap('home'),
      expect('home', { available: { a4: false } }),
      { clearDeviceFaults: true },
      expect('home', { available: { a4: true } }),
    ],
  );
}

// ---- several documents, a fault after the first came out ----

add(
  'm-multi-paper-jam-second-document',
  'Akta + KK + KIA; the paper jams on the second document: collect with the incomplete notice, complete with the one page printed, an incident.',
  [MULTI],
  [
    scan(MULTI),
    expect('confirm'),
    { fault: { device: 'paper', fault: 'MEDIA_JAM', when: 'now', atDocument: 2 } },
    tap('confirm'),
    expect('collect', { incomplete: true }),
    {
      expectRecords: {
        claims: 1,
        completions: 1,
        releases: [],
        completion: { pagesPrinted: 1, cardsPrinted: 0 },
      },
    },
    { expectCounters: { a4JobsPrinted: 1, cardsPrinted: 0 } },
    { expectIncidents: ['partial-print'] },
    expect('survey'),
    tap('skip'),
    expect('done'),
    tap('home'),
    expect('home', { available: { a4: false } }),
  ],
);

add(
  'm-multi-card-jam-last-document',
  'Akta + KK + KIA; the card jams: both A4 documents are out, so complete with 2 pages and no card, an incident.',
  [MULTI],
  [
    scan(MULTI),
    expect('confirm'),
    { fault: { device: 'card', fault: 'CARD_JAM', when: 'during-print' } },
    tap('confirm'),
    expect('collect', { incomplete: true }),
    {
      expectRecords: {
        claims: 1,
        completions: 1,
        releases: [],
        completion: { pagesPrinted: 2, cardsPrinted: 0 },
      },
    },
    { expectCounters: { a4JobsPrinted: 2, cardsPrinted: 0, cardsSpoiled: 1 } },
    { expectLedger: { printed: 0, spoiled: 1 } },
    { expectIncidents: ['partial-print'] },
    expect('survey'),
    tap('skip'),
    expect('done'),
    tap('home'),
    expect('home', { available: { card: false } }),
  ],
);

add(
  'm-multi-paper-first-document',
  'Akta + KK + KIA; the paper jams on the first document: nothing came out, released DEVICE_FAULT.',
  [MULTI],
  [
    scan(MULTI),
    expect('confirm'),
    { fault: { device: 'paper', fault: 'MEDIA_JAM', when: 'during-job' } },
    tap('confirm'),
    error('device-fault'),
    { expectRecords: { claims: 1, completions: 0, releases: ['DEVICE_FAULT'] } },
    { expectCounters: { a4JobsPrinted: 0, a4JobsFailed: 1, cardsPrinted: 0 } },
    { expectIncidents: [] },
    tap('home'),
    expect('home'),
  ],
);

add(
  'm-multi-all-printed',
  'Akta + KK + KIA all print: one completion with 2 pages and 1 card.',
  [MULTI],
  [
    scan(MULTI),
    expect('confirm'),
    ...printToHome,
    { expectRecords: { claims: 1, completions: 1, completion: { pagesPrinted: 2, cardsPrinted: 1 } } },
    { expectCounters: { a4JobsPrinted: 2, cardsPrinted: 1 } },
  ],
);

// ---- the scanner unplugged and back ----

add(
  'm-scanner-unplug-replug',
  'The 2D scanner is unplugged: the heartbeat says so and a code shown to it does nothing; plugged back, it works.',
  [KIA],
  [
    { scannerConnected: false },
    { expectHeartbeat: { devices: { scanner: 'OFFLINE' } } },
    scan(KIA),
    { sleep: 1000 },
    expect('home'),
    { expectRecords: { requests: 0 } },
    { scannerConnected: true },
    { expectHeartbeat: { devices: { scanner: 'READY' } } },
    scan(KIA),
    expect('confirm'),
    tap('cancel'),
    expect('home'),
    { expectRecords: { claims: 1, releases: ['CANCELLED_BY_APPLICANT'] } },
  ],
);

// ---- the central API: each call, each fault ----

/** After a refusal the applicant can retry once the API is back: lookup again, claim, cancel. */
const retryThenCancel: Step[] = [
  { clearApiFaults: true },
  tap('retry'),
  expect('confirm'),
  tap('cancel'),
  expect('home'),
];

for (const [name, fault] of Object.entries(API_FAULTS) as Array<
  [ApiFaultName, (typeof API_FAULTS)[ApiFaultName]]
>) {
  const times = RETRIED.has(name) ? 2 : 1;

  add(
    `m-api-lookup-${name}`,
    `GET /applications answers ${name}: service-unavailable with retry, nothing claimed.`,
    [KIA],
    [
      { apiFault: { route: 'lookup', fault, times } },
      scan(KIA),
      error('service-unavailable', { canRetry: true }),
      { expectRecords: { claims: 0 } },
      ...retryThenCancel,
      { expectRecords: { claims: 1, releases: ['CANCELLED_BY_APPLICANT'] } },
    ],
  );

  add(
    `m-api-pin-${name}`,
    `The PIN check answers ${name}: service-unavailable with retry, nothing claimed.`,
    [KTP_PIN],
    [
      { apiFault: { route: 'pin', fault, times } },
      scan(KTP_PIN),
      expect('pin'),
      { enterPin: KTP_PIN },
      error('service-unavailable', { canRetry: true }),
      { expectRecords: { claims: 0 } },
      { clearApiFaults: true },
      tap('retry'),
      expect('pin'),
      { enterPin: KTP_PIN },
      expect('confirm'),
      tap('cancel'),
      expect('home'),
      { expectRecords: { claims: 1, releases: ['CANCELLED_BY_APPLICANT'] } },
    ],
  );

  add(
    `m-api-claim-${name}`,
    `The claim answers ${name}: service-unavailable with retry, nothing left claimed.`,
    [KIA],
    [
      { apiFault: { route: 'claim', fault, times } },
      scan(KIA),
      error('service-unavailable', { canRetry: true }),
      { expectRecords: { claims: 0 } },
      ...retryThenCancel,
      { expectRecords: { claims: 1, releases: ['CANCELLED_BY_APPLICANT'] } },
    ],
  );

  // The document's bytes are checked against their SHA-256: a 200 with other bytes is an invalid document.
  const garbled = name === 'malformed' || name === 'wrong-shape';
  add(
    `m-api-document-${name}`,
    garbled
      ? `The document download answers ${name}: the bytes fail their check; document-invalid, released DOCUMENT_INVALID.`
      : `The document download answers ${name}: service-unavailable with retry; the claim released INTERRUPTED.`,
    [KIA],
    garbled
      ? [
          { apiFault: { route: 'document', fault, times } },
          scan(KIA),
          error('document-invalid', { canRetry: false }),
          { expectRecords: { claims: 1, completions: 0, releases: ['DOCUMENT_INVALID'] } },
          tap('home'),
          expect('home'),
        ]
      : [
          { apiFault: { route: 'document', fault, times } },
          scan(KIA),
          error('service-unavailable', { canRetry: true }),
          { expectRecords: { claims: 1, completions: 0, releases: ['INTERRUPTED'] } },
          ...retryThenCancel,
          { expectRecords: { claims: 2, releases: ['INTERRUPTED', 'CANCELLED_BY_APPLICANT'] } },
        ],
  );

  add(
    `m-api-complete-${name}`,
    `complete answers ${name} ${OUTBOX_FAILURES} times: the applicant's path is unaffected; delivered once after.`,
    [KIA],
    [
      { apiFault: { route: 'complete', fault, times: OUTBOX_FAILURES } },
      scan(KIA),
      expect('confirm'),
      ...printToHome,
      {
        expectRecords: {
          claims: 1,
          completions: 1,
          releases: [],
          completion: { cardsPrinted: 1 },
          timeoutMs: 30_000,
        },
      },
      { expectCounters: { cardsPrinted: 1 } },
    ],
  );

  add(
    `m-api-release-${name}`,
    `release answers ${name} ${OUTBOX_FAILURES} times: the cancel goes home at once; released once after.`,
    [KIA],
    [
      { apiFault: { route: 'release', fault, times: OUTBOX_FAILURES } },
      scan(KIA),
      expect('confirm'),
      tap('cancel'),
      expect('home'),
      {
        expectRecords: { claims: 1, completions: 0, releases: ['CANCELLED_BY_APPLICANT'], timeoutMs: 30_000 },
      },
    ],
  );

  add(
    `m-api-heartbeat-${name}`,
    `The heartbeat answers ${name} ${OUTBOX_FAILURES} times: printing is unaffected; heartbeats arrive after.`,
    [KIA],
    [
      { apiFault: { route: 'heartbeat', fault, times: OUTBOX_FAILURES } },
      { fault: { device: 'paper', fault: 'DOOR_OPEN', when: 'now' } },
      scan(KIA),
      expect('confirm'),
      ...printToHome,
      { expectRecords: { completions: 1 } },
      { clearApiFaults: true },
      { clearDeviceFaults: true },
      { expectHeartbeat: { state: 'IN_SERVICE', devices: { paperPrinter: 'READY' } } },
    ],
  );

  // Feedback needs no answer body: a 200 is an acknowledgement. The simulator's fault answers 200
  // without storing the feedback, so for those two rows nothing is recorded and nothing is resent.
  const acked = garbled;
  add(
    `m-api-feedback-${name}`,
    acked
      ? `Feedback answered ${name} (a 200): taken as delivered; nothing resent.`
      : `Feedback answers ${name} ${OUTBOX_FAILURES} times: the applicant's path is unaffected; delivered once after.`,
    [KIA],
    [
      { apiFault: { route: 'feedback', fault, times: OUTBOX_FAILURES } },
      scan(KIA),
      expect('confirm'),
      ...printToHome,
      { expectRecords: { completions: 1, feedback: acked ? 0 : 1, timeoutMs: 30_000 } },
      { sleep: 1500 },
      { expectRecords: { feedback: acked ? 0 : 1 } },
    ],
  );
}

const dir = import.meta.dirname;
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.startsWith('m-') && f.endsWith('.json')) rmSync(join(dir, f));
for (const s of scenarios) writeFileSync(join(dir, `${s.name}.json`), `${JSON.stringify(s, null, 2)}\n`);
process.stdout.write(`${scenarios.length} scenarios written to ${dir}\n`);
