/**
 * Editing a custom module's description: every gesture of the module editor (canvas, forms, keyboard) is
 * one command object over a ModuleSpec, and the library file is rewritten entry by entry, keeping
 * the other entries and their comments as written.
 *
 * Long on purpose: apply() has one case per module-editor edit, and the library file is rewritten entry by entry beside
 * them.
 */
import { isMap, parseDocument, type Pair } from 'yaml';
import { libraryText } from '../codegen/export.ts';
import { analyze, argToJs, buildLayer } from '../propagate.ts';
import { compileModule } from './interpret.ts';
import { parseModelText } from '../document.ts';
import type { Registry } from '../registry.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Category } from '../modules/categories.ts';
import type { ModuleArg, ModuleSpec, ModuleNode } from './spec.ts';
import { MessageError, msg, yamlProblem, type Message } from '../messages/index.ts';

export type ModuleEdit =
  | { type: 'setInfo'; key: 'name' | 'description'; value: string }
  | { type: 'setCategory'; value: Category | null }
  | { type: 'setParse'; value: ModuleSpec['parse'] | null }
  | { type: 'addArg'; arg: ModuleArg }
  | { type: 'setArg'; index: number; arg: ModuleArg }
  | { type: 'removeArg'; index: number }
  | { type: 'addVar'; name: string; expr: string }
  | { type: 'setVar'; index: number; name: string; expr: string }
  | { type: 'removeVar'; index: number }
  | { type: 'addNode'; node: ModuleNode; at?: number }
  | { type: 'setNode'; index: number; node: ModuleNode }
  | { type: 'removeNode'; index: number }
  /** Wire value `source` (a node id or a module input such as x) into node `target`. */
  | { type: 'connect'; source: string; target: number }
  | { type: 'disconnect'; source: string; target: number }
  | { type: 'setOut'; value: string | null }
  /** The module's inputs (default [x]; several for a module reading several layers, like Concat). */
  | { type: 'setInputs'; inputs: string[] }
  | { type: 'replace'; spec: ModuleSpec };

export interface ModuleEditResult {
  ok: boolean;
  spec: ModuleSpec;
  error?: Message;
}

export interface ModuleCommand {
  readonly name: string;
  readonly label: string;
  readonly edit: ModuleEdit;
  perform(spec: ModuleSpec): ModuleEditResult;
}

const IDENT = /^[A-Za-z_]\w*$/;
/** Functions taking several inputs: a new wire adds an input; other ops take one, and a new wire replaces it. */
export const MULTI_INPUT_OPS = new Set(['add', 'mul', 'cat']);

export function describeModuleEdit(e: ModuleEdit): string {
  switch (e.type) {
    case 'setInfo':
      return `Set ${e.key}`;
    case 'setCategory':
      return 'Set category';
    case 'setParse':
      return 'Set how parse_model reads the row';
    case 'addArg':
      return `Add argument ${e.arg.name}`;
    case 'setArg':
      return `Edit argument ${e.arg.name}`;
    case 'removeArg':
      return 'Remove argument';
    case 'addVar':
      return `Add width ${e.name}`;
    case 'setVar':
      return `Edit width ${e.name}`;
    case 'removeVar':
      return 'Remove width';
    case 'addNode':
      return `Add ${e.node.op ?? e.node.use ?? 'node'}`;
    case 'setNode':
      return `Edit node ${e.node.id ?? ''}`.trim();
    case 'removeNode':
      return 'Delete node';
    case 'connect':
      return `Connect ${e.source}`;
    case 'disconnect':
      return `Disconnect ${e.source}`;
    case 'setOut':
      return 'Set output';
    case 'setInputs':
      return 'Set inputs';
    case 'replace':
      return 'Edit YAML';
  }
}

/** The ids a node's inputs refer to, as written ('' when implicit: the previous node's output). */
export function nodeInputs(n: ModuleNode): string[] {
  return n.in === undefined ? [] : Array.isArray(n.in) ? n.in : [n.in];
}

/** Value names the module's nodes produce (top level), the module inputs first. */
export function valueNames(spec: ModuleSpec): string[] {
  return [...(spec.inputs ?? ['x']), ...spec.body.map((n) => n.id).filter((x): x is string => !!x)];
}

