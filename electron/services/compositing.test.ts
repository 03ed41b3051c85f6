import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkFirstLaunch,
  guessSoftwareGpu,
  noteGpu,
  parseCompositing,
  readCompositing,
  RELAUNCHED_ARG,
  relaunchArgs,
  softwareCompositing,
  softwareRendererOf,
  writeCompositing,
  type CompositingState,
  type DeviceProbe,
  type FirstLaunch,
} from './compositing.ts';
import { menuTemplate, type MenuItem } from './menu.ts';

/** Chromium 156's GPU information on this machine (CDP SystemInfo.getInfo, the fields app.getGPUInfo shares). */
const SWIFTSHADER = {
  gpuDevice: [
    {
      vendorId: 65535,
      deviceId: 65535,
      vendorString: 'Google Inc. (Google)',
      deviceString:
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver-5.0.0)',
      driverVendor: 'SwANGLE',
    },
  ],
  auxAttributes: {
    displayType: 'ANGLE_SWIFTSHADER',
    glRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver-5.0.0)',
    glVendor: 'Google Inc. (Google)',
  },
};
/** A VM's Mesa software GL. */
const LLVMPIPE = {
  gpuDevice: [{ vendorId: 0, deviceId: 0, active: true }],
  auxAttributes: { glRenderer: 'llvmpipe (LLVM 15.0.6, 256 bits)', glVendor: 'Mesa', displayType: 'NONE' },
};
const HARDWARE = {
  gpuDevice: [{ vendorId: 0x10de, deviceId: 0x2484, active: true, deviceString: 'NVIDIA GeForce RTX 3070' }],
  auxAttributes: { glRenderer: 'NVIDIA GeForce RTX 3070/PCIe/SSE2', glVendor: 'NVIDIA Corporation' },
};

