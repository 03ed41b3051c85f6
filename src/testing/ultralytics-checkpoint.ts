/**
 * An Ultralytics 8.3 checkpoint for tests, laid out as its trainer saves one after `strip_optimizer`: a dict with
 * `date`, `version`, `license`, `docs`, `epoch`, `best_fitness`, `model` (a pickled DetectionModel-like module tree
 * whose `yaml` is the config dict with `scale`, `yaml_file` and `channels` added by yaml_model_load, `names` a dict
 * {index: name}, `args` the training arguments as a dict (strip_optimizer's), `stride` a tensor, `task`; each
 * layer with parse_model's `i`, `type`, `np`; parameters frozen), `ema` None, `updates`, `optimizer` None,
 * `train_args` a dict. Tensors are stored float32 (Ultralytics stores half). Checked against real torch.save
 * output (src/runtime/ultralytics/torch-save.test.ts): the same reader reads both alike.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PyFloat } from '../core/py.ts';
import type { ModNode } from '../core/index.ts';
import { planModel } from '../runtime/model.ts';
import { readSafetensors, toFloat32 } from '../runtime/safetensors.ts';
import { referencePath, ultralyticsConfigPath } from './reference.ts';
import { enc, module, od, param, pickle, storage, tensor, zip, type Desc } from './torch-save.ts';

export interface UlCheckpointInput {
  /** The config's YAML text (read as PyYAML reads it: 1.0 is a float, 1 an int). */
  config: string;
  scale: string;
  yamlFile: string;
  names: string[];
  stride: number[];
  task?: string;
  /** Model class under ultralytics.nn.tasks (DetectionModel, SegmentationModel, ...). */
  modelClass?: string;
  /** The model's layers as the core describes them (class names and tensors), in order. */
  layers: ModNode[];
  /** Tensor data by state_dict name (model.0.conv.weight). */
  state: Map<string, { shape: number[]; data: Float32Array | BigInt64Array }>;
}

/** A value parsed with ints as bigints as a pickled Python value (bigints are ints, numbers floats). */
function value(v: unknown): Desc {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return new PyFloat(v);
  if (Array.isArray(v)) return v.map(value);
  return od(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, value(x)]));
}

const CLASS_PATHS: Record<string, string> = {
  Sequential: 'torch.nn.modules.container.Sequential',
  ModuleList: 'torch.nn.modules.container.ModuleList',
  Conv2d: 'torch.nn.modules.conv.Conv2d',
  ConvTranspose2d: 'torch.nn.modules.conv.ConvTranspose2d',
  BatchNorm2d: 'torch.nn.modules.batchnorm.BatchNorm2d',
  SiLU: 'torch.nn.modules.activation.SiLU',
  Identity: 'torch.nn.modules.linear.Identity',
  Upsample: 'torch.nn.modules.upsampling.Upsample',
  MaxPool2d: 'torch.nn.modules.pooling.MaxPool2d',
  Linear: 'torch.nn.modules.linear.Linear',
};
const classPath = (type: string) => CLASS_PATHS[type] ?? `ultralytics.nn.modules.block.${type}`;

/** Parameters of a layer (tensors that are not buffers, its children's included). */
const count = (n: ModNode): number =>
  n.tensors.filter((t) => t.kind !== 'buffer').reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0) +
  n.children.reduce((a, c) => a + count(c), 0);

