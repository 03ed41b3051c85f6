import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, formatMessage, parseModelText, type Message } from '../index.ts';

const textOf = (d?: { message: Message }) => d && formatMessage(d.message);
import { defaultLibrary } from './defaults.ts';
import { loadLibraryChain, parseModuleLibrary, registryWith } from './library.ts';
import { PROJECT_DIR } from '../../testing/reference.ts';

/** The seed's two modules, written in the custom format (no code): they must equal the built-ins exactly. */
const RES2NET = `
Bottle2neckCustom:
  description: The seed's Res2Net bottleneck as a custom module.
  family: res2net
  args: [inplanes, planes, shortcut, baseWidth=26, scale=4]
  vars:
    width: floor(planes * baseWidth / 64)
    nums: max(scale - 1, 1)
  check:
    - [not shortcut or inplanes == planes, "the shortcut adds the input: inplanes must equal planes"]
  body:
    - {id: out, op: Conv, args: [inplanes, width * scale, 1], in: x, name: conv1}
    - {id: spx, op: split, args: [width], in: out}
    - for: {i: range(nums)}
      body:
        - {id: "s{i}", op: pass, in: spx.0, when: i == 0}
        - {id: "s{i}", op: add, in: ["c{i-1}", "spx.{i}"], when: i > 0}
        - {id: "c{i}", op: Conv, args: [width, width, 3], in: "s{i}", name: "convs.{i}"}
    - {id: y, op: cat, in: ["c{j} for j in range(nums)", "spx.{nums}"], when: scale != 1}
    - {id: y, op: pass, in: c0, when: scale == 1}
    - {id: z, op: Conv, args: [width * scale, planes, 1, 1, None, 1, 1, False], in: y, name: conv3}
    - {id: r, op: add, in: [z, x], when: shortcut}
    - {id: r, op: pass, in: z, when: not shortcut}
    - {id: o, op: nn.SiLU, in: r, name: silu}

C3Res2Custom:
  description: The seed's C3_Res2Block as a custom module.
  family: res2net
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv2}
    - {id: m, op: Bottle2neckCustom, args: [c_, c_, shortcut], repeat: n, in: a}
    - {id: c, op: cat, in: [m, b]}
    - {id: y, op: Conv, args: [2 * c_, c2, 1], in: c, name: cv3}
`;

const seedText = readFileSync(`${PROJECT_DIR}/configs/yolov5s-res2net.yaml`, 'utf8');

