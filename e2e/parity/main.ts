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
/**
 * On the threaded wasm build (after parity() started it): SiLU of a 1 x 160 x 160 x 32 map split with the helper
 * threads against one kernel on this thread alone, bitwise, until a helper has taken chunks (it starts once).
 */
async function siluSplit(): Promise<{ equal: boolean; helped: number; tries: number }> {
  const x = tf.randomNormal([1, 160, 160, 32], 0, 4, 'float32', 3);
  const bits = (mode: 'one' | 'split') => {
    setSiluMode(mode);
    const y = silu(x);
    const b = new Uint32Array(y.dataSync().buffer.slice(0));
    y.dispose();
    return b;
  };
  let equal = true;
  let helped = 0;
  let tries = 0;
  for (; tries < 200 && (tries < 5 || !helped); tries++) {
    const one = bits('one');
    const h0 = siluHelpedChunks();
    const split = bits('split');
    helped += siluHelpedChunks() - h0;
    equal &&= one.length === split.length && one.every((v, i) => v === split[i]);
    await new Promise((r) => setTimeout(r, 10));
  }
  setSiluMode('split');
  x.dispose();
  return { equal, helped, tries };
}

(window as unknown as { siluSplit: typeof siluSplit }).siluSplit = siluSplit;
document.getElementById('status')!.textContent = 'ready';
