/**
 * Patches for a YOLOv5 checkout (`git apply yolov5-v7.0.patch`): a new file models/architect_modules.py with
 * the generated classes, and a minimal change to models/yolo.py that imports them and registers them in
 * parse_model's module sets, as the seed's write-up does by hand.
 *
 * YOLOv5 is AGPL: the only lines of it embedded here are the context the hunks need, lists of module names
 * (parse_model's `if m in {...}` sets) and one import line to insert our import before. Their line numbers in
 * each release let the hunk headers be exact; `git apply` still finds them if a checkout has moved them.
 */
import { msg } from '../messages/index.ts';
import { CodegenError } from './pyprint.ts';

export interface ModuleRegistration {
  name: string;
  /** 'channels': c1, c2 resolved like Conv; 'channelsRepeat': also n inserted like C3; 'passthrough': neither. */
  parse: 'channels' | 'channelsRepeat' | 'passthrough';
}

interface ContextLine {
  line: number;
  text: string;
}

/** Where the hunks go in one YOLOv5 release's models/yolo.py. */
export interface Yolov5Target {
  id: 'v7.0' | 'master';
  /** What the patch says it was made for. */
  label: string;
  /** Our import goes just before this line. */
  importBefore: ContextLine;
  /** parse_model's first set (c1, c2 like Conv): our names go between these two lines of it. */
  channelsAfter: ContextLine;
  channelsBefore: ContextLine;
  /** How the set is written: names wrapped at `indent` (v7.0), or one per line (master). */
  setStyle: { indent: string; onePerLine: boolean };
  /** The C3 family's set (n inserted as the third argument): our test goes just before it. */
  repeatBefore: ContextLine;
}

const IMPORT_LINE = 'from utils.autoanchor import check_anchor_order';
const C3_SET = '            if m in {BottleneckCSP, C3, C3TR, C3Ghost, C3x}:';

export const YOLOV5_TARGETS: readonly Yolov5Target[] = [
  {
    id: 'v7.0',
    label: 'YOLOv5 v7.0 (tag v7.0, commit 915bbf294)',
    importBefore: { line: 26, text: IMPORT_LINE },
    channelsAfter: {
      line: 318,
      text: '                Conv, GhostConv, Bottleneck, GhostBottleneck, SPP, SPPF, DWConv, MixConv2d, Focus, CrossConv,',
    },
    channelsBefore: {
      line: 319,
      text: '                BottleneckCSP, C3, C3TR, C3SPP, C3Ghost, nn.ConvTranspose2d, DWConvTranspose2d, C3x}:',
    },
    setStyle: { indent: '                ', onePerLine: false },
    repeatBefore: { line: 325, text: C3_SET },
  },
  {
    id: 'master',
    label: 'YOLOv5 master (as of commit 5081342f0)',
    importBefore: { line: 53, text: IMPORT_LINE },
    channelsAfter: { line: 419, text: '            DWConvTranspose2d,' },
    channelsBefore: { line: 420, text: '            C3x,' },
    setStyle: { indent: '            ', onePerLine: true },
    repeatBefore: { line: 427, text: C3_SET },
  },
];

export const MODULES_FILE = 'models/architect_modules.py';

export interface Hunk {
  /** Old line the hunk starts at (its first context line). */
  start: number;
  lines: string[];
}

/** The unified diff of one hunk list, with exact counts and the new positions shifted by earlier hunks. */
export function fileDiff(path: string, hunks: Hunk[]): string {
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  let shift = 0;
  for (const h of hunks) {
    const old = h.lines.filter((l) => !l.startsWith('+')).length;
    const neu = h.lines.filter((l) => !l.startsWith('-')).length;
    out.push(`@@ -${h.start},${old} +${h.start + shift},${neu} @@`, ...h.lines);
    shift += neu - old;
  }
  return `${out.join('\n')}\n`;
}

/** A new file as a diff (no context needed). */
export function newFileDiff(path: string, text: string): string {
  if (!text.endsWith('\n')) text += '\n';
  const lines = text.slice(0, -1).split('\n');
  return (
    [
      `diff --git a/${path} b/${path}`,
      'new file mode 100644',
      '--- /dev/null',
      `+++ b/${path}`,
      `@@ -0,0 +1,${lines.length} @@`,
      ...lines.map((l) => `+${l}`),
    ].join('\n') + '\n'
  );
}

/** Names wrapped into lines at most `width` long, each line starting with `indent` and ending with ','. */
function wrapNames(names: string[], indent: string, width = 120): string[] {
  const out: string[] = [];
  let cur = '';
  for (const n of names) {
    const piece = `${n},`;
    if (cur && indent.length + cur.length + 1 + piece.length > width) {
      out.push(indent + cur);
      cur = piece;
    } else cur = cur ? `${cur} ${piece}` : piece;
  }
  if (cur) out.push(indent + cur);
  return out;
}

/** The change to models/yolo.py: import the classes, register them in parse_model's sets. */
export function yoloPyDiff(target: Yolov5Target, classes: string[], registrations: ModuleRegistration[]): string {
  for (const n of classes) if (!/^[A-Za-z_]\w*$/.test(n)) throw new CodegenError(msg('codegen.bad-class', { name: n }));
  const importLines =
    classes.length <= 4
      ? [`from models.architect_modules import ${classes.join(', ')}  # YOLO Architect`]
      : ['from models.architect_modules import (  # YOLO Architect', ...wrapNames(classes, '    ', 100), ')'];
  const hunks: Hunk[] = [
    { start: target.importBefore.line, lines: [...importLines.map((l) => `+${l}`), ` ${target.importBefore.text}`] },
  ];
  const channels = registrations.filter((r) => r.parse !== 'passthrough').map((r) => r.name);
  if (channels.length) {
    const { indent, onePerLine } = target.setStyle;
    const added = onePerLine ? channels.map((n) => `${indent}${n},`) : wrapNames(channels, indent);
    hunks.push({
      start: target.channelsAfter.line,
      lines: [` ${target.channelsAfter.text}`, ...added.map((l) => `+${l}`), ` ${target.channelsBefore.text}`],
    });
  }
  const repeat = registrations.filter((r) => r.parse === 'channelsRepeat').map((r) => r.name);
  if (repeat.length) {
    hunks.push({
      start: target.repeatBefore.line,
      lines: [
        `+            if m in {${repeat.join(', ')}}:  # YOLO Architect: n is the third argument, as for C3`,
        '+                args.insert(2, n)',
        '+                n = 1',
        ` ${target.repeatBefore.text}`,
      ],
    });
  }
  return fileDiff('models/yolo.py', hunks);
}

/** The whole patch for one release: a short note (git apply skips it), the new file, the change to yolo.py. */
export function yolov5Patch(
  target: Yolov5Target,
  modulesFile: string,
  classes: string[],
  registrations: ModuleRegistration[],
): string {
  const note = [
    `YOLO Architect: adds ${classes.join(', ')} to ${target.label}.`,
    'In a YOLOv5 checkout of that version, unpatched: git apply THIS.patch',
    '(to replace an earlier export: git apply -R THE-EARLIER.patch, then apply this one).',
    `New file ${MODULES_FILE}; models/yolo.py imports it and registers the modules in parse_model.`,
    '',
  ].join('\n');
  return `${note}\n${newFileDiff(MODULES_FILE, modulesFile)}${yoloPyDiff(target, classes, registrations)}`;
}
