/**
 * How the window is composited: by the GPU (Chromium's default) or in software. On a GPU drawn in software
 * (SwiftShader, llvmpipe: many VMs and Linux laptops without a driver) Chromium's GPU compositor draws the whole
 * window through that software GL on every frame, and the software compositor is much faster: panning a
 * 300-node graph in Chromium 156 on SwiftShader, bench:editor's pan measured A/B in one run, went from 50-83 ms
 * between moved frames to 33 ms, and with 12 nodes from 50 ms to 16.7 ms (60 fps).
 *
 * Chromium decides its compositor before the app is ready, and the GPU's name is known only after, so the choice
 * is remembered: 'auto' (the default) composites in software from the launch after a software GPU was seen. The
 * first launch guesses before ready (on Linux without a GPU device, or only display adapters that have no 3D, such
 * as a VM's bochs or QXL: software), and where a GPU device leaves it open (a VM's virtio-gpu, a card without its
 * Mesa driver), asks the GPU before any window opens and relaunches once on a software GL (checkFirstLaunch);
 * 'gpu' and 'software' force either (View > Window Compositing, the way back). The switch used is
 * --disable-gpu-compositing, not app.disableHardwareAcceleration(): WebGL and WebGPU stay available to the run
 * panel when chosen. Without Electron here: main.ts reads the file before ready, adds the switch, runs
 * checkFirstLaunch before its first window, and hands app.getGPUInfo('complete') to noteGpu once a window has drawn.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
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

/** What guessSoftwareGpu reads of the machine's devices (a folder's names; a DRM card's kernel driver). */
export interface DeviceProbe {
  list(dir: string): string[];
  /** The kernel driver of /dev/dri/<card> ('i915', 'bochs-drm'), undefined where unknown. */
  driver(card: string): string | undefined;
}

/** guessSoftwareGpu's probe of this machine (/dev, and /sys/class/drm/<card>/device/driver's link). */
export const machineDevices: DeviceProbe = {
  list: (dir) => readdirSync(dir),
  driver: (card) => {
    try {
      return basename(readlinkSync(`/sys/class/drm/${card}/device/driver`));
    } catch {
      return undefined;
    }
  },
};

/**
 * DRM drivers of display adapters with no 3D engine: a VM's emulated VGA (bochs, Cirrus, QXL, Hyper-V's, VirtualBox's
 * VBoxVGA), firmware framebuffers (simpledrm, efidrm, ofdrm), servers' management chips (ASPEED, Matrox G200) and USB
 * displays. OpenGL on them can only be software. virtio-gpu and vmwgfx are not here: with virgl or SVGA3D they draw.
 */
const NO_3D_DRIVER =
  /^(bochs(-drm)?|cirrus(-qemu)?|qxl|hyperv_drm|hyperv_fb|vboxvideo|simple-framebuffer|simpledrm|efidrm|vesadrm|of-display|ofdrm|ast|mgag200|udl|gm12u320|xen_drm_front)$/;

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
 * Before the GPU is known (the first launch): on Linux, no DRM card (/dev/dri/card*) but those of display adapters
 * without 3D (NO_3D_DRIVER), and no NVIDIA device, means OpenGL can only be drawn in software (Mesa's llvmpipe,
 * Chromium's SwiftShader): a container, a VM with an emulated VGA, a server. Elsewhere, or with a device that may
 * draw (or whose driver cannot be read), no guess: checkFirstLaunch asks the GPU itself. A wrong guess lasts one
 * launch: that launch's GPU information is remembered.
 */
export function guessSoftwareGpu(platform: NodeJS.Platform, devices: DeviceProbe): boolean {
  if (platform !== 'linux') return false;
  const list = (dir: string) => {
    try {
      return devices.list(dir);
    } catch {
      return [];
    }
  };
  const drawing = (card: string) => !NO_3D_DRIVER.test(devices.driver(card) ?? '');
  return (
    !list('/dev/dri').some((d) => /^card\d+$/.test(d) && drawing(d)) && !list('/dev').some((d) => /^nvidia\d/.test(d))
  );
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

/** The argument a relaunch for the software compositor adds: a launch that has it never relaunches. */
export const RELAUNCHED_ARG = '--relaunched-for-software-compositing';

export interface FirstLaunch {
  state: CompositingState;
  /** Whether this launch composites in software (its switch was given before ready). */
  softwareNow: boolean;
  /** This process's arguments (process.argv). */
  argv: readonly string[];
  /** app.getGPUInfo('complete'). */
  gpuInfo: () => Promise<unknown>;
  write: (state: CompositingState) => Promise<void>;
  /** How long the GPU's information is waited for before the window opens anyway (ms). */
  timeoutMs?: number;
}

/**
 * The first launch on 'auto' that started on the GPU compositor (no guess before ready: a GPU device is present):
 * before any window opens, the GPU's information is asked for; a software GL is remembered and the app relaunched
 * once, so the first window a user sees already composites in software. Returns the state to keep (null:
 * unchanged, the window's own note comes later) and whether to relaunch: only when the state was written (the next
 * launch reads it and composites in software: no loop) and this launch is not itself the relaunch.
 */
export async function checkFirstLaunch(f: FirstLaunch): Promise<{ state: CompositingState | null; relaunch: boolean }> {
  const none = { state: null, relaunch: false };
  if (f.state.seen || f.state.choice !== 'auto' || f.softwareNow || f.argv.includes(RELAUNCHED_ARG)) return none;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const info = await Promise.race([
    f.gpuInfo().catch(() => undefined),
    new Promise<undefined>((r) => (timer = setTimeout(r, f.timeoutMs ?? 5000, undefined))),
  ]).finally(() => clearTimeout(timer));
  if (info === undefined) return none;
  const next = noteGpu(f.state, info);
  if (!next) return none;
  try {
    await f.write(next);
  } catch {
    return { state: next, relaunch: false };
  }
  return { state: next, relaunch: softwareCompositing(next) };
}

/** The relaunch's arguments: this launch's (files to open included), files asked for since, and RELAUNCHED_ARG. */
export const relaunchArgs = (argv: readonly string[], pending: readonly string[]): string[] => [
  ...argv.slice(1),
  ...pending.filter((p) => !argv.includes(p)),
  RELAUNCHED_ARG,
];
