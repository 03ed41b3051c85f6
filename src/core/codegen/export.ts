/**
 * "Export for YOLOv5": the files that make a YOLOv5 checkout train a model as designed. The model YAML; when it
 * uses modules YOLOv5 does not ship (the seed's Bottle2neck and C3_Res2Block, users' custom modules), one patch
 * per YOLOv5 release adding their generated PyTorch classes and registering them in parse_model; and the used
 * custom modules' library as NAME.modules.yaml, so the model and its modules travel together.
 * Pure: the app's button and the CLI (`export CONFIG --yolov5 DIR`) write what this returns.
 *
 * One file on purpose: both families' exports share the module file and the library text they write.
 */
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import type { ModuleLibrary } from '../custom/library.ts';
import { usedOps, type ModuleSpec } from '../custom/spec.ts';
import { parseModelText, type ModelSource } from '../document.ts';
import type { Py } from '../py.ts';
import { msg, type Message } from '../messages/index.ts';
import { stringArgumentRisk } from '../propagate.ts';
import { understands } from '../pyexpr.ts';
import { bare } from '../graph.ts';
import { Registry, defaultRegistry } from '../registry.ts';
import { yamlSafe } from '../names.ts';
import { generateClass, type ClassContext } from './pytorch.ts';
import { CodegenError, pyComment } from './pyprint.ts';
import { YOLOV5_TARGETS, yolov5Patch, type ModuleRegistration } from './patch.ts';
import { ULTRALYTICS_MODULES_FILE, ULTRALYTICS_RELEASE, ultralyticsPatch } from './ultralytics-patch.ts';
import { scaleFromName, ultralyticsFamily } from '../parse-model/ultralytics.ts';
import { yolov5Family } from '../parse-model/yolov5.ts';
import type { ModelFamily } from '../parse-model/family.ts';

export interface ExportFile {
  /** File name inside the export directory. */
  path: string;
  text: string;
}

export interface Yolov5Export {
  /** Empty when there are errors. */
  files: ExportFile[];
  /** Generated classes, in file order. */
  classes: string[];
  errors: Message[];
}

/** Names models/yolo.py already has (its own classes and what it imports): a module named so would shadow them. */
const YOLOV5_NAMES = new Set([
  'Model',
  'BaseModel',
  'DetectionModel',
  'SegmentationModel',
  'ClassificationModel',
  'Detect',
  'Segment',
  'parse_model',
  'Classify',
  'DetectMultiBackend',
  'AutoShape',
  'Detections',
  'Proto',
  'Sum',
  'Ensemble',
  'MixConv2d',
  'autopad',
  'torch',
  'nn',
  'math',
  'np',
  'os',
  'sys',
  'Path',
  'LOGGER',
  'ROOT',
  'FILE',
  'Image',
  'make_divisible',
  'check_anchor_order',
  'Annotator',
  'Profile',
  'OrderedDict',
  'TryExcept',
  'F',
]);

/**
 * The description each non-shipped module comes from: libraries (later ones win), then the built-ins YOLOv5
 * does not ship (the seed's modules), whose descriptions are the ones the core computes with.
 */
function specLookup(
  libraries: ModuleLibrary[],
): (name: string) => { spec: ModuleSpec; library?: ModuleLibrary } | undefined {
  return (name) => {
    for (let i = libraries.length - 1; i >= 0; i--) {
      const spec = libraries[i].specs.find((s) => s.name === name);
      if (spec) return { spec, library: libraries[i] };
    }
    const def = defaultRegistry.get(name);
    return def?.generated && def.spec ? { spec: def.spec } : undefined;
  };
}

