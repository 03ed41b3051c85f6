/**
 * A checkpoint's architecture (the config dict YOLOv5 keeps as `model.yaml`) written back as a readable
 * YOLOv5-style YAML: header keys, anchors one level per line, backbone and head rows in flow style with
 * their layer numbers, so that PyYAML (YAML 1.1) reads back exactly the same dict.
 */
import { LIMITS } from '../limits.ts';
import { escapeChar, yamlSafe } from '../names.ts';
import { PyFloat, reprFloat } from '../py.ts';
import type { Checkpoint, ConfigValue, ModelConfig } from './checkpoint.ts';
import { CheckpointError } from './checkpoint.ts';
import { msg } from '../messages/index.ts';

export interface ConfigYamlOptions {
  /** Comment lines written at the top (without '#'). */
  comment?: string[];
  /** Class names to add as `names:` (YOLOv5 ignores the key; the app shows them). */
  names?: string[];
}

const HEAD_ORDER = ['nc', 'depth_multiple', 'width_multiple', 'channel_multiple', 'activation', 'anchors'];
// YAML 1.1 words PyYAML reads as booleans or null
const YAML11_WORDS =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
// strings YOLOv5's eval() turns into values: written plain, as the shipped configs write them
const EVAL_NAMES = new Set(['nc', 'anchors', 'None', 'True', 'False', 'nm', 'npr']);

/**
 * A quoted YAML scalar. Single quotes as YOLOv5's configs write them; a string with a line-breaking or other
 * non-printable character (which a single-quoted scalar would fold, or PyYAML refuse) is double-quoted with
 * escapes instead, so it stays on its line and reads back as the same string.
 */
function quote(s: string): string {
  if (!/[\p{C}\p{Zl}\p{Zp}]/u.test(s)) return `'${s.replace(/'/g, "''")}'`;
  const esc = s.replace(/["\\]|[\p{C}\p{Zl}\p{Zp}]/gu, (ch) =>
    ch === '"' || ch === '\\' ? `\\${ch}` : escapeChar(ch),
  );
  return `"${esc}"`;
}

function plainOk(s: string): boolean {
  return IDENT.test(s) && !YAML11_WORDS.test(s);
}

/** A float as PyYAML reads it back as the same float (YAML 1.1 floats need a dot). */
function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const r = reprFloat(x);
  return r.includes('e') && !r.includes('.') ? r.replace('e', '.0e') : r;
}

type Ctx = 'arg' | 'module' | 'value';

function scalarString(s: string, ctx: Ctx): string {
  if (ctx === 'module') return plainOk(s) ? s : quote(s);
  if (ctx === 'arg') return plainOk(s) && (EVAL_NAMES.has(s) || s.includes('.')) ? s : quote(s);
  return plainOk(s) ? s : quote(s);
}

function flow(v: ConfigValue, ctx: Ctx, depth = 0): string {
  if (depth > LIMITS.checkpointConfigDepth) throw new CheckpointError(msg('checkpoint.config-too-deep-to-write'));
  if (v === null) return 'null';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : yamlFloat(v);
  if (v instanceof PyFloat) return yamlFloat(v.v);
  if (typeof v === 'string') return scalarString(v, ctx);
  if (Array.isArray(v)) return `[${v.map((x) => flow(x, ctx, depth + 1)).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${plainOk(k) ? k : quote(k)}: ${flow(x, ctx, depth + 1)}`)
    .join(', ')}}`;
}

function row(r: ConfigValue, i: number): string {
  if (Array.isArray(r) && r.length === 4)
    return `    [${flow(r[0], 'value')}, ${flow(r[1], 'value')}, ${flow(r[2], 'module')}, ${flow(r[3], 'arg')}], # ${i}`;
  return `    ${flow(r, 'arg')}, # ${i}`;
}

/** The YAML text of a model config dict. */
export function configToYaml(config: ModelConfig, opts: ConfigYamlOptions = {}): string {
  const out: string[] = [];
  // a comment line holds no line break (a file name or yaml_file from a .pt could): nothing becomes a row
  for (const c of opts.comment ?? []) out.push(`# ${yamlSafe(c)}`.trimEnd());
  if (out.length) out.push('');
  const keys = Object.keys(config);
  const header = [
    ...HEAD_ORDER.filter((k) => k in config),
    ...keys.filter(
      (k) => !HEAD_ORDER.includes(k) && k !== 'backbone' && k !== 'head' && !(k === 'ch' && config.ch === 3),
    ),
  ];
  for (const k of header) {
    const v = config[k];
    const key = plainOk(k) ? k : quote(k);
    if (k === 'anchors' && Array.isArray(v) && v.every(Array.isArray)) {
      const strides =
        v.length === 3 ? ['P3/8', 'P4/16', 'P5/32'] : v.length === 4 ? ['P3/8', 'P4/16', 'P5/32', 'P6/64'] : [];
      out.push(`${key}:`);
      v.forEach((lv, i) => out.push(`  - ${flow(lv, 'value')}${strides[i] ? ` # ${strides[i]}` : ''}`));
    } else out.push(`${key}: ${flow(v, 'value')}`);
  }
  let index = 0;
  for (const section of ['backbone', 'head'] as const) {
    if (!(section in config)) continue;
    const rows = config[section];
    out.push('');
    if (!Array.isArray(rows)) {
      out.push(`${section}: ${flow(rows, 'value')}`);
      continue;
    }
    out.push(`${section}:`);
    if (section === 'backbone') out.push('  # [from, number, module, args]');
    out.push('  [');
    for (const r of rows) out.push(row(r, index++));
    out.push('  ]');
  }
  if (opts.names?.length) {
    out.push('');
    // class names are shown, never read as rows: each on one line, without control characters
    out.push(`names: [${opts.names.map((n) => quote(yamlSafe(n))).join(', ')}]`);
  }
  return `${out.join('\n')}\n`;
}

/** Whether names are YOLOv5's defaults for nc classes ('0', '1', ...). */
export const defaultNames = (names: string[] | undefined) => !names || names.every((n, i) => n === String(i));

/** The YAML of a checkpoint's architecture, saying where it came from. Throws when it has none. */
export function checkpointYaml(cp: Checkpoint, file = 'model.pt'): string {
  if (!cp.config) throw new CheckpointError(msg('checkpoint.no-architecture', { file }));
  const comment = [
    `Architecture of ${file} (${cp.className}, from ckpt['${cp.from === 'file' ? 'model' : cp.from}']${cp.yamlFile ? `, built from ${cp.yamlFile}` : ''}).`,
    `${cp.parameterCount.toLocaleString('en-US')} parameters in the checkpoint.`,
  ];
  return configToYaml(scaleFirst(cp.config, comment), {
    comment,
    names: defaultNames(cp.names) ? undefined : cp.names,
  });
}

/**
 * An Ultralytics model's config dict keeps the scale it was built at (`scale`, from its YAML's file name), and
 * parse_model builds that scale. Read back from a file whose name names no scale (best.pt), the scale taken is
 * the first of `scales`: so the checkpoint's own scale is written first.
 */
function scaleFirst(config: ModelConfig, comment: string[]): ModelConfig {
  const { scale, scales } = config;
  if (typeof scale !== 'string' || !scales || typeof scales !== 'object' || Array.isArray(scales)) return config;
  if (scales instanceof PyFloat || !(scale in scales)) return config;
  comment.push(`Built at scale ${scale}: written first among the scales, the one a file named without a scale gets.`);
  const { [scale]: own, ...rest } = scales;
  return { ...config, scales: { [scale]: own, ...rest } };
}
