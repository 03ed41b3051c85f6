/**
 * The test and benchmark pages (vite.pages.config.ts: bench/web, e2e/parity), built on demand and served
 * cross-origin isolated with the reference data, the demo configs and onnxruntime-web's files beside them.
 */
import path from 'node:path';
import { ROOT, serve } from './harness.ts';
import { REFERENCE_DIR } from '../src/testing/reference-paths.ts';

export async function buildPages() {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.pages.config.ts'), logLevel: 'error' });
}

/** Serves out/pages: /bench/web/, /e2e/parity/, and /reference/, /configs/, /ort/ beside them. */
export function servePages() {
  return serve(path.join(ROOT, 'out/pages'), {
    '/reference/': REFERENCE_DIR,
    '/configs/': path.join(ROOT, 'configs'),
    '/ort/': path.join(ROOT, 'node_modules/onnxruntime-web/dist'),
  });
}

/** Chromium's WebGPU through SwiftShader's Vulkan (no GPU needed: its speed means nothing). */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader'];
