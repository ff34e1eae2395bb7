import { assign, fromPromise } from 'xstate';
import { flowMachine } from '../flow/machine.ts';
import type { SessionSource } from '../flow/session-data.ts';
import type { ExitBezel } from './bezel.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { Printing } from './printing.ts';
import type { SessionRecord } from './session-record.ts';
import type { SessionSteps } from './session-steps.ts';
import type { Settlement } from './settlement.ts';

/** The parts the flow machine's actors and actions are provided by. */
export interface FlowParts {
  deps: KioskCoreDeps;
  steps: SessionSteps;
  printing: Printing;
  bezel: ExitBezel;
  record: SessionRecord;
  settlement: Settlement;
  stopped: () => boolean;
}

/**
 * The flow machine with the core's parts behind its actors (the steps, printing, the exit bezel) and
 * actions (the session record, settlement): the machine routes, these do the work.
 */
export function provideFlow(p: FlowParts) {
  const { deps, steps, printing, bezel, record, settlement } = p;
  return flowMachine.provide({
    actors: {
      checkCode: fromPromise(({ input }) => steps.checkCode(input.text, input.session)),
      lookUp: fromPromise(({ input }) => steps.lookUp(input.applicationNo, input.source, input.session)),
      checkPin: fromPromise(({ input }) => steps.checkPin(input.applicationNo, input.pin, input.session)),
      claimAndFetch: fromPromise(({ input }) => steps.claimAndFetch(input.applicationNo, input.session)),
      logIn: fromPromise(({ input }) => steps.logIn(input.pin, input.session)),
      awaitCardTaken: fromPromise(({ input }) => bezel.awaitTaken(input.session, p.stopped)),
      print: fromPromise(({ input }) => printing.printAll(input.session)),
    },
    actions: {
      // A new scan on `done` starts a session while the last one is still held: that one is closed first.
      startSession: assign(({ context }, params: { source: SessionSource }) => {
        if (context.session) record.close(context.session);
        return { session: record.open(params.source) };
      }),
      setNik: (_, params) => {
        if (params.session) params.session.resident = { nik: params.nik };
      },
      markIdleWarning: assign(() => ({ warningSince: deps.clock.monotonic() })),
      endSession: (_, params) => params.session && record.close(params.session),
      releaseClaim: (_, params) => params.session && settlement.releaseSession(params.session, params.reason),
      sendFeedback: (_, params) => record.feedback(params.rating, params.session),
    },
    delays: {
      ...(deps.delays?.collectMs !== undefined ? { collectMs: deps.delays.collectMs } : {}),
      ...(deps.delays?.doneMs !== undefined ? { doneMs: deps.delays.doneMs } : {}),
    },
  });
}
