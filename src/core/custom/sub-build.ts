/**
 * Sub-module builds reused in summary mode. A module built with the same arguments and input shapes, in the
 * same kind of scope (quiet, copy, reuse, nesting depth) and under the same build options, adds exactly what it
 * added the first time: its output shape, parameters, MACs, modules, shared instances and work. So C3's n equal
 * Bottlenecks, and the Convs that recur across layers, are interpreted once and counted every time.
 *
 * Only what is provably the same is replayed: a build that failed, noted something or deep-copied modules (whose
 * shared keys name the scope's path) is never kept; a build whose counts are not exact integers is never kept
 * (adding its counts as one sum could round differently from adding them one by one); a replay that would
 * exhaust the work budget is built for real, so the error names the module where it ran out.
 */
import { className, type ModuleDef, type Scope, type SubBuild, type Value } from '../graph.ts';

/** Entries one memo keeps before it starts afresh (bounded memory whatever a file says). */
const MAX_ENTRIES = 50_000;
/** A key longer than this is not made (nor kept): real arguments are short, a file's huge lists are not reused. */
const MAX_KEY_CHARS = 2_000;
const sizes = new WeakMap<object, number>();

/**
 * A child module `name` built from `def` with bound arguments `a` on inputs `xs`, reusing an equal build.
 * `given` is what `a` was bound from (the arguments as written, and keywords): the shorter key.
 */
export function buildChild(
  s: Scope,
  def: ModuleDef,
  name: string,
  a: Record<string, unknown>,
  xs: Value[],
  given: unknown[] = [a],
): Value {
  const b = s.b;
  const budget = b.budget;
  const build = () => budget.within(def.name, () => def.build(s.child(name, className(def)), a, xs));
  const memo = b.opts.memo;
  if (!memo || b.graph || !def.spec) return build();
  const what = keyOf(given, xs);
  if (what === undefined) return build();
  const key = keyText([s.quiet ?? null, s.copyOf ?? null, s.reused, budget.path.length]) + what;
  let byDef = memo.get(def);
  const hit = byDef?.get(key);
  if (hit && !budget.exhausted && budget.used + hit.work <= budget.limit) {
    budget.used += hit.work;
    b.params += hit.params;
    b.macs += hit.macs;
    b.modules += hit.modules;
    for (const k of hit.shared) b.shared.add(k);
    return { id: b.nextId++, shape: [...hit.shape] };
  }
  const { params, macs, modules, noteCalls, copies } = b;
  const used = budget.used;
  const shared = b.sharedLog.length;
  const y = build();
  if (b.noteCalls !== noteCalls || b.copies !== copies) return y;
  const made: SubBuild = {
    shape: [...y.shape],
    params: b.params - params,
    macs: b.macs - macs,
    modules: b.modules - modules,
    shared: b.sharedLog.slice(shared),
    work: budget.used - used,
  };
  if (![params, macs, b.params, b.macs, made.params, made.macs].every(Number.isSafeInteger)) return y;
  const size = sizes.get(memo) ?? 0;
  if (size >= MAX_ENTRIES) memo.clear();
  if (!byDef || size >= MAX_ENTRIES) memo.set(def, (byDef = new Map()));
  byDef.set(key, made);
  sizes.set(memo, size >= MAX_ENTRIES ? 1 : size + 1);
  return y;
}

/** The arguments and input shapes as a key, or undefined when they are not plain data. */
function keyOf(a: unknown[], xs: Value[]): string | undefined {
  try {
    let k = keyText(a);
    for (const x of xs) k += keyText(x.shape);
    return k.length > MAX_KEY_CHARS ? undefined : k;
  } catch {
    return undefined;
  }
}

/**
 * Plain data as text, every value told apart (NaN, infinities, -0, None, undefined, strings); throws on anything
 * else, and on a list or dict whose text passes MAX_KEY_CHARS (so the work is bounded too).
 */
export function keyText(v: unknown): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean':
      return v ? 'T' : 'F';
    case 'string':
      if (v.length > MAX_KEY_CHARS) throw new Error('key too long');
      return JSON.stringify(v);
    case 'undefined':
      return 'U';
    case 'object': {
      if (Array.isArray(v)) {
        let t = '[';
        for (const x of v) if ((t += `${keyText(x)},`).length > MAX_KEY_CHARS) throw new Error('key too long');
        return `${t}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error('not plain data');
      let t = '{';
      for (const k in v)
        if ((t += `${JSON.stringify(k)}:${keyText((v as Record<string, unknown>)[k])},`).length > MAX_KEY_CHARS)
          throw new Error('key too long');
      return `${t}}`;
    }
    default:
      throw new Error('not plain data');
  }
}
