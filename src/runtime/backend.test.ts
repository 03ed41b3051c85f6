import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatMessage, msg, type Lang } from '../core/messages/index.ts';
import {
  skippedMessage,
  softwareWebGL,
  softwareWebGPU,
  startBackend,
  type AdapterInfo,
  type GLInfo,
} from './backend.ts';

/** A WebGL context that answers the renderer queries as a browser on `renderer` would (debug info optional). */
function glStub(renderer: string, masked = 'WebKit WebGL', debugInfo = true): GLInfo & { lost: boolean } {
  const ctx = {
    lost: false,
    getExtension(name: string) {
      if (name === 'WEBGL_debug_renderer_info') return debugInfo ? { UNMASKED_RENDERER_WEBGL: 0x9246 } : null;
      if (name === 'WEBGL_lose_context') return { loseContext: () => (ctx.lost = true) };
      return null;
    },
    getParameter(p: number) {
      if (p === 0x9246) return renderer;
      if (p === 0x1f01) return masked;
      return null;
    },
  };
  return ctx;
}

describe('a software-rendered WebGL is recognised by its renderer string', () => {
  it('names SwiftShader, llvmpipe, softpipe and other software renderers', () => {
    expect(
      softwareWebGL(
        glStub('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver-5.0.0)'),
      ),
    ).toBe('SwiftShader');
    expect(softwareWebGL(glStub('llvmpipe (LLVM 15.0.6, 256 bits)'))).toBe('llvmpipe');
    expect(softwareWebGL(glStub('softpipe'))).toBe('softpipe');
    expect(softwareWebGL(glStub('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11)'))).toBe(
      'Microsoft Basic Render Driver',
    );
    expect(softwareWebGL(glStub('Generic Software Renderer'))).toBe('Software');
  });

  it('reads the plain renderer string where the debug extension is withheld', () => {
    expect(softwareWebGL(glStub('', 'Google SwiftShader', false))).toBe('SwiftShader');
    expect(softwareWebGL(glStub('', 'WebKit WebGL', false))).toBeUndefined();
  });

  it('leaves a hardware GPU alone', () => {
    expect(softwareWebGL(glStub('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)'))).toBeUndefined();
    expect(softwareWebGL(glStub('Mesa Intel(R) UHD Graphics 620 (KBL GT2)'))).toBeUndefined();
    expect(softwareWebGL(glStub('Apple M2'))).toBeUndefined();
  });
});

/** What softwareWebGPU finds, said in a language, English unless told (undefined for a GPU). */
const softwareSaid = async (adapter: AdapterInfo, lang: Lang = 'en') => {
  const m = await softwareWebGPU(adapter);
  return m && formatMessage(m, lang);
};

describe('a software WebGPU adapter is recognised by its info or as a fallback adapter', () => {
  it('names SwiftShader from the adapter info (info, or requestAdapterInfo in older browsers)', async () => {
    expect(await softwareSaid({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe('SwiftShader');
    expect(
      await softwareSaid({ requestAdapterInfo: async () => ({ vendor: 'mesa', description: 'llvmpipe (LLVM 15)' }) }),
    ).toBe('llvmpipe');
  });

  it('takes a fallback adapter or a CPU adapter for software, said in the chosen language', async () => {
    expect(await softwareSaid({ isFallbackAdapter: true, info: { vendor: 'unknown' } })).toBe('fallback adapter');
    expect(await softwareSaid({ info: { isFallbackAdapter: true } })).toBe('fallback adapter');
    expect(await softwareSaid({ info: { vendor: 'x', architecture: 'cpu' } })).toBe('CPU adapter');
    expect(await softwareSaid({ info: { isFallbackAdapter: true } }, 'zh')).toBe('回退适配器');
    expect(await softwareSaid({ info: { vendor: 'x', architecture: 'cpu' } }, 'zh')).toBe('CPU 适配器');
    const reason = msg('backend.software-gpu', { renderer: (await softwareWebGPU({ isFallbackAdapter: true }))! });
    expect(formatMessage(reason, 'zh')).toBe('由软件渲染（回退适配器）：在 CPU 上用 wasm 更快，也让画布能继续绘制');
  });

  it('leaves a hardware adapter alone', async () => {
    expect(await softwareSaid({ info: { vendor: 'nvidia', architecture: 'ampere' } })).toBeUndefined();
    expect(await softwareSaid({ isFallbackAdapter: false, info: { vendor: 'apple', architecture: 'metal-3' } })).toBe(
      undefined,
    );
    expect(await softwareSaid({})).toBeUndefined();
  });
});

describe('startBackend with avoidSoftware skips a software GPU and says why', () => {
  // stand-ins for the GPU backends (a CPU backend under their names) on a machine whose GPU is SwiftShader
  const gl = glStub('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)');
  beforeAll(() => {
    tf.registerBackend('webgpu', () => new MathBackendCPU());
    tf.registerBackend('webgl', () => new MathBackendCPU());
    vi.stubGlobal('navigator', {
      gpu: { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader' } }) },
    });
    vi.stubGlobal(
      'OffscreenCanvas',
      class {
        getContext = (kind: string) => (kind === 'webgl2' ? gl : null);
      },
    );
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('webgpu');
    tf.removeBackend('webgl');
    vi.unstubAllGlobals();
  });

  it('the automatic choice lands on the CPU backend, each software GPU skipped with its renderer named', async () => {
    const start = await startBackend(['webgpu', 'webgl', 'cpu'], { avoidSoftware: true });
    expect(start.backend).toBe('cpu');
    expect(start.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(formatMessage(skippedMessage(start.skipped))).toBe(
      'webgpu: software-rendered (SwiftShader): wasm on the CPU is faster and leaves the canvas free to draw; ' +
        'webgl: software-rendered (SwiftShader): wasm on the CPU is faster and leaves the canvas free to draw',
    );
    expect(formatMessage(skippedMessage(start.skipped), 'zh')).toContain('由软件渲染（SwiftShader）');
    // the probe context is given back
    expect(gl.lost).toBe(true);
  });

  it('an explicit choice of WebGL or WebGPU is honoured on the same software GPU', async () => {
    expect((await startBackend(['webgl', 'wasm', 'cpu'])).backend).toBe('webgl');
    expect(tf.getBackend()).toBe('webgl');
    expect((await startBackend(['webgpu', 'wasm', 'cpu'])).backend).toBe('webgpu');
  });

  it('the automatic choice leaves a software GPU already in use (after an explicit choice)', async () => {
    await startBackend(['webgl', 'cpu']);
    const start = await startBackend(['webgpu', 'webgl', 'cpu'], { avoidSoftware: true });
    expect(start.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
