import type { StateValue } from 'xstate';
import type { Screen } from '../view.ts';

const SCREENS: Record<string, Screen> = {
  start: 'home',
  home: 'home',
  outOfService: 'out-of-service',
  info: 'info',
  manualEntry: 'manual-entry',
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

/** The `data-screen` name of a flow state (its top-level state; idle sub-states share their screen). */
export function screenOf(value: StateValue): Screen {
  const top = typeof value === 'string' ? value : Object.keys(value)[0]!;
  return SCREENS[top] ?? 'home';
}
