import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { CAMERA_REPEAT_SUPPRESS_MS, CameraScanner } from './camera-scanner.ts';
import { combineScanners } from './combine-scanners.ts';
import { KeyboardScanner, openScanner } from './index.ts';
import { SimScanner } from './sim-scanner.ts';

describe('CameraScanner', () => {
  it('passes decoded text on and suppresses the same code seen in following frames', () => {
    const clock = new ManualClock();
    const cam = new CameraScanner({ clock });
    const codes: string[] = [];
    cam.onCode((c) => codes.push(c));
    cam.push('ADM1.a');
    clock.advance(100);
    cam.push('ADM1.a');
    cam.push('');
    cam.push('ADM1.b');
    clock.advance(CAMERA_REPEAT_SUPPRESS_MS + 1);
    cam.push('ADM1.b');
    expect(codes).toEqual(['ADM1.a', 'ADM1.b', 'ADM1.b']);
  });

  it('reports the camera unavailable', () => {
    const cam = new CameraScanner();
    cam.setAvailable(false, 'permission denied');
    expect(cam.getStatus()).toEqual({ state: 'OFFLINE', detail: 'permission denied' });
  });
});

describe('combineScanners', () => {
  it('delivers codes from every scanner and is READY while one is', async () => {
    const sim = (await openScanner({ driver: 'sim' })) as SimScanner;
    const cam = (await openScanner({ driver: 'camera' })) as CameraScanner;
    expect(sim).toBeInstanceOf(SimScanner);
    expect(cam).toBeInstanceOf(CameraScanner);
    const both = combineScanners([sim, cam]);
    const codes: string[] = [];
    const states: string[] = [];
    both.onCode((c) => codes.push(c));
    both.onStatus((s) => states.push(s.state));
    sim.scan('from-serial');
    cam.push('from-camera');
    expect(codes).toEqual(['from-serial', 'from-camera']);
    sim.setConnected(false);
    expect(both.getStatus().state).toBe('READY');
    cam.setAvailable(false);
    expect(both.getStatus().state).toBe('OFFLINE');
    sim.setConnected(true);
    expect(states).toEqual(['OFFLINE', 'READY']);
    await both.close();
    sim.scan('after-close');
    expect(codes).toHaveLength(2);
  });

  it('a scanner that is unplugged types nothing', () => {
    const sim = new SimScanner();
    const codes: string[] = [];
    sim.onCode((c) => codes.push(c));
    sim.setConnected(false);
    sim.scan('x');
    expect(codes).toEqual([]);
  });
});

describe('KeyboardScanner', () => {
  it('opens from its config entry with the configured gap and passes the UI’s scans on', async () => {
    const kb = await openScanner({ driver: 'keyboard', maxInterKeyMs: 45 });
    expect(kb).toBeInstanceOf(KeyboardScanner);
    const scanner = kb as KeyboardScanner;
    expect(scanner.maxInterKeyMs).toBe(45);
    expect(((await openScanner({ driver: 'keyboard' })) as KeyboardScanner).maxInterKeyMs).toBe(30);
    const codes: string[] = [];
    scanner.onCode((c) => codes.push(c));
    scanner.push('ADM1.abc\r');
    scanner.push('');
    scanner.push('ADM1.abc');
    expect(codes).toEqual(['ADM1.abc', 'ADM1.abc']);
    expect(scanner.getStatus()).toEqual({ state: 'READY' });
  });
});
