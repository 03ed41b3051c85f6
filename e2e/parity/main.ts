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
document.getElementById('status')!.textContent = 'ready';
