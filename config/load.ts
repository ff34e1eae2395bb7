import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { err, ok, type Result } from '../drivers/shared/result.ts';
import { configSchema, type KioskConfig } from './schema.ts';

/** Exit code of a kiosk stopped by a bad config (kiosk-runtime.md). */
export const CONFIG_EXIT_CODE = 2;

/**
 * Checks a parsed config. Each problem is one line that names the key, e.g.
 * `config: devices.cardPrinter.path: required for driver "serial"`.
 */
export function parseConfig(raw: unknown, baseDir = process.cwd()): Result<KioskConfig, string[]> {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) return err(describeIssues(parsed.error.issues, raw));
  const config = parsed.data;
  // A relative dataDir is taken from the config file's folder, so a config works from any cwd.
  if (!isAbsolute(config.dataDir)) config.dataDir = resolve(baseDir, config.dataDir);
  return ok(config);
}

/** Reads and checks a config file. */
export function loadConfigFile(path: string): Result<KioskConfig, string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err([
      `config: ${path}: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return err([`config: ${path}: not valid JSON (${(e as Error).message})`]);
  }
  return parseConfig(raw, dirname(resolve(path)));
}

function describeIssues(issues: z.core.$ZodIssue[], raw: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`config: ${keyPath([...at, key])}: unknown key`);
      continue;
    }
    const key = at.length ? keyPath(at) : '(root)';
    lines.push(`config: ${key}: ${explain(issue, at, raw)}`);
  }
  return [...new Set(lines)];
}

function explain(issue: z.core.$ZodIssue, at: string[], raw: unknown): string {
  if (issue.code === 'invalid_type' && lookup(raw, at) === undefined) {
    const parent = lookup(raw, at.slice(0, -1));
    const driver =
      parent && typeof parent === 'object' ? (parent as Record<string, unknown>).driver : undefined;
    return typeof driver === 'string' ? `required for driver "${driver}"` : 'required';
  }
  if (issue.code === 'invalid_union' && at[at.length - 1] !== 'driver') {
    const value = lookup(raw, at);
    const driver = value && typeof value === 'object' ? (value as Record<string, unknown>).driver : undefined;
    if (driver !== undefined) return `unknown driver ${JSON.stringify(driver)}`;
  }
  return issue.message;
}

/**
 * A key path as the message shows it: plain names as they are, any other key (empty, with spaces,
 * dots, colons or line breaks) quoted, so every message stays one readable line that names its key.
 */
function keyPath(path: string[]): string {
  return path.map((p) => (/^[A-Za-z0-9_$-]+$/.test(p) ? p : JSON.stringify(p))).join('.');
}

function lookup(raw: unknown, path: string[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}
