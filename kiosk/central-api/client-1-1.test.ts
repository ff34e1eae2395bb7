import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { CentralApi } from './client.ts';
import { CentralApiSimulator } from './sim/server.ts';

/** The 1.1 operations through the client against the simulator: sign-in, hand-offs, staff requests. */
let sim: CentralApiSimulator;
let api: CentralApi;
const clock = new ManualClock(Date.parse('2026-11-28T04:00:00Z'));
const KEY = () => CentralApi.newKey();
const RATNA = '3574015508750021';

beforeAll(async () => {
  sim = await CentralApiSimulator.start({ clock });
  api = new CentralApi({
    baseUrl: sim.baseUrl,
    token: 'sim-token',
    kioskId: 'ADM-3574-MPP-01',
    timeoutMs: 2000,
  });
});
afterAll(() => sim.close());

const pinOf = (nik: string) => sim.residents().find((r) => r.nik === nik)!.loginPin;

describe('resident sign-in (1.1)', () => {
  it('lists a resident’s 20 newest applications in mixed states, an unknown service and another region among them', async () => {
    const r = await api.login(RATNA, pinOf(RATNA), KEY());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.resident).toEqual({ nik: RATNA, name: 'RATNA KUSUMAWATI' });
    const apps = r.value.applications;
    expect(apps).toHaveLength(20);
    const dates = apps.map((a) => a.updatedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(apps.map((a) => a.status))).toEqual(
      new Set(['READY', 'IN_PROCESS', 'PRINTED', 'REJECTED', 'CANCELLED']),
    );
    expect(apps.some((a) => a.service === 'AKTA_PERUBAHAN_NAMA')).toBe(true);
    expect(apps.some((a) => a.regionCode !== '3574')).toBe(true);
    expect(apps.some((a) => !a.selfPrint)).toBe(true);
    expect(Date.parse(r.value.expiresAt) - clock.now()).toBe(15 * 60_000);
  });

  it('counts wrong login PINs down, locks at the third (even for the right PIN after), and knows no stranger', async () => {
    const agus = '3574010902900005';
    expect(await api.login(agus, '000000', KEY())).toMatchObject({
      ok: false,
      error: { kind: 'refused', status: 422, code: 'PIN_WRONG', attemptsLeft: 2 },
    });
    expect(await api.login(agus, '000000', KEY())).toMatchObject({ ok: false, error: { attemptsLeft: 1 } });
    expect(await api.login(agus, '000000', KEY())).toMatchObject({
      ok: false,
      error: { status: 423, code: 'PIN_LOCKED' },
    });
    expect(await api.login(agus, pinOf(agus), KEY())).toMatchObject({
      ok: false,
      error: { code: 'PIN_LOCKED' },
    });
    expect(await api.login('3574019999990099', '123456', KEY())).toMatchObject({
      ok: false,
      error: { status: 404, code: 'NOT_REGISTERED' },
    });
    expect(sim.records.logins.filter((l) => l.nik === agus).map((l) => l.ok)).toEqual([false, false, false]);
  });

  it('a right PIN ends the run of wrong ones', async () => {
    const budi = '3574012301880004';
    await api.login(budi, '000000', KEY());
    await api.login(budi, '000000', KEY());
    expect((await api.login(budi, pinOf(budi), KEY())).ok).toBe(true);
    expect(await api.login(budi, '000000', KEY())).toMatchObject({ ok: false, error: { attemptsLeft: 2 } });
  });

  it('claims with the residentProof; a foreign, expired or made-up proof is 403 PIN_REQUIRED', async () => {
    const login = await api.login(RATNA, pinOf(RATNA), KEY());
    if (!login.ok) throw new Error('login');
    const proof = login.value.residentProof;
    const mine = login.value.applications.find(
      (a) => a.status === 'READY' && a.selfPrint && !a.pinRequired && a.regionCode === '3574',
    )!;
    const notMine = '3574-KTP-2611-000046';
    expect(await api.claim(notMine, undefined, KEY(), proof)).toMatchObject({
      ok: false,
      error: { status: 403, code: 'PIN_REQUIRED' },
    });
    expect(await api.claim(mine.applicationNo, undefined, KEY(), 'rp_made-up')).toMatchObject({
      ok: false,
      error: { code: 'PIN_REQUIRED' },
    });
    clock.advance(15 * 60_000 + 1);
    expect(await api.claim(mine.applicationNo, undefined, KEY(), proof)).toMatchObject({
      ok: false,
      error: { code: 'PIN_REQUIRED' },
    });
    const again = await api.login(RATNA, pinOf(RATNA), KEY());
    if (!again.ok) throw new Error('login');
    const claim = await api.claim(mine.applicationNo, undefined, KEY(), again.value.residentProof);
    expect(claim.ok).toBe(true);
    if (claim.ok) {
      expect(
        await api.release(claim.value.claimId, 'CANCELLED_BY_APPLICANT', undefined, KEY(), 'K7Q2-9XMD'),
      ).toMatchObject({ kind: 'ack' });
      expect(sim.records.releases.at(-1)).toMatchObject({
        reason: 'CANCELLED_BY_APPLICANT',
        reference: 'K7Q2-9XMD',
      });
    }
  });

  it('a proof is bound to the kiosk that signed in', async () => {
    const other = await CentralApiSimulator.start({
      clock,
      kiosks: [
        { kioskId: 'ADM-3574-MPP-01', token: 'sim-token', regions: ['3574'] },
        { kioskId: 'ADM-3574-MPP-02', token: 'sim-token-2', regions: ['3574'] },
      ],
    });
    try {
      const one = new CentralApi({
        baseUrl: other.baseUrl,
        token: 'sim-token',
        kioskId: 'ADM-3574-MPP-01',
        timeoutMs: 2000,
      });
      const two = new CentralApi({
        baseUrl: other.baseUrl,
        token: 'sim-token-2',
        kioskId: 'ADM-3574-MPP-02',
        timeoutMs: 2000,
      });
      const login = await one.login(RATNA, '135790', KEY());
      if (!login.ok) throw new Error('login');
      const app = login.value.applications.find((a) => a.service === 'KK' && a.status === 'READY')!;
      expect(await two.claim(app.applicationNo, undefined, KEY(), login.value.residentProof)).toMatchObject({
        ok: false,
        error: { code: 'PIN_REQUIRED' },
      });
    } finally {
      await other.close();
    }
  });
});

