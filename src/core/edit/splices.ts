/**
 * The text changes of the edits that rewrite part of a row or the header in place (commands.ts's setModule,
 * replaceModule and setHeader): a row's module changed with the arguments that still fit kept by their role
 * (Conv's c2 is Bottle2neck's planes), defaults written before them; a header key's value set, added or
 * removed, a block value (anchors as `- [...]` lines) rewritten line by line with its comments kept.
 */
import { HEADER_KEYS, type HeaderKey, type RowSource } from '../document.ts';
import type { ArgSpec, ModuleDef } from '../graph.ts';
import { msg, type Message } from '../messages/index.ts';
import { checkArg } from '../parse-model/signature.ts';
import type { Py } from '../py.ts';
import type { Registry } from '../registry.ts';
import type { EditDoc, Splice } from './source.ts';
import { formatDefault, itemSeparator, lineEndOf, lineStartOf } from './text.ts';

/** An unknown module's name refused, with the nearest known name when there is one. */
export const unknownModule = (registry: Registry, name: string): Message => {
  const hint = registry.suggest(name);
  return hint ? msg('edit-unknown-module-hint', { name, hint }) : msg('edit-unknown-module', { name });
};

/** The arguments a row writes in YAML for a module: its signature minus what parse_model fills in. */
export function yamlArgSpecs(def: ModuleDef): ArgSpec[] {
  switch (def.parse) {
    case 'channels':
      return def.args.slice(1);
    case 'channelsRepeat':
      return [def.args[1], ...def.args.slice(3)];
    case 'batchNorm':
      return [];
    case 'detect': {
      const ch = def.args.findIndex((a) => a.name === 'ch');
      return ch < 0 ? def.args : def.args.slice(0, ch);
    }
    default:
      return def.args;
  }
}

/** The role of a YAML argument, so that e.g. Conv's c2 and Bottle2neck's planes match. */
const role = (def: ModuleDef, k: number): string =>
  (def.parse === 'channels' || def.parse === 'channelsRepeat') && k === 0
    ? '@out-channels'
    : (yamlArgSpecs(def)[k]?.name ?? `@${k}`);

/** A YAML argument fits an argument of the new module: an expression (nc, anchors, ...) always, a value by its type. */
const fits = (spec: ArgSpec, v: Py): boolean => typeof v === 'string' || checkArg(spec, v) === undefined;

/** Splices that change a row's module, keeping the arguments that still fit (by role/name), defaults before them. */
export function changeModuleSplices(
  doc: EditDoc,
  row: RowSource,
  moduleName: string,
  registry: Registry,
): Splice[] | Message {
  const name = moduleName.trim();
  const def = registry.get(name);
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return msg('not-a-module-name', { name: moduleName });
  if (!def) return unknownModule(registry, name);
  if (!row.module) return msg('no-module-to-change', { layer: row.index });
  const plain = !/^(y|yes|n|no|true|false|on|off|null|none)$/i.test(name);
  const splices: Splice[] = [
    {
      start: row.module.range[0],
      end: row.module.range[1],
      text: name,
      ...(plain ? { patch: { field: 'module' as const, value: name } } : {}),
    },
  ];
  const oldName = typeof row.module.value === 'string' ? row.module.value : '';
  const oldDef = registry.get(oldName);
  if (!row.args || row.malformed || oldDef === def) return splices;
  const text = doc.text;
  const oldTexts = row.args.items.map((r) => text.slice(r[0], r[1]));
  let newTexts: string[];
  if (!oldDef)
    newTexts = oldTexts; // unknown old module: keep the arguments as they are
  else {
    const byRole = new Map<string, number>();
    oldTexts.forEach((_, k) => byRole.set(role(oldDef, k), k));
    const specs = yamlArgSpecs(def);
    const kept: (string | undefined)[] = specs.map((spec, k) => {
      const j = byRole.get(role(def, k));
      return j !== undefined && fits(spec, row.args!.value[j]) ? oldTexts[j] : undefined;
    });
    let last = kept.length - 1;
    while (last >= 0 && kept[last] === undefined) last--;
    newTexts = kept
      .slice(0, last + 1)
      .map((t, k) => t ?? (specs[k].default !== undefined ? formatDefault(specs[k].default!) : fillFor(specs[k])));
  }
  if (newTexts.length === oldTexts.length && newTexts.every((t, k) => t === oldTexts[k])) return splices;
  const sep = itemSeparator(text.slice(row.range[0], row.range[1]));
  splices.push({ start: row.args.range[0], end: row.args.range[1], text: `[${newTexts.join(sep)}]` });
  return splices;
}

