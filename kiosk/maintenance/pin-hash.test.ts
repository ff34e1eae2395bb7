import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './pin-hash.ts';

describe('pin-hash', () => {
  it('hashes to the self-describing scrypt format with a random salt', async () => {
    const a = await hashPin('135790');
    const b = await hashPin('135790');
    expect(a).toMatch(/^scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('135790');
  });

  it('accepts the right PIN and refuses a wrong one', async () => {
    const h = await hashPin('135790');
    expect(await verifyPin('135790', h)).toBe(true);
    expect(await verifyPin('135791', h)).toBe(false);
    expect(await verifyPin('', h)).toBe(false);
  });

  it('never matches a malformed or hostile hash', async () => {
    const h = await hashPin('123456');
    expect(await verifyPin('123456', h.replace('scrypt$', 'bcrypt$'))).toBe(false);
    expect(await verifyPin('123456', h.replace('N=16384', 'N=1073741824'))).toBe(false);
    expect(await verifyPin('123456', h.replace('N=16384', 'N=1000'))).toBe(false);
    expect(await verifyPin('123456', 'plain-123456')).toBe(false);
    expect(await verifyPin('123456', '')).toBe(false);
  });

  it('refuses to hash a PIN of fewer than 6 digits, or anything but digits', async () => {
    await expect(hashPin('1234')).rejects.toThrow(RangeError);
    await expect(hashPin('12345')).rejects.toThrow(RangeError);
    await expect(hashPin('12345a')).rejects.toThrow(RangeError);
    await expect(hashPin('1234567890123')).rejects.toThrow(RangeError);
    expect(await hashPin('123456')).toMatch(/^scrypt\$/);
  });
});
