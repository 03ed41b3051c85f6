/**
 * Every edit is a command: a plain, serialisable spec (what the CLI, IPC and tests pass around) and a
 * Command object with a name, a label and `perform(doc)` (what the canvas, inspector, YAML pane and
 * keyboard call). perform is pure and total: it never throws; an edit that cannot apply returns
 * ok: false with a message and the document unchanged.
 *
 * Long on purpose: perform() is one switch with a case per edit kind, so the list of edits and what each does exist
 * once (and describeEdit labels them beside their specs); the splices that rewrite a row's module or a header value are
 * splices.ts, the moves and pastes of blocks blocks.ts.
 */
import { unreadableProblem } from '../diagnostics.ts';
import { joinMessages, msg, type Message } from '../messages/index.ts';
import { HEADER_KEYS, type HeaderKey } from '../document.ts';
import { isInt, type Py } from '../py.ts';
import { bare } from '../graph.ts';
import { defaultRegistry, type Registry } from '../registry.ts';
import { composeMaps, type IndexMap } from './refs.ts';
import { restructure, type Section, type Slot } from './restructure.ts';
import { applySplices, parseRowSnippet, type EditDoc, type Splice, type SpliceOutcome } from './source.ts';
import { edgeInsertPlan, moveManySlots, pasteSlots, type PastedRow } from './blocks.ts';
import { formatValue, itemSeparator } from './text.ts';
import { changeModuleSplices, headerSplices, unknownModule } from './splices.ts';

export type Scale = 'n' | 's' | 'm' | 'l' | 'x';
/** YOLOv5's scales, written as the shipped configs write them. */
export const SCALES: Record<Scale, { depth: string; width: string }> = {
  n: { depth: '0.33', width: '0.25' },
  s: { depth: '0.33', width: '0.50' },
  m: { depth: '0.67', width: '0.75' },
  l: { depth: '1.0', width: '1.0' },
  x: { depth: '1.33', width: '1.25' },
};

/** An edit as data. Layer indices are those of the document the edit applies to. */
export type EditSpec =
  /** Insert a row so that it becomes layer `at` (the old layer `at` follows it and reads it through its -1). `row` is its YAML text, e.g. `[-1, 1, Conv, [128, 1, 1]]`, references as read at its new index. */
  | { type: 'insert'; at: number; row: string; section?: Section }
  | { type: 'delete'; layers: number[] }
  /** Move layer `from` so that its index after the move is `to`. */
  | { type: 'move'; from: number; to: number; section?: Section }
  /** A copy of the layer right after it. */
  | { type: 'duplicate'; layer: number }
  /** Change the module, keeping the arguments that still fit (defaults for the rest). */
  | { type: 'setModule'; layer: number; module: string }
  /** The arguments as YAML texts, e.g. ['256', '3', '2']. */
  | { type: 'setArgs'; layer: number; args: string[] }
  /** One argument (index in the YAML list; the list's length appends). */
  | { type: 'setArg'; layer: number; index: number; value: string }
  | { type: 'setRepeats'; layer: number; n: number }
  /** Rewire: the new `from` (-1 for the row above; lists for several inputs), as read at this layer. */
  | { type: 'setFrom'; layer: number; from: number | number[] }
  /** Rewire: one more input (a reference as read at this layer), at `position` in the list (default: last). */
  | { type: 'addInput'; layer: number; ref: number; position?: number }
  /** Rewire: drop the input at `position` of the list. */
  | { type: 'removeInput'; layer: number; position: number }
  /** Rewire: move the input at `from` to `to` in the list (Concat's order is its channel order). */
  | { type: 'reorderInput'; layer: number; from: number; to: number }
  /** nc, depth_multiple, width_multiple, anchors, activation, ... as YAML text; null removes the key. */
  | { type: 'setHeader'; key: HeaderKey; value: string | null }
  /** Every layer of module `from` becomes module `to` (arguments kept where they fit). */
  | { type: 'replaceModule'; from: string; to: string }
  | { type: 'scale'; scale: Scale }
  /**
   * Typing in the YAML pane: text changes at offsets of the current text (CodeMirror's {from, to, insert}).
   * Always applies (the text is the state; problems become diagnostics); rows keep their identity in the mapping.
   */
  | { type: 'editText'; changes: { from: number; to: number; insert: string }[] }
  /**
   * Rows pasted so that the first becomes layer `at` (rows as parseRowsText reads them): references inside
   * the block follow it; outside ones keep their layer (-1 stays the row above). `sameDocument`: the rows
   * were copied from this document (its layers from `at` on move down past the pasted rows).
   */
  | { type: 'paste'; at: number; rows: PastedRow[]; sameDocument?: boolean; section?: Section }
  /** Several rows moved as one block (in their order) so that the first is at index `to` afterwards. */
  | { type: 'moveMany'; layers: number[]; to: number; section?: Section }
  /**
   * A new row on the edge from layer `source` (-1: the image) to layer `target`'s input at `position` in its
   * `from`: it becomes layer `target`, reads `source`, and the old target reads it there.
   */
  | { type: 'insertOnEdge'; source: number; target: number; position: number; row: string }
  /** Several edits as one (one history entry). */
  | { type: 'batch'; label?: Message; edits: EditSpec[] };

