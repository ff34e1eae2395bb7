import { type Operation, operations, schemaAt } from '../openapi.ts';
import { OP, type OperationName } from '../schemas.ts';

/** A request matched to an operation of the contract, its parameters decoded. */
export interface MatchedRequest {
  op: Operation;
  name: OperationName;
  params: Record<string, string>;
}

/** Why a request is refused before the operation runs: the status and the Error body's code. */
export interface RequestBreach {
  status: number;
  code: string;
  message: string;
}

const NAME_OF = new Map<string, OperationName>(
  Object.entries(OP).map(([name, id]) => [id, name as OperationName]),
);

const MATCHERS = operations.map((op) => {
  const names: string[] = [];
  const source = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, n) => {
    names.push(n);
    return '([^/]*)';
  });
  return { op, names, re: new RegExp(`^${source}$`) };
});

/** The contract's operation for a method and a path under `/v1`, or undefined. */
export function matchOperation(method: string, path: string): MatchedRequest | undefined {
  for (const m of MATCHERS) {
    if (m.op.method !== method.toLowerCase()) continue;
    const found = m.re.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      for (const [i, n] of m.names.entries()) params[n] = decodeURIComponent(found[i + 1] ?? '');
    } catch {
      return undefined;
    }
    const name = NAME_OF.get(m.op.id);
    if (!name) throw new Error(`the simulator has no handler for ${m.op.id}`);
    return { op: m.op, name, params };
  }
  return undefined;
}

/**
 * Checks a request's parameters and body against the contract's schemas. A POST that breaks them is
 * 400 BAD_REQUEST, as the contract's rules say. A GET has no 400 in the contract: a path parameter that
 * cannot name anything is 404 NOT_FOUND, and a document asked for without X-Claim-Id is 403
 * NO_LIVE_CLAIM ("needs the header X-Claim-Id of a live claim ... else 403").
 * Returns the parsed body, or the breach.
 */
export function checkRequest(
  m: MatchedRequest,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
): { body: unknown } | { breach: RequestBreach } {
  const post = m.op.method === 'post';
  for (const p of m.op.parameters) {
    const raw = p.in === 'path' ? m.params[p.name] : headers[p.name.toLowerCase()];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) {
      if (!p.required) continue;
      if (post) return bad(`${p.name} is required`);
      return { breach: { status: 403, code: 'NO_LIVE_CLAIM', message: `${p.name} is required` } };
    }
    const problem = schemaAt(p.schemaPointer).check(value);
    if (problem === undefined) continue;
    if (post) return bad(`${p.name}: ${problem.replace(/^body: /, '')}`);
    return { breach: { status: 404, code: 'NOT_FOUND', message: `no such ${p.name}` } };
  }
  if (!m.op.bodyPointer) return { body: undefined };
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return bad('body is not JSON');
  }
  const problem = schemaAt(m.op.bodyPointer).check(body);
  if (problem !== undefined) return bad(`not a valid body: ${problem}`);
  return { body };
}

function bad(message: string): { breach: RequestBreach } {
  return { breach: { status: 400, code: 'BAD_REQUEST', message } };
}
