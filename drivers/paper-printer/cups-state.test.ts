import { describe, expect, it } from 'vitest';
import { faultFromReasons, jobStateFromIpp, printerStatusFromIpp } from './cups-state.ts';
import type { IppValue } from './ipp.ts';

const printer = (state: number, reasons: string[], accepting = true) =>
  new Map<string, IppValue[]>([
    ['printer-state', [state]],
    ['printer-state-reasons', reasons],
    ['printer-is-accepting-jobs', [accepting]],
  ]);

describe('CUPS printer state', () => {
  it('maps the hardware reasons to faults', () => {
    expect(printerStatusFromIpp(printer(5, ['media-empty-error', 'paused'])).state).toBe('MEDIA_EMPTY');
    expect(printerStatusFromIpp(printer(5, ['media-needed'])).state).toBe('MEDIA_EMPTY');
    expect(printerStatusFromIpp(printer(4, ['media-jam-error'])).state).toBe('MEDIA_JAM');
    expect(printerStatusFromIpp(printer(5, ['door-open-error'])).state).toBe('DOOR_OPEN');
    expect(printerStatusFromIpp(printer(5, ['cover-open'])).state).toBe('DOOR_OPEN');
    expect(printerStatusFromIpp(printer(3, ['offline-report', 'offline-error'])).state).toBe('OFFLINE');
    expect(printerStatusFromIpp(printer(4, ['toner-empty-error'])).state).toBe('ERROR');
  });

  it('ignores warnings and reports', () => {
    expect(printerStatusFromIpp(printer(3, ['media-low-warning', 'media-empty-warning']))).toEqual({
      state: 'READY',
    });
    expect(printerStatusFromIpp(printer(4, ['none']))).toEqual({ state: 'PRINTING' });
    expect(faultFromReasons(['offline-report'])).toBeUndefined();
  });

  it('a stopped or rejecting queue without a hardware reason is QUEUE_DISABLED', () => {
    expect(printerStatusFromIpp(printer(5, ['paused'])).state).toBe('QUEUE_DISABLED');
    expect(printerStatusFromIpp(printer(3, ['none'], false)).state).toBe('QUEUE_DISABLED');
  });

  it('puts a jam before an empty tray', () => {
    expect(faultFromReasons(['media-empty-error', 'media-jam-error'])).toBe('MEDIA_JAM');
  });

  it('maps job states; stopped, canceled and aborted are failed', () => {
    expect([3, 4, 5, 6, 7, 8, 9, undefined].map(jobStateFromIpp)).toEqual([
      'pending',
      'pending',
      'printing',
      'failed',
      'failed',
      'failed',
      'completed',
      'unknown',
    ]);
  });
});
