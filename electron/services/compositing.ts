/**
 * How the window is composited: by the GPU (Chromium's default) or in software. On a GPU drawn in software
 * (SwiftShader, llvmpipe: many VMs and Linux laptops without a driver) Chromium's GPU compositor draws the whole
 * window through that software GL on every frame, and the software compositor is much faster: panning a
 * 300-node graph in Chromium 156 on SwiftShader, bench:editor's pan measured A/B in one run, went from 50-83 ms
 * between moved frames to 33 ms, and with 12 nodes from 50 ms to 16.7 ms (60 fps).
 *
 * Chromium decides its compositor before the app is ready, and the GPU's name is known only after, so the choice
 * is remembered: 'auto' (the default) composites in software from the launch after a software GPU was seen (the
 * first launch guesses: on Linux without a GPU device, software);
 * 'gpu' and 'software' force either (View > Window Compositing, the way back). The switch used is
 * --disable-gpu-compositing, not app.disableHardwareAcceleration(): WebGL and WebGPU stay available to the run
 * panel when chosen. Without Electron here: main.ts reads the file before ready, adds the switch, and hands
 * app.getGPUInfo('complete') to noteGpu once the window has drawn.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { softwareName } from '../../src/desktop/software-gpu.ts';
import { writeAtomic } from './files.ts';

export type CompositingChoice = 'auto' | 'gpu' | 'software';
export const COMPOSITING_CHOICES: readonly CompositingChoice[] = ['auto', 'gpu', 'software'];

/** What compositing.json in the user-data folder keeps. */
export interface CompositingState {
  choice: CompositingChoice;
  /** The software renderer the GPU was at the last launch ('SwiftShader'), absent for a hardware GPU. */
  found?: string;
  /** A launch has seen the GPU (until then 'auto' goes by guessSoftwareGpu). */
  seen?: true;
}

/** The Chromium switch that selects the software compositor (given to app.commandLine before ready). */
export const SOFTWARE_COMPOSITING_SWITCH = 'disable-gpu-compositing';

/** The file is ours, but read as hostile all the same: small, and anything unexpected is the default. */
const MAX_BYTES = 4096;

export function parseCompositing(text: string | undefined): CompositingState {
  const fallback: CompositingState = { choice: 'auto' };
  if (!text || text.length > MAX_BYTES) return fallback;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return fallback;
    const choice = COMPOSITING_CHOICES.find((c) => c === v.choice) ?? 'auto';
    // only a name the list knows, as the list writes it
    const found = typeof v.found === 'string' && v.found.length <= 100 ? softwareName(v.found) : undefined;
    return { choice, ...(found ? { found } : {}), ...(v.seen === true ? { seen: true as const } : {}) };
  } catch {
    return fallback;
  }
}

/** The remembered state (synchronous: read before the app is ready, when the switch must be given). */
export function readCompositing(path: string): CompositingState {
  try {
    return parseCompositing(readFileSync(path, 'utf8'));
  } catch {
    return { choice: 'auto' };
  }
}

/** guessSoftwareGpu's device listing on this machine. */
export const listDevices = (dir: string): string[] => readdirSync(dir);

export function writeCompositing(path: string, state: CompositingState): Promise<void> {
  return writeAtomic(path, JSON.stringify(state));
}

/**
 * Whether this launch composites in software. Before any launch has seen the GPU, 'auto' takes `guess`
 * (guessSoftwareGpu): the first launch on a machine without a GPU driver is then fast too.
 */
export function softwareCompositing(state: CompositingState, guess = false): boolean {
  if (state.choice !== 'auto') return state.choice === 'software';
  return state.found ? true : !state.seen && guess;
}

/**
 * Before the GPU is known (the first launch): on Linux, no DRM device (/dev/dri/card*) and no NVIDIA device
 * means OpenGL can only be drawn in software (Mesa's llvmpipe, Chromium's SwiftShader): a container, a VM
 * without a virtual GPU, a server. Elsewhere, or with a device, no guess. A wrong guess lasts one launch: that
 * launch's GPU information is remembered.
 */
export function guessSoftwareGpu(platform: NodeJS.Platform, devices: (dir: string) => string[]): boolean {
  if (platform !== 'linux') return false;
  const list = (dir: string) => {
    try {
      return devices(dir);
    } catch {
      return [];
    }
  };
  return !list('/dev/dri').some((d) => d.startsWith('card')) && !list('/dev').some((d) => /^nvidia\d/.test(d));
}

/**
 * The software renderer named by Electron's app.getGPUInfo('complete') (Chromium's GPUInfo: gpuDevice[] with
 * vendorString/deviceString/driverVendor, auxAttributes with glRenderer/glVendor/displayType), or undefined for
 * a hardware GPU. Only those fields are read; the GPU reports the same renderer whichever compositor runs, so
 * 'auto' does not flip between launches.
 */
export function softwareRendererOf(info: unknown): string | undefined {
  if (!info || typeof info !== 'object') return undefined;
  const i = info as { gpuDevice?: unknown; auxAttributes?: Record<string, unknown> };
  const devices = Array.isArray(i.gpuDevice) ? i.gpuDevice.slice(0, 8) : [];
  // the active device first (a laptop's two GPUs), then the others
  const active = devices.filter((d) => d && typeof d === 'object' && (d as { active?: unknown }).active === true);
  const texts: unknown[] = [];
  for (const d of [...active, ...devices])
    if (d && typeof d === 'object') {
      const dev = d as Record<string, unknown>;
      texts.push(dev.deviceString, dev.vendorString, dev.driverVendor);
    }
  const aux = i.auxAttributes && typeof i.auxAttributes === 'object' ? i.auxAttributes : {};
  // the GL renderer is what draws; with a hardware GL, a software device listed beside it is not used
  const gl = softwareName(aux.glRenderer, aux.displayType);
  if (typeof aux.glRenderer === 'string' && aux.glRenderer && !gl) return undefined;
  return gl ?? softwareName(...texts);
}

/** The state to remember after this launch's GPU was seen, or null when it is unchanged. */
export function noteGpu(state: CompositingState, info: unknown): CompositingState | null {
  const found = softwareRendererOf(info);
  if (found === state.found && state.seen) return null;
  return { choice: state.choice, ...(found ? { found } : {}), seen: true };
}
