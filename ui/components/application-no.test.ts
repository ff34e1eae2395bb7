import { describe, expect, it } from 'vitest';
import { APPLICATION_NO_PATTERN, typeApplicationNoKey, wrongApplicationNoPart } from './application-no.ts';

const type = (keys: string) =>
  [...keys].reduce<string>((value, key) => typeApplicationNoKey(value, key) ?? value, '');

describe('application number format', () => {
  it('puts the hyphens in by itself and accepts typed ones', () => {
    expect(type('3574KIA2611000123')).toBe('3574-KIA-2611-000123');
    expect(type('3574-KIA-2611-000123')).toBe('3574-KIA-2611-000123');
    expect(type('3574KK2611000200')).toBe('3574-KK-2611-000200');
    expect(APPLICATION_NO_PATTERN.test(type('3574KIA2611000123'))).toBe(true);
  });

  it('refuses a key that cannot come next', () => {
    expect(typeApplicationNoKey('', 'K')).toBeUndefined();
    expect(typeApplicationNoKey('', '-')).toBeUndefined();
    expect(typeApplicationNoKey('357', '-')).toBeUndefined();
    expect(typeApplicationNoKey('3574-K', '1')).toBeUndefined();
    expect(typeApplicationNoKey('3574-KIAB', 'C')).toBeUndefined();
    expect(typeApplicationNoKey('3574-KIA-26', 'X')).toBeUndefined();
    expect(typeApplicationNoKey('3574-KIA-2611-000123', '4')).toBeUndefined();
  });

  it('names the first part that is missing or wrong', () => {
    expect(wrongApplicationNoPart('3574-KIA-2611-000123')).toBe(0);
    expect(wrongApplicationNoPart('')).toBe(1);
    expect(wrongApplicationNoPart('357')).toBe(1);
    expect(wrongApplicationNoPart('3574')).toBe(2);
    expect(wrongApplicationNoPart('3574-K')).toBe(2);
    expect(wrongApplicationNoPart('3574-KIA-261')).toBe(3);
    expect(wrongApplicationNoPart('3574-KIA-2611-00012')).toBe(4);
    expect(wrongApplicationNoPart('3574-KIA-2611-000123-1')).toBe(4);
  });
});
