import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import type { FlatView } from '../../kiosk/view.ts';
import { startKiosk, type TestKiosk } from '../support/kiosk.ts';

/**
 * Signing in with NIK and login PIN (kiosk-runtime.md 1.1, path step 9) through the whole kiosk against
 * the central API simulator's residents, on a simulated clock.
 */
const BUDI = { nik: '3574012301880004', pin: '246802' };
const RATNA = { nik: '3574015508750021', pin: '135790' };
const AGUS = { nik: '3574010902900005', pin: '975310' };
const LINA = { nik: '3574011111110012', pin: '864200' };

let kiosk: TestKiosk | undefined;
let clock: ManualClock;
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
});

async function start(idleTimeoutSeconds = 60): Promise<TestKiosk> {
  clock = new ManualClock(Date.now());
  kiosk = await startKiosk({ clock, config: { idleTimeoutSeconds } });
  await pump((v) => v.screen === 'home');
  return kiosk;
}

const view = (): FlatView => kiosk!.app.core.currentView();

async function pump(until: (v: FlatView) => boolean, stepMs = 50, max = 4000): Promise<FlatView> {
  for (let i = 0; i < max; i++) {
    const v = view();
    if (until(v)) return v;
    await clock.advanceAsync(stepMs);
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`not reached: ${JSON.stringify(view()).slice(0, 300)}`);
}

async function signIn(who: { nik: string; pin: string }, pin = who.pin): Promise<FlatView> {
  const core = kiosk!.app.core;
  if (view().screen === 'home') core.send({ type: 'nik-login' });
  await pump((v) => v.screen === 'nik-entry');
  if (view().nikEntry?.step === 'nik') core.send({ type: 'nik', nik: who.nik });
  await pump((v) => v.nikEntry?.step === 'pin');
  const wrong = view().nikEntry?.wrongCount ?? 0;
  core.send({ type: 'pin', pin });
  return pump(
    (v) =>
      v.screen === 'choose' ||
      v.screen === 'error' ||
      (v.screen === 'nik-entry' && v.nikEntry!.wrongCount > wrong),
  );
}

const logins = () => kiosk!.central.records.logins.length;