export interface CommandResult {
  ok: boolean;
  /** The new document (the same object when nothing changed). */
  doc: EditDoc;
  /** Old layer index -> new index (null: removed). Selections, node positions and weights follow it. */
  mapping: IndexMap;
  /** Indices of layers the edit created (in the new document). */
  added: number[];
  /** The edit changed the text and belongs in the undo history. */
  history: boolean;
  /** Why the edit did not apply. */
  error?: Message;
  /** How the parse was brought up to date: only changed rows read again, or the whole text. */
  parse?: 'incremental' | 'full' | 'none';
}

export interface Command {
  /** Stable name, e.g. 'insertLayer' (for menus, key bindings, telemetry). */
  readonly name: string;
  /** What the user sees in menus and the undo list, e.g. 'Insert Conv at layer 3'. */
  readonly label: Message;
  /** The label for the document it is performed on ("Replace layer 4 C3 with C3_Res2Block"), when it depends on it. */
  labelFor?(doc: EditDoc): Message;
  readonly spec: EditSpec;
  /** The edit on `doc`; `context.registry` (the modules the document can use) overrides the command's own. */
  perform(doc: EditDoc, context?: CommandOptions): CommandResult;
}

export interface CommandOptions {
  /** The modules edits can name (built-ins and module libraries); default the built-ins. */
  registry?: Registry;
  /** The document the command will apply to (for its label: "Replace layer 4 C3 with C3_Res2Block"). */
  doc?: EditDoc;
}

const identity = (doc: EditDoc): IndexMap => doc.source.rows.map((_, i) => i);
const fail = (doc: EditDoc, error: Message): CommandResult => ({
  ok: false,
  doc,
  mapping: identity(doc),
  added: [],
  history: false,
  error,
  parse: 'none',
});

const NAMES: Record<EditSpec['type'], string> = {
  insert: 'insertLayer',
  delete: 'deleteLayers',
  move: 'moveLayer',
  duplicate: 'duplicateLayer',
  setModule: 'changeModule',
  setArgs: 'editArgs',
  setArg: 'editArg',
  setRepeats: 'editRepeats',
  setFrom: 'rewireFrom',
  addInput: 'addInput',
  removeInput: 'removeInput',
  reorderInput: 'reorderInput',
  setHeader: 'setHeader',
  replaceModule: 'replaceModule',
  scale: 'applyScale',
  editText: 'editText',
  paste: 'pasteLayers',
  moveMany: 'moveLayers',
  insertOnEdge: 'insertOnEdge',
  batch: 'batch',
};

/**
 * What the user sees in the undo list and the toast. With the document the edit applies to, a module change
 * names what it replaces ("Replace layer 4 C3 with C3_Res2Block").
 */
