/**
 * Python semantics that YOLOv5's numbers depend on: values as PyYAML and eval() give them,
 * their repr (what parse_model prints), round-half-even, make_divisible, truthiness.
 */

/** A Python float that keeps its float-ness (1.0 prints as `1.0`, not `1`). */
export class PyFloat {
  constructor(readonly v: number) {}
}

/** An nn.Module instance written in a config, e.g. `nn.LeakyReLU(0.1)`. */
export interface PyModule {
  readonly module: string; // canonical torch name, e.g. 'nn.LeakyReLU'
  readonly args: readonly Py[];
  readonly kwargs?: Readonly<Record<string, Py>>;
  /** One instance shared by every module that holds it (a default argument's module), counted once. */
  readonly shared?: string;
}

/** A value as Python sees it after PyYAML and parse_model's eval(). Strings that name nothing stay strings. */
export type Py = null | boolean | number | PyFloat | string | Py[] | PyModule;

export const isPyFloat = (v: unknown): v is PyFloat => v instanceof PyFloat;
export const isPyModule = (v: unknown): v is PyModule =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && 'module' in v;
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
/** int or float (bool excluded), as a JS number; undefined otherwise. */
export function num(v: Py | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

/** Plain JS value for builders: floats unwrapped, lists recursively. */
export function toJs(v: Py): unknown {
  if (v instanceof PyFloat) return v.v;
  if (Array.isArray(v)) return v.map(toJs);
  return v;
}

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (v instanceof PyFloat) return v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Python's round(x) for floats: half to even on the exact binary value. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

/** YOLOv5's make_divisible: ceil(x / d) * d. */
export const makeDivisible = (x: number, d: number): number => Math.ceil(x / d) * d;

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Python floor division and modulo. */
export const floorDiv = (a: number, b: number): number => Math.floor(a / b);
export const pyMod = (a: number, b: number): number => a - b * Math.floor(a / b);

/** repr() of a Python float: shortest round-trip digits, exponent outside [1e-4, 1e16). */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e16 || ax < 1e-4) {
    const [m, e] = x.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Characters Python's repr() escapes: controls, formats, separators other than the space, unassigned code points. */
const NON_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** repr() of a Python str: the same quotes and escapes, so it is one line of valid Python whatever it holds. */
export function reprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ESCAPES[ch]) body += ESCAPES[ch];
    else if (ch === q) body += `\\${q}`;
    else if (NON_PRINTABLE.test(ch))
      body +=
        c < 0x100
          ? `\\x${c.toString(16).padStart(2, '0')}`
          : c < 0x10000
            ? `\\u${c.toString(16).padStart(4, '0')}`
            : `\\U${c.toString(16).padStart(8, '0')}`;
    else body += ch;
  }
  return `${q}${body}${q}`;
}

/** repr() of a value as parse_model prints its arguments. */
export function repr(v: Py): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (v instanceof PyFloat) return reprFloat(v.v);
  if (typeof v === 'string') return reprStr(v);
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
  const kw = v.kwargs ? Object.entries(v.kwargs).map(([k, x]) => `${k}=${repr(x)}`) : [];
  return `${v.module.replace(/^nn\./, '')}(${[...v.args.map(repr), ...kw].join(', ')})`;
}

/** JSON form of a resolved argument (None as null, floats as numbers, modules as their repr). */
export function toJson(v: Py): unknown {
  if (v instanceof PyFloat) return v.v;
  if (Array.isArray(v)) return v.map(toJson);
  if (isPyModule(v)) return repr(v);
  return v;
}

/** Structural equality of Python values (1 == 1.0 as in Python). */
export function pyEqual(a: Py, b: Py): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  if (isPyModule(a) && isPyModule(b)) return a.module === b.module && pyEqual([...a.args], [...b.args]);
  return a === b;
}
