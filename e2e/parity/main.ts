/**
 * The parity page (e2e/parity.e2e.ts drives it): a PyTorch parity fixture run on a GPU backend, or on the
 * threaded wasm build (the page is cross-origin isolated), in the browser, compared with PyTorch's outputs
 * exactly as the Node tests compare cpu and wasm; the forward's kernels counted by name (tf.profile).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../renderer/run/tfjs-setup.ts';
import { formatMessage } from '../../src/core/index.ts';
import { loadModel, runTensor, startBackend, tensorCount, type BackendName } from '../../src/runtime/index.ts';
import { readSafetensors, toFloat32 } from '../../src/runtime/safetensors.ts';
import { convHelpedBands, packConv, runPacked, setConvSplit } from '../../src/runtime/conv-gemm.ts';
import { setSiluMode, silu, siluHelpedChunks } from '../../src/runtime/silu.ts';
import {
  compareWithReference,
  fixtureDir,
  PARITY_FIXTURES,
  ULTRALYTICS_PARITY_FIXTURES,
} from '../../src/testing/parity-fixtures.ts';

export interface ParityResult {
  backend: string;
  skipped: { backend: string; reason: string }[];
  errors: Record<string, number>;
  mismatched: string[];
  /** Live tensors before and after (they must match). */
  tensors: [number, number];
  /** The threads wasm ran on (undefined for the other backends). */
  threads?: number;
  /** wasm: the forward's kernels by name (tfjs's op wrappers, name__op, left out), how many times each ran. */
  kernels: Record<string, number>;
}

const bytes = async (url: string) => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
};

async function parity(backend: BackendName, name: string, wasmThreads?: number): Promise<ParityResult> {
  const fx = [...PARITY_FIXTURES, ...ULTRALYTICS_PARITY_FIXTURES].find((f) => f.name === name);
  if (!fx) throw new Error(`no fixture ${name}`);
  const start = await startBackend(backend, { wasmThreads });
  const dir = `/reference/${fixtureDir(fx).join('/')}`;
  const ref = readSafetensors(await bytes(`${dir}/tensors.safetensors`));
  const text = new TextDecoder().decode(await bytes(`/reference/${fx.config.join('/')}`));
  const before = tensorCount();
  const model = loadModel(text, { imgsz: 160, file: fx.file, weights: await bytes(`${dir}/weights.safetensors`) });
  const img = ref.tensors.get('images')!;
  try {
    const run = () => runTensor(model, { shape: img.shape, data: toFloat32(img) }, { layers: true });
    let out!: Awaited<ReturnType<typeof runTensor>>;
    const kernels: Record<string, number> = {};
    // (on wasm only: profiling the GPU backends' kernels would time each on SwiftShader)
    if (backend === 'wasm') {
      const profile = await tf.profile(async () => void (out = await run()));
      for (const k of profile.kernels) if (!k.name.endsWith('__op')) kernels[k.name] = (kernels[k.name] ?? 0) + 1;
    } else out = await run();
    return {
      backend: out.backend,
      threads: start.threads,
      kernels,
      skipped: start.skipped.map((s) => ({ backend: s.backend, reason: formatMessage(s.reason) })),
      ...compareWithReference(out, ref.tensors, toFloat32),
      tensors: [before, 0],
    };
  } finally {
    model.dispose();
  }
}

(window as unknown as { parity: typeof parity }).parity = async (backend, name, wasmThreads) => {
  const r = await parity(backend, name, wasmThreads);
  r.tensors[1] = tensorCount();
  return r;
};
/** Whether a kernel of ours splits its work with the helper threads, bitwise as one thread writes it. */
export interface SplitCheck {
  equal: boolean;
  /** tasks the helpers took */
  helped: number;
  tries: number;
}

/**
 * `run(split)` with and without the helpers, bitwise, until a helper has taken a task (they start once); on the
 * threaded wasm build, after parity() started it.
 */
async function splitCheck(run: (split: boolean) => tf.Tensor, helped: () => number): Promise<SplitCheck> {
  const bits = (split: boolean) => {
    const y = run(split);
    const b = new Uint32Array(y.dataSync().buffer.slice(0));
    y.dispose();
    return b;
  };
  let equal = true;
  let n = 0;
  let tries = 0;
  for (; tries < 200 && (tries < 5 || !n); tries++) {
    const one = bits(false);
    const h0 = helped();
    const split = bits(true);
    n += helped() - h0;
    equal &&= one.length === split.length && one.every((v, i) => v === split[i]);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { equal, helped: n, tries };
}

/** SiLU of a 1 x 160 x 160 x 32 map in chunks, and a 3x3 convolution (32 -> 48 channels, SiLU) in bands of rows. */
async function helperSplits(): Promise<{ silu: SplitCheck; conv: SplitCheck }> {
  const x = tf.randomNormal([1, 160, 160, 32], 0, 4, 'float32', 3) as tf.Tensor4D;
  const silu1 = await splitCheck((split) => (setSiluMode(split ? 'split' : 'one'), silu(x)), siluHelpedChunks);
  setSiluMode('split');
  const kept: tf.Tensor[] = [];
  const w = tf.randomNormal([48, 32, 3, 3], 0, 0.1, 'float32', 4).dataSync();
  const b = tf.randomNormal([48], 0, 1, 'float32', 5).dataSync();
  const geometry = { kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, act: 'silu' as const };
  const packed = packConv(w, b, { cin: 32, kh: 3, kw: 3 }, [32], 0, 48, geometry, (t) => (kept.push(t), t));
  const conv = await splitCheck((split) => (setConvSplit(split), runPacked(packed, [x])), convHelpedBands);
  setConvSplit(true);
  tf.dispose([x, ...kept]);
  return { silu: silu1, conv };
}

(window as unknown as { helperSplits: typeof helperSplits }).helperSplits = helperSplits;
/** tfjs disposes the wasm backend (as tf.engine().reset() would): our kernels' disposeFunc ends their helpers. */
(window as unknown as { removeWasm(): void }).removeWasm = () => tf.removeBackend('wasm');
document.getElementById('status')!.textContent = 'ready';