export function describeEdit(spec: EditSpec, doc?: EditDoc): Message {
  const moduleOf = (i: number) => {
    const v = doc?.source.rows[i]?.module?.value;
    return typeof v === 'string' ? v : undefined;
  };
  switch (spec.type) {
    case 'insert': {
      const module = rowModuleName(spec.row);
      return module ? msg('label.insert', { module, at: spec.at }) : msg('label.insert-row', { at: spec.at });
    }
    case 'delete':
      return spec.layers.length === 1
        ? msg('label.delete', { layer: spec.layers[0] })
        : msg('label.delete-many', { layers: spec.layers.join(', ') });
    case 'move':
      return msg('label.move', { from: spec.from, to: spec.to });
    case 'duplicate':
      return msg('label.duplicate', { layer: spec.layer });
    case 'setModule': {
      const old = moduleOf(spec.layer);
      return old
        ? msg('label.replace-layer-module', { layer: spec.layer, old, module: spec.module })
        : msg('label.set-module', { layer: spec.layer, module: spec.module });
    }
    case 'paste': {
      if (spec.rows.length !== 1) return msg('label.paste-at', { count: spec.rows.length, at: spec.at });
      const module = rowModuleName(spec.rows[0].text);
      return module ? msg('label.paste-one', { module, at: spec.at }) : msg('label.paste-row', { at: spec.at });
    }
    case 'moveMany':
      return spec.layers.length === 1
        ? msg('label.move', { from: spec.layers[0], to: spec.to })
        : msg('label.move-many', { layers: [...spec.layers].sort((a, b) => a - b).join(', '), to: spec.to });
    case 'insertOnEdge': {
      const module = rowModuleName(spec.row);
      const { source, target } = spec;
      if (source < 0)
        return module
          ? msg('label.insert-after-image', { module, target })
          : msg('label.insert-after-image-row', { target });
      return module
        ? msg('label.insert-between', { module, source, target })
        : msg('label.insert-between-row', { source, target });
    }
    case 'setArgs':
    case 'setArg':
      return msg('label.edit-args', { layer: spec.layer });
    case 'setRepeats':
      return msg('label.set-repeats', { layer: spec.layer, n: spec.n });
    case 'setFrom':
      return msg('label.rewire', { layer: spec.layer });
    case 'addInput':
      return msg('label.add-input', { ref: spec.ref, layer: spec.layer });
    case 'removeInput':
      return msg('label.remove-input', { input: spec.position + 1, layer: spec.layer });
    case 'reorderInput':
      return msg('label.reorder-inputs', { layer: spec.layer });
    case 'setHeader':
      return spec.value === null
        ? msg('label.remove-header', { key: spec.key })
        : msg('label.set-header', { key: spec.key, value: spec.value });
    case 'replaceModule':
      return msg('label.replace-module', { from: spec.from, to: spec.to });
    case 'scale':
      return msg('label.scale', { scale: spec.scale });
    case 'editText':
      return msg('label.edit-yaml');
    case 'batch':
      if (spec.label) return spec.label;
      if (!spec.edits.length) return msg('nothing-to-do');
      return joinMessages(spec.edits.map((e) => describeEdit(e, doc)));
    default:
      return msg('unknown-edit', { type: String((spec as { type: unknown }).type) });
  }
}

/** The module a row's text names, if it can be seen. */
const rowModuleName = (row: string) => /^\s*\[\s*(?:\[[^\]]*\]|[^,]*),[^,]*,\s*([^,\]\s]+)/.exec(row)?.[1];

/** The command object for an edit spec. */
export function command(spec: EditSpec, options: CommandOptions = {}): Command {
  return {
    name: NAMES[spec.type] ?? 'edit',
    label: describeEdit(spec, options.doc),
    labelFor: (doc) => describeEdit(spec, doc),
    spec,
    perform(doc, context) {
      try {
        return perform(doc, spec, context?.registry ?? options.registry ?? defaultRegistry);
      } catch (e) {
        return fail(doc, msg('edit-internal-error', { command: NAMES[spec.type], error: (e as Error).message }));
      }
    },
  };
}

