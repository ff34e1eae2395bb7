import type { StateValueFrom } from 'xstate';
import type { FlowMachine } from '../flow/machine.ts';
import type { Screen } from '../view.ts';

type FlowStateValue = StateValueFrom<FlowMachine>;
/** The flow machine's top-level states (the type checker knows every one of them). */
export type FlowState = Extract<FlowStateValue, string> | keyof Extract<FlowStateValue, object>;

/**
 * The `data-screen` of every top-level state of the flow. A `Record` over all of them: a state added to
 * the machine without a screen here fails the type check.
 */
const SCREENS: Record<FlowState, Screen> = {
  start: 'home',
  home: 'home',
  outOfService: 'out-of-service',
  info: 'info',
  manualEntry: 'manual-entry',
  nikEntry: 'nik-entry',
  loggingIn: 'checking',
  choose: 'choose',
  checkingCode: 'checking',
  lookingUp: 'checking',
  pin: 'pin',
  checkingPin: 'checking',
  claiming: 'checking',
  confirm: 'confirm',
  printing: 'printing',
  collect: 'collect',
  survey: 'survey',
  done: 'done',
  error: 'error',
};

/** The top-level state of a flow state value (idle sub-states share their screen). */
export function flowStateOf(value: FlowStateValue): FlowState {
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as FlowState;
}

/** The `data-screen` name of a flow state. A state the machine does not have is a bug, not a screen. */
export function screenOf(value: FlowStateValue): Screen {
  const screen = SCREENS[flowStateOf(value)];
  if (!screen) throw new Error(`flow state without a screen: ${JSON.stringify(value)}`);
  return screen;
}
