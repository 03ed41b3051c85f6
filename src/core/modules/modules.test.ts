import { describe, expect, it } from 'vitest';
import { analyze, parseModelText, repr } from '../index.ts';
import { BUILTIN_MODULES } from './index.ts';

/** A 16-channel 32x32 feature map (layer 0), then the module under test as layer 1. */
function layer1(row: string, imgsz = 64) {
  const text = `nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors:\n  - [10, 13, 16, 30, 33, 23]\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]], ${row}]\nhead: []\n`;
  const a = analyze(parseModelText(text, 't.yaml'), { imgsz });
  const l = a.layers[1];
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  return {
    args: l.args ? repr(l.args) : null,
    c2: l.c2,
    shape: l.shape,
    params: l.params,
    modules: l.modules,
    macs: l.macs,
    errors,
    a,
  };
}

/** Conv + BatchNorm parameters. */
const convBn = (cin: number, cout: number, k: number, g = 1) => cout * (cin / g) * k * k + 2 * cout;

describe('each module: resolved args, channels, shape, exact parameters, module count', () => {
  it('DWConv uses groups = gcd(c1, c2)', () => {
    expect(layer1('[-1, 1, DWConv, [32, 3, 1]]')).toMatchObject({
      args: '[16, 32, 3, 1]',
      c2: 32,
      shape: [32, 32, 32],
      params: convBn(16, 32, 3, 16),
      modules: 3,
      errors: [],
    });
    expect(layer1('[-1, 1, DWConv, [32, 3, 1]]').macs).toBe(32 * 32 * 32 * 9);
  });
  it('MixConv2d splits channels as torch.linspace does and keeps its own SiLU', () => {
    expect(layer1('[-1, 1, MixConv2d, [32, [1, 3], 1]]')).toMatchObject({
      args: '[16, 32, [1, 3], 1]',
      shape: [32, 32, 32],
      params: 16 * 1 + 16 * 9 + 64,
      modules: 6,
      errors: [],
    });
    // 3 kernels over 32 channels: floor(linspace(0, 3 - 1e-6, 32)) gives 11, 10, 11; groups gcd(16, c_) = 1, 2, 1
    expect(layer1('[-1, 1, MixConv2d, [32, [1, 3, 5], 1]]').params).toBe(11 * 16 * 1 + 10 * 8 * 9 + 11 * 16 * 25 + 64);
  });
  it('Focus slices to 4x channels at half size, then a Conv', () => {
    expect(layer1('[-1, 1, Focus, [32, 3]]')).toMatchObject({
      args: '[16, 32, 3]',
      shape: [32, 16, 16],
      params: convBn(64, 32, 3),
      modules: 4,
    });
  });
  it('CrossConv: a 1xk then a kx1 Conv', () => {
    expect(layer1('[-1, 1, CrossConv, [32, 3, 1]]')).toMatchObject({
      args: '[16, 32, 3, 1]',
      shape: [32, 32, 32],
      params: 32 * 16 * 3 + 64 + 32 * 32 * 3 + 64,
      modules: 7,
    });
  });
  it('BottleneckCSP: n inserted, plain-conv bypass, batch norm over the concat', () => {
    const bott = convBn(16, 16, 1) + convBn(16, 16, 3);
    expect(layer1('[-1, 1, BottleneckCSP, [32]]')).toMatchObject({
      args: '[16, 32, 1]',
      shape: [32, 32, 32],
      params: convBn(16, 16, 1) + 256 + 256 + convBn(32, 32, 1) + 64 + bott,
      modules: 19,
    });
  });
  it('C3x: cross-conv inner blocks', () => {
    expect(layer1('[-1, 1, C3x, [32]]')).toMatchObject({
      args: '[16, 32, 1]',
      params: 2 * convBn(16, 16, 1) + convBn(32, 32, 1) + 2 * (16 * 16 * 3 + 32),
    });
  });
  it('C3SPP: not given n; an SPP inside', () => {
    expect(layer1('[-1, 1, C3SPP, [32, [5, 9, 13]]]')).toMatchObject({
      args: '[16, 32, [5, 9, 13]]',
      shape: [32, 32, 32],
      params: 2 * convBn(16, 16, 1) + convBn(32, 32, 1) + convBn(16, 8, 1) + convBn(32, 16, 1),
    });
  });
  it('nn.ConvTranspose2d has a bias and upsamples', () => {
    expect(layer1('[-1, 1, nn.ConvTranspose2d, [32, 2, 2]]')).toMatchObject({
      args: '[16, 32, 2, 2]',
      shape: [32, 64, 64],
      params: 16 * 32 * 4 + 32,
      modules: 1,
    });
  });
  it('DWConvTranspose2d: groups = gcd(c1, c2), padding and output padding', () => {
    expect(layer1('[-1, 1, DWConvTranspose2d, [32, 4, 2, 1, 0]]')).toMatchObject({
      args: '[16, 32, 4, 2, 1, 0]',
      shape: [32, 64, 64],
      params: 16 * 2 * 16 + 32,
    });
  });
  it('nn.BatchNorm2d takes its channels from the input', () => {
    expect(layer1('[-1, 1, nn.BatchNorm2d, []]')).toMatchObject({
      args: '[16]',
      c2: 16,
      shape: [16, 32, 32],
      params: 32,
      modules: 1,
    });
  });
  it('Contract and Expand move pixels to channels and back', () => {
    expect(layer1('[-1, 1, Contract, [2]]')).toMatchObject({ args: '[2]', c2: 64, shape: [64, 16, 16], params: 0 });
    expect(layer1('[-1, 1, Expand, [2]]')).toMatchObject({ args: '[2]', c2: 4, shape: [4, 64, 64], params: 0 });
  });
  it('nn.ZeroPad2d pads (left, right, top, bottom)', () => {
    expect(layer1('[-1, 1, nn.ZeroPad2d, [[1, 2, 3, 4]]]')).toMatchObject({
      c2: 16,
      shape: [16, 39, 35],
      params: 0,
      modules: 1,
    });
  });
  it("nn.MaxPool2d's stride defaults to its kernel", () => {
    expect(layer1('[-1, 1, nn.MaxPool2d, [3, 2, 1]]').shape).toEqual([16, 16, 16]);
    expect(layer1('[-1, 1, nn.MaxPool2d, [2]]').shape).toEqual([16, 16, 16]);
  });
  it('GhostBottleneck with stride 2: depth-wise Conv in both paths', () => {
    const ghost = (c1: number, c2: number) => convBn(c1, c2 / 2, 1) + convBn(c2 / 2, c2 / 2, 5, c2 / 2);
    expect(layer1('[-1, 1, GhostBottleneck, [32, 3, 2]]')).toMatchObject({
      args: '[16, 32, 3, 2]',
      shape: [32, 16, 16],
      params: ghost(16, 16) + convBn(16, 16, 3, 16) + ghost(16, 32) + convBn(16, 16, 3, 16) + convBn(16, 32, 1),
      errors: [],
    });
  });
  it('standalone Bottle2neck: width = floor(planes * 26 / 64), scale 4, its own SiLU', () => {
    const w = Math.floor((16 * 26) / 64);
    expect(layer1('[-1, 1, Bottle2neck, [16, True]]')).toMatchObject({
      args: '[16, 16, True]',
      shape: [16, 32, 32],
      params: convBn(16, 4 * w, 1) + 3 * convBn(w, w, 3) + convBn(4 * w, 16, 1),
      modules: 19,
      errors: [],
    });
    // scale 1: a single 3x3 conv, no pass-through group
    expect(layer1('[-1, 1, Bottle2neck, [16, True, 26, 1]]').params).toBe(
      convBn(16, w, 1) + convBn(w, w, 3) + convBn(w, 16, 1),
    );
  });
  it('a repeated non-CSP module becomes an nn.Sequential of copies', () => {
    expect(layer1('[-1, 2, Conv, [16, 3, 1]]')).toMatchObject({
      args: '[16, 16, 3, 1]',
      params: 2 * convBn(16, 16, 3),
      modules: 7,
    });
  });
  it('Conv with act=False has an nn.Identity of its own', () => {
    expect(layer1('[-1, 1, Conv, [16, 3, 1, None, 1, 1, False]]')).toMatchObject({ modules: 4 });
  });
  it('every built-in module has a description and a documented signature', () => {
    for (const d of BUILTIN_MODULES) {
      expect(d.description.length, d.name).toBeGreaterThan(10);
      for (const a of d.args) expect(a.doc, `${d.name}.${a.name}`).toBeTruthy();
    }
  });
  it('every built-in module has its description and argument help in Simplified Chinese too', () => {
    const han = /[\u4e00-\u9fff]/;
    for (const d of BUILTIN_MODULES) {
      expect(d.descriptions?.zh, d.name).toMatch(han);
      expect(d.descriptions?.zh, d.name).not.toBe(d.description);
      for (const a of d.args) expect(a.docs?.zh, `${d.name}.${a.name}`).toMatch(han);
    }
  });
});