describe('hand-offs and staff requests (1.1)', () => {
  const at = () => new Date(clock.now()).toISOString();

  it('records one hand-off per reference and reason; a repeat is 201 again', async () => {
    const body = {
      reference: 'ABCD-2345',
      at: at(),
      reason: 'device-fault',
      applicationNo: '3574-KK-2611-000200',
    };
    expect(await api.handoff(body, KEY())).toMatchObject({ kind: 'ack' });
    expect(await api.handoff({ ...body, at: at() }, KEY())).toMatchObject({ kind: 'ack' });
    expect(
      await api.handoff({ reference: 'ABCD-2345', at: at(), reason: 'incomplete' }, KEY()),
    ).toMatchObject({
      kind: 'ack',
    });
    expect(sim.records.handoffs.map((h) => h.body.reason)).toEqual(['device-fault', 'incomplete']);
    expect(await api.handoff({ ...body, reference: 'abcd-2345' }, KEY())).toMatchObject({
      kind: 'refused',
      status: 400,
    });
  });

  it('keeps one staff request open for 5 minutes or until cleared, readable on the control surface', async () => {
    const control = `${sim.baseUrl.replace(/\/v1$/, '')}/sim/assistance/ADM-3574-MPP-01`;
    expect(
      await api.requestAssistance({ at: at(), screen: 'confirm', reference: 'ABCD-2345' }, KEY()),
    ).toMatchObject({
      kind: 'ack',
    });
    expect(await api.requestAssistance({ at: at(), screen: 'home' }, KEY())).toMatchObject({ kind: 'ack' });
    let state = await (await fetch(control)).json();
    expect(state.open).toBe(true);
    expect(state.requests.map((r: { opened: boolean }) => r.opened)).toEqual([true, false]);
    clock.advance(5 * 60_000);
    expect((await (await fetch(control)).json()).open).toBe(false);
    await api.requestAssistance({ at: at(), screen: 'home' }, KEY());
    expect((await fetch(`${control}/clear`, { method: 'POST' })).status).toBe(204);
    state = await (await fetch(control)).json();
    expect(state.open).toBe(false);
    expect(state.requests.map((r: { opened: boolean }) => r.opened)).toEqual([true, false, true]);
  });
});

describe('the simulator refuses what the contract calls invalid (issue 12 §3)', () => {
  it('answers 400 BAD_REQUEST and records nothing', async () => {
    const at = new Date(clock.now()).toISOString();
    const heartbeat = {
      at,
      state: 'IN_SERVICE' as const,
      softwareVersion: '1',
      devices: {},
      supplies: { blankCards: 'many' as unknown as number },
      outboxPending: 0,
    };
    expect(
      await api.feedback({ kioskId: 'ADM-3574-MPP-01', rating: 4, at: 'yesterday' }, KEY()),
    ).toMatchObject({
      kind: 'refused',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(await api.heartbeat(heartbeat, KEY())).toMatchObject({ kind: 'refused', status: 400 });
    const no = '3574-BIO-2611-000350';
    sim.setStatus(no, 'READY');
    const claim = await api.claim(no, undefined, KEY());
    if (!claim.ok) throw new Error('claim');
    expect(await api.complete(claim.value.claimId, { printedAt: '2026' }, KEY())).toMatchObject({
      kind: 'refused',
      status: 400,
    });
    const serial = 42 as unknown as string;
    expect(
      await api.complete(claim.value.claimId, { printedAt: at, cardPrinterSerial: serial }, KEY()),
    ).toMatchObject({ kind: 'refused', status: 400 });
    expect(sim.application(no).status).toBe('READY');
    expect(sim.records.feedback).toHaveLength(0);
    expect(sim.records.heartbeats).toHaveLength(0);
    expect(sim.records.completions).toHaveLength(0);
    expect(
      await api.complete(claim.value.claimId, { printedAt: at, reference: 'K7Q2-9XMD' }, KEY()),
    ).toMatchObject({
      kind: 'ack',
    });
    expect(sim.records.completions[0]?.body.reference).toBe('K7Q2-9XMD');
  });
});