describe('signing in with NIK and login PIN', () => {
  it('right PIN: the resident chooses a document and it prints as after a scan', async () => {
    const k = await start();
    const chosen = await signIn(BUDI);
    expect(chosen.screen).toBe('choose');
    expect(chosen.choose!.name).toBe('BUDI SANTOSO');
    const card = chosen.choose!.applications.find((a) => a.printable && a.service === 'KTP_EL')!;
    expect(card).toBeDefined();
    k.app.core.send({ type: 'choose', applicationNo: card.applicationNo });
    await pump((v) => v.screen === 'confirm');
    // The NIK is never on screen in full.
    expect(JSON.stringify(view())).not.toContain(BUDI.nik);
    k.app.core.send({ type: 'confirm' });
    await pump((v) => v.screen === 'collect', 100);
    await k.app.outbox.flush(true);
    expect(k.central.completionsOf(card.applicationNo)).toBe(1);
    // The completion carries the session's reference (the expired-proof case below shows the proof is sent).
    const done = k.central.records.completions.find((c) => c.applicationNo === card.applicationNo)!;
    expect(done.body.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  }, 60_000);

  it('two wrong PINs show the attempts left, the third try with the right PIN signs in', async () => {
    await start();
    let v = await signIn(BUDI, '000000');
    expect(v).toMatchObject({ screen: 'nik-entry', nikEntry: { step: 'pin', attemptsLeft: 2 } });
    v = await signIn(BUDI, '000001');
    expect(v).toMatchObject({ screen: 'nik-entry', nikEntry: { step: 'pin', attemptsLeft: 1 } });
    v = await signIn(BUDI);
    expect(v.screen).toBe('choose');
  }, 60_000);

  it('three wrong PINs lock the sign-in: pin-locked, and no further call is made', async () => {
    await start();
    await signIn(AGUS, '000000');
    await signIn(AGUS, '000000');
    const v = await signIn(AGUS, '000000');
    expect(v).toMatchObject({ screen: 'error', reason: 'pin-locked' });
    const calls = logins();
    kiosk!.app.core.send({ type: 'pin', pin: AGUS.pin });
    await clock.advanceAsync(500);
    expect(logins()).toBe(calls);
  }, 60_000);

  it('an unregistered NIK is told where to register, with a reference for the counter', async () => {
    await start();
    const v = await signIn({ nik: '3574019999999999', pin: '123456' });
    expect(v).toMatchObject({ screen: 'error', reason: 'not-registered' });
    expect(v.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await kiosk!.app.outbox.flush(true);
    expect(kiosk!.central.records.handoffs.map((h) => h.body.reason)).toContain('not-registered');
  }, 60_000);

  it('a NIK of the wrong shape is refused before any call', async () => {
    await start();
    kiosk!.app.core.send({ type: 'nik-login' });
    await pump((v) => v.screen === 'nik-entry');
    kiosk!.app.core.send({ type: 'nik', nik: '35740123' });
    await clock.advanceAsync(200);
    expect(view()).toMatchObject({ screen: 'nik-entry', nikEntry: { step: 'nik' } });
    expect(logins()).toBe(0);
  }, 30_000);

  it('a proof that expired before the claim sends the resident back home to sign in again, no error', async () => {
    const k = await start(600);
    const chosen = await signIn(BUDI);
    const card = chosen.choose!.applications.find((a) => a.printable)!;
    // The resident takes 16 minutes on `choose` (touching now and then): the 15-minute proof lapses.
    for (let m = 0; m < 16; m++) {
      await clock.advanceAsync(60_000);
      k.app.core.send({ type: 'touch' });
    }
    k.app.core.send({ type: 'choose', applicationNo: card.applicationNo });
    const v = await pump(
      (x) => x.screen === 'home' || x.screen === 'error' || x.screen === 'confirm' || x.screen === 'pin',
    );
    expect(v.screen).toBe('home');
    expect(k.central.liveClaims()).toHaveLength(0);
  }, 60_000);

  it('twenty applications in mixed states, newest first: printable ones have a button, the rest say why', async () => {
    await start();
    const v = await signIn(RATNA);
    const apps = v.choose!.applications;
    expect(apps).toHaveLength(20);
    expect(apps.some((a) => a.printable)).toBe(true);
    const inProcess = apps.find((a) => a.status === 'IN_PROCESS')!;
    expect(inProcess).toMatchObject({ printable: false, why: 'not-ready' });
    expect(apps.some((a) => a.why === 'wrong-region')).toBe(true);
    // A service the kiosk does not know is listed by its documents' media, named generically.
    const unknown = apps.find((a) => a.service === 'AKTA_PERUBAHAN_NAMA');
    if (unknown) expect(unknown.serviceName).toBe('Dokumen kependudukan');
  }, 60_000);

  it('a resident with nothing printable is told so, with what is in process', async () => {
    await start();
    const v = await signIn(LINA);
    expect(v.screen).toBe('choose');
    expect(v.choose!.applications.every((a) => !a.printable)).toBe(true);
    expect(v.choose!.applications.some((a) => a.status === 'IN_PROCESS')).toBe(true);
  }, 60_000);

  it('forgets the NIK, the proof and the list when the session ends', async () => {
    const k = await start();
    await signIn(BUDI);
    k.app.core.send({ type: 'home' });
    const v = await pump((x) => x.screen === 'home');
    expect(JSON.stringify(v)).not.toContain(BUDI.nik);
    const ctx = (
      k.app.core as unknown as { actor: { getSnapshot(): { context: { session?: unknown } } } }
    ).actor.getSnapshot().context;
    expect(ctx.session).toBeUndefined();
  }, 30_000);
});