/** A fresh id like `conv1` not used by the module yet. */
export function freshId(spec: ModuleSpec, base: string): string {
  const stem =
    base
      .replace(/^nn\./, '')
      .replace(/[^A-Za-z0-9_]/g, '')
      .toLowerCase() || 'n';
  const used = new Set(valueNames(spec));
  for (let k = 1; ; k++) if (!used.has(`${stem}${k}`)) return `${stem}${k}`;
}

const fail = (spec: ModuleSpec, error: Message): ModuleEditResult => ({ ok: false, spec, error });
const ok = (spec: ModuleSpec): ModuleEditResult => ({ ok: true, spec });

function checkIdent(name: string, what: 'module' | 'argument' | 'width' | 'input'): Message | null {
  if (!IDENT.test(name)) return msg('module-edit.bad-name', { name, what });
  return null;
}

/** Rename value `from` to `to` wherever a node reads it (and the output). */
function renameRefs(spec: ModuleSpec, from: string, to: string): ModuleSpec {
  const map = (r: string) => (r === from ? to : r.startsWith(`${from}.`) ? `${to}${r.slice(from.length)}` : r);
  const body = spec.body.map((n) =>
    n.in === undefined ? n : { ...n, in: Array.isArray(n.in) ? n.in.map(map) : map(n.in) },
  );
  return { ...spec, body, ...(spec.out !== undefined ? { out: map(spec.out) } : {}) };
}

