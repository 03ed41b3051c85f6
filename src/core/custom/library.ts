/**
 * Module library files (NAME.modules.yaml beside a model, modules.yaml in the user's folder): read as YAML,
 * checked, compiled to ModuleDefs. Never throws: problems are diagnostics with file, line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { msg, yamlProblem, type Message } from '../messages/index.ts';
import type { ModuleDef } from '../graph.ts';
import { LIMITS } from '../limits.ts';
import { isIdentifier } from '../names.ts';
import { nestingTooDeep } from '../nesting.ts';
import { reprStr } from '../py.ts';
import { Registry } from '../registry.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';
import { compileModule } from './interpret.ts';
import { FUNCTION_OPS, MODULE_OPS } from './ops.ts';
import { usedOps, type ModuleNode, type ModuleSpec } from './spec.ts';
import { readSpec, type SpecError, type SpecPath } from './read-spec.ts';

export interface ModuleLibrary {
  file: string;
  specs: ModuleSpec[];
  defs: ModuleDef[];
  diagnostics: Diagnostic[];
  /** Where each module's name is written (for problems found later, such as a cycle across libraries). */
  keys?: Record<string, { line: number; column: number; range: [number, number] }>;
}

export function parseModuleLibrary(
  text: string,
  file = 'modules.yaml',
  known: (name: string) => boolean = (n) => !!new Registry().get(n),
  /** A model family's own built-in descriptions (never a user's file): they may take YOLOv5's module names. */
  opts: { builtin?: boolean } = {},
): ModuleLibrary {
  const lc = new LineCounter();
  const out: ModuleLibrary = { file, specs: [], defs: [], diagnostics: [] };
  const diag = (
    message: Message,
    node?: unknown,
    severity: Diagnostic['severity'] = 'error',
    code = 'module-library',
  ) => {
    const r = (node as { range?: [number, number, number] } | undefined)?.range;
    const at = r ? lc.linePos(r[0]) : { line: 1, col: 1 };
    out.diagnostics.push({
      code,
      severity,
      message,
      file,
      line: at.line,
      column: at.col,
      ...(r ? { range: [r[0], r[1]] as [number, number] } : {}),
    });
  };
  if (text.length > LIMITS.libraryBytes) {
    diag(msg('library.too-large', { max: LIMITS.libraryBytes / 1048576 }));
    return out;
  }
  const deep = nestingTooDeep(text);
  if (deep) {
    const { message, line, column, offset } = deep;
    out.diagnostics.push({
      code: 'too-deep',
      severity: 'error',
      message,
      file,
      line,
      column,
      range: [offset, offset + 1],
    });
    return out;
  }
  // YAML 1.2: our own format, where `n` and `y` are names, not booleans as in YAML 1.1
  const doc = parseDocument(text, { version: '1.2', lineCounter: lc, uniqueKeys: true });
  for (const e of doc.errors)
    diag(
      msg('yaml-syntax', { problem: yamlProblem(e.message.split('\n')[0]) }),
      { range: [e.pos[0], e.pos[1]] },
      'error',
      'yaml-syntax',
    );
  if (doc.errors.length) return out;
  const root = doc.contents as YNode | null;
  if (root === null) return out;
  if (!isMap(root)) {
    diag(msg('library.not-a-mapping'), root);
    return out;
  }
  let js: Record<string, any>;
  try {
    js = doc.toJS({ maxAliasCount: 50 }) as Record<string, any>;
  } catch (e) {
    diag(msg('yaml-unreadable', { problem: yamlProblem((e as Error).message) }));
    return out;
  }
  const names = new Set(Object.keys(js));
  for (const pair of root.items) {
    const keyNode = pair.key as YNode;
    const valueNode = pair.value as YNode | null;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const v = js[name];
    /** The YAML node at `path` inside this module's mapping (or its key), for the problem's line. */
    const locate = (path: SpecPath, key: boolean): unknown => {
      if (!path.length || !valueNode || !(isMap(valueNode) || isSeq(valueNode))) return keyNode;
      const parent = path.length > 1 ? valueNode.getIn(path.slice(0, -1), true) : valueNode;
      const last = path[path.length - 1];
      if (key && isMap(parent)) {
        const p = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === String(last));
        if (p) return p.key;
      }
      const n = valueNode.getIn(path, true);
      return (n as { range?: unknown } | undefined)?.range ? n : (parent ?? keyNode);
    };
    const err: SpecError = (m, path = [], o = {}) =>
      diag(
        msg('library.in-module', { module: name, problem: m }),
        locate(path, !!o.key),
        'error',
        o.code ?? 'module-library',
      );
    if (!isIdentifier(name)) {
      // (a Python keyword is refused too)
      diag(msg('library.bad-module-name', { name: reprStr(name) }), keyNode);
      continue;
    }
    if (!opts.builtin && BUILTIN_MODULES.some((d) => d.name === name)) {
      err(msg('library.builtin-name', { name }));
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      err(msg('library.not-a-description'));
      continue;
    }
    const before = out.diagnostics.length;
    const spec = readSpec(name, v, err);
    if (!spec) continue;
    // every op must exist: a function, a torch.nn module, a built-in or a module of this library
    const knownOp = (op: string) =>
      (FUNCTION_OPS as readonly string[]).includes(op) || MODULE_OPS.includes(op) || known(op) || names.has(op);
    const check = (nodes: ModuleNode[], path: SpecPath) => {
      nodes.forEach((n, k) => {
        const at = [...path, k];
        if (n.body) check(n.body, [...at, 'body']);
        if (n.op && !knownOp(n.op)) {
          err(
            msg('library.unknown-op', {
              node: String(n.id),
              op: reprStr(n.op),
              functions: FUNCTION_OPS.join(', '),
              modules: MODULE_OPS.slice(0, 7).join(', '),
            }),
            [...at, 'op'],
          );
        }
      });
    };
    check(spec.body, ['body']);
    if (spec.base && !knownOp(spec.base.op))
      err(msg('library.base-unknown', { op: reprStr(spec.base.op) }), ['base', 'op']);
    if (out.diagnostics.length === before) out.specs.push(spec);
  }
  // a module may use another custom module, but not itself through any path
  const uses = new Map(out.specs.map((s) => [s.name, new Set(usedOps(s).filter((o) => names.has(o)))]));
  const cyclic = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(uses.get(start) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(uses.get(n) ?? []));
    }
    return false;
  };
  out.specs = out.specs.filter((s) => {
    if (!cyclic(s.name)) return true;
    diag(
      msg('library.cycle', { name: s.name }),
      root.items.find((p) => isScalar(p.key) && String((p.key as { value: unknown }).value) === s.name)?.key,
    );
    return false;
  });
  out.defs = out.specs.map((s) => compileModule(s));
  out.keys = {};
  for (const p of root.items) {
    const r = (p.key as { range?: [number, number, number] } | null)?.range;
    if (!isScalar(p.key) || !r) continue;
    const at = lc.linePos(r[0]);
    out.keys[String(p.key.value)] = { line: at.line, column: at.col, range: [r[0], r[1]] };
  }
  return out;
}