/** The bytes of a torch.save zip of such a checkpoint. */
export function ultralyticsCheckpoint(input: UlCheckpointInput): Uint8Array {
  const files: [string, Uint8Array][] = [];
  let key = 0;
  const stored = (shape: number[], data: Float32Array | BigInt64Array): Desc => {
    const k = String(key++);
    const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    files.push([`ckpt/data/${k}`, bytes]);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const type = data instanceof BigInt64Array ? 'LongStorage' : 'FloatStorage';
    return tensor(storage(type, k, data.length), shape, strides);
  };
  const node = (n: ModNode, prefix: string): Desc => {
    const params: [string, Desc][] = [];
    const buffers: [string, Desc][] = [];
    for (const t of n.tensors) {
      const s = input.state.get(`${prefix}${t.name}`);
      if (!s) throw new Error(`no tensor ${prefix}${t.name}`);
      if (t.kind === 'buffer') buffers.push([t.name, stored(t.shape, s.data)]);
      else params.push([t.name, param(stored(t.shape, s.data), false)]);
    }
    const children = n.children.map((c): [string, Desc] => [c.name, node(c, `${prefix}${c.name}.`)]);
    return module(classPath(n.type), params, buffers, children);
  };
  const layers = input.layers.map((L, i): [string, Desc] => {
    const m = node(L, `model.${i}.`) as { newobj: string; state: { dict: [Desc, Desc][] } };
    // parse_model's attributes on each layer
    m.state.dict.push(['i', i], ['type', classPath(L.type)], ['np', count(L)]);
    return [String(i), m];
  });
  const seq = module(CLASS_PATHS.Sequential, [], [], layers);
  const config = parse(input.config, { intAsBigInt: true }) as Record<string, unknown>;
  const yaml = value({ ...config, scale: input.scale, yaml_file: input.yamlFile, channels: 3n });
  const trainArgs = value({ model: input.yamlFile, imgsz: 640n, epochs: 100n, task: input.task ?? 'detect' });
  const model = module(
    `ultralytics.nn.tasks.${input.modelClass ?? 'DetectionModel'}`,
    [],
    [],
    [['model', seq]],
    [
      ['yaml', yaml],
      ['names', { dict: input.names.map((n, i): [Desc, Desc] => [i, n]) }],
      ['args', trainArgs],
      ['stride', stored([input.stride.length], Float32Array.from(input.stride))],
      ['task', input.task ?? 'detect'],
    ],
  );
  const root = od([
    ['date', '2026-01-13T00:00:00'],
    ['version', '8.3.253'],
    ['license', 'AGPL-3.0 License (https://ultralytics.com/license)'],
    ['docs', 'https://docs.ultralytics.com'],
    ['epoch', -1],
    ['best_fitness', null],
    ['model', model],
    ['ema', null],
    ['updates', null],
    ['optimizer', null],
    ['train_args', trainArgs],
  ]);
  return zip([
    ['ckpt/data.pkl', pickle(root)],
    ['ckpt/byteorder', enc.encode('little')],
    ...files,
    ['ckpt/version', enc.encode('3\n')],
  ]);
}

/** Class names of the parity checkpoint (the fixture's 80 classes, named here). */
export const PARITY_NAMES = Array.from({ length: 80 }, (_, i) => `class${i}`);

/** The yolo11n-160 parity weights as an Ultralytics checkpoint (yolo11n.yaml, scale n). */
export function yolo11nParityCheckpoint(): Uint8Array {
  const dir = referencePath('ultralytics', 'parity', 'yolo11n-160');
  const text = readFileSync(ultralyticsConfigPath('11/yolo11.yaml'), 'utf8');
  const plan = planModel(text, { imgsz: 160, file: 'yolo11n.yaml' });
  const w = readSafetensors(readFileSync(`${dir}/weights.safetensors`));
  const state = new Map<string, { shape: number[]; data: Float32Array | BigInt64Array }>();
  for (const [k, t] of w.tensors) {
    const data =
      t.dtype === 'I64'
        ? new BigInt64Array(t.bytes.buffer.slice(t.bytes.byteOffset, t.bytes.byteOffset + t.bytes.byteLength))
        : toFloat32(t);
    state.set(k, { shape: t.shape, data });
  }
  return ultralyticsCheckpoint({
    config: text,
    scale: 'n',
    yamlFile: 'yolo11n.yaml',
    names: PARITY_NAMES,
    stride: [8, 16, 32],
    layers: plan.layers.map((L) => L.root),
    state,
  });
}
