/**
 * `yolo-architect export CONFIG [edits...] [-o OUT]`: apply edits in the order given and write the YAML
 * (stdout, or atomically to OUT). Diagnostics of the result go to stderr. Exit 0 ok, 1 the result has
 * errors, 2 usage (including an edit that cannot apply).
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  analyzeDoc,
  command,
  detectEol,
  familyOf,
  formatDiagnostic,
  formatMessage,
  hasErrors,
  HEADER_KEYS,
  SCALES,
  type EditDoc,
  type EditSpec,
  type HeaderKey,
  type Scale,
} from '../core/index.ts';
import { intFlag, limitFlags } from './args.ts';
import { checkpointWeights, loadConfig } from './load.ts';
import { loadLibraries } from './modules.ts';
import { writeUltralyticsExport, writeYolov5Export } from './yolov5.ts';
import { UsageError } from './command.ts';

/** What `export --help` prints after its usage line. */
const FLAGS = `  --insert INDEX=ROW   the row becomes layer INDEX, e.g. --insert '3=[-1, 1, Conv, [128, 1, 1]]'
                       (the old layer INDEX follows it and reads it through its -1)
  --delete INDEX[,INDEX...]  remove layers (references to them are reported, not rewired)
  --move FROM=TO       move layer FROM so that its index afterwards is TO
  --set KEY=VALUE      nc, depth_multiple, width_multiple, activation (or anchors), as YAML
  --replace OLD=NEW    every layer of module OLD becomes NEW (arguments kept where they fit)
  --replace-at INDEX=MODULE  layer INDEX becomes MODULE, keeping its from and number and carrying its
                       arguments over by name (the canvas's drop onto a layer), e.g. --replace-at 4=C3_Res2Block
  --edit JSON          any edit the app makes, as its command spec, e.g.
                       --edit '{"type":"insertOnEdge","source":6,"target":12,"position":1,"row":"[-1, 1, Conv, [512, 1, 1]]"}'
                       (types: insert, delete, move, moveMany, duplicate, setModule, setArgs, setArg,
                       setRepeats, setFrom, addInput, removeInput, reorderInput, setHeader, replaceModule,
                       scale, paste, insertOnEdge, batch)
  --scale n|s|m|l|x    YOLOv5's depth and width multiples for that scale; for an Ultralytics model (a scales:
                       table), the scale to analyse and export (--ultralytics names the YAML for it)
  -o, --output OUT     write OUT atomically instead of printing the YAML
  --img SIZE           input size for the diagnostics (default 640)
  --limit NAME=N       raise an analysis limit (work, repeats, totalRepeats, loopSteps, kernel, moduleDepth;
                       README "Security"); repeatable
  --yolov5 DIR         export for YOLOv5 into DIR: NAME.yaml and, when the model uses modules YOLOv5 does not
                       ship, yolov5-v7.0.patch and yolov5-master.patch (git apply them in a YOLOv5 checkout)
                       and NAME.modules.yaml (its custom modules); prints the files written, not the YAML
  --allow-strings      with --yolov5: export even when a row has a string argument that YOLOv5's parse_model
                       would eval() as code YOLO Architect does not understand (refused by default)
  --force              with --yolov5 or --ultralytics: replace files in DIR that hold other content (by default
                       nothing is written then, and each such file is named); a NAME.modules.yaml there is
                       merged: the modules the export writes are replaced or added, its other modules and
                       comments kept. Files already the same are not written again.
  --ultralytics DIR    export for Ultralytics 8.3.253 into DIR: NAME.yaml (named with the scale Ultralytics
                       should build) and, when the model uses modules Ultralytics does not ship,
                       ultralytics-8.3.253.patch (git apply it in an ultralytics checkout) and NAME.modules.yaml
Layer indices in each edit are those of the model as the edits before it left it.`;

const EDIT_FLAGS = new Set(['insert', 'delete', 'move', 'set', 'replace', 'replace-at', 'scale', 'edit']);
/** Edit specs `--edit` takes (editText is the YAML pane's typing, not an edit to script). */
const SCRIPTED_EDITS = new Set([
  'insert',
  'delete',
  'move',
  'moveMany',
  'duplicate',
  'setModule',
  'setArgs',
  'setArg',
  'setRepeats',
  'setFrom',
  'addInput',
  'removeInput',
  'reorderInput',
  'setHeader',
  'replaceModule',
  'scale',
  'paste',
  'insertOnEdge',
  'batch',
]);