/** The Python file with the classes of `specs` and the modules they need, dependencies first. */
export function modulesFile(
  roots: string[],
  libraries: ModuleLibrary[],
  title = 'the model',
  /** The framework the classes are for: its own modules are imported from it, not generated. */
  family: ModelFamily = yolov5Family,
): { text: string; specs: ModuleSpec[]; fromLibraries: ModuleSpec[] } {
  const find = specLookup(libraries);
  const registry = new Registry(family.modules());
  for (const lib of libraries) for (const d of lib.defs) registry.add(d);
  const order: ModuleSpec[] = [];
  const fromLibraries: ModuleSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string) => {
    const hit = find(name);
    if (!hit) return; // YOLOv5's own module (or torch.nn, or a function)
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new CodegenError(msg('codegen.uses-itself', { name, from }));
    state.set(name, 'visiting');
    for (const op of usedOps(hit.spec)) visit(op, name);
    state.set(name, 'done');
    order.push(hit.spec);
    if (hit.library) fromLibraries.push(hit.spec);
  };
  for (const r of roots) visit(r, r);
  const generated = new Map(order.map((s) => [s.name, s]));
  const ctx: ClassContext = { generated, lookup: (n) => registry.get(n) };
  const classes = order.map((s) => generateClass(s, ctx));
  const imports = new Map<string, Set<string>>();
  for (const c of classes)
    for (const [m, names] of c.imports)
      for (const n of names) (imports.get(m) ?? imports.set(m, new Set()).get(m)!).add(n);
  // Python reads a source encoding from a comment on line 1 or 2 (PEP 263): both are ours, fixed, and
  // declare UTF-8, so no name written later can change how the file is decoded
  const head = [
    '# -*- coding: utf-8 -*-',
    `# Generated by YOLO Architect from module descriptions: ${family.name} does not ship these modules.`,
    ...pyComment(`For ${title}.`),
    '# Generated file: change the modules in YOLO Architect (or in the .modules.yaml library) and export again.',
    'import math',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    ...[...imports]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, names]) => `from ${m} import ${[...names].sort().join(', ')}`),
  ];
  return {
    text: `${[...head, '', '', classes.map((c) => c.code).join('\n\n')].join('\n')}`,
    specs: order,
    fromLibraries,
  };
}

/** The library text of `specs`, in the format parseModuleLibrary reads. */
export function libraryText(specs: ModuleSpec[], title: string): string {
  const doc: Record<string, unknown> = {};
  for (const s of specs) {
    doc[s.name] = {
      description: s.description,
      ...(s.category ? { category: s.category } : {}),
      ...(s.parse ? { parse: s.parse } : {}),
      ...(s.internal ? { internal: true } : {}),
      ...(s.example !== undefined ? { example: s.example } : {}),
      // a plain argument as `name=default`; typed or documented ones as a mapping
      args: s.args.map((a) =>
        a.type === undefined && a.doc === undefined
          ? a.default === undefined
            ? a.name
            : `${a.name}=${a.default}`
          : { ...a },
      ),
      ...(s.vars?.length ? { vars: Object.fromEntries(s.vars) } : {}),
      // a check with only a condition and an English message as [condition, message]
      ...(s.check?.length
        ? {
            check: s.check.map((c) =>
              c.code === undefined && c.severity === undefined && typeof c.message === 'string'
                ? [c.assert, c.message]
                : { ...c },
            ),
          }
        : {}),
      ...(s.inputs ? { inputs: s.inputs } : {}),
      ...(s.containers ? { containers: s.containers } : {}),
      ...(s.base ? { base: s.base } : { body: s.body }),
      ...(s.out !== undefined ? { out: s.out } : {}),
    };
  }
  // block style for modules and groups, flow style for each node and argument list: one line per node
  const yaml = new Document(doc, { version: '1.2' });
  const flowBody = (body: unknown) => {
    if (!isSeq(body)) return;
    for (const item of body.items) {
      if (!isMap(item)) continue;
      if (item.has('body')) {
        const f = item.get('for', true);
        if (isMap(f)) f.flow = true;
        flowBody(item.get('body', true));
      } else item.flow = true;
    }
  };
  if (isMap(yaml.contents)) {
    for (const pair of yaml.contents.items) {
      const m = pair.value as YAMLMap;
      for (const k of ['args', 'inputs']) {
        const v = m.get(k, true);
        if (isSeq(v)) v.flow = true;
      }
      const check = m.get('check', true);
      if (isSeq(check)) for (const c of check.items) if (isSeq(c)) c.flow = true;
      flowBody(m.get('body', true));
    }
  }
  return `# Modules used by ${yamlSafe(title)}, exported by YOLO Architect (a module library: NAME.modules.yaml beside NAME.yaml).\n${yaml.toString({ lineWidth: 0 })}`;
}

