import { describe, expect, it } from 'vitest';
import { maskNik, REDACTED, redact } from './mask.ts';

describe('maskNik', () => {
  it('keeps the first 6 and last 4 digits', () => {
    expect(maskNik('3574010101900001')).toBe('357401******0001');
  });
  it('leaves an already masked NIK as it is', () => {
    expect(maskNik('357401******0001')).toBe('357401******0001');
  });
  it('masks anything else whole', () => {
    expect(maskNik('12345')).toBe('*****');
    expect(maskNik('35740101019000012')).toBe('****************');
  });
});

describe('redact', () => {
  it('masks nik fields and removes secrets at any depth', () => {
    const out = redact({
      nik: '3574010101900001',
      pin: '123456',
      session: { pinProof: 'abc', token: 'tok', photo: { data: 'AAAA' }, signature: 'sig' },
      config: { centralApi: { token: 'sim-token' }, technicians: [{ id: 'T1', pinHash: 'scrypt$..' }] },
      reason: 'CLAIM_LOST',
      count: 3,
    });
    expect(out).toEqual({
      nik: '357401******0001',
      pin: REDACTED,
      session: { pinProof: REDACTED, token: REDACTED, photo: REDACTED, signature: REDACTED },
      config: { centralApi: { token: REDACTED }, technicians: [{ id: 'T1', pinHash: REDACTED }] },
      reason: 'CLAIM_LOST',
      count: 3,
    });
  });

  it('masks NIKs and print codes that slipped into free text', () => {
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln';
    const out = redact({ message: `lookup of 3574010101900001 with ${jws} failed` });
    expect(out.message).toBe('lookup of 357401******0001 with [redacted] failed');
  });

  it('does not mutate its input and survives cycles', () => {
    const a: Record<string, unknown> = { nik: '3574010101900001' };
    a.self = a;
    const out = redact(a);
    expect(a.nik).toBe('3574010101900001');
    expect(out.self).toBe(REDACTED);
  });
});