/** Parse the command line into edits (in order), the input and the output. */
export function parseExportArgs(argv: string[]): {
  config: string;
  edits: { flag: string; value: string; spec: EditSpec }[];
  out?: string;
  yolov5?: string;
  ultralytics?: string;
  allowStrings: boolean;
  force: boolean;
  limits: string[];
  img: number;
  help: boolean;
} {
  const edits: { flag: string; value: string; spec: EditSpec }[] = [];
  const positional: string[] = [];
  let out: string | undefined;
  let img: string | undefined;
  let yolov5: string | undefined;
  let ultralytics: string | undefined;
  let help = false;
  let allowStrings = false;
  let force = false;
  const limits: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    if (a === '--allow-strings') {
      allowStrings = true;
      continue;
    }
    if (a === '--force') {
      force = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = (a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (name === 'o' || name === 'output') out = take();
    else if (name === 'img') img = take();
    else if (name === 'yolov5') yolov5 = take();
    else if (name === 'limit') limits.push(take());
    else if (name === 'ultralytics') ultralytics = take();
    else if (EDIT_FLAGS.has(name)) {
      const value = take();
      edits.push({ flag: name, value, spec: editSpec(name, value) });
    } else throw new UsageError(`unknown option ${a}`);
  }
  if (help) return { config: '', edits, out, img: 640, help, allowStrings, force, limits };
  if (positional.length !== 1)
    throw new UsageError(
      positional.length ? `give exactly one CONFIG (got ${positional.join(' ')})` : 'no CONFIG given',
    );
  if (allowStrings && yolov5 === undefined) throw new UsageError('--allow-strings goes with --yolov5 DIR');
  if (force && yolov5 === undefined && ultralytics === undefined)
    throw new UsageError('--force goes with --yolov5 DIR or --ultralytics DIR');
  if (yolov5 !== undefined && ultralytics !== undefined)
    throw new UsageError('export for one framework at a time: --yolov5 DIR or --ultralytics DIR');
  return {
    config: positional[0],
    edits,
    out,
    yolov5,
    ultralytics,
    allowStrings,
    force,
    limits,
    img: intFlag(img, 'img', 640),
    help,
  };
}

const int = (s: string, what: string): number => {
  const t = s.trim();
  if (!/^-?\d+$/.test(t)) throw new UsageError(`${what} must be a whole number, got '${s}'`);
  return Number(t);
};
const pair = (flag: string, v: string, example: string): [string, string] => {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new UsageError(`--${flag} takes ${example}, got '${v}'`);
  return [v.slice(0, eq).trim(), v.slice(eq + 1).trim()];
};

function editSpec(flag: string, v: string): EditSpec {
  switch (flag) {
    case 'insert': {
      const [i, row] = pair(flag, v, "INDEX=ROW, e.g. '3=[-1, 1, Conv, [128, 1, 1]]'");
      return { type: 'insert', at: int(i, '--insert INDEX'), row };
    }
    case 'delete':
      return { type: 'delete', layers: v.split(',').map((x) => int(x, '--delete INDEX')) };
    case 'move': {
      const [f, t] = pair(flag, v, 'FROM=TO, e.g. 9=10');
      return { type: 'move', from: int(f, '--move FROM'), to: int(t, '--move TO') };
    }
    case 'set': {
      const [k, value] = pair(flag, v, 'KEY=VALUE, e.g. nc=20');
      if (!(HEADER_KEYS as readonly string[]).includes(k))
        throw new UsageError(`--set: '${k}' is not a key a config sets (${HEADER_KEYS.join(', ')})`);
      return { type: 'setHeader', key: k as HeaderKey, value };
    }
    case 'replace': {
      const [from, to] = pair(flag, v, 'OLD=NEW, e.g. C3=C3_Res2Block');
      return { type: 'replaceModule', from, to };
    }
    case 'replace-at': {
      const [i, module] = pair(flag, v, 'INDEX=MODULE, e.g. 4=C3_Res2Block');
      return { type: 'setModule', layer: int(i, '--replace-at INDEX'), module };
    }
    case 'scale':
      if (!(v in SCALES)) throw new UsageError(`--scale takes n, s, m, l or x, got '${v}'`);
      return { type: 'scale', scale: v as Scale };
    case 'edit': {
      let spec: unknown;
      try {
        spec = JSON.parse(v);
      } catch (e) {
        throw new UsageError(`--edit takes an edit as JSON: ${(e as Error).message}`);
      }
      const kinds = (x: unknown): boolean =>
        !!x &&
        typeof x === 'object' &&
        SCRIPTED_EDITS.has((x as { type?: string }).type ?? '') &&
        ((x as { type: string }).type !== 'batch' ||
          (Array.isArray((x as { edits?: unknown }).edits) && (x as { edits: unknown[] }).edits.every(kinds)));
      if (!kinds(spec))
        throw new UsageError(
          `--edit: not an edit (a JSON object whose type is one of ${[...SCRIPTED_EDITS].join(', ')})`,
        );
      return spec as EditSpec;
    }
  }
  throw new UsageError(`unknown edit --${flag}`);
}

/** Write `text` to `path` atomically: a temporary file beside it, flushed to disk, then renamed over it. */
export function writeAtomic(path: string, text: string) {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let mode: number | undefined;
    try {
      mode = statSync(path).mode & 0o7777; // an existing file keeps its permissions
    } catch {
      /* a new file */
    }
    if (mode !== undefined) fchmodSync(fd, mode);
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw new Error(`cannot write ${path}: ${(e as Error).message}`);
  }
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* directories cannot be synced on every platform */
  }
}

