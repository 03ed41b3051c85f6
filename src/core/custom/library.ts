/**
 * Module library files (NAME.modules.yaml beside a model, modules.yaml in the user's folder): read as YAML,
 * checked, compiled to ModuleDefs. Never throws: problems are diagnostics with file, line and column.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node as YNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import type { Family, ModuleDef } from '../graph.ts';
import { PySyntaxError, parseExpr } from '../pyexpr.ts';
import { Registry } from '../registry.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';
import { CUSTOM_FUNCTIONS, CUSTOM_NN, compileCustom } from './interpret.ts';
import type { CustomArg, CustomModuleSpec, CustomNode } from './spec.ts';

export interface ModuleLibrary {
  file: string;
  specs: CustomModuleSpec[];
  defs: ModuleDef[];
  diagnostics: Diagnostic[];
}

const IDENT = /^[A-Za-z_]\w*$/;
const FAMILIES: Family[] = [
  'conv',
  'csp',
  'res2net',
  'pool',
  'resample',
  'merge',
  'head',
  'norm',
  'attention',
  'custom',
];

export function parseModuleLibrary(
  text: string,
  file = 'modules.yaml',
  known: (name: string) => boolean = (n) => !!new Registry().get(n),
): ModuleLibrary {
  const lc = new LineCounter();
  const out: ModuleLibrary = { file, specs: [], defs: [], diagnostics: [] };
  const diag = (
    message: string,
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
  if (text.length > 1024 * 1024) {
    diag('a module library is at most 1 MiB');
    return out;
  }
  // YAML 1.2: our own format, where `n` and `y` are names, not booleans as in YAML 1.1
  const doc = parseDocument(text, { version: '1.2', lineCounter: lc, uniqueKeys: true });
  for (const e of doc.errors)
    diag(`YAML syntax: ${e.message.split('\n')[0]}`, { range: [e.pos[0], e.pos[1]] }, 'error', 'yaml-syntax');
  if (doc.errors.length) return out;
  const root = doc.contents as YNode | null;
  if (root === null) return out;
  if (!isMap(root)) {
    diag(
      'a module library maps module names to their descriptions, e.g. "SE: {description: ..., args: [...], body: [...]}"',
      root,
    );
    return out;
  }
  let js: Record<string, any>;
  try {
    js = doc.toJS({ maxAliasCount: 50 }) as Record<string, any>;
  } catch (e) {
    diag(`the YAML cannot be read: ${(e as Error).message}`);
    return out;
  }
  const names = new Set(Object.keys(js));
  for (const pair of root.items) {
    const keyNode = pair.key as YNode;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const v = js[name];
    const err = (m: string, n: unknown = keyNode) => diag(`${name}: ${m}`, n);
    if (!IDENT.test(name)) {
      diag(`'${name}' is not a valid module name (letters, digits and _ only, not starting with a digit)`, keyNode);
      continue;
    }
    if (BUILTIN_MODULES.some((d) => d.name === name)) {
      err(`${name} is a built-in module; give yours another name`);
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      err('a module is described by a mapping with description, args, body (and vars, check, out)');
      continue;
    }
    const before = out.diagnostics.length;
    const spec = readSpec(name, v, (m) => err(m));
    if (!spec) continue;
    // every op must exist: a function, a torch.nn module, a built-in or a module of this library
    const check = (nodes: CustomNode[]) => {
      for (const n of nodes) {
        if (n.body) check(n.body);
        if (
          n.op &&
          !(CUSTOM_FUNCTIONS as readonly string[]).includes(n.op) &&
          !CUSTOM_NN.includes(n.op) &&
          !known(n.op) &&
          !names.has(n.op)
        ) {
          err(
            `node '${n.id}' uses unknown op '${n.op}' (a module, one of ${CUSTOM_FUNCTIONS.join(', ')}, or ${CUSTOM_NN.slice(0, 7).join(', ')}, nn activations)`,
          );
        }
        for (const e of [
          n.when,
          ...(n.args ?? []).filter((a): a is string => typeof a === 'string' && !IDENT.test(a)),
          ...(n.repeat && typeof n.repeat === 'string' ? [n.repeat] : []),
        ]) {
          if (typeof e === 'string') syntax(e, `node '${n.id}'`);
        }
      }
    };
    const syntax = (e: string, where: string) => {
      try {
        parseExpr(e);
      } catch (x) {
        if (x instanceof PySyntaxError) err(`${where}: '${e}' is not a valid expression (${x.message})`);
      }
    };
    for (const [k, e] of spec.vars ?? []) syntax(e, `var ${k}`);
    for (const [e] of spec.check ?? []) syntax(e, 'check');
    check(spec.body);
    if (out.diagnostics.length === before) out.specs.push(spec);
  }
  // a module may use another custom module, but not itself through any path
  const uses = new Map(out.specs.map((s) => [s.name, new Set(opsOf(s.body).filter((o) => names.has(o)))]));
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
      `${s.name}: uses itself (through its body or another module of this library), which would never end`,
      root.items.find((p) => isScalar(p.key) && String((p.key as { value: unknown }).value) === s.name)?.key,
    );
    return false;
  });
  out.defs = out.specs.map((s) => compileCustom(s));
  return out;
}

function opsOf(nodes: CustomNode[]): string[] {
  return nodes.flatMap((n) => [...(n.op ? [n.op] : []), ...(n.body ? opsOf(n.body) : [])]);
}

function readSpec(name: string, v: Record<string, any>, err: (m: string) => void): CustomModuleSpec | null {
  const known = ['description', 'family', 'parse', 'args', 'vars', 'check', 'inputs', 'body', 'out'];
  for (const k of Object.keys(v)) if (!known.includes(k)) err(`unknown key '${k}' (known: ${known.join(', ')})`);
  if (!Array.isArray(v.args)) {
    err("'args' must list the constructor's arguments, e.g. [c1, c2, r=16]");
    return null;
  }
  const args: CustomArg[] = [];
  for (const a of v.args) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?:=\s*(.+?))?\s*$/.exec(String(a));
    if (!m) {
      err(`argument '${a}' must be a name or name=default`);
      return null;
    }
    args.push(m[2] === undefined ? { name: m[1] } : { name: m[1], default: m[2] });
  }
  if (!Array.isArray(v.body) || !v.body.length) {
    err("'body' must list the nodes inside the module");
    return null;
  }
  if (v.family !== undefined && !FAMILIES.includes(v.family)) err(`family must be one of ${FAMILIES.join(', ')}`);
  if (v.parse !== undefined && !['channels', 'channelsRepeat', 'passthrough'].includes(v.parse))
    err("parse must be 'channels' (like Conv), 'channelsRepeat' (like C3) or 'passthrough'");
  const vars: [string, string][] = [];
  if (v.vars !== undefined) {
    if (typeof v.vars !== 'object' || Array.isArray(v.vars) || v.vars === null)
      err("'vars' maps names to expressions, e.g. {c_: int(c2 * e)}");
    else for (const [k, e] of Object.entries(v.vars)) vars.push([k, String(e)]);
  }
  const check: [string, string][] = [];
  for (const c of Array.isArray(v.check) ? v.check : []) {
    if (Array.isArray(c) && c.length === 2) check.push([String(c[0]), String(c[1])]);
    else err("each 'check' is [expression, message]");
  }
  const nodes = (list: unknown[]): CustomNode[] =>
    list.map((n) => {
      const o = (typeof n === 'object' && n !== null ? n : {}) as Record<string, any>;
      const node: CustomNode = {};
      if (o.id !== undefined) node.id = String(o.id);
      if (o.op !== undefined) node.op = String(o.op);
      if (o.use !== undefined) node.use = String(o.use);
      if (o.args !== undefined) node.args = Array.isArray(o.args) ? o.args : [o.args];
      if (o.in !== undefined) node.in = Array.isArray(o.in) ? o.in.map(String) : String(o.in);
      if (o.name !== undefined) node.name = String(o.name);
      if (o.when !== undefined) node.when = String(o.when);
      if (o.repeat !== undefined) node.repeat = typeof o.repeat === 'number' ? o.repeat : String(o.repeat);
      if (o.for !== undefined) node.for = Object.fromEntries(Object.entries(o.for).map(([k, x]) => [k, String(x)]));
      if (Array.isArray(o.body)) node.body = nodes(o.body);
      if (!node.body && (node.id === undefined || (node.op === undefined && node.use === undefined)))
        err(`every node needs an id and an op (or use): ${JSON.stringify(o)}`);
      return node;
    });
  return {
    name,
    description: typeof v.description === 'string' ? v.description : '',
    ...(v.family ? { family: v.family } : {}),
    ...(v.parse ? { parse: v.parse } : {}),
    args,
    vars,
    check,
    ...(Array.isArray(v.inputs) ? { inputs: v.inputs.map(String) } : {}),
    body: nodes(v.body),
    ...(v.out !== undefined ? { out: String(v.out) } : {}),
  };
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
  return { libraries, registry, diagnostics: libraries.flatMap((l) => l.diagnostics) };
}

/** A registry with the built-ins plus library modules (later libraries override earlier ones). */
export function registryWith(...libraries: ModuleLibrary[]): Registry {
  const r = new Registry();
  for (const lib of libraries) for (const d of lib.defs) r.add(d);
  return r;
}