export interface Yolov5ExportOptions {
  /** Export even when a row has a string argument YOLOv5 would eval() as code we do not understand. */
  allowStrings?: boolean;
}

/** A row's string arguments that YOLOv5's parse_model would eval() as code YOLO Architect does not understand. */
export function riskyStrings(src: ModelSource): { layer: number; text: string }[] {
  const out: { layer: number; text: string }[] = [];
  for (const row of src.rows)
    for (const a of row.args?.value ?? [])
      if (typeof a === 'string' && understands(a) === 'no') out.push({ layer: row.index, text: a });
  return out;
}

/**
 * Everything "Export for YOLOv5" writes for a model: `name` is the model's file name without extension,
 * `text` its YAML as it should be written, `libraries` the module libraries it was read with (the default
 * library, the user's, the one beside it; later ones win).
 */
export function exportForYolov5(
  name: string,
  text: string,
  libraries: ModuleLibrary[],
  opts: Yolov5ExportOptions = {},
): Yolov5Export {
  const src = parseModelText(text, `${name}.yaml`);
  if (!opts.allowStrings) {
    const risky = riskyStrings(src);
    if (risky.length)
      return {
        files: [],
        classes: [],
        errors: risky.map((r) => msg('codegen.risky-string', { layer: r.layer, problem: stringArgumentRisk(r.text) })),
      };
  }
  const find = specLookup(libraries);
  const used: string[] = [];
  for (const row of src.rows) {
    const m = row.module?.value;
    if (typeof m !== 'string') continue;
    const n = bare(m);
    if (find(n) && !used.includes(n)) used.push(n);
  }
  const files: ExportFile[] = [{ path: `${name}.yaml`, text }];
  if (!used.length) return { files, classes: [], errors: [] };
  try {
    const { text: py, specs, fromLibraries } = modulesFile(used, libraries, `${name}.yaml`);
    const clash = specs.find((s) => YOLOV5_NAMES.has(s.name));
    if (clash) throw new CodegenError(msg('codegen.name-in-framework', { name: clash.name, family: 'yolov5' }));
    const classes = specs.map((s) => s.name);
    const registrations: ModuleRegistration[] = specs.map((s) => {
      const parse = s.parse ?? 'channels';
      if (parse === 'batchNorm') throw new CodegenError(msg('codegen.batchnorm-parse', { name: s.name }));
      return { name: s.name, parse };
    });
    for (const t of YOLOV5_TARGETS)
      files.push({ path: `yolov5-${t.id}.patch`, text: yolov5Patch(t, py, classes, registrations) });
    if (fromLibraries.length)
      files.push({ path: `${name}.modules.yaml`, text: libraryText(fromLibraries, `${name}.yaml`) });
    return { files, classes, errors: [] };
  } catch (e) {
    if (e instanceof CodegenError) return { files: [], classes: [], errors: [e.msg] };
    throw e;
  }
}

/**
 * Names ultralytics/nn/tasks.py already has (what it imports and defines): a module named so would shadow one.
 * Its modules are read when first asked (building them parses the Ultralytics descriptions: not at import).
 */
let ultralyticsNames: Set<string> | undefined;
const ultralyticsTaskNames = (): Set<string> =>
  (ultralyticsNames ??= new Set([
    ...ultralyticsFamily
      .modules()
      .filter((d) => d.torchPath.startsWith('ultralytics.') && !d.generated)
      .map((d) => d.name),
    ...TASKS_NAMES,
  ]));

const TASKS_NAMES = [
  'BaseModel',
  'DetectionModel',
  'OBBModel',
  'SegmentationModel',
  'PoseModel',
  'ClassificationModel',
  'RTDETRDetectionModel',
  'WorldModel',
  'YOLOEModel',
  'YOLOESegModel',
  'Ensemble',
  'SafeClass',
  'SafeUnpickler',
  'LRPCHead',
  'Conv2',
  'parse_model',
  'yaml_model_load',
  'guess_model_scale',
  'guess_model_task',
  'temporary_modules',
  'torch_safe_load',
  'load_checkpoint',
  'check_class_names',
  'make_divisible',
  'contextlib',
  'pickle',
  're',
  'types',
  'deepcopy',
  'Path',
  'torch',
  'nn',
  'LOGGER',
  'YAML',
  'DEFAULT_CFG_DICT',
  'colorstr',
  'emojis',
];