// Factories, one per edit, for callers that prefer functions to specs.
export const insertLayer = (at: number, row: string, section?: Section) =>
  command({ type: 'insert', at, row, ...(section ? { section } : {}) });
export const deleteLayers = (...layers: number[]) => command({ type: 'delete', layers });
export const moveLayer = (from: number, to: number, section?: Section) =>
  command({ type: 'move', from, to, ...(section ? { section } : {}) });
export const duplicateLayer = (layer: number) => command({ type: 'duplicate', layer });
export const changeModule = (layer: number, module: string) => command({ type: 'setModule', layer, module });
export const setArgs = (layer: number, args: string[]) => command({ type: 'setArgs', layer, args });
export const setArg = (layer: number, index: number, value: string) => command({ type: 'setArg', layer, index, value });
export const setRepeats = (layer: number, n: number) => command({ type: 'setRepeats', layer, n });
export const setFrom = (layer: number, from: number | number[]) => command({ type: 'setFrom', layer, from });
export const addInput = (layer: number, ref: number, position?: number) =>
  command({ type: 'addInput', layer, ref, ...(position !== undefined ? { position } : {}) });
export const removeInput = (layer: number, position: number) => command({ type: 'removeInput', layer, position });
export const reorderInput = (layer: number, from: number, to: number) =>
  command({ type: 'reorderInput', layer, from, to });
export const setHeader = (key: HeaderKey, value: string | null) => command({ type: 'setHeader', key, value });
export const replaceModule = (from: string, to: string) => command({ type: 'replaceModule', from, to });
export const applyScale = (scale: Scale) => command({ type: 'scale', scale });
export const pasteLayers = (at: number, rows: PastedRow[], sameDocument = false, section?: Section) =>
  command({ type: 'paste', at, rows, sameDocument, ...(section ? { section } : {}) });
export const moveLayers = (layers: number[], to: number, section?: Section) =>
  command({ type: 'moveMany', layers, to, ...(section ? { section } : {}) });
export const insertOnEdge = (source: number, target: number, position: number, row: string) =>
  command({ type: 'insertOnEdge', source, target, position, row });
export const batch = (edits: EditSpec[], label?: Message) =>
  command({ type: 'batch', edits, ...(label ? { label } : {}) });

function done(
  before: EditDoc,
  outcome: SpliceOutcome | undefined,
  mapping: IndexMap,
  added: number[] = [],
): CommandResult {
  if (!outcome) return fail(before, msg('nothing-to-do'));
  if (outcome.problem) return fail(before, outcome.problem);
  const after = outcome.doc;
  const syntax = (d: EditDoc) => d.source.diagnostics.filter((x) => x.code === 'yaml-syntax').length;
  if (syntax(after) > syntax(before))
    return fail(
      before,
      msg('edit-breaks-yaml', { problem: after.source.diagnostics.find((x) => x.code === 'yaml-syntax')!.message }),
    );
  const changed = after.text !== before.text;
  return {
    ok: true,
    doc: changed ? after : before,
    mapping,
    added,
    history: changed,
    parse: changed ? outcome.parse : 'none',
  };
}

