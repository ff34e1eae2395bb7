import { assign } from 'xstate';
import type { ReleaseReason } from '../central-api/contract.ts';
import type { ErrorReason } from '../view.ts';
import type { FlowContext } from './flow-types.ts';

/** A step's decision to show `error`: its reason, whether `retry` can help, the stage of one not ready. */
type ErrorDecision = {
  next: string;
  reason?: ErrorReason;
  canRetry?: boolean;
  stage?: string;
  paused?: true;
};

/** The last choice of every step: to `error` with the reason the step decided. */
// biome-ignore lint/suspicious/noExplicitAny: xstate's transition config types cannot be named outside createMachine.
export function toError(): any {
  return {
    target: 'error',
    // biome-ignore lint/suspicious/noExplicitAny: the done event of the step that answered.
    actions: assign(({ event }: { event: any }) =>
      (event.output as ErrorDecision).next === 'error'
        ? {
            reason: event.output.reason,
            canRetry: event.output.canRetry,
            stage: event.output.stage,
            paused: event.output.paused,
          }
        : {},
    ),
  } as const;
}

/** A wrong PIN (print or login): one more wrong, and the attempts the API says are left. */
// biome-ignore lint/suspicious/noExplicitAny: xstate's action config types cannot be named outside createMachine.
export function countWrongPin(): any {
  // biome-ignore lint/suspicious/noExplicitAny: the done event of the step that answered.
  return assign(({ context, event }: { context: FlowContext; event: any }) => ({
    pinAttemptsLeft: event.output.next === 'pin-wrong' ? (event.output.attemptsLeft as number) : undefined,
    pinWrongCount: context.pinWrongCount + 1,
  }));
}

/** The release of the session's live claim, with its reason. */
export function release(reason: ReleaseReason) {
  return {
    type: 'releaseClaim',
    params: ({ context }: { context: FlowContext }) => ({ reason, session: context.session }),
  } as const;
}

/**
 * A waiting screen: idle until the warning, then a countdown, then `onTimeout`. Any touch starts the
 * idle time again (re-entering `active`).
 */
// biome-ignore lint/suspicious/noExplicitAny: xstate's state-node config types cannot be named outside createMachine.
export function waiting(onTimeout: string, timeoutActions: unknown[] = []): any {
  return {
    initial: 'active',
    on: { TOUCH: { target: '.active', reenter: true } },
    states: {
      active: {
        after: { idleWarn: 'warning' },
      },
      warning: {
        entry: 'markIdleWarning',
        exit: assign({ warningSince: undefined }),
        after: { idleCountdown: { target: onTimeout, actions: timeoutActions } },
      },
    },
  } as const;
}