export interface UltralyticsExport extends Yolov5Export {
  /** What the user should know about the files (the scale the file name gives Ultralytics). */
  notes: string[];
}

/**
 * Everything "Export for Ultralytics" writes for a model: the YAML, named so that Ultralytics builds the scale
 * chosen (`scale`: yolo11n.yaml exported at scale s is written as yolo11s.yaml); when it uses modules Ultralytics
 * does not ship (the seed's, the user's), `ultralytics-8.3.253.patch` adding their generated classes and
 * registering them in parse_model; and the used custom modules' library.
 */
export function exportForUltralytics(
  name: string,
  text: string,
  libraries: ModuleLibrary[],
  opts: { scale?: string } = {},
): UltralyticsExport {
  const src = parseModelText(text, `${name}.yaml`);
  const notes: string[] = [];
  let stem = name;
  const named = scaleFromName(`${name}.yaml`);
  const scales = (src.header.scales?.value as [Py, Py][] | null | undefined)?.map(([k]) => String(k)) ?? [];
  if (opts.scale && opts.scale !== (named || scales[0])) {
    const m = /yolo(e-)?v?\d+([nslmx])/.exec(name);
    const renamed = m
      ? `${name.slice(0, m.index + m[0].length - 1)}${opts.scale}${name.slice(m.index + m[0].length)}`
      : /yolo(e-)?v?\d+/.exec(name) && /^[nslmx]$/.test(opts.scale)
        ? name.replace(/(yolo(?:e-)?v?\d+)/, `$1${opts.scale}`)
        : null;
    if (renamed && scaleFromName(`${renamed}.yaml`) === opts.scale) stem = renamed;
    else
      notes.push(
        `${name}.yaml: Ultralytics takes the scale from the file name and builds '${named || scales[0]}' from this one; to build '${opts.scale}', name it with the scale (e.g. yolo11${opts.scale}-${name}.yaml)`,
      );
  } else if (!named && scales.length > 1)
    notes.push(`${name}.yaml names no scale: Ultralytics builds the first, '${scales[0]}'`);
  const find = specLookup(libraries);
  const used: string[] = [];
  for (const row of src.rows) {
    const m = row.module?.value;
    if (typeof m !== 'string') continue;
    if (find(m) && !used.includes(m)) used.push(m);
  }
  const files: ExportFile[] = [{ path: `${stem}.yaml`, text }];
  if (!used.length) return { files, classes: [], errors: [], notes };
  try {
    const { text: py, specs, fromLibraries } = modulesFile(used, libraries, `${stem}.yaml`, ultralyticsFamily);
    const clash = specs.find((s) => ultralyticsTaskNames().has(s.name));
    if (clash) throw new CodegenError(msg('codegen.name-in-framework', { name: clash.name, family: 'ultralytics' }));
    const classes = specs.map((s) => s.name);
    const registrations: ModuleRegistration[] = specs.map((s) => {
      const parse = s.parse ?? 'channels';
      if (parse === 'batchNorm') throw new CodegenError(msg('codegen.batchnorm-parse', { name: s.name }));
      return { name: s.name, parse };
    });
    files.push({
      path: `ultralytics-${ULTRALYTICS_RELEASE}.patch`,
      text: ultralyticsPatch(py, classes, registrations),
    });
    if (fromLibraries.length)
      files.push({ path: `${stem}.modules.yaml`, text: libraryText(fromLibraries, `${stem}.yaml`) });
    return { files, classes, errors: [], notes };
  } catch (e) {
    if (e instanceof CodegenError) return { files: [], classes: [], errors: [e.msg], notes };
    throw e;
  }
}

export { ULTRALYTICS_MODULES_FILE };