function perform(doc: EditDoc, spec: EditSpec, registry: Registry): CommandResult {
  const rows = doc.source.rows;
  const N = rows.length;
  const fatal = unreadableProblem(doc.source.diagnostics);
  if (spec.type === 'editText') return editText(doc, spec.changes);
  if (fatal) return fail(doc, msg('fix-yaml-first', { file: doc.file, line: fatal.line, problem: fatal.message }));
  const layerOk = (i: number): Message | undefined =>
    isInt(i) && i >= 0 && i < N ? undefined : msg('no-such-layer', { layer: String(i), count: N, last: N - 1 });
  const keepAll = (): Slot[] => rows.map((_, k) => ({ kind: 'keep', old: k }));
  const run = (slots: Slot[], addedAt: number[] = []): CommandResult => {
    const r = restructure(doc, slots);
    if (r.error) return fail(doc, r.error);
    return done(doc, r.outcome, r.mapping, addedAt);
  };

  switch (spec.type) {
    case 'insert': {
      const { at } = spec;
      if (!isInt(at) || at < 0 || at > N) return fail(doc, msg('cannot-insert-at', { at: String(at), last: N }));
      const rowText = spec.row.trim();
      if (!rowText.startsWith('[') || /[\r\n]/.test(rowText))
        return fail(doc, msg('insert-not-a-row', { got: JSON.stringify(spec.row) }));
      const nb = rows.filter((r) => r.section === 'backbone').length;
      const section: Section = spec.section ?? insertSection(doc, at);
      if ((section === 'backbone' && at > nb) || (section === 'head' && at < nb))
        return fail(doc, msg('layer-not-in-section', { layer: String(at), section, last: nb - 1 }));
      const badFrom = checkNewFrom(rowText, at);
      if (badFrom) return fail(doc, badFrom);
      const slots = keepAll();
      slots.splice(at, 0, { kind: 'new', text: rowText, section });
      return run(slots, [at]);
    }
    case 'delete': {
      const del = new Set(spec.layers);
      for (const i of del) {
        const bad = layerOk(i);
        if (bad) return fail(doc, msg('cannot-delete', { problem: bad }));
      }
      if (!del.size) return fail(doc, msg('no-layers-to-delete'));
      return run(keepAll().filter((s) => !del.has((s as { old: number }).old)));
    }
    case 'move': {
      const { from, to } = spec;
      const bad =
        layerOk(from) ??
        (isInt(to) && to >= 0 && to < N ? undefined : msg('cannot-move-to', { to: String(to), last: N - 1 }));
      if (bad) return fail(doc, bad);
      const slots = keepAll();
      slots.splice(from, 1);
      const rest = rows.filter((_, k) => k !== from);
      const nb = rest.filter((r) => r.section === 'backbone').length;
      const own = rows[from].section;
      let section: Section =
        spec.section ??
        (to < nb
          ? 'backbone'
          : to > nb
            ? 'head'
            : own === 'backbone' || !doc.source.sections.head
              ? 'backbone'
              : 'head');
      if (spec.section && ((section === 'backbone' && to > nb) || (section === 'head' && to < nb)))
        return fail(doc, msg('index-not-in-section', { index: String(to), section }));
      if (to === nb && nb === rest.length && own === 'head') section = 'head';
      if (to === from && section === own)
        return { ok: true, doc, mapping: identity(doc), added: [], history: false, parse: 'none' };
      slots.splice(to, 0, { kind: 'move', old: from, section });
      return run(slots);
    }
    case 'paste': {
      const { at } = spec;
      if (!isInt(at) || at < 0 || at > N) return fail(doc, msg('cannot-paste-at', { at: String(at), last: N }));
      if (!Array.isArray(spec.rows)) return fail(doc, msg('nothing-to-paste'));
      for (const r of spec.rows)
        if (typeof r?.text !== 'string' || !r.text.trim().startsWith('[') || /[\r\n]/.test(r.text))
          return fail(doc, msg('row-not-one-line', { got: String(JSON.stringify(r?.text)) }));
      const section = spec.section ?? insertSection(doc, at);
      const nb = rows.filter((r) => r.section === 'backbone').length;
      if ((section === 'backbone' && at > nb) || (section === 'head' && at < nb))
        return fail(doc, msg('layer-not-in-section', { layer: String(at), section, last: nb - 1 }));
      const pasted = pasteSlots(spec.rows, at, section, spec.sameDocument === true);
      if (!Array.isArray(pasted)) return fail(doc, pasted);
      const slots = keepAll();
      slots.splice(at, 0, ...pasted);
      return run(
        slots,
        pasted.map((_, k) => at + k),
      );
    }
    case 'moveMany': {
      if (!Array.isArray(spec.layers)) return fail(doc, msg('no-layers-to-move'));
      const slots = moveManySlots(rows, spec.layers, spec.to, spec.section);
      if (!Array.isArray(slots)) return fail(doc, slots);
      // nothing moves: every row stays at its index in its section
      const still = slots.every(
        (s, k) =>
          (s.kind === 'keep' || s.kind === 'move') &&
          s.old === k &&
          (s.kind === 'keep' || s.section === rows[k].section),
      );
      if (still) return { ok: true, doc, mapping: identity(doc), added: [], history: false, parse: 'none' };
      return run(slots);
    }
    case 'insertOnEdge': {
      const plan = edgeInsertPlan(rows, spec.source, spec.target, spec.position, spec.row);
      if ('params' in plan) return fail(doc, plan);
      const edits: EditSpec[] = [
        { type: 'insert', at: spec.target, row: plan.row, section: rows[spec.target].section },
        { type: 'setFrom', layer: spec.target + 1, from: plan.targetFrom as number | number[] },
      ];
      return perform(doc, { type: 'batch', edits }, registry);
    }
    case 'duplicate': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const slots = keepAll();
      slots.splice(spec.layer + 1, 0, { kind: 'copy', old: spec.layer, section: rows[spec.layer].section });
      return run(slots, [spec.layer + 1]);
    }
    case 'setModule': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const splices = changeModuleSplices(doc, rows[spec.layer], spec.module, registry);
      if (!Array.isArray(splices)) return fail(doc, splices);
      return done(doc, applySplices(doc, splices), identity(doc));
    }
    case 'replaceModule': {
      if (!registry.get(spec.to)) return fail(doc, unknownModule(registry, spec.to));
      const splices: Splice[] = [];
      for (const r of rows) {
        if (typeof r.module?.value !== 'string' || bare(r.module.value) !== bare(spec.from)) continue;
        const s = changeModuleSplices(doc, r, spec.to, registry);
        if (!Array.isArray(s)) return fail(doc, s);
        splices.push(...s);
      }
      if (!splices.length) return fail(doc, msg('no-layer-uses', { module: spec.from }));
      return done(doc, applySplices(doc, splices), identity(doc));
    }
    case 'setArgs': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const r = rows[spec.layer];
      if (!r.args) return fail(doc, msg('no-args-to-edit', { layer: spec.layer }));
      const sep = itemSeparator(doc.text.slice(r.range[0], r.range[1]));
      if (spec.args.some((a) => !a.trim())) return fail(doc, msg('empty-argument'));
      const res = done(
        doc,
        applySplices(doc, [
          { start: r.args.range[0], end: r.args.range[1], text: `[${spec.args.map((a) => a.trim()).join(sep)}]` },
        ]),
        identity(doc),
      );
      return argsCount(doc, res, spec.layer, spec.args.length, spec.args.join(', '));
    }
    case 'setArg': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const r = rows[spec.layer];
      if (!r.args || r.malformed) return fail(doc, msg('no-args-to-edit', { layer: spec.layer }));
      const items = r.args.items;
      const v = spec.value.trim();
      if (!v) return fail(doc, msg('empty-argument'));
      if (spec.index >= 0 && spec.index < items.length) {
        return argsCount(
          doc,
          done(
            doc,
            applySplices(doc, [{ start: items[spec.index][0], end: items[spec.index][1], text: v }]),
            identity(doc),
          ),
          spec.layer,
          items.length,
          v,
        );
      }
      if (spec.index !== items.length)
        return fail(doc, msg('argument-gap', { layer: spec.layer, count: items.length, index: spec.index }));
      const close = r.args.range[1] - 1;
      const sep = itemSeparator(doc.text.slice(r.range[0], r.range[1]));
      const at = items.length ? items[items.length - 1][1] : close;
      return argsCount(
        doc,
        done(doc, applySplices(doc, [{ start: at, end: at, text: items.length ? `${sep}${v}` : v }]), identity(doc)),
        spec.layer,
        items.length + 1,
        v,
      );
    }
    case 'setRepeats': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      if (!isInt(spec.n) || spec.n < 1) return fail(doc, msg('edit-bad-repeats', { got: String(spec.n) }));
      const r = rows[spec.layer];
      if (!r.n) return fail(doc, msg('no-number-to-edit', { layer: spec.layer }));
      return done(
        doc,
        applySplices(doc, [
          { start: r.n.range[0], end: r.n.range[1], text: String(spec.n), patch: { field: 'n', value: spec.n } },
        ]),
        identity(doc),
      );
    }
    case 'setFrom': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const f = spec.from;
      const list = Array.isArray(f) ? f : [f];
      if (!list.length || !list.every(isInt)) return fail(doc, msg('from-not-layers', { got: JSON.stringify(f) }));
      const outOfRange = fromRangeError(list, spec.layer);
      if (outOfRange) return fail(doc, outOfRange);
      const r = rows[spec.layer];
      if (!r.from) return fail(doc, msg('no-from-to-edit', { layer: spec.layer }));
      return done(
        doc,
        applySplices(doc, [
          {
            start: r.from.range[0],
            end: r.from.range[1],
            text: formatValue(f as Py),
            patch: { field: 'from', value: f as Py },
          },
        ]),
        identity(doc),
      );
    }
    case 'addInput':
    case 'removeInput':
    case 'reorderInput': {
      const bad = layerOk(spec.layer);
      if (bad) return fail(doc, bad);
      const f = rows[spec.layer].from?.value;
      const list = Array.isArray(f) ? [...f] : f === undefined || f === null ? [] : [f];
      if (!list.every(isInt))
        return fail(doc, msg('from-not-whole', { layer: spec.layer, from: formatValue(f ?? null) }));
      const pos = (p: number, max: number, what: 'position' | 'input'): Message | undefined =>
        isInt(p) && p >= 0 && p <= max
          ? undefined
          : msg('no-such-input', { what, index: String(p), layer: spec.layer, count: list.length });
      if (spec.type === 'addInput') {
        const at = spec.position ?? list.length;
        const e = pos(at, list.length, 'position');
        if (e) return fail(doc, e);
        list.splice(at, 0, spec.ref);
      } else if (spec.type === 'removeInput') {
        const e = pos(spec.position, list.length - 1, 'input');
        if (e) return fail(doc, e);
        if (list.length === 1) return fail(doc, msg('only-input', { layer: spec.layer }));
        list.splice(spec.position, 1);
      } else {
        const e = pos(spec.from, list.length - 1, 'input') ?? pos(spec.to, list.length - 1, 'position');
        if (e) return fail(doc, e);
        list.splice(spec.to, 0, ...list.splice(spec.from, 1));
      }
      // a list stays a list (Concat and Detect read lists); a single input written as a number stays one when it is one again
      const from = !Array.isArray(f) && list.length === 1 ? (list[0] as number) : (list as number[]);
      return perform(doc, { type: 'setFrom', layer: spec.layer, from }, registry);
    }
    case 'setHeader': {
      if (!(HEADER_KEYS as readonly string[]).includes(spec.key))
        return fail(doc, msg('not-a-header-key', { key: spec.key, keys: HEADER_KEYS.join(', ') }));
      const splices = headerSplices(doc, spec.key, spec.value);
      if (!Array.isArray(splices)) return fail(doc, splices);
      return done(doc, applySplices(doc, splices), identity(doc));
    }
    case 'scale': {
      const s = SCALES[spec.scale];
      if (!s) return fail(doc, msg('unknown-scale', { scale: String(spec.scale) }));
      return perform(
        doc,
        {
          type: 'batch',
          edits: [
            { type: 'setHeader', key: 'depth_multiple', value: s.depth },
            { type: 'setHeader', key: 'width_multiple', value: s.width },
          ],
        },
        registry,
      );
    }
    case 'batch': {
      let cur = doc;
      let mapping = identity(doc);
      let added: number[] = [];
      let parse: CommandResult['parse'] = 'none';
      for (const e of spec.edits) {
        const r = perform(cur, e, registry);
        if (!r.ok) return fail(doc, r.error ?? msg('edit-failed'));
        mapping = composeMaps(mapping, r.mapping);
        added = [...added.map((a) => r.mapping[a]).filter((a): a is number => a !== null), ...r.added];
        if (r.parse === 'full' || (r.parse === 'incremental' && parse === 'none')) parse = r.parse;
        cur = r.doc;
      }
      const changed = cur.text !== doc.text;
      return { ok: true, doc: changed ? cur : doc, mapping, added, history: changed, parse };
    }
  }
  return fail(doc, msg('unknown-edit', { type: String((spec as { type: string }).type) }));
}

