import type { z } from 'zod';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { errorSchema, pinWrongSchema } from './schemas.ts';

/** Why a call did not give the expected answer. */
export type ApiFailure =
  /** The API answered with an error body (4xx): a refusal the flow maps to a reason. */
  | { kind: 'refused'; status: number; code: string; message: string; attemptsLeft?: number }
  /** No usable answer: timeout, broken connection or 5xx. Try again later. */
  | { kind: 'unavailable'; detail: string }
  /** An answer whose shape breaks the contract. Treated like `unavailable`, and logged. */
  | { kind: 'malformed'; detail: string };

/**
 * Reads one HTTP answer of the central API: a 2xx body checked against `schema` (none: the body is
 * not read), anything else through `readFailure`. Never throws; `label` (method and path) goes into
 * the detail of a `malformed` answer for the log.
 */
export async function readAnswer<T>(
  res: Response,
  schema: z.ZodType<T> | undefined,
  label: string,
): Promise<Result<T, ApiFailure>> {
  if (!res.ok) return err(await readFailure(res));
  // Only a call that expects no body (heartbeat, feedback: 204) takes an empty answer as done; a 204
  // to a lookup or a claim has no body to check and falls through to `malformed`.
  if (!schema) {
    await res.body?.cancel().catch(() => undefined);
    return ok(undefined as T);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return err({ kind: 'malformed', detail: `${label}: body is not JSON` });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return err({
      kind: 'malformed',
      detail: `${label}: ${first?.path.join('.') || 'body'}: ${first?.message}`,
    });
  }
  return ok(parsed.data);
}

/** Reads a non-2xx answer: 5xx is `unavailable`, an error body `refused`, anything else `malformed`. */
export async function readFailure(res: Response): Promise<ApiFailure> {
  if (res.status >= 500) {
    await res.body?.cancel().catch(() => undefined);
    return { kind: 'unavailable', detail: `HTTP ${res.status}` };
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return { kind: 'malformed', detail: `HTTP ${res.status}: error body is not JSON` };
  }
  const wrong = pinWrongSchema.safeParse(json);
  if (wrong.success) return { kind: 'refused', status: res.status, ...wrong.data };
  const e = errorSchema.safeParse(json);
  if (!e.success) return { kind: 'malformed', detail: `HTTP ${res.status}: error body has the wrong shape` };
  return { kind: 'refused', status: res.status, code: e.data.code, message: e.data.message };
}
