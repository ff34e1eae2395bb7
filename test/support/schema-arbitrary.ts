import fc from 'fast-check';
import { rawAt } from '../../kiosk/central-api/openapi.ts';

type Schema = Record<string, unknown>;

/**
 * A fast-check arbitrary of values valid for a JSON Schema of the contract (the subset central-api.yaml
 * uses: `$ref`, `allOf`, `anyOf`, `oneOf`, `const`, `enum`, strings with pattern, format and length,
 * bounded integers, booleans, null, objects with required, optional and additional properties, and
 * arrays). `$ref`s resolve inside the contract.
 */
export function validValue(schema: unknown): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.allOf) return merged(s.allOf as Schema[]);
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map(validValue));
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  switch (s.type) {
    case 'string':
      return stringOf(s);
    case 'integer':
      return fc.integer({
        min: (s.minimum as number) ?? -1_000_000,
        max: (s.maximum as number) ?? 1_000_000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(s.items ?? {}), {
        minLength: (s.minItems as number) ?? 0,
        maxLength: Math.min((s.maxItems as number) ?? 3, 3),
      });
    default:
      return objectOf(s);
  }
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'date-time')
    return fc
      .tuple(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.constantFrom('Z', '+07:00', '-03:30'),
      )
      .map(([d, zone]) => d.toISOString().replace('Z', zone));
  if (s.format === 'uuid') return fc.uuid();
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern));
  return fc.string({ minLength: (s.minLength as number) ?? 0, maxLength: (s.maxLength as number) ?? 20 });
}

function objectOf(s: Schema): fc.Arbitrary<unknown> {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = (s.required ?? []) as string[];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = validValue(v);
  for (const k of required) model[k] ??= fc.jsonValue({ maxDepth: 1 });
  const record = fc.record(model, { requiredKeys: required });
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    return fc
      .tuple(
        record,
        fc.dictionary(fc.string({ maxLength: 8 }), validValue(s.additionalProperties), { maxKeys: 3 }),
      )
      .map(([r, extra]) => ({ ...extra, ...(r as object) }));
  return record;
}

function merged(parts: Schema[]): fc.Arbitrary<unknown> {
  return fc.tuple(...parts.map(validValue)).map((values) => Object.assign({}, ...(values as object[])));
}

function resolve(schema: unknown): Schema {
  let s = (schema ?? {}) as Schema;
  while (typeof s.$ref === 'string') s = rawAt(s.$ref.replace(/^#/, '')) as Schema;
  return s;
}

/** Values of the wrong kind for almost any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  '',
  'yesterday',
  '2026',
  'many',
  -1,
  1.5,
  42,
  true,
  [],
  {},
  'x'.repeat(600),
  '12345',
);

/** Values that break a schema of this kind in the way a careless client would (issue 12 §3). */
function breakerOf(schema: unknown): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.anyOf || s.oneOf) return fc.constantFrom('lower_case!', 42, null);
  if (s.enum || 'const' in s) return fc.constantFrom('NOT_IN_ENUM', 1, null);
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time')
        return fc.constantFrom('yesterday', '2026', '2026-13-01T00:00:00Z', 20261128);
      if (s.format === 'uuid') return fc.constantFrom('not-a-uuid', 12);
      if (s.pattern) return fc.constantFrom('', 'x y', 'lower-case', 7);
      if (typeof s.maxLength === 'number') return fc.constant('x'.repeat(s.maxLength + 1));
      return fc.constantFrom(42, null, true, {});
    case 'integer':
      return fc.constantFrom('many', 1.5, typeof s.minimum === 'number' ? s.minimum - 1 : '1', null);
    case 'boolean':
      return fc.constantFrom('yes', 1);
    default:
      return fc.constantFrom('many', [], 5);
  }
}

/**
 * A value valid for `schema` broken in one place: a required member deleted, a member replaced by a
 * value that breaks its own schema (a date-time "yesterday", a count "many"), one level deep too, or the
 * whole body replaced. The caller still checks with the contract's schema whether the result is invalid.
 */
export function mutatedValue(schema: unknown): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const keys = Object.keys(props);
  if (keys.length === 0) return hostileValue;
  const member = fc.constantFrom(...keys).chain((key) => {
    const inner = resolve(props[key]);
    const innerKeys = Object.keys((inner.properties ?? {}) as Record<string, unknown>);
    const deep =
      innerKeys.length > 0
        ? fc
            .constantFrom(...innerKeys)
            .chain((k) =>
              breakerOf((inner.properties as Record<string, unknown>)[k]).map((v) => ({ key, inner: k, v })),
            )
        : fc.constant(undefined);
    return fc.oneof(
      breakerOf(props[key]).map((v) => ({ key, inner: undefined as string | undefined, v })),
      deep.map((d) => d ?? { key, inner: undefined, v: 'many' }),
      fc.constant({ key, inner: undefined, v: DELETE }),
    );
  });
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(validValue(schema), member).map(([value, m]) => broken(value, m)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

const DELETE = Symbol('delete');

function broken(value: unknown, m: { key: string; inner: string | undefined; v: unknown }): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let target = copy;
  let key = m.key;
  if (m.inner !== undefined && copy[m.key] && typeof copy[m.key] === 'object') {
    target = copy[m.key] as Record<string, unknown>;
    key = m.inner;
  }
  if (m.v === DELETE) delete target[key];
  else target[key] = m.v;
  return copy;
}
