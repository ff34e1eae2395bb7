/**
 * Expected failure is a value: paper out, a wrong PIN or a 409 are results with a reason, not
 * exceptions. Exceptions are for bugs and for what nobody could foresee.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** A successful result. */
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A failed result. */
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