describe('window compositing (the software compositor on a software GPU)', () => {
  it('names the software GPU from Electron’s GPU information, and nothing for a hardware one', () => {
    expect(softwareRendererOf(SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareRendererOf(LLVMPIPE)).toBe('llvmpipe');
    expect(softwareRendererOf(HARDWARE)).toBeUndefined();
    // before the GL is up only the devices are known
    expect(softwareRendererOf({ gpuDevice: SWIFTSHADER.gpuDevice })).toBe('SwiftShader');
    for (const junk of [undefined, null, 42, 'SwiftShader', [], { gpuDevice: 'SwiftShader' }, { auxAttributes: 7 }])
      expect(softwareRendererOf(junk)).toBeUndefined();
  });

  it("'auto' composites in software from the launch after a software GPU was seen; 'gpu' and 'software' force it", () => {
    const first: CompositingState = { choice: 'auto' };
    expect(softwareCompositing(first)).toBe(false);
    const seen = noteGpu(first, SWIFTSHADER)!;
    expect(seen).toEqual({ choice: 'auto', found: 'SwiftShader', seen: true });
    expect(softwareCompositing(seen)).toBe(true);
    // the same GPU at the next launch (reported the same under either compositor): nothing to write
    expect(noteGpu(seen, SWIFTSHADER)).toBeNull();
    // a hardware GPU later (a driver installed): back to the GPU compositor
    const fixed = noteGpu(seen, HARDWARE)!;
    expect(fixed).toEqual({ choice: 'auto', seen: true });
    expect(softwareCompositing(fixed)).toBe(false);
    expect(noteGpu(fixed, HARDWARE)).toBeNull();
    // the user's choice wins either way
    expect(softwareCompositing({ choice: 'gpu', found: 'SwiftShader' }, true)).toBe(false);
    expect(softwareCompositing({ choice: 'software' })).toBe(true);
    expect(noteGpu({ choice: 'gpu' }, LLVMPIPE)).toEqual({ choice: 'gpu', found: 'llvmpipe', seen: true });
  });

  it('the first launch guesses from the devices: on Linux without a GPU that may draw, software; once seen, the GPU decides', () => {
    const dev = (tree: Record<string, string[]>, drivers: Record<string, string> = {}): DeviceProbe => ({
      list: (dir) => {
        if (!(dir in tree)) throw new Error(`ENOENT ${dir}`);
        return tree[dir];
      },
      driver: (card) => drivers[card],
    });
    // a container or VM: no /dev/dri at all, or only a render node
    expect(guessSoftwareGpu('linux', dev({ '/dev': ['null', 'tty'] }))).toBe(true);
    expect(guessSoftwareGpu('linux', dev({ '/dev': ['dri'], '/dev/dri': ['renderD128'] }))).toBe(true);
    // a GPU: a DRM card, or NVIDIA's own devices
    expect(guessSoftwareGpu('linux', dev({ '/dev': ['dri'], '/dev/dri': ['card0', 'renderD128'] }))).toBe(false);
    expect(guessSoftwareGpu('linux', dev({ '/dev': ['nvidia0', 'nvidiactl'] }))).toBe(false);
    // a VM's emulated VGA, a firmware framebuffer, a server's management chip: cards with no 3D, software
    for (const driver of ['bochs-drm', 'bochs', 'cirrus', 'qxl', 'hyperv_drm', 'simple-framebuffer', 'ast', 'mgag200'])
      expect(guessSoftwareGpu('linux', dev({ '/dev/dri': ['card0'] }, { card0: driver })), driver).toBe(true);
    // a card that may draw (a GPU's driver, virtio-gpu with virgl, VMware's SVGA3D, or a driver not readable): no guess
    for (const driver of ['i915', 'amdgpu', 'nouveau', 'virtio_gpu', 'vmwgfx', undefined])
      expect(guessSoftwareGpu('linux', dev({ '/dev/dri': ['card0'] }, driver ? { card0: driver } : {})), driver).toBe(
        false,
      );
    // a server's ASPEED chip beside a GPU: the GPU counts
    expect(guessSoftwareGpu('linux', dev({ '/dev/dri': ['card0', 'card1'] }, { card0: 'ast', card1: 'amdgpu' }))).toBe(
      false,
    );
    // no guess elsewhere
    expect(guessSoftwareGpu('win32', dev({}))).toBe(false);
    expect(guessSoftwareGpu('darwin', dev({}))).toBe(false);
    // the guess counts only until a launch has seen the GPU
    expect(softwareCompositing({ choice: 'auto' }, true)).toBe(true);
    expect(softwareCompositing({ choice: 'auto', seen: true }, true)).toBe(false);
    expect(softwareCompositing({ choice: 'auto', found: 'llvmpipe', seen: true }, false)).toBe(true);
  });

  it('a first launch on the GPU compositor asks the GPU before its window, and relaunches once on a software GL', async () => {
    const written: CompositingState[] = [];
    const launch = (over: Partial<FirstLaunch>) =>
      checkFirstLaunch({
        state: { choice: 'auto' },
        softwareNow: false,
        argv: ['/opt/yolo-architect/yolo-architect', '/home/u/m.yaml'],
        gpuInfo: async () => LLVMPIPE,
        write: async (s) => void written.push(s),
        ...over,
      });
    // llvmpipe in a VM with a virtio-gpu card: remembered, then relaunched
    expect(await launch({})).toEqual({ state: { choice: 'auto', found: 'llvmpipe', seen: true }, relaunch: true });
    expect(written).toEqual([{ choice: 'auto', found: 'llvmpipe', seen: true }]);
    // ... and what it wrote makes the relaunch composite in software (so it does not relaunch again)
    expect(softwareCompositing(written[0], false)).toBe(true);
    expect(relaunchArgs(['/opt/y/yolo-architect', '/home/u/m.yaml'], ['/home/u/m.yaml', '/home/u/b.yaml'])).toEqual([
      '/home/u/m.yaml',
      '/home/u/b.yaml',
      RELAUNCHED_ARG,
    ]);
    // a hardware GPU: remembered, no relaunch
    written.length = 0;
    expect(await launch({ gpuInfo: async () => HARDWARE })).toEqual({
      state: { choice: 'auto', seen: true },
      relaunch: false,
    });
    // never twice, never on the user's own choice, never once a launch has seen the GPU or software already runs
    let asked = 0;
    const gpuInfo = async () => (asked++, SWIFTSHADER);
    for (const over of [
      { argv: ['/opt/y/yolo-architect', RELAUNCHED_ARG] },
      { state: { choice: 'gpu' as const } },
      { state: { choice: 'software' as const } },
      { state: { choice: 'auto' as const, seen: true as const } },
      { softwareNow: true },
    ])
      expect(await launch({ ...over, gpuInfo })).toEqual({ state: null, relaunch: false });
    expect(asked).toBe(0);
    // a file that cannot be written: the launch goes on as it is (a relaunch would find nothing and loop)
    expect(
      await launch({
        write: async () => {
          throw new Error('EROFS');
        },
      }),
    ).toEqual({ state: { choice: 'auto', found: 'llvmpipe', seen: true }, relaunch: false });
    // no GPU information (an error, or none in time): the window opens on the GPU compositor, as before
    expect(await launch({ gpuInfo: () => Promise.reject(new Error('no GPU process')) })).toEqual({
      state: null,
      relaunch: false,
    });
    expect(await launch({ gpuInfo: () => new Promise(() => {}), timeoutMs: 20 })).toEqual({
      state: null,
      relaunch: false,
    });
    expect(written).toEqual([{ choice: 'auto', seen: true }]);
  });

  it('reads its file as hostile: absent, broken, huge or strange is the default', () => {
    expect(parseCompositing(undefined)).toEqual({ choice: 'auto' });
    expect(parseCompositing('{')).toEqual({ choice: 'auto' });
    expect(parseCompositing('[1]')).toEqual({ choice: 'auto' });
    expect(parseCompositing('null')).toEqual({ choice: 'auto' });
    expect(parseCompositing(JSON.stringify({ choice: 'software', pad: 'x'.repeat(5000) }))).toEqual({ choice: 'auto' });
    expect(parseCompositing('{"choice":"fast","found":"NVIDIA"}')).toEqual({ choice: 'auto' });
    expect(parseCompositing('{"choice":"gpu","found":"swiftshader"}')).toEqual({ choice: 'gpu', found: 'SwiftShader' });
    expect(parseCompositing('{"choice":"software","found":{"a":1}}')).toEqual({ choice: 'software' });
    expect(parseCompositing('{"choice":"auto","seen":true}')).toEqual({ choice: 'auto', seen: true });
    expect(parseCompositing('{"choice":"auto","seen":"yes"}')).toEqual({ choice: 'auto' });
  });

  it('is remembered in the user-data folder, written whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compositing-'));
    const path = join(dir, 'compositing.json');
    expect(readCompositing(path)).toEqual({ choice: 'auto' });
    await writeCompositing(path, { choice: 'auto', found: 'SwiftShader' });
    expect(readCompositing(path)).toEqual({ choice: 'auto', found: 'SwiftShader' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ choice: 'auto', found: 'SwiftShader' });
    writeFileSync(path, '\u0000garbage');
    expect(readCompositing(path)).toEqual({ choice: 'auto' });
  });

  it('View > Window Compositing offers the three choices, the one kept checked, and says what this window uses', () => {
    const view = (c: Parameters<typeof menuTemplate>[0]['compositing']) =>
      menuTemplate({ platform: 'linux', appName: 'YOLO Architect', recent: [], templates: [], compositing: c })
        .find((m) => m.label === 'View')!
        .submenu!.find((i) => i.label === 'Window Compositing')?.submenu as MenuItem[];
    const items = view({ choice: 'auto', found: 'SwiftShader', software: true });
    const radios = items.filter((i) => i.type === 'radio');
    expect(radios.map((i) => [i.label, i.checked, i.action])).toEqual([
      ['Automatic (software: SwiftShader found)', true, { compositing: 'auto' }],
      ['GPU', false, { compositing: 'gpu' }],
      ['Software', false, { compositing: 'software' }],
    ]);
    expect(items.at(-1)).toMatchObject({
      enabled: false,
      label: expect.stringMatching(/^This window: software; .*next start/),
    });
    const gpu = view({ choice: 'gpu', software: false });
    expect(gpu.filter((i) => i.checked).map((i) => i.label)).toEqual(['GPU']);
    expect(gpu[0].label).toBe('Automatic (software on a software GPU)');
    expect(gpu.at(-1)!.label).toMatch(/^This window: GPU/);
    expect(view(undefined)).toBeUndefined();
  });
});