/** One library file's text and name (for messages). */
export interface LibrarySource {
  file: string;
  text: string;
}

/**
 * Libraries read in order (the default library, the user's modules.yaml, NAME.modules.yaml beside the
 * model): each may use the modules of the ones before it (a user's block may contain SE), later ones win.
 */
export function loadLibraryChain(
  sources: readonly LibrarySource[],
  first: ModuleLibrary[] = [],
): { libraries: ModuleLibrary[]; registry: Registry; diagnostics: Diagnostic[] } {
  const libraries = [...first];
  let registry = registryWith(...libraries);
  for (const s of sources) {
    const known = registry;
    libraries.push(parseModuleLibrary(s.text, s.file, (n) => !!known.get(n)));
    registry = registryWith(...libraries);
  }
  // a later library may redefine a module an earlier one uses: a cycle only the chain as a whole shows.
  // The cycle's modules in the latest library of it are left out (and said), so the earlier ones serve.
  for (let cycle = findCycle(libraries, registry); cycle; cycle = findCycle(libraries, registry)) {
    const at = Math.max(...cycle.map((c) => libraries.indexOf(c.library)));
    const lib = libraries[at];
    const names = cycle.map((c) => c.spec.name);
    const files = [...new Set(cycle.map((c) => c.library.file))].join(' and ');
    const out = cycle.filter((c) => c.library === lib).map((c) => c.spec);
    libraries[at] = {
      ...lib,
      specs: lib.specs.filter((sp) => !out.includes(sp)),
      defs: lib.defs.filter((_, k) => !out.includes(lib.specs[k])),
      diagnostics: [
        ...lib.diagnostics,
        ...out.map((sp): Diagnostic => {
          const k = names.indexOf(sp.name);
          const key = lib.keys?.[sp.name];
          return {
            code: 'module-library',
            severity: 'error',
            message: msg('library.cycle-across', {
              name: sp.name,
              path: [...names.slice(k), ...names.slice(0, k), sp.name].join(' -> '),
              files,
            }),
            file: lib.file,
            line: key?.line ?? 1,
            column: key?.column ?? 1,
            ...(key ? { range: key.range } : {}),
          };
        }),
      ],
    };
    registry = registryWith(...libraries);
  }
  return { libraries, registry, diagnostics: libraries.flatMap((l) => l.diagnostics) };
}

/** A cycle of modules using each other as a build resolves them (by the chain's final registry), if any. */
function findCycle(
  libraries: ModuleLibrary[],
  registry: Registry,
): { spec: ModuleSpec; library: ModuleLibrary }[] | undefined {
  const owner = new Map<ModuleDef, { spec: ModuleSpec; library: ModuleLibrary }>();
  for (const library of libraries) library.defs.forEach((d, k) => owner.set(d, { spec: library.specs[k], library }));
  const state = new Map<ModuleDef, 'open' | 'done'>();
  const path: ModuleDef[] = [];
  const visit = (d: ModuleDef): ModuleDef[] | undefined => {
    if (state.get(d) === 'done') return undefined;
    if (state.get(d) === 'open') return path.slice(path.indexOf(d));
    state.set(d, 'open');
    path.push(d);
    for (const op of usedOps(owner.get(d)!.spec)) {
      const next = registry.get(op);
      if (next && owner.has(next)) {
        const c = visit(next);
        if (c) return c;
      }
    }
    path.pop();
    state.set(d, 'done');
    return undefined;
  };
  for (const d of registry.all()) {
    if (!owner.has(d)) continue;
    const c = visit(d);
    if (c) return c.map((x) => owner.get(x)!);
  }
  return undefined;
}

/** A registry with the built-ins plus library modules (later libraries override earlier ones). */
export function registryWith(...libraries: ModuleLibrary[]): Registry {
  const r = new Registry();
  for (const lib of libraries) for (const d of lib.defs) r.add(d);
  return r;
}