/** A value for a required argument that the old module had no counterpart for (rare: it sits before a kept one). */
const fillFor = (spec: ArgSpec): string =>
  spec.type === 'bool' || spec.type === 'act'
    ? 'True'
    : spec.type === 'float'
      ? '1.0'
      : spec.type === 'str'
        ? '""'
        : 'None';

/** Splices that set (or add, or remove) a header key's value. */
export function headerSplices(doc: EditDoc, key: HeaderKey, value: string | null): Splice[] | Message {
  const text = doc.text;
  const eol = doc.eol;
  const h = doc.source.header[key];
  const v = value?.trim() ?? null;
  if (v !== null && (!v || /[\r\n]/.test(v))) return msg('header-one-line', { key });
  if (!h) {
    if (v === null) return [];
    // a new `key: value` line after the last header line (nc, depth_multiple, ...), else at the top
    const present = HEADER_KEYS.map((k) => doc.source.header[k]).filter((x) => x !== undefined);
    let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (present.length) {
      const lastEnd = Math.max(...present.map((x) => x!.range[1]));
      at = lineEndOf(text, Math.max(lastEnd - 1, 0));
      if (at === text.length && !text.endsWith('\n'))
        return [
          {
            start: at,
            end: at,
            text: `${eol}${key}: ${v}`,
            header: { key, at: eol.length + key.length + 2, length: v.length },
          },
        ];
    }
    return [{ start: at, end: at, text: `${key}: ${v}${eol}`, header: { key, at: key.length + 2, length: v.length } }];
  }
  const keyAt = text.lastIndexOf(`${key}:`, h.range[0]);
  const old = text.slice(h.range[0], h.range[1]);
  if (v === null) {
    const start = lineStartOf(text, keyAt >= 0 ? keyAt : h.range[0]);
    return [{ start, end: /\n$/.test(old) ? h.range[1] : lineEndOf(text, h.range[1]), text: '' }];
  }
  if (!/[\r\n]/.test(old)) return [{ start: h.range[0], end: h.range[1], text: v }];
  // a block value (anchors as `- [...]` lines): write the new levels as such lines, keeping each line's comment
  const levels = /^\[\s*\[/.test(v) ? splitTopLevel(v.slice(1, -1)) : null;
  const lines = old.split(/\r?\n/).filter((l) => l.trim());
  const indent = /^\s*/.exec(text.slice(lineStartOf(text, h.range[0]), h.range[0]))?.[0] ?? '  ';
  const end = old.endsWith('\n') ? h.range[1] - (old.endsWith('\r\n') ? 2 : 1) : h.range[1];
  if (levels) {
    const comments = lines.map((l) => /\s#.*$/.exec(l)?.[0] ?? '');
    const out = levels.map((lv, k) => `${k ? indent : ''}- ${lv.trim()}${comments[k] ?? ''}`).join(eol);
    return [{ start: h.range[0], end, text: out }];
  }
  // a scalar or flow value replacing a block one: on the key's line
  const colon = keyAt >= 0 ? keyAt + key.length + 1 : h.range[0];
  return [{ start: colon, end, text: ` ${v}`, header: { key, at: 1, length: v.length } }];
}

/** Split `a, [b, c], d` at its top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
