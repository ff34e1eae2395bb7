import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { type Operation, responseFor, schemaAt } from './openapi.ts';
import { type ContractSchema, errorSchema } from './schemas.ts';

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
 * not read), anything else through `readFailure`. With `op`, a status the contract does not list for
 * the operation is `malformed` too. Never throws; `label` (method and path) goes into the detail of a
 * `malformed` answer for the log.
 */
export async function readAnswer<T>(
  res: Response,
  schema: ContractSchema<T> | undefined,
  label: string,
  op?: Operation,
): Promise<Result<T, ApiFailure>> {
  if (!res.ok) return err(await readFailure(res, op));
  const listed = op ? responseFor(op, res.status) : undefined;
  if (op && !listed) {
    await discard(res);
    return err({
      kind: 'malformed',
      detail: `${label}: HTTP ${res.status} is not an answer of the contract`,
    });
  }
  // Only a call that expects no body (heartbeat, feedback: 204) takes an empty answer as done; a 204
  // to a lookup or a claim has no body to check and falls through to `malformed`.
  if (!schema) {
    await discard(res);
    return ok(undefined as T);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return err({ kind: 'malformed', detail: `${label}: body is not JSON` });
  }
  // The schema listed for this very status (a claim's 200 and 201 each have theirs), then the call's own.
  const pointer = listed?.content['application/json'];
  const breach = pointer ? schemaAt(pointer).check(json) : undefined;
  if (breach !== undefined) return err({ kind: 'malformed', detail: `${label}: ${breach}` });
  const parsed = schema.safeParse(json);
  if (!parsed.success) return err({ kind: 'malformed', detail: `${label}: ${parsed.error.message}` });
  return ok(parsed.data);
}

/**
 * Reads a non-2xx answer: 5xx is `unavailable`; an error body valid for the status (the schema `op`
 * lists for it, else `Error`) is `refused`; anything else, or a status `op` does not list, `malformed`.
 */
export async function readFailure(res: Response, op?: Operation): Promise<ApiFailure> {
  if (res.status >= 500) {
    await discard(res);
    return { kind: 'unavailable', detail: `HTTP ${res.status}` };
  }
  const listed = op ? responseFor(op, res.status) : undefined;
  if (op && !listed) {
    await discard(res);
    return { kind: 'malformed', detail: `HTTP ${res.status} is not an answer of the contract` };
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return { kind: 'malformed', detail: `HTTP ${res.status}: error body is not JSON` };
  }
  const pointer = listed?.content['application/json'];
  const breach = pointer
    ? schemaAt(pointer).check(json)
    : errorSchema.safeParse(json).success
      ? undefined
      : 'not an Error';
  if (breach !== undefined) return { kind: 'malformed', detail: `HTTP ${res.status}: error body: ${breach}` };
  const body = json as { code: string; message: string; attemptsLeft?: unknown };
  // An empty code names no refusal the flow could map to a reason.
  if (body.code === '') return { kind: 'malformed', detail: `HTTP ${res.status}: error body: empty code` };
  const attemptsLeft =
    Number.isInteger(body.attemptsLeft) && (body.attemptsLeft as number) >= 0
      ? { attemptsLeft: body.attemptsLeft as number }
      : {};
  return { kind: 'refused', status: res.status, code: body.code, message: body.message, ...attemptsLeft };
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}
