import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApi } from './client.ts';
import { cardDocumentSchema } from './schemas.ts';
import { CentralApiSimulator } from './sim/server.ts';

let sim: CentralApiSimulator;
let api: CentralApi;

beforeAll(async () => {
  sim = await CentralApiSimulator.start();
  api = new CentralApi({
    baseUrl: sim.baseUrl,
    token: 'sim-token',
    kioskId: 'ADM-3574-MPP-01',
    timeoutMs: 1000,
  });
});
afterAll(() => sim.close());

const KEY = () => CentralApi.newKey();

describe('central API client against the simulator', () => {
  it('looks up an application and validates its shape', async () => {
    const r = await api.getApplication('3574-KIA-2611-000123');
    expect(r.ok && r.value.service).toBe('KIA');
  });

  it('maps 404, 403 FORBIDDEN_REGION and 401 to refusals', async () => {
    expect(await api.getApplication('3574-XXX-0000-000000')).toMatchObject({
      ok: false,
      error: { kind: 'refused', status: 404, code: 'NOT_FOUND' },
    });
    expect(await api.getApplication('1471-KTP-2611-000450')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_REGION' },
    });
    const wrong = new CentralApi({
      baseUrl: sim.baseUrl,
      token: 'nope',
      kioskId: 'ADM-3574-MPP-01',
      timeoutMs: 1000,
    });
    expect(await wrong.getApplication('3574-KIA-2611-000123')).toMatchObject({
      ok: false,
      error: { status: 401, code: 'UNAUTHORIZED' },
    });
  });

  it('claims, downloads with a matching SHA-256, completes once; a repeat is the same answer', async () => {
    const no = '3574-KTP-2611-000046';
    const app = await api.getApplication(no);
    if (!app.ok) throw new Error('lookup');
    const claim = await api.claim(no, undefined, KEY());
    if (!claim.ok) throw new Error(JSON.stringify(claim.error));
    const doc = app.value.documents[0]!;
    const bytes = await api.getDocument(doc.documentId, claim.value.claimId);
    if (!bytes.ok) throw new Error('download');
    expect(createHash('sha256').update(bytes.value).digest('hex')).toBe(doc.sha256);
    expect(cardDocumentSchema.safeParse(JSON.parse(Buffer.from(bytes.value).toString('utf8'))).success).toBe(
      true,
    );
    const key = KEY();
    const body = { printedAt: new Date().toISOString(), cardsPrinted: 1 };
    expect(await api.complete(claim.value.claimId, body, key)).toMatchObject({ kind: 'ack' });
    expect(await api.complete(claim.value.claimId, body, key)).toMatchObject({ kind: 'ack' });
    expect(sim.completionsOf(no)).toBe(1);
    expect(await api.claim(no, undefined, KEY())).toMatchObject({
      ok: false,
      error: { status: 409, code: 'ALREADY_PRINTED' },
    });
  });

  it('counts wrong PINs down and locks at the third', async () => {
    const no = '3574-KTP-2611-000047';
    expect(await api.verifyPin(no, '000000', KEY())).toMatchObject({
      ok: false,
      error: { status: 422, attemptsLeft: 2 },
    });
    expect(await api.verifyPin(no, '000000', KEY())).toMatchObject({
      ok: false,
      error: { status: 422, attemptsLeft: 1 },
    });
    expect(await api.verifyPin(no, '000000', KEY())).toMatchObject({
      ok: false,
      error: { status: 423, code: 'PIN_LOCKED' },
    });
    expect(await api.verifyPin(no, sim.application(no).pin, KEY())).toMatchObject({
      ok: false,
      error: { code: 'PIN_LOCKED' },
    });
  });

  it('needs a pinProof for a pinRequired claim', async () => {
    const no = '3574-KTP-2611-000045';
    expect(await api.claim(no, undefined, KEY())).toMatchObject({
      ok: false,
      error: { status: 403, code: 'PIN_REQUIRED' },
    });
    const proof = await api.verifyPin(no, sim.application(no).pin, KEY());
    if (!proof.ok) throw new Error('pin');
    const claim = await api.claim(no, proof.value.pinProof, KEY());
    expect(claim.ok).toBe(true);
    if (claim.ok) await api.release(claim.value.claimId, 'CANCELLED_BY_APPLICANT', undefined, KEY());
  });

  it('turns a malformed or wrong-shaped answer into a failure, never a throw', async () => {
    sim.setFault('lookup', { kind: 'malformed' }, 1);
    expect(await api.getApplication('3574-KIA-2611-000123')).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
    sim.setFault('lookup', { kind: 'wrong-shape' }, 1);
    expect(await api.getApplication('3574-KIA-2611-000123')).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
  });

  it('tries a lookup once more after a 500, a reset or a timeout, then gives up', async () => {
    sim.setFault('lookup', { kind: 'status', status: 500 }, 1);
    expect((await api.getApplication('3574-KIA-2611-000123')).ok).toBe(true);
    sim.setFault('lookup', { kind: 'reset' }, 1);
    expect((await api.getApplication('3574-KIA-2611-000123')).ok).toBe(true);
    sim.setFault('lookup', { kind: 'hang' }, 2);
    expect(await api.getApplication('3574-KIA-2611-000123')).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', detail: 'timeout' },
    });
  });

  it('refuses an Idempotency-Key reused for another body', async () => {
    const key = KEY();
    const at = new Date().toISOString();
    expect(await api.feedback({ kioskId: 'ADM-3574-MPP-01', rating: 4, at }, key)).toMatchObject({
      kind: 'ack',
    });
    expect(await api.feedback({ kioskId: 'ADM-3574-MPP-01', rating: 3, at }, key)).toMatchObject({
      kind: 'refused',
      status: 400,
    });
    expect(sim.records.feedback).toHaveLength(1);
  });
});

describe('central API client on odd answers (found by the fuzzer)', () => {
  const answering = (answer: () => Promise<Response>) =>
    new CentralApi({
      baseUrl: 'http://central.invalid/v1',
      token: 't',
      kioskId: 'ADM-3574-MPP-01',
      timeoutMs: 1000,
      fetch: answer as typeof fetch,
    });

  it('takes a 204 to a lookup as malformed, not as an application', async () => {
    const api = answering(async () => new Response(null, { status: 204 }));
    expect(await api.getApplication('3574-KIA-2611-000123')).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
  });

  it('takes a fetch that rejects with null as unavailable, twice, instead of throwing', async () => {
    const api = answering(() => Promise.reject(null));
    expect(await api.getApplication('3574-KIA-2611-000123')).toEqual({
      ok: false,
      error: { kind: 'unavailable', detail: 'connection: failed' },
    });
  });
});
