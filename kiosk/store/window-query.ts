/** What the technician's lists ask of a table: a time window, equalities, and the newest `limit` rows. */
export interface WindowQuery {
  /** From this time on (ms since the epoch, inclusive). */
  since?: number;
  /** Before this time (exclusive). */
  until?: number;
  /** Only the newest this many, still oldest first. */
  limit?: number;
}

/**
 * The SELECT for rows of `table` in a time window (`at`), matching the given columns (an undefined value
 * is no condition), oldest first by `seq`; with a limit, the newest `limit` of them.
 */
export function windowQuery(
  table: string,
  q: WindowQuery,
  equal: Record<string, unknown> = {},
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (q.since !== undefined) {
    where.push('at >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined) {
    where.push('at < ?');
    params.push(q.until);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  if (q.limit === undefined) return { sql: `SELECT * FROM ${table} ${cond} ORDER BY seq`, params };
  return {
    sql: `SELECT * FROM (SELECT * FROM ${table} ${cond} ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
    params: [...params, q.limit],
  };
}
