import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { WriteBehind } from './write-behind.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('WriteBehind', () => {
  it('holds what a full store refuses, in order, writes it once there is room, and drops only a unit that can never be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-write-behind-'));
    dirs.push(dir);
    const db = openDb(dir);
    db.exec('CREATE TABLE t (n INTEGER, pad BLOB)');
    const w = new WriteBehind(db, () => 0);
    const row = (n: number) => [
      { sql: 'INSERT INTO t (n, pad) VALUES (?, ?)', params: [n, Buffer.alloc(3000)] },
    ];
    expect(w.write(row(1))).toBe(true);
    // SQLITE_FULL for real: the store may not grow by a single page.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const written: number[] = [];
    expect(w.write(row(2), { onWritten: () => written.push(2) })).toBe(false);
    expect(w.write([{ sql: 'INSERT INTO missing_table VALUES (1)', params: [] }])).toBe(false);
    expect(w.write(row(3), { onWritten: () => written.push(3) })).toBe(false);
    expect(w.state()).toMatchObject({
      writable: false,
      held: 3,
      error: expect.stringMatching(/SQLITE_FULL/),
    });
    expect(w.retry()).toBe(false);

    db.pragma('max_page_count = 1000000');
    expect(w.retry()).toBe(true);
    expect(written).toEqual([2, 3]);
    expect(w.dropped).toHaveLength(1);
    expect(db.prepare('SELECT n FROM t ORDER BY rowid').all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(w.state()).toEqual({ writable: true });
    db.close();
  });

  it('commits a syncLater unit with synchronous NORMAL and puts the connection back to FULL, and a durable unit with FULL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-write-behind-'));
    dirs.push(dir);
    const db = openDb(dir);
    db.exec('CREATE TABLE t (n INTEGER)');
    // The setting each insert ran under, read by SQLite itself as the statement runs (a view of it).
    const levels: number[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const st = prepare(sql);
      if (!sql.startsWith('INSERT')) return st;
      const run = st.run.bind(st);
      st.run = ((...params: unknown[]) => {
        levels.push(db.pragma('synchronous', { simple: true }) as number);
        return run(...params);
      }) as typeof st.run;
      return st;
    }) as typeof db.prepare;
    const w = new WriteBehind(db, () => 0);
    const row = (n: number) => [{ sql: 'INSERT INTO t (n) VALUES (?)', params: [n] }];
    expect(w.write(row(1), { syncLater: true })).toBe(true);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(w.write(row(2))).toBe(true);
    expect(w.write(row(3), { syncLater: true })).toBe(true);
    expect(levels).toEqual([1, 2, 1]);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT n FROM t ORDER BY rowid').all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    db.close();
  });
});