describe('custom modules (data, no code)', () => {
  it('the seed Res2Net blocks written as custom modules equal the built-ins layer by layer', () => {
    const lib = parseModuleLibrary(RES2NET, 'res2net.modules.yaml');
    expect(lib.diagnostics).toEqual([]);
    const builtin = analyze(parseModelText(seedText, 'seed.yaml'));
    const custom = analyze(parseModelText(seedText.replace(/C3_Res2Block/g, 'C3Res2Custom'), 'custom.yaml'), {
      registry: registryWith(lib),
    });
    expect(custom.diagnostics).toEqual([]);
    expect(custom.layers.map((l) => [l.params, l.shape, l.modules, l.macs])).toEqual(
      builtin.layers.map((l) => [l.params, l.shape, l.modules, l.macs]),
    );
    expect(custom.params).toBe(6721334);
    expect(custom.modules).toBe(346);
  });

  it('a standalone custom Bottle2neck reports the residual error the built-in does', () => {
    const lib = parseModuleLibrary(RES2NET);
    const text = seedText.replace('[-1, 3, C3_Res2Block, [128]]', '[-1, 1, Bottle2neckCustom, [64, True]]');
    const a = analyze(parseModelText(text, 'm.yaml'), { registry: registryWith(lib) });
    expect(textOf(a.diagnostics.find((d) => d.code === 'check-failed'))).toBe(
      'layer 2 Bottle2neckCustom: Bottle2neckCustom: the shortcut adds the input: inplanes must equal planes',
    );
  });

  it('the default library: SE, CBAM and CoordAtt with exact parameters, shapes and module counts', () => {
    const lib = defaultLibrary();
    expect(lib.diagnostics).toEqual([]);
    expect(lib.defs.map((d) => d.name)).toEqual(['SE', 'CBAM', 'CoordAtt']);
    const one = (row: string) => {
      const text = `nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nbackbone:\n  [[-1, 1, Conv, [64, 3, 2]], ${row}]\nhead: []\n`;
      const a = analyze(parseModelText(text, 't.yaml'), { imgsz: 64, registry: registryWith(lib) });
      expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return { params: a.layers[1].params, shape: a.layers[1].shape, modules: a.layers[1].modules };
    };
    expect(one('[-1, 1, SE, [64]]')).toEqual({ params: 64 * 8 + 8 + 8 * 64 + 64, shape: [64, 32, 32], modules: 6 });
    expect(one('[-1, 1, CBAM, [64]]')).toEqual({ params: 64 * 4 + 4 * 64 + 2 * 49, shape: [64, 32, 32], modules: 9 });
    expect(one('[-1, 1, CoordAtt, [64]]')).toEqual({
      params: 64 * 8 + 8 + 2 * 8 + 2 * (8 * 64 + 64),
      shape: [64, 32, 32],
      modules: 8,
    });
  });

  it('library problems are reported with file and line, and leave the bad module out', () => {
    const lib = parseModuleLibrary(
      `Good:\n  description: ok\n  args: [c1, c2]\n  body: [{id: y, op: nn.Identity}]\nBad:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Frobnicate}]\nConv:\n  description: clash\n  args: [c1, c2]\n  body: [{id: y, op: pass}]\nLoop:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Loop}]\nExpr:\n  description: x\n  args: [c1, c2]\n  vars: {w: c1 //* 2}\n  body: [{id: y, op: pass}]\n`,
      'my.modules.yaml',
    );
    expect(lib.defs.map((d) => d.name)).toEqual(['Good']);
    const msgs = lib.diagnostics.map((d) => `${d.file}:${d.line} ${textOf(d)}`);
    expect(msgs[0]).toMatch(/^my\.modules\.yaml:8 Bad: node 'y' uses unknown op 'Frobnicate'/);
    expect(msgs).toContain('my.modules.yaml:9 Conv: Conv is a built-in module; give yours another name');
    expect(msgs.some((m) => /^my\.modules\.yaml:20 Expr: var w: 'c1 \/\/\* 2' is not a valid expression/.test(m))).toBe(
      true,
    );
    expect(msgs).toContain(
      'my.modules.yaml:13 Loop: uses itself (through its body or another module of this library), which would never end',
    );
  });

  it('a model naming a module nobody defined gets a clear diagnostic', () => {
    const a = analyze(
      parseModelText(seedText.replace('[-1, 3, C3_Res2Block, [128]]', '[-1, 1, MyBlock, [128]]'), 'm.yaml'),
    );
    expect(textOf(a.diagnostics.find((d) => d.code === 'unknown-module'))).toMatch(/^unknown module 'MyBlock'/);
  });

  it("a user's module may use the default library's modules (libraries read in order, each knowing the ones before)", () => {
    const user = `SEConv:\n  description: a conv then SE\n  args: [c1, c2, k=3]\n  body:\n    - {id: c, op: Conv, args: [c1, c2, k], in: x}\n    - {id: y, op: SE, args: [c2, c2]}\n`;
    const alone = parseModuleLibrary(user, 'modules.yaml');
    expect(textOf(alone.diagnostics[0])).toMatch(/unknown op 'SE'/);
    const { registry, diagnostics } = loadLibraryChain([{ file: 'modules.yaml', text: user }], [defaultLibrary()]);
    expect(diagnostics).toEqual([]);
    const text = `nc: 80\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 3\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]],\n   [-1, 1, SEConv, [64]]]\nhead: []\n`;
    const a = analyze(parseModelText(text, 'm.yaml'), { imgsz: 64, registry });
    const l = a.layers[1];
    expect(l.ok).toBe(true);
    expect(l.shape).toEqual([64, 32, 32]);
    // Conv(16, 64, 3): 16*64*9 + 2*64 BN; SE(64): c_ = max(64 // 16, 8) = 8: 64*8+8 + 8*64+64
    expect(l.params).toBe(16 * 64 * 9 + 2 * 64 + (64 * 8 + 8) + (8 * 64 + 64));
  });
});
