/** A small, strict argument parser: unknown flags are usage errors. */
import { ANALYSIS_LIMITS, type Limits } from '../core/index.ts';
import { UsageError } from './command.ts';

export interface FlagSpec {
  [name: string]: 'string' | 'boolean' | 'list';
}

export interface Parsed {
  positional: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

export function parseArgs(argv: string[], spec: FlagSpec, aliases: Record<string, string> = {}): Parsed {
  const out: Parsed = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positional.push(a);
      continue;
    }
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const name = aliases[a] ?? a.replace(/^--?/, '');
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option ${a}`);
    if (kind === 'boolean') {
      out.flags[name] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
    }
    if (kind === 'list') ((out.flags[name] as string[] | undefined) ?? (out.flags[name] = [])).push(value);
    else out.flags[name] = value;
  }
  return out;
}

export function intFlag(v: unknown, name: string, def: number, min = 1, max = 16384): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${String(v)}`);
  return n;
}

export function numFlag(v: unknown, name: string, def: number, min = 0, max = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${String(v)}`);
  return n;
}

/** `--limit NAME=N` values (repeatable) as analysis limits. */
export function limitFlags(values: unknown): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const v of (values as string[] | undefined) ?? []) {
    const m = /^(\w+)=([\d_,]+)$/.exec(v.trim());
    const name = m?.[1] as (typeof ANALYSIS_LIMITS)[number] | undefined;
    if (!m || !name || !ANALYSIS_LIMITS.includes(name))
      throw new UsageError(`--limit takes NAME=N with NAME one of ${ANALYSIS_LIMITS.join(', ')}, got ${v}`);
    const n = Number(m[2].replace(/[_,]/g, ''));
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit ${name} must be a whole number of at least 1`);
    out[name] = n;
  }
  return out;
}

/** --scale: one of the config's scales (n, s, m, l, x, or what its scales: table names). */
export function scaleFlag(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^[A-Za-z0-9_]{1,16}$/.test(s))
    throw new UsageError(`--scale must name one of the config's scales (n, s, m, l, x, ...), got ${s}`);
  return s;
}
