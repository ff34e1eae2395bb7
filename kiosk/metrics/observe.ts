import type { CardPrinter } from '../../drivers/card-printer/types.ts';
import type { HeartbeatBody } from '../central-api/client.ts';
import type { DeviceSnapshot } from '../core/devices.ts';
import type { KioskMetrics } from './kiosk-metrics.ts';
import { KIOSK_STATES, type KioskState, type Outcome, type Route } from './labels.ts';

/*
 * What a running kiosk already says, turned into metrics without touching the core: the requests its
 * central API client makes (through the fetch it is given), the heartbeat bodies the core queues (state,
 * devices, supplies), the session entries it appends to the audit trail, and what its card printer
 * answers.
 */

/** The heartbeat's device keys and the metrics' device names. */
const HEARTBEAT_DEVICES = {
  cardPrinter: 'card_printer',
  paperPrinter: 'paper_printer',
  scanner: 'scanner',
} as const;

/** States in which a device answers and can work (COOLING ends by itself, card-printer.md 1.1). */
const WORKING = new Set(['READY', 'PRINTING', 'COOLING']);

/** The heartbeat the core queued: kiosk state, each configured device, the supplies, the outbox. */
export function observeHeartbeat(metrics: KioskMetrics, body: HeartbeatBody): void {
  if ((KIOSK_STATES as readonly string[]).includes(body.state)) metrics.setState(body.state as KioskState);
  for (const [key, name] of Object.entries(HEARTBEAT_DEVICES)) {
    const state = body.devices[key];
    if (state !== undefined) metrics.setDevice(name, state, WORKING.has(state));
  }
  const s = body.supplies;
  if (s.blankCards !== undefined) metrics.setSupply('blank_cards', s.blankCards);
  if (s.ribbonPanelsLeft !== undefined) metrics.setSupply('ribbon_panels', s.ribbonPanelsLeft);
  if (s.paperSheets !== undefined) metrics.setSupply('paper_sheets', s.paperSheets);
}

/**
 * The supplies of the core's last device poll (every few seconds), fresher than the heartbeat, which
 * is queued when a state changes and once a minute.
 */
export function observeSupplies(metrics: KioskMetrics, d: DeviceSnapshot): void {
  if (d.blankCards !== undefined) metrics.setSupply('blank_cards', d.blankCards);
  if (d.card && 'ribbonPanelsLeft' in d.card && d.card.ribbonPanelsLeft !== undefined)
    metrics.setSupply('ribbon_panels', d.card.ribbonPanelsLeft);
  if (d.paperSheets !== undefined) metrics.setSupply('paper_sheets', d.paperSheets);
}

/** The audit trail's session outcomes (audit/types.ts) as the contract's outcomes. */
const OUTCOME_OF: Record<string, Outcome> = {
  printed: 'printed',
  partial: 'partial',
  refused: 'refused',
  cancelled: 'cancelled',
  timeout: 'timeout',
  fault: 'failed',
  failed: 'failed',
};

/** An entry appended to the audit trail: a session's end counts in `adm_sessions_total`. */
export function observeAuditEntry(metrics: KioskMetrics, entry: { type: string; outcome?: string }): void {
  if (entry.type !== 'session' || entry.outcome === undefined) return;
  const outcome = OUTCOME_OF[entry.outcome];
  if (outcome) metrics.sessionEnded(outcome);
}

/**
 * The route of a central API request, from its method and path (central-api.yaml). The path holds
 * application numbers, NIKs and claim ids: only the route's name leaves this function.
 */
export function routeOf(method: string, url: string): Route | undefined {
  const path = new URL(url).pathname;
  const m = method.toUpperCase();
  if (m === 'GET' && /\/applications\/[^/]+$/.test(path)) return 'lookup';
  if (m === 'GET' && /\/documents\/[^/]+$/.test(path)) return 'document';
  if (m !== 'POST') return undefined;
  if (/\/residents\/[^/]+\/logins$/.test(path)) return 'login';
  if (/\/applications\/[^/]+\/pin-verifications$/.test(path)) return 'pin';
  if (/\/applications\/[^/]+\/claims$/.test(path)) return 'claim';
  if (/\/claims\/[^/]+\/complete$/.test(path)) return 'complete';
  if (/\/claims\/[^/]+\/release$/.test(path)) return 'release';
  if (/\/kiosks\/[^/]+\/heartbeat$/.test(path)) return 'heartbeat';
  if (/\/kiosks\/[^/]+\/handoffs$/.test(path)) return 'handoff';
  if (/\/kiosks\/[^/]+\/assistance-requests$/.test(path)) return 'assistance';
  if (/\/feedback$/.test(path)) return 'feedback';
  return undefined;
}

/**
 * A fetch for the central API client that counts every request by route and status. A request aborted
 * by the client's deadline counts as `timeout`, one the network failed as `network`; the status is
 * counted when the headers arrive (a body that stalls after them is the client's timeout, counted as
 * the status the API gave).
 */
export function meteredFetch(metrics: KioskMetrics, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const req = input instanceof Request ? input : undefined;
    const url = req ? req.url : String(input);
    const method = init?.method ?? req?.method ?? 'GET';
    const route = routeOf(method, url);
    try {
      const res = await inner(input, init);
      if (route) metrics.centralApiRequest(route, res.status);
      return res;
    } catch (e) {
      const aborted =
        (e as Error)?.name === 'AbortError' ||
        (e as Error)?.name === 'TimeoutError' ||
        init?.signal?.aborted === true ||
        req?.signal.aborted === true;
      if (route) metrics.centralApiRequest(route, aborted ? 'timeout' : 'network');
      throw e;
    }
  };
}

/**
 * The card printer the core uses, watched: every status it reads (the core polls it, the driver's
 * watchdog reports it) counts a new COOLING, and every counter read (before each card) gives `Rco;cl`.
 * Nothing extra goes on the wire.
 */
export function observeCardPrinter(printer: CardPrinter, metrics: KioskMetrics): CardPrinter {
  let cooling = false;
  const seen = (state: string) => {
    if (state === 'COOLING' && !cooling) metrics.cardPrinterCooling();
    cooling = state === 'COOLING';
  };
  printer.onStatus((s) => seen(s.state));
  return new Proxy(printer, {
    get(target, prop, receiver) {
      if (prop === 'getStatus')
        return async () => {
          const s = await target.getStatus();
          seen(s.state);
          return s;
        };
      if (prop === 'readCounters')
        return async () => {
          const r = await target.readCounters();
          // `sinceCleaning` is `Rco;cl` (card-printer.md 1.1); a printer without it leaves the gauge alone.
          const cl = r.ok ? (r.value as { sinceCleaning?: number }).sinceCleaning : undefined;
          if (cl !== undefined) metrics.setHeadCardsSinceCleaning(cl);
          return r;
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * `target` with `method` watched: `watch` sees each call's first argument and its result. Used for the
 * outbox's `enqueue` (heartbeats) and the audit trail's `append` (session outcomes), so the core keeps
 * the very objects it was given.
 */
export function watchMethod<T extends object, K extends keyof T>(
  target: T,
  method: K,
  watch: (arg: T[K] extends (a: infer A, ...rest: never[]) => unknown ? A : never) => void,
): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      const bound = (v as (...a: unknown[]) => unknown).bind(t);
      if (prop !== method) return bound;
      return (...args: unknown[]) => {
        const result = bound(...args);
        try {
          watch(args[0] as never);
        } catch {
          // Metrics never stand in the way of the kiosk's work.
        }
        return result;
      };
    },
  });
}
