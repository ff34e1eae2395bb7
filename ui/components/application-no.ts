/**
 * The shape of an application number as the offices issue them, `3574-KIA-2611-000123`: the region
 * code (4 digits), the service code (2 to 4 letters: KK, KIA, KTP, BIO...), the year and month (4 digits)
 * and the sequence (6 digits). The manual-entry keyboard follows it: the hyphens come by themselves
 * between groups, a key that cannot come next is refused, and a number of the wrong shape is never sent.
 * Every number of this shape also matches the API's pattern (`ApplicationNo`, central-api.yaml).
 */

/** `ApplicationNo` of central-api.yaml. */
export const APPLICATION_NO_PATTERN = /^[A-Z0-9][A-Z0-9-]{5,39}$/;

interface Group {
  kind: 'digits' | 'letters';
  min: number;
  max: number;
}

/** The four groups, in order (parts 1 to 4 of the messages `manual.part1`...). */
export const APPLICATION_NO_GROUPS: readonly Group[] = [
  { kind: 'digits', min: 4, max: 4 },
  { kind: 'letters', min: 2, max: 4 },
  { kind: 'digits', min: 4, max: 4 },
  { kind: 'digits', min: 6, max: 6 },
];

const fits = (group: Group, key: string) => (group.kind === 'digits' ? /^[0-9]$/ : /^[A-Z]$/).test(key);

/**
 * The value after typing `key` (a digit, a letter or `-`), or `undefined` when the key cannot come
 * there. A key of the next group after a complete group brings its hyphen with it.
 */
export function typeApplicationNoKey(value: string, key: string): string | undefined {
  const groups = value.split('-');
  const index = groups.length - 1;
  const current = groups[index] ?? '';
  const group = APPLICATION_NO_GROUPS[index];
  const next = APPLICATION_NO_GROUPS[index + 1];
  if (!group) return undefined;
  const complete = current.length >= group.min;
  if (key === '-') return complete && next ? `${value}-` : undefined;
  if (fits(group, key) && current.length < group.max) return value + key;
  if (complete && next && fits(next, key)) return `${value}-${key}`;
  return undefined;
}

/** The first part (1 to 4) that is missing or of the wrong shape, or 0 when the number is whole. */
export function wrongApplicationNoPart(value: string): number {
  const groups = value.split('-');
  for (const [i, group] of APPLICATION_NO_GROUPS.entries()) {
    const text = groups[i] ?? '';
    const shape = group.kind === 'digits' ? /^[0-9]*$/ : /^[A-Z]*$/;
    if (!shape.test(text) || text.length < group.min || text.length > group.max) return i + 1;
  }
  if (groups.length > APPLICATION_NO_GROUPS.length) return APPLICATION_NO_GROUPS.length;
  return APPLICATION_NO_PATTERN.test(value) ? 0 : 1;
}