export async function exportCommand(argv: string[], help: string): Promise<number> {
  const args = parseExportArgs(argv);
  if (args.help) {
    process.stdout.write(`usage: yolo-architect ${help}\n${FLAGS}\n`);
    return 0;
  }
  const src = loadConfig(args.config);
  const tooBig = src.diagnostics.find((d) => d.code === 'file-too-large');
  if (tooBig) {
    process.stderr.write(`${formatDiagnostic(tooBig)}\n`);
    return 1;
  }
  // byte for byte needs UTF-8: say so when the file's bytes did not survive decoding (a .pt stands for its YAML)
  try {
    if (!checkpointWeights(src) && !readFileSync(args.config).equals(Buffer.from(src.text, 'utf8'))) {
      process.stderr.write(
        `${args.config}: warning: the file is not valid UTF-8; its invalid bytes are written as U+FFFD\n`,
      );
    }
  } catch {
    /* loadConfig has read it; a race is not worth a failure */
  }
  // the edits know the same modules as the analysis (the file's family's, custom module libraries included)
  const libs = loadLibraries(args.config);
  const { family } = familyOf(src);
  const registry = libs.registry.rebase(family.modules());
  let doc: EditDoc = { file: src.file, text: src.text, source: src, eol: detectEol(src.text) };
  let scale: string | undefined;
  for (const e of args.edits) {
    // an Ultralytics model's scale is chosen, not written into its multiples
    if (e.spec.type === 'scale' && family.id === 'ultralytics' && doc.source.header.scales) {
      scale = e.spec.scale;
      continue;
    }
    const r = command(e.spec, { registry }).perform(doc);
    if (!r.ok) throw new UsageError(`--${e.flag} ${e.value}: ${r.error && formatMessage(r.error)}`);
    doc = r.doc;
  }
  const a = analyzeDoc(doc, {
    imgsz: args.img,
    registry: libs.registry,
    limits: limitFlags(args.limits),
    ...(scale ? { scale } : {}),
  });
  for (const d of libs.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (args.out) writeAtomic(args.out, doc.text);
  else if (args.yolov5 === undefined && args.ultralytics === undefined) process.stdout.write(doc.text);
  // positions refer to the result's text: name the file it went to
  const shown = args.out ?? (args.edits.length ? `${args.config} (edited)` : args.config);
  for (const d of a.diagnostics) process.stderr.write(`${formatDiagnostic({ ...d, file: shown })}\n`);
  if (args.yolov5 !== undefined) {
    if (hasErrors(a.diagnostics) || hasErrors(libs.diagnostics)) {
      process.stderr.write(`yolo-architect export: nothing written to ${args.yolov5}: the model has errors\n`);
      return 1;
    }
    const r = writeYolov5Export(args.yolov5, args.config, doc.text, libs.libraries, writeAtomic, {
      allowStrings: args.allowStrings,
      force: args.force,
    });
    for (const e of r.errors) process.stderr.write(`yolo-architect export: ${e}\n`);
    // the files written, one a line; those already the same are said on stderr
    for (const f of r.files)
      if (f.written) process.stdout.write(`${f.path}\n`);
      else if (f.state === 'unchanged') process.stderr.write(`yolo-architect export: ${f.path} unchanged\n`);
    if (r.errors.length) return 1;
  }
  if (args.ultralytics !== undefined) {
    if (a.family.id !== 'ultralytics') {
      process.stderr.write(
        `yolo-architect export: nothing written to ${args.ultralytics}: ${args.config} is a ${a.family.name} model (${a.familyWhy}); use --${a.family.id} DIR\n`,
      );
      return 1;
    }
    if (hasErrors(a.diagnostics) || hasErrors(libs.diagnostics)) {
      process.stderr.write(`yolo-architect export: nothing written to ${args.ultralytics}: the model has errors\n`);
      return 1;
    }
    const r = writeUltralyticsExport(args.ultralytics, args.config, doc.text, libs.libraries, writeAtomic, {
      ...(scale ? { scale } : {}),
      force: args.force,
    });
    for (const e of r.errors) process.stderr.write(`yolo-architect export: ${e}\n`);
    for (const n of r.notes) process.stderr.write(`yolo-architect export: note: ${n}\n`);
    for (const f of r.files)
      if (f.written) process.stdout.write(`${f.path}\n`);
      else if (f.state === 'unchanged') process.stderr.write(`yolo-architect export: ${f.path} unchanged\n`);
    if (r.errors.length) return 1;
  }
  return hasErrors(a.diagnostics) ? 1 : 0;
}