function apply(spec: ModuleSpec, e: ModuleEdit): ModuleEditResult {
  switch (e.type) {
    case 'setInfo': {
      const value = e.value.trim();
      if (e.key === 'name') {
        const bad = checkIdent(value, 'module');
        if (bad) return fail(spec, bad);
      }
      if (e.key === 'description' && !value) return fail(spec, msg('module-edit.no-description'));
      return ok({ ...spec, [e.key]: value });
    }
    case 'setCategory': {
      const { category: _c, ...rest } = spec;
      return ok(e.value ? { ...rest, category: e.value } : rest);
    }
    case 'setParse': {
      const { parse: _p, ...rest } = spec;
      return ok(e.value ? { ...rest, parse: e.value } : rest);
    }
    case 'addArg':
    case 'setArg': {
      const bad = checkIdent(e.arg.name, 'argument');
      if (bad) return fail(spec, bad);
      const args = [...spec.args];
      const idx = e.type === 'addArg' ? args.length : e.index;
      if (idx < 0 || idx > args.length) return fail(spec, msg('module-edit.no-such', { what: 'argument' }));
      if (args.some((a, k) => a.name === e.arg.name && k !== idx))
        return fail(spec, msg('module-edit.arg-exists', { name: e.arg.name }));
      const arg: ModuleArg = {
        name: e.arg.name,
        ...(e.arg.default !== undefined && e.arg.default.trim() !== '' ? { default: e.arg.default.trim() } : {}),
      };
      args.splice(idx, e.type === 'addArg' ? 0 : 1, arg);
      // a required argument after one with a default is a Python syntax error
      const firstDefault = args.findIndex((a) => a.default !== undefined);
      if (firstDefault >= 0 && args.slice(firstDefault).some((a) => a.default === undefined))
        return fail(spec, msg('module-edit.required-after-default', { name: arg.name }));
      return ok({ ...spec, args });
    }
    case 'removeArg': {
      if (e.index < 0 || e.index >= spec.args.length)
        return fail(spec, msg('module-edit.no-such', { what: 'argument' }));
      return ok({ ...spec, args: spec.args.filter((_, k) => k !== e.index) });
    }
    case 'addVar':
    case 'setVar': {
      const bad = checkIdent(e.name, 'width');
      if (bad) return fail(spec, bad);
      if (!e.expr.trim()) return fail(spec, msg('module-edit.width-needs-value', { name: e.name }));
      const vars = [...(spec.vars ?? [])];
      const idx = e.type === 'addVar' ? vars.length : e.index;
      if (idx < 0 || idx > vars.length) return fail(spec, msg('module-edit.no-such', { what: 'width' }));
      if (vars.some(([n], k) => n === e.name && k !== idx) || spec.args.some((a) => a.name === e.name))
        return fail(spec, msg('module-edit.name-taken', { name: e.name }));
      vars.splice(idx, e.type === 'addVar' ? 0 : 1, [e.name, e.expr.trim()]);
      return ok({ ...spec, vars });
    }
    case 'removeVar': {
      const vars = spec.vars ?? [];
      if (e.index < 0 || e.index >= vars.length) return fail(spec, msg('module-edit.no-such', { what: 'width' }));
      return ok({ ...spec, vars: vars.filter((_, k) => k !== e.index) });
    }
    case 'addNode': {
      const node = { ...e.node };
      if (!node.id) node.id = freshId(spec, node.op ?? node.use ?? 'n');
      if (valueNames(spec).includes(node.id)) return fail(spec, msg('module-edit.value-exists', { id: node.id }));
      const body = [...spec.body];
      const at = e.at ?? body.length;
      if (at < 0 || at > body.length) return fail(spec, msg('module-edit.no-such', { what: 'place' }));
      body.splice(at, 0, node);
      return ok({ ...spec, body });
    }
    case 'setNode': {
      const old = spec.body[e.index];
      if (!old) return fail(spec, msg('module-edit.no-such', { what: 'node' }));
      const node = { ...e.node };
      if (node.id !== undefined && node.id !== old.id) {
        if (!IDENT.test(node.id)) return fail(spec, msg('module-edit.bad-node-id', { id: node.id }));
        if (valueNames(spec).includes(node.id)) return fail(spec, msg('module-edit.value-exists', { id: node.id }));
      }
      for (const k of Object.keys(node) as (keyof ModuleNode)[])
        if (node[k] === undefined || (Array.isArray(node[k]) && k === 'in' && !(node[k] as string[]).length))
          delete node[k];
      if (!node.op && !node.use && !node.body) return fail(spec, msg('module-edit.needs-op', { node: String(old.id) }));
      const known = new Set(valueNames(spec).filter((v) => v !== old.id));
      for (const r of nodeInputs(node))
        if (!known.has(r.split('.')[0]) && !/\{/.test(r))
          return fail(spec, msg('module-edit.unknown-ref', { node: String(node.id ?? old.id), ref: r }));
      let next: ModuleSpec = { ...spec, body: spec.body.map((n, k) => (k === e.index ? node : n)) };
      if (old.id && node.id && node.id !== old.id) next = renameRefs(next, old.id, node.id);
      return ok(next);
    }
    case 'removeNode': {
      const old = spec.body[e.index];
      if (!old) return fail(spec, msg('module-edit.no-such', { what: 'node' }));
      const gone = (r: string) => r === old.id || r.startsWith(`${old.id}.`);
      const body = spec.body
        .filter((_, k) => k !== e.index)
        .map((n) => {
          if (n.in === undefined) return n;
          const ins = nodeInputs(n).filter((r) => !gone(r));
          const { in: _in, ...rest } = n;
          return ins.length ? { ...rest, in: ins.length === 1 ? ins[0] : ins } : rest;
        });
      const { out, ...rest } = spec;
      return ok({ ...rest, body, ...(out !== undefined && !gone(out) ? { out } : {}) });
    }
    case 'connect': {
      const target = spec.body[e.target];
      if (!target) return fail(spec, msg('module-edit.no-such', { what: 'node' }));
      const index = spec.body.findIndex((n) => n.id === e.source.split('.')[0]);
      const isInput = (spec.inputs ?? ['x']).includes(e.source);
      if (!isInput && index < 0) return fail(spec, msg('module-edit.no-value', { value: e.source }));
      if (index >= e.target)
        return fail(spec, msg('module-edit.reads-later', { node: String(target.id), source: e.source }));
      const multi = MULTI_INPUT_OPS.has(target.op ?? '');
      let ins = nodeInputs(target);
      if (multi) {
        // a gating mul or an add starts from its implicit input (the node above) plus the new one
        if (!ins.length) ins = [e.target === 0 ? (spec.inputs ?? ['x'])[0] : spec.body[e.target - 1].id!];
        if (ins.includes(e.source))
          return fail(spec, msg('module-edit.already-reads', { node: String(target.id), source: e.source }));
        ins = [...ins, e.source];
      } else ins = [e.source];
      return ok({
        ...spec,
        body: spec.body.map((n, k) => (k === e.target ? { ...n, in: ins.length === 1 ? ins[0] : ins } : n)),
      });
    }
    case 'disconnect': {
      const target = spec.body[e.target];
      if (!target) return fail(spec, msg('module-edit.no-such', { what: 'node' }));
      const ins = nodeInputs(target).filter((r) => r !== e.source);
      const { in: _in, ...rest } = target;
      return ok({
        ...spec,
        body: spec.body.map((n, k) =>
          k === e.target ? (ins.length ? { ...rest, in: ins.length === 1 ? ins[0] : ins } : rest) : n,
        ),
      });
    }
    case 'setOut': {
      const { out: _o, ...rest } = spec;
      if (e.value === null) return ok(rest);
      if (!valueNames(spec).includes(e.value.split('.')[0]))
        return fail(spec, msg('module-edit.no-value', { value: e.value }));
      return ok({ ...rest, out: e.value });
    }
    case 'setInputs': {
      const inputs = e.inputs.map((x) => x.trim()).filter(Boolean);
      if (!inputs.length) return fail(spec, msg('module-edit.no-inputs'));
      for (const x of inputs) {
        const bad = checkIdent(x, 'input');
        if (bad) return fail(spec, bad);
      }
      if (new Set(inputs).size !== inputs.length) return fail(spec, msg('module-edit.inputs-differ'));
      const clash = inputs.find((x) => spec.body.some((n) => n.id === x) || spec.args.some((a) => a.name === x));
      if (clash) return fail(spec, msg('module-edit.name-taken', { name: clash }));
      const old = spec.inputs ?? ['x'];
      // a renamed input (same position) is renamed where nodes read it
      let next: ModuleSpec = { ...spec, ...(inputs.length === 1 && inputs[0] === 'x' ? {} : { inputs }) };
      if (inputs.length === 1 && inputs[0] === 'x') delete next.inputs;
      old.forEach((o, k) => {
        if (inputs[k] !== undefined && inputs[k] !== o) next = renameRefs(next, o, inputs[k]);
      });
      return ok(next);
    }
    case 'replace':
      return ok(e.spec);
  }
}

const NAMES: Record<ModuleEdit['type'], string> = {
  setInfo: 'setModuleInfo',
  setCategory: 'setModuleCategory',
  setParse: 'setModuleParse',
  addArg: 'addModuleArg',
  setArg: 'editModuleArg',
  removeArg: 'removeModuleArg',
  addVar: 'addModuleWidth',
  setVar: 'editModuleWidth',
  removeVar: 'removeModuleWidth',
  addNode: 'addModuleNode',
  setNode: 'editModuleNode',
  removeNode: 'deleteModuleNode',
  connect: 'connectModuleNodes',
  disconnect: 'disconnectModuleNodes',
  setOut: 'setModuleOutput',
  setInputs: 'setModuleInputs',
  replace: 'editModuleYaml',
};

export function moduleCommand(edit: ModuleEdit): ModuleCommand {
  return {
    name: NAMES[edit.type],
    label: describeModuleEdit(edit),
    edit,
    perform(spec) {
      try {
        return apply(spec, edit);
      } catch (e) {
        return fail(spec, msg('module-edit.internal', { command: NAMES[edit.type], error: (e as Error).message }));
      }
    },
  };
}

/** What "New module" starts from: a 1x1 Conv from c1 to c2, ready to grow. */
export function newModuleSpec(name = 'MyBlock'): ModuleSpec {
  return {
    name,
    description: 'My block: describe what it does.',
    category: 'custom',
    args: [{ name: 'c1' }, { name: 'c2' }],
    body: [{ id: 'cv1', op: 'Conv', args: ['c1', 'c2', 1, 1], in: 'x' }],
  };
}

/** One module as library text (the YAML the module editor's text view shows). */
export function moduleYaml(spec: ModuleSpec): string {
  return libraryText([spec], spec.name).replace(/^#.*\n/, '');
}

const LIBRARY_HEADER =
  '# YOLO Architect module library: each entry is a module made of existing modules and primitives.\n';

/** Where each top-level entry of a library text is: [name, start of its key, end of its value]. */
function entryRanges(text: string): [string, number, number][] {
  const doc = parseDocument(text, { version: '1.2' });
  if (doc.errors.length || (doc.contents !== null && !isMap(doc.contents)))
    throw new MessageError(
      doc.errors.length
        ? msg('library-edit.unreadable', { problem: yamlProblem(doc.errors[0].message.split('\n')[0]) })
        : msg('library-edit.not-a-mapping'),
    );
  if (doc.contents === null) return [];
  return (doc.contents.items as Pair[]).map((p) => {
    const key = p.key as { value?: unknown; range?: [number, number, number] };
    const value = p.value as { range?: [number, number, number] } | null;
    return [String(key?.value ?? key), key.range?.[0] ?? 0, value?.range?.[1] ?? key.range?.[1] ?? 0];
  });
}

/**
 * The library text with `spec` written in place of the entry `replacing` (default: its own name), or added
 * at the end. The rest of the text (other entries, comments, formatting) stays byte for byte.
 */
export function setLibraryEntry(text: string, spec: ModuleSpec, replacing: string = spec.name): string {
  const entry = moduleYaml(spec).replace(/\s*$/, '');
  if (!text.trim()) return `${LIBRARY_HEADER}${entry}\n`;
  const ranges = entryRanges(text);
  const k = ranges.find((r) => r[0] === replacing);
  const clash = ranges.find((r) => r[0] === spec.name);
  if (clash && clash !== k) throw new MessageError(msg('library-edit.name-taken', { name: spec.name }));
  if (k) return text.slice(0, k[1]) + entry + text.slice(k[2]);
  return `${text.replace(/\s*$/, '')}\n\n${entry}\n`;
}

/** The library text without the entry `name` (unchanged when it has none). */
export function removeLibraryEntry(text: string, name: string): string {
  const k = entryRanges(text).find((r) => r[0] === name);
  if (!k) return text;
  const nl = text.indexOf('\n', k[2]);
  return text.slice(0, k[1]) + text.slice(nl < 0 ? text.length : nl + 1);
}

export interface ModuleTrial {
  ok: boolean;
  params: number;
  gflops: number;
  /** Output shape [C, H, W] (NaN where unknown). */
  shape: number[] | null;
  /** The one-layer model's row as written, e.g. [-1, 1, SE, [64]]. */
  row: string;
  diagnostics: Diagnostic[];
  /** Every value the module's nodes make, by id (split parts as id.0, id.1): its [C, H, W]. Empty when it fails. */
  values: Record<string, number[]>;
}

/**
 * The module tried alone, as parse_model would build it in a model: an input of c1 channels at hw x hw,
 * one row `[-1, n, NAME, rowArgs]` (rowArgs as written in a config, c1 coming from the input).
 */
export function tryModule(
  name: string,
  registry: Registry,
  opts: { c1: number; hw: number; rowArgs: string; n?: number; spec?: ModuleSpec },
): ModuleTrial {
  const row = `[-1, ${opts.n ?? 1}, ${name}, [${opts.rowArgs}]]`;
  const text = `nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: ${opts.c1}\nbackbone:\n  [${row}]\nhead: []\n`;
  const a = analyze(parseModelText(text, `${name}.trial.yaml`), { imgsz: opts.hw, registry });
  const l = a.layers[0];
  const diagnostics = a.diagnostics.filter((d) => d.layer === 0 && d.severity !== 'info');
  const ok = !!l?.ok && !diagnostics.some((d) => d.severity === 'error');
  const values: Record<string, number[]> = {};
  if (ok && opts.spec && l.args) {
    // the same build again, told each node's value (first repeat only: the module as one block)
    const def = compileModule(opts.spec, { onValue: (id, shape) => void (values[id] ??= [...shape]) });
    try {
      buildLayer(def, l.args.map(argToJs), def.parse === 'channelsRepeat' ? 1 : l.n, [[opts.c1, opts.hw, opts.hw]], {
        mode: 'summary',
        defaultAct: a.defaultAct,
        registry,
      });
    } catch {
      // the analysis above already built it; nothing new can fail here
    }
  }
  return {
    ok,
    params: l?.params ?? 0,
    gflops: l ? (2 * l.macs) / 1e9 : 0,
    shape: l?.shape ?? null,
    row,
    diagnostics,
    values,
  };
}