/** The section a row inserted at `at` goes to when none is said: at the boundary, the head when it has rows. */
function insertSection(doc: EditDoc, at: number): Section {
  const rows = doc.source.rows;
  const nb = rows.filter((r) => r.section === 'backbone').length;
  if (at < nb) return 'backbone';
  if (at === nb && rows.length > nb) return 'head';
  if (at === nb && !doc.source.sections.head) return 'backbone';
  return 'head';
}

function fromRangeError(list: number[], i: number): Message | undefined {
  for (const j of list) {
    const abs = j < 0 ? i + j : j;
    if (!(j === -1 && i === 0) && (abs < 0 || abs >= i))
      return i === 0 ? msg('from-range-first', { from: j }) : msg('from-range', { layer: i, from: j, last: i - 1 });
  }
  return undefined;
}

/** A new row's `from`, read at its new index, must point at existing layers above it. */
function checkNewFrom(rowText: string, at: number): Message | undefined {
  const s = parseRowSnippet(rowText);
  const f = s.rows[0]?.from?.value;
  if (s.rows.length !== 1 || f === undefined) return undefined; // reported as not one row later
  const list = Array.isArray(f) ? f : [f];
  if (!list.length || !list.every(isInt)) return msg('new-from-not-layers', { got: formatValue(f) });
  return fromRangeError(list as number[], at);
}

