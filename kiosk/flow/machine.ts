import { and, assign, fromPromise, setup } from 'xstate';
import { VOLUME_MIN, VOLUME_STEP } from '../../config/volume.ts';
import type { ReleaseReason } from '../central-api/contract.ts';
import type {
  ClaimDecision,
  CodeDecision,
  FlowContext,
  FlowEvent,
  FlowInput,
  LoginDecision,
  LookupDecision,
  PinDecision,
  PrintDecision,
} from './flow-types.ts';
import { countWrongPin, release, toError, waiting } from './machine-parts.ts';
import type { SessionData, SessionSource } from './session-data.ts';
import { idleSplit, TIMINGS } from './timings.ts';

export type * from './flow-types.ts';

/**
 * The applicant's path of kiosk-runtime.md. The machine routes; its actors (code check, lookup, PIN,
 * claim with download, print) and its side-effect actions (journal, outbox) are provided by the session
 * core (`kiosk/core/`) with `machine.provide(...)`, so tests swap them freely. Each actor gets the session
 * record of the context as its input.
 */
export const flowMachine = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as FlowInput,
  },
  actors: {
    checkCode: fromPromise<CodeDecision, { text: string; session: SessionData | undefined }>(async () => ({
      next: 'error',
      reason: 'invalid-qr',
    })),
    lookUp: fromPromise<
      LookupDecision,
      { applicationNo: string; source: SessionSource; session: SessionData | undefined }
    >(async () => ({
      next: 'error',
      reason: 'service-unavailable',
    })),
    checkPin: fromPromise<
      PinDecision,
      { applicationNo: string; pin: string; session: SessionData | undefined }
    >(async () => ({
      next: 'error',
      reason: 'service-unavailable',
    })),
    awaitCardTaken: fromPromise<{ taken: boolean }, { session: SessionData | undefined }>(async () => ({
      taken: true,
    })),
    logIn: fromPromise<LoginDecision, { pin: string; session: SessionData | undefined }>(async () => ({
      next: 'error',
      reason: 'service-unavailable',
    })),
    claimAndFetch: fromPromise<
      ClaimDecision,
      { applicationNo: string; pinProof?: string; session: SessionData | undefined }
    >(async () => ({
      next: 'error',
      reason: 'service-unavailable',
    })),
    print: fromPromise<PrintDecision, { session: SessionData | undefined }>(async () => ({
      next: 'error',
      reason: 'device-fault',
    })),
  },
  actions: {
    /** Queues the release of the live claim (outbox), with the reason. */
    releaseClaim: (_, _params: { reason: ReleaseReason; session: SessionData | undefined }) => {},
    /** Closes the session's record (journal, audit) and wipes its documents: the session has ended. */
    endSession: (_, _params: { session: SessionData | undefined }) => {},
    /** Queues the survey answer. */
    sendFeedback: (_, _params: { rating: number; session: SessionData | undefined }) => {},
    /** Opens the session's record: the core provides it (an `assign` of `session`). */
    startSession: assign((_, _params: { source: SessionSource }) => ({})),
    /** Keeps the NIK typed on `nik-entry` in the session (never in the journal or the log). */
    setNik: (_, _params: { nik: string; session: SessionData | undefined }) => {},
    /** Marks when the idle warning began: the core provides it with its clock. */
    markIdleWarning: assign(() => ({})),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'LANGUAGE' ? event.locale : context.locale),
    }),
    toggleAudio: assign({ audio: ({ context }) => !context.audio }),
    changeVolume: assign({
      volume: ({ context, event }) =>
        event.type === 'VOLUME'
          ? Math.min(100, Math.max(VOLUME_MIN, context.volume + event.step * VOLUME_STEP))
          : context.volume,
    }),
    toggleTextSize: assign({ largeText: ({ context }) => !context.largeText }),
    setProgress: assign({
      progress: ({ context, event }) => (event.type === 'PROGRESS' ? event.progress : context.progress),
    }),
    resetContext: assign(({ context }) => ({
      idleTimeoutSeconds: context.idleTimeoutSeconds,
      startAvailable: context.startAvailable,
      defaultLocale: context.defaultLocale,
      locale: context.defaultLocale,
      session: undefined,
      progress: undefined,
      warningSince: undefined,
      audio: false,
      largeText: false,
      volume: context.defaultVolume,
      defaultVolume: context.defaultVolume,
      nikTyped: undefined,
      cardNotTaken: undefined,
      pinWrongCount: 0,
      source: undefined,
      applicationNo: undefined,
      pinProof: undefined,
      pinAttemptsLeft: undefined,
      reason: undefined,
      stage: undefined,
      paused: undefined,
      canRetry: undefined,
      incomplete: undefined,
    })),
  },
  guards: {
    available: ({ event }) => event.type === 'SERVICE_CHANGED' && event.available,
    unavailable: ({ event }) => event.type === 'SERVICE_CHANGED' && !event.available,
    canRetry: ({ context }) => context.canRetry === true && context.applicationNo !== undefined,
    validPin: ({ event }) => event.type === 'PIN' && /^[0-9]{6}$/.test(event.pin),
    validNik: ({ event }) => event.type === 'NIK' && /^[0-9]{16}$/.test(event.nik),
    nikTyped: ({ context }) => context.nikTyped === true,
    validChoice: ({ event }) =>
      event.type === 'CHOOSE' && /^[A-Z0-9][A-Z0-9-]{5,39}$/.test(event.applicationNo),
    validApplicationNo: ({ event }) =>
      event.type === 'APPLICATION_NO' && /^[A-Z0-9][A-Z0-9-]{5,39}$/.test(event.applicationNo),
  },
  delays: {
    idleWarn: ({ context }) => idleSplit(context.idleTimeoutSeconds).warnAfterMs,
    idleCountdown: ({ context }) => idleSplit(context.idleTimeoutSeconds).countdownMs,
    collectMs: TIMINGS.collectMs,
    doneMs: TIMINGS.doneMs,
  },
}).createMachine({
  id: 'flow',
  context: ({ input }) => ({
    idleTimeoutSeconds: input.idleTimeoutSeconds,
    defaultLocale: input.locale,
    locale: input.locale,
    audio: false,
    largeText: false,
    volume: input.volume,
    defaultVolume: input.volume,
    startAvailable: input.available,
    pinWrongCount: 0,
  }),
  initial: 'start',
  on: {
    LANGUAGE: { actions: 'setLocale' },
    AUDIO: { actions: 'toggleAudio' },
    VOLUME: { actions: 'changeVolume' },
    TEXT_SIZE: { actions: 'toggleTextSize' },
  },
  states: {
    start: {
      always: [
        { target: 'home', guard: ({ context }) => context.startAvailable },
        { target: 'outOfService' },
      ],
    },
    home: {
      entry: [
        { type: 'endSession', params: ({ context }) => ({ session: context.session }) },
        'resetContext',
      ],
      on: {
        SCAN: { target: 'checkingCode', actions: { type: 'startSession', params: { source: 'code' } } },
        MANUAL_ENTRY: 'manualEntry',
        NIK_LOGIN: {
          target: 'nikEntry',
          actions: [{ type: 'startSession', params: { source: 'nik' } }, assign({ source: 'nik' as const })],
        },
        INFO: 'info',
        SERVICE_CHANGED: { target: 'outOfService', guard: 'unavailable' },
      },
    },
    outOfService: {
      entry: [
        { type: 'endSession', params: ({ context }) => ({ session: context.session }) },
        'resetContext',
      ],
      on: { SERVICE_CHANGED: { target: 'home', guard: 'available' } },
    },
    info: {
      ...waiting('#flow.home'),
      on: { TOUCH: { target: '.active', reenter: true }, HOME: 'home' },
    },
    manualEntry: {
      ...waiting('#flow.home'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        APPLICATION_NO: {
          guard: 'validApplicationNo',
          target: 'lookingUp',
          actions: [
            assign({ applicationNo: ({ event }) => event.applicationNo, source: 'manual' as const }),
            { type: 'startSession', params: { source: 'manual' } },
          ],
        },
        CANCEL: 'home',
        HOME: 'home',
      },
    },
    nikEntry: {
      ...waiting('#flow.home'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        NIK: {
          guard: 'validNik',
          target: 'nikEntry',
          actions: [
            {
              type: 'setNik',
              params: ({ context, event }) => ({ nik: event.nik, session: context.session }),
            },
            assign({ nikTyped: true, pinAttemptsLeft: undefined }),
          ],
        },
        PIN: { guard: and(['validPin', 'nikTyped']), target: 'loggingIn' },
        CANCEL: 'home',
        HOME: 'home',
      },
    },
    loggingIn: {
      invoke: {
        src: 'logIn',
        input: ({ context, event }) => ({
          pin: event.type === 'PIN' ? event.pin : '',
          session: context.session,
        }),
        onDone: [
          { guard: ({ event }) => event.output.next === 'choose', target: 'choose' },
          {
            guard: ({ event }) => event.output.next === 'pin-wrong',
            target: 'nikEntry',
            actions: countWrongPin(),
          },
          toError(),
        ],
        onError: {
          target: 'error',
          actions: assign({ reason: 'service-unavailable' as const, canRetry: false }),
        },
      },
    },
    choose: {
      ...waiting('#flow.home'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        CHOOSE: {
          guard: 'validChoice',
          target: 'lookingUp',
          actions: assign({
            applicationNo: ({ event }) => event.applicationNo,
            pinWrongCount: 0,
            pinAttemptsLeft: undefined,
          }),
        },
        HOME: 'home',
        CANCEL: 'home',
      },
    },
    checkingCode: {
      invoke: {
        src: 'checkCode',
        input: ({ context, event }) => ({
          text: event.type === 'SCAN' ? event.text : '',
          session: context.session,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.next === 'lookup',
            target: 'lookingUp',
            actions: assign({
              applicationNo: ({ event }) =>
                event.output.next === 'lookup' ? event.output.applicationNo : undefined,
              source: 'code' as const,
            }),
          },
          {
            target: 'error',
            actions: assign({
              reason: ({ event }) => (event.output.next === 'error' ? event.output.reason : 'invalid-qr'),
            }),
          },
        ],
        onError: { target: 'error', actions: assign({ reason: 'invalid-qr' as const }) },
      },
    },
    lookingUp: {
      invoke: {
        src: 'lookUp',
        input: ({ context }) => ({
          applicationNo: context.applicationNo ?? '',
          source: context.source ?? 'code',
          session: context.session,
        }),
        onDone: [
          { guard: ({ event }) => event.output.next === 'pin', target: 'pin' },
          { guard: ({ event }) => event.output.next === 'claim', target: 'claiming' },
          toError(),
        ],
        onError: {
          target: 'error',
          actions: assign({ reason: 'service-unavailable' as const, canRetry: true }),
        },
      },
    },
    pin: {
      ...waiting('#flow.home'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        PIN: { guard: 'validPin', target: 'checkingPin' },
        CANCEL: 'home',
        HOME: 'home',
      },
    },
    checkingPin: {
      invoke: {
        src: 'checkPin',
        input: ({ context, event }) => ({
          applicationNo: context.applicationNo ?? '',
          pin: event.type === 'PIN' ? event.pin : '',
          session: context.session,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.next === 'claim',
            target: 'claiming',
            actions: assign({
              pinProof: ({ event }) => (event.output.next === 'claim' ? event.output.pinProof : undefined),
            }),
          },
          {
            guard: ({ event }) => event.output.next === 'pin-wrong',
            target: 'pin',
            actions: countWrongPin(),
          },
          toError(),
        ],
        onError: {
          target: 'error',
          actions: assign({ reason: 'service-unavailable' as const, canRetry: true }),
        },
      },
    },
    claiming: {
      invoke: {
        src: 'claimAndFetch',
        input: ({ context }) => ({
          applicationNo: context.applicationNo ?? '',
          pinProof: context.pinProof,
          session: context.session,
        }),
        onDone: [
          { guard: ({ event }) => event.output.next === 'confirm', target: 'confirm' },
          { guard: ({ event }) => event.output.next === 'pin', target: 'pin' },
          { guard: ({ event }) => event.output.next === 'sign-in-again', target: 'home' },
          toError(),
        ],
        onError: {
          target: 'error',
          actions: assign({ reason: 'service-unavailable' as const, canRetry: true }),
        },
      },
    },
    confirm: {
      ...waiting('#flow.home', [release('TIMEOUT')]),
      on: {
        TOUCH: { target: '.active', reenter: true },
        CONFIRM: 'printing',
        CANCEL: {
          target: 'home',
          actions: release('CANCELLED_BY_APPLICANT'),
        },
        HOME: {
          target: 'home',
          actions: release('CANCELLED_BY_APPLICANT'),
        },
      },
    },
    printing: {
      on: { PROGRESS: { actions: 'setProgress' } },
      exit: assign({ progress: undefined }),
      invoke: {
        src: 'print',
        input: ({ context }) => ({ session: context.session }),
        onDone: [
          {
            guard: ({ event }) => event.output.next === 'collect',
            target: 'collect',
            actions: assign({
              incomplete: ({ event }) => event.output.next === 'collect' && event.output.incomplete,
            }),
          },
          {
            target: 'error',
            actions: assign(({ event }) =>
              event.output.next === 'error' ? { reason: event.output.reason } : {},
            ),
          },
        ],
        onError: { target: 'error', actions: assign({ reason: 'device-fault' as const }) },
      },
    },
    collect: {
      // At least `collectMs` on screen; then, on a printer with an exit bezel, until the card is taken
      // (or drawn back after `cardTakeSeconds`, and the applicant told to ask at the counter).
      initial: 'showing',
      states: {
        showing: { after: { collectMs: 'taking' } },
        taking: {
          invoke: {
            src: 'awaitCardTaken',
            input: ({ context }) => ({ session: context.session }),
            onDone: [
              { guard: ({ event }) => event.output.taken, target: '#flow.survey' },
              { target: 'notTaken', actions: assign({ cardNotTaken: true }) },
            ],
            onError: { target: '#flow.survey' },
          },
        },
        notTaken: { after: { collectMs: '#flow.survey' } },
      },
    },
    survey: {
      ...waiting('#flow.done'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        RATING: {
          target: 'done',
          actions: {
            type: 'sendFeedback',
            params: ({ context, event }) => ({ rating: event.rating, session: context.session }),
          },
        },
        SKIP: 'done',
        HOME: 'done',
      },
    },
    done: {
      after: { doneMs: 'home' },
      on: {
        HOME: 'home',
        SCAN: { target: 'checkingCode', actions: { type: 'startSession', params: { source: 'code' } } },
      },
    },
    error: {
      ...waiting('#flow.home'),
      on: {
        TOUCH: { target: '.active', reenter: true },
        HOME: 'home',
        RETRY: {
          guard: 'canRetry',
          target: 'lookingUp',
          actions: assign({ reason: undefined, canRetry: undefined, stage: undefined, paused: undefined }),
        },
        // A new code scanned on an error screen starts a new session at once (the last one is closed).
        SCAN: {
          target: 'checkingCode',
          actions: [
            assign({
              reason: undefined,
              canRetry: undefined,
              stage: undefined,
              paused: undefined,
              pinWrongCount: 0,
            }),
            { type: 'startSession', params: { source: 'code' } },
          ],
        },
      },
    },
  },
});

export type FlowMachine = typeof flowMachine;
