import { describe, expect, it } from 'vitest';
import { parseIntent, parseMaintenanceIntent } from './intent-schema.ts';

describe('parseIntent', () => {
  it('takes an application number of 6 to 40 characters, as the contract says', () => {
    const no = (applicationNo: string) => parseIntent({ type: 'application-no', applicationNo });
    expect(no('3574-KTP-2611-000045')).toEqual({
      type: 'application-no',
      applicationNo: '3574-KTP-2611-000045',
    });
    expect(no('A'.repeat(6))).toBeDefined();
    expect(no('A'.repeat(40))).toBeDefined();
    expect(no('A'.repeat(5))).toBeUndefined();
    expect(no('1')).toBeUndefined();
    expect(no('A'.repeat(33))).toBeDefined();
    expect(no('A'.repeat(41))).toBeUndefined();
    expect(no('3574 KTP')).toBeUndefined();
  });

  it('passes every maintenance action with the arguments it needs and nothing else', () => {
    const ok = [
      { type: 'maintenance', action: 'enter' },
      { type: 'maintenance', action: 'badge', args: { token: 'a.b.c' } },
      { type: 'maintenance', action: 'pin', args: { pin: '246810' } },
      { type: 'maintenance', action: 'navigate', args: { to: 'checklist' } },
      { type: 'maintenance', action: 'load-cards', args: { count: 100 } },
      { type: 'maintenance', action: 'remove-paper', args: { count: 3, reason: 'wet' } },
      { type: 'maintenance', action: 'correct-cards', args: { delta: -2, reason: 'counted' } },
      { type: 'maintenance', action: 'resolve-incident', args: { id: 4, note: 'card removed' } },
      { type: 'maintenance', action: 'out-of-service', args: { on: true } },
      { type: 'maintenance', action: 'report-day', args: { day: '2026-11-22' } },
      { type: 'maintenance', action: 'export', args: { what: 'report-pdf', day: '2026-11-22' } },
      { type: 'maintenance', action: 'restart' },
    ];
    for (const i of ok) {
      expect(parseIntent(i), JSON.stringify(i)).toEqual(i);
      expect(parseMaintenanceIntent(i)).toEqual(i);
    }
    const bad = [
      { type: 'maintenance', action: 'format-disk' },
      { type: 'maintenance', action: 'login', args: { technicianId: 'T-3574-01' } },
      { type: 'maintenance', action: 'pin', args: { pin: '1234' } },
      { type: 'maintenance', action: 'navigate', args: { to: 'shell' } },
      { type: 'maintenance', action: 'load-cards', args: { count: 0 } },
      { type: 'maintenance', action: 'load-cards', args: { count: '5' } },
      { type: 'maintenance', action: 'load-cards', args: { count: 10_001 } },
      { type: 'maintenance', action: 'remove-cards', args: { count: 1, reason: '   ' } },
      { type: 'maintenance', action: 'correct-paper', args: { delta: 0, reason: 'x' } },
      { type: 'maintenance', action: 'resolve-incident', args: { id: 1, note: 'x'.repeat(201) } },
      { type: 'maintenance', action: 'out-of-service', args: { on: 'true' } },
      { type: 'maintenance', action: 'export', args: { what: '../../etc/passwd' } },
      { type: 'maintenance', action: 'refresh', args: { extra: 1 } },
      { type: 'maintenance', action: 'enter', extra: true },
    ];
    for (const i of bad) expect(parseIntent(i), JSON.stringify(i)).toBeUndefined();
  });
});