/** An argument edit must leave exactly the intended number of arguments (a value like `1], [2` would not). */
function argsCount(before: EditDoc, r: CommandResult, layer: number, count: number, what: string): CommandResult {
  if (!r.ok || !r.history) return r;
  const row = r.doc.source.rows[layer];
  if (!row?.args || row.args.items.length !== count || row.malformed)
    return fail(before, msg('not-n-arguments', { written: what, count }));
  return r;
}

function editText(doc: EditDoc, changes: { from: number; to: number; insert: string }[]): CommandResult {
  const L = doc.text.length;
  const sorted = [...changes].sort((a, b) => a.from - b.from);
  for (let k = 0; k < sorted.length; k++) {
    const c = sorted[k];
    if (!isInt(c.from) || !isInt(c.to) || c.from < 0 || c.to < c.from || c.to > L || typeof c.insert !== 'string')
      return fail(doc, msg('text-change-outside', { length: L, from: String(c.from), to: String(c.to) }));
    if (k && c.from < sorted[k - 1].to) return fail(doc, msg('text-changes-overlap'));
  }
  const splices: Splice[] = sorted.map((c) => ({ start: c.from, end: c.to, text: c.insert }));
  const rows = doc.source.rows;
  const values = [...rows.map((r) => r.range), ...Object.values(doc.source.header).map((h) => h!.range)];
  // changes strictly inside one row or value: only that is read again; anything else (between rows, in keys) is parsed whole
  const local = splices.every((c) => values.some((r) => c.start > r[0] && c.end < r[1]));
  let out = local ? applySplices(doc, splices) : undefined;
  if (!out || out.problem) out = applySplices(doc, splices, true);
  const after = out.doc;
  // rows keep their identity where their start is still a row's start
  const starts = new Map(after.source.rows.map((r, i) => [r.range[0], i]));
  const mapping = rows.map((r) => {
    let p = r.range[0];
    for (const c of sorted) {
      if (c.to <= r.range[0] && !(c.from === c.to && c.from === r.range[0])) p += c.insert.length - (c.to - c.from);
      else if (c.from < r.range[0]) return null;
    }
    return starts.get(p) ?? null;
  });
  const changed = after.text !== doc.text;
  return {
    ok: true,
    doc: changed ? after : doc,
    mapping,
    added: [],
    history: changed,
    parse: changed ? out.parse : 'none',
  };
}
