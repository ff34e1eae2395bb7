import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { configSchema } from './schema.ts';

/** 100,000 inputs take seconds alone; room for a CI machine busy with every other test file. */
const FUZZ_TIMEOUT_MS = 180_000;

const SIM = JSON.parse(readFileSync(join(import.meta.dirname, 'sim.json'), 'utf8')) as Record<
  string,
  unknown
>;
const TOP_KEYS = new Set(Object.keys(configSchema.shape));
const BASE_DIR = '/srv/adm';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into the simulator config (objects and arrays), the places a mutation can hit. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...paths(x, [...at, i]));
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
const SIM_PATHS = paths(SIM).filter((p) => p.length > 0);

/** Values that sit just outside (or on) the edges of the schema's ranges, and wrong types. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    0.5,
    9,
    10,
    999,
    1000,
    60000,
    60001,
    65535,
    65536,
    0xffff + 1,
    2 ** 53,
    1e308,
    -0,
    '',
    ' ',
    '1',
    'sim',
    'serial',
    'usb',
    'cups',
    'windows',
    'camera',
    'SIM',
    'printer',
    'en',
    'fr',
    'browser',
    'http://',
    'ftp://x',
    'not a url',
    '357',
    '35744',
    'abcd',
    null,
    true,
    false,
    [],
    {},
    [{}],
    [{ driver: 'sim' }],
    { driver: 'sim' },
    { driver: 'nope' },
    { driver: 7 },
    { kid: 'k', publicKey: 'short' },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/** One change to a valid config: delete a key, replace a value, add an unknown key. */
const mutation = fc.record({
  path: fc.constantFrom(...SIM_PATHS),
  op: fc.constantFrom('delete', 'set', 'set', 'add-key', 'driver'),
  value: hostileValue,
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'toString', 'driver', 'path', 'kioskID', 'a.b', 'x: y', ''),
    fc.string({ maxLength: 8 }),
  ),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(config: Record<string, unknown>, mutation: Mutation): void {
  // A copy: the generators hand out the same constant objects run after run, and a later mutation
  // must neither change them nor tie them into a cycle (a config read from JSON is a tree).
  const m = { ...mutation, value: structuredClone(mutation.value) };
  const parentPath = m.path.slice(0, -1);
  let parent: unknown = config;
  for (const p of parentPath) parent = (parent as Record<string | number, unknown>)?.[p];
  if (!parent || typeof parent !== 'object') return;
  const obj = parent as Record<string | number, unknown>;
  const last = m.path[m.path.length - 1] as string | number;
  if (m.op === 'delete') {
    if (Array.isArray(obj)) obj.splice(Number(last), 1);
    else delete obj[last];
  } else if (m.op === 'set') obj[last] = m.value;
  else if (m.op === 'driver') {
    const target = obj[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) {
      (target as Record<string, unknown>).driver = m.value;
    }
  } else {
    const target = obj[last];
    // defineProperty so that "__proto__" becomes an own key, as JSON.parse makes it.
    if (target && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}

const mutatedConfig = fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => {
  const config = structuredClone(SIM);
  for (const m of ms) apply(config, m);
  return config;
});

const rawConfig: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: mutatedConfig },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...TOP_KEYS), hostileValue, { maxKeys: 6 }) },
  {
    weight: 1,
    arbitrary: fc.constant(JSON.parse('{"__proto__": {"kioskId": "x"}, "constructor": 1}') as Json),
  },
);

const SEGMENT = String.raw`(?:[A-Za-z0-9_$-]+|"(?:[^"\\]|\\.)*")`;
const LINE = new RegExp(String.raw`^config: (\(root\)|${SEGMENT}(?:\.${SEGMENT})*): (.+)$`);
const FIRST = new RegExp(`^${SEGMENT}`);

/**
 * One line, `config: <key>: <why>`, where the key is `(root)` or a dotted path (odd keys quoted)
 * whose first part is a key of the file or of the schema.
 */
function namesAKey(line: string, raw: unknown): boolean {
  if (/[\r\n]/.test(line)) return false;
  const m = LINE.exec(line);
  if (!m) return false;
  const key = m[1] as string;
  if (key === '(root)') return true;
  const first = (FIRST.exec(key) as RegExpExecArray)[0];
  const name = first.startsWith('"') ? (JSON.parse(first) as string) : first;
  const own = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
  return TOP_KEYS.has(name) || own.includes(name);
}

describe('config loader fuzz', () => {
  it(
    'never throws: a config that passes satisfies the schema, one that fails says which key and why',
    () => {
      fc.assert(
        fc.property(rawConfig, (raw) => {
          const r = parseConfig(raw, BASE_DIR);
          if (r.ok) {
            return configSchema.safeParse(r.value).success && isAbsolute(r.value.dataDir);
          }
          return (
            r.error.length > 0 && r.error.every((line) => typeof line === 'string' && namesAKey(line, raw))
          );
        }),
        { numRuns: 100_000 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('passes the simulator config unchanged but for dataDir', () => {
    const r = parseConfig(structuredClone(SIM), BASE_DIR);
    expect(r.ok).toBe(true);
    if (r.ok) expect({ ...r.value, dataDir: SIM.dataDir }).toEqual(SIM);
  });
});
