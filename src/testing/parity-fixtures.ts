/**
 * The PyTorch parity fixtures (reference/parity/NAME: PyTorch's own outputs of a config with its weights at
 * 160) and how a run is compared with them. Pure, so the same list and the same comparison serve the Node
 * tests (parity.reference.test.ts) and the browser's (e2e/parity: WebGL and WebGPU).
 */
import type { ForwardOutput } from '../runtime/network.ts';
import type { RawTensor } from '../runtime/safetensors.ts';

export interface ParityFixture {
  name: string;
  /** The config, as path parts under the reference folder. */
  config: string[];
  /** The head is Segment: its mask prototypes are compared too. */
  proto?: boolean;
  /** The fixture's folder under the reference folder, as path parts (default parity/NAME). */
  dir?: string[];
  /** The file name the config is read as (Ultralytics' scale comes from it: yolo11n.yaml). */
  file?: string;
}

export const PARITY_FIXTURES: ParityFixture[] = [
  { name: 'yolov5n-160', config: ['configs', 'ultralytics', 'yolov5n.yaml'] },
  { name: 'yolov5n-res2net-160', config: ['configs', 'yolov5n-res2net.yaml'] },
  // built from its config as written (SiLU): the fixture was regenerated in a fresh Python process
  { name: 'yolov5n-seg-160', config: ['configs', 'ultralytics', 'yolov5n-seg.yaml'], proto: true },
];

/** Ultralytics' anchor-free networks (real PyTorch outputs of Ultralytics 8.3.253 at 160). */
export const ULTRALYTICS_PARITY_FIXTURES: ParityFixture[] = [
  { name: 'yolov8n-160', config: ['ultralytics', 'configs', 'v8', 'yolov8.yaml'], file: 'yolov8n.yaml' },
  { name: 'yolo11n-160', config: ['ultralytics', 'configs', '11', 'yolo11.yaml'], file: 'yolo11n.yaml' },
].map((f) => ({ ...f, dir: ['ultralytics', 'parity', f.name] }));

/** The fixture's folder under the reference folder, as path parts. */
export const fixtureDir = (fx: ParityFixture) => fx.dir ?? ['parity', fx.name];

/** The largest error allowed anywhere: |got - want| / max(1, |want|). */
export const PARITY_TOLERANCE = 1e-3;

/** worst |got - want| / max(1, |want|) (Infinity when the sizes differ). */
export function worstError(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Infinity;
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (!(e <= m)) m = e;
  }
  return m;
}

/**
 * The worst error of every output of a run (pred, raw.k, proto, layer.i) against the fixture's tensors,
 * and the outputs whose shapes differ or that are missing on either side.
 */
export function compareWithReference(
  out: ForwardOutput,
  ref: Map<string, RawTensor>,
  toFloat32: (t: RawTensor) => Float32Array,
): { errors: Record<string, number>; mismatched: string[] } {
  const errors: Record<string, number> = {};
  const mismatched: string[] = [];
  const check = (key: string, got: { shape: number[]; data: Float32Array } | undefined) => {
    const want = ref.get(key);
    if (!got || !want || got.shape.join() !== want.shape.join()) mismatched.push(key);
    else errors[key] = worstError(got.data, toFloat32(want));
  };
  check('pred', out.pred);
  const rawKeys = [...ref.keys()].filter((k) => k.startsWith('raw.'));
  if (rawKeys.length !== out.raw.length) mismatched.push('raw (count)');
  out.raw.forEach((r, k) => check(`raw.${k}`, r));
  if (ref.has('proto')) check('proto', out.proto);
  // every layer's output (Ultralytics' fixtures also hold the parts of Detect's tuple, layer.22.0 ...: not compared)
  const layerKeys = [...ref.keys()].filter((k) => /^layer\.\d+$/.test(k));
  if (layerKeys.length !== out.layers.size) mismatched.push('layers (count)');
  for (const k of layerKeys) check(k, out.layers.get(Number(k.slice(6))));
  return { errors, mismatched };
}
