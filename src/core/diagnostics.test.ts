import { describe, expect, it } from 'vitest';
import { analyze, parseModelText } from './index.ts';
import { diagnosticsInWords } from '../testing/words.ts';

const HEADER = `nc: 80
depth_multiple: 0.33
width_multiple: 0.50
anchors:
  - [10, 13, 16, 30, 33, 23]
  - [30, 61, 62, 45, 59, 119]
  - [116, 90, 156, 198, 373, 326]
`;
/** yolov5s with `backboneRows` replacing nothing: a full valid model to break one thing in. */
const YOLOV5S = `${HEADER}backbone:
  [[-1, 1, Conv, [64, 6, 2, 2]],
   [-1, 1, Conv, [128, 3, 2]],
   [-1, 3, C3, [128]],
   [-1, 1, Conv, [256, 3, 2]],
   [-1, 6, C3, [256]],
   [-1, 1, Conv, [512, 3, 2]],
   [-1, 9, C3, [512]],
   [-1, 1, Conv, [1024, 3, 2]],
   [-1, 3, C3, [1024]],
   [-1, 1, SPPF, [1024, 5]],
  ]
head:
  [[-1, 1, Conv, [512, 1, 1]],
   [-1, 1, nn.Upsample, [None, 2, 'nearest']],
   [[-1, 6], 1, Concat, [1]],
   [-1, 3, C3, [512, False]],
   [-1, 1, Conv, [256, 1, 1]],
   [-1, 1, nn.Upsample, [None, 2, 'nearest']],
   [[-1, 4], 1, Concat, [1]],
   [-1, 3, C3, [256, False]],
   [-1, 1, Conv, [256, 3, 2]],
   [[-1, 14], 1, Concat, [1]],
   [-1, 3, C3, [512, False]],
   [-1, 1, Conv, [512, 3, 2]],
   [[-1, 10], 1, Concat, [1]],
   [-1, 3, C3, [1024, False]],
   [[17, 20, 23], 1, Detect, [nc, anchors]],
  ]
`;

const run = (text: string, imgsz?: number) => diagnosticsInWords(analyze(parseModelText(text, 'm.yaml'), { imgsz }));
type Diagnostic = ReturnType<typeof run>['diagnostics'][number];
const only = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);
/** Replace the first occurrence of `a` in yolov5s by `b`. */
const edit = (a: string, b: string) => {
  if (!YOLOV5S.includes(a)) throw new Error(`test text not found: ${a}`);
  return YOLOV5S.replace(a, b);
};
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('a valid config', () => {
  it('gives no diagnostics and the numbers YOLOv5 gives', () => {
    const a = run(YOLOV5S);
    expect(a.diagnostics).toEqual([]);
    expect(a.params).toBe(7235389);
    expect(a.modules).toBe(214);
    expect(a.stride).toEqual([8, 16, 32]);
  });
});

describe('bad input never throws and names file, line and problem', () => {
  it('malformed YAML is a yaml-syntax error at its line', () => {
    const text = edit('   [-1, 1, Conv, [128, 3, 2]],', '   [-1, 1, Conv, [128, 3, 2],');
    const ds = run(text).diagnostics;
    expect(ds.length).toBeGreaterThan(0);
    expect(ds[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error', file: 'm.yaml' });
    expect(ds[0].message).toMatch(/^YAML syntax: /);
  });

  it('a missing section or key is reported by name', () => {
    const ds = run(HEADER.replace('nc: 80\n', '')).diagnostics;
    expect(only(ds, 'missing-key')[0].message).toBe("'nc' is missing: YOLOv5 reads it (KeyError)");
    expect(only(ds, 'missing-section').map((d) => d.message)).toEqual([
      "'backbone:' is missing: a model config needs both backbone and head",
      "'head:' is missing: a model config needs both backbone and head",
    ]);
  });

  it('an empty file and a non-mapping are errors', () => {
    expect(run('').diagnostics[0].code).toBe('missing-section');
    expect(run('- 1\n- 2\n').diagnostics[0].code).toBe('not-a-mapping');
  });

  it('an unknown module suggests the closest known one, at its line and column', () => {
    const text = edit('[-1, 3, C3, [128]]', '[-1, 3, C3_Res2Blok, [128]]');
    const [d] = only(run(text).diagnostics, 'unknown-module');
    expect(d.message).toMatch(/^unknown module 'C3_Res2Blok'; did you mean C3_Res2Block\?/);
    expect(d.line).toBe(lineOf(text, 'C3_Res2Blok'));
    expect(d.column).toBe(text.split('\n')[d.line - 1].indexOf('C3_Res2Blok') + 1);
    expect(d.layer).toBe(2);
  });

  it('too many arguments and a missing required argument', () => {
    const many = only(
      run(edit('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, SPPF, [1024, 5, 7]]')).diagnostics,
      'too-many-args',
    )[0];
    expect(many.message).toBe(
      'SPPF takes at most 3 arguments (c1, c2, k); this row gives 4 after parse_model adds the input channels',
    );
    const missing = only(run(edit('[-1, 9, C3, [512]]', '[-1, 1, Bottle2neck, [512]]')).diagnostics, 'missing-arg')[0];
    expect(missing.message).toMatch(/^Bottle2neck needs its argument 'shortcut'/);
    const none = only(run(edit('[-1, 1, Conv, [64, 6, 2, 2]]', '[-1, 1, Conv, []]')).diagnostics, 'missing-arg')[0];
    expect(none.message).toMatch(/^Conv needs its output channels as the first argument/);
  });

  it('an argument of the wrong type', () => {
    const d = only(
      run(edit('[-1, 1, Conv, [128, 3, 2]]', "[-1, 1, Conv, [128, 'three', 2]]")).diagnostics,
      'bad-arg-type',
    )[0];
    expect(d.message).toBe("Conv's argument 'k' must be a whole number or a pair of them, got 'three'");
    const text2 = edit('[-1, 1, Conv, [128, 3, 2]]', '[-1, 1, Conv, [[1], 3, 2]]');
    expect(only(run(text2).diagnostics, 'bad-arg-type')[0].message).toBe(
      "Conv's first argument is its output channels, a number; got [1]",
    );
  });

  it('a from out of range, pointing forward or at itself', () => {
    const back = only(
      run(edit('[[-1, 6], 1, Concat, [1]]', '[[-1, -40], 1, Concat, [1]]')).diagnostics,
      'from-out-of-range',
    )[0];
    expect(back.message).toBe("'from' -40 is out of range: layer 12 can read -1 to -12, or 0 to 11");
    const fwd = only(
      run(edit('[[-1, 6], 1, Concat, [1]]', '[[-1, 16], 1, Concat, [1]]')).diagnostics,
      'from-forward',
    )[0];
    expect(fwd.message).toBe("'from' 16 points forward: layer 12 can only read layers 0 to 11");
    const self = only(
      run(edit('[[-1, 6], 1, Concat, [1]]', '[[-1, 12], 1, Concat, [1]]')).diagnostics,
      'from-forward',
    )[0];
    expect(self.message).toMatch(/points at this layer itself/);
    const first = only(
      run(edit('[[-1, 1, Conv, [64, 6, 2, 2]]', '[[0, 1, Conv, [64, 6, 2, 2]]')).diagnostics,
      'from-forward',
    )[0];
    expect(first.message).toMatch(/layer 0 reads the image with -1/);
  });

  it('a Concat of different spatial sizes', () => {
    const d = only(run(edit('[[-1, 6], 1, Concat, [1]]', '[[-1, 4], 1, Concat, [1]]')).diagnostics, 'concat-size')[0];
    expect(d.message).toBe('layer 12 Concat: cannot concatenate feature maps of different sizes: 40x40, 80x80');
    expect(d.severity).toBe('error');
  });

  it('a size that stops dividing: computed at the exact size, with the size YOLOv5 would use', () => {
    const a = run(YOLOV5S, 416 + 8);
    const info = only(a.diagnostics, 'img-size-rounded')[0];
    expect(info).toMatchObject({
      severity: 'info',
      message:
        'YOLOv5 would round the input size 424 up to 448, a multiple of the largest stride 32; shown here at the exact size',
    });
    expect(only(a.diagnostics, 'concat-size').length).toBeGreaterThan(0);
    expect(a.layers[0].shape).toEqual([32, 212, 212]);
  });

  it('residuals: an error where PyTorch fails, an info where YOLOv5 drops them', () => {
    const b2 = only(
      run(edit('[-1, 9, C3, [512]]', '[-1, 1, Bottle2neck, [1024, True]]')).diagnostics,
      'residual-mismatch',
    )[0];
    expect(b2.severity).toBe('error');
    expect(b2.message).toBe(
      'layer 6 Bottle2neck: Bottle2neck(256, 512) adds its 256-channel input to 512 channels: PyTorch fails (out += residual); use inplanes == planes or shortcut=False',
    );
    const ok = run(edit('[-1, 9, C3, [512]]', '[-1, 1, Bottle2neck, [512, True]]'));
    expect(only(ok.diagnostics, 'residual-mismatch')).toEqual([]);
    // width = floor(256 * 26 / 64) = 104: conv1 256->416, 3 convs 104->104 (3x3), conv3 416->256, each with batch norm
    expect(ok.layers[6].params).toBe(256 * 416 + 2 * 416 + 3 * (104 * 104 * 9 + 2 * 104) + 416 * 256 + 2 * 256);
    const ghost = only(
      run(edit('[-1, 9, C3, [512]]', '[-1, 1, GhostBottleneck, [1024, 3, 1]]')).diagnostics,
      'residual-mismatch',
    )[0];
    expect(ghost.message).toBe(
      'layer 6 GhostBottleneck: GhostBottleneck(256, 512) with stride 1 adds its input (256 channels) to 512 channels: PyTorch fails; use c1 == c2 (even) or stride 2',
    );
    const drop = only(
      run(edit('[-1, 9, C3, [512]]', '[-1, 1, Bottleneck, [1024]]')).diagnostics,
      'residual-dropped',
    )[0];
    expect(drop).toMatchObject({
      severity: 'info',
      message:
        'layer 6 Bottleneck: Bottleneck(256, 512) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual',
    });
    const cross = only(
      run(edit('[-1, 9, C3, [512]]', '[-1, 1, CrossConv, [1024, 3, 1, 1, 1.0, True]]')).diagnostics,
      'residual-dropped',
    )[0];
    expect(cross.severity).toBe('info');
  });

  it('no Detect is a warning; a Detect that is not last is an error', () => {
    const noHead = run(edit('   [[17, 20, 23], 1, Detect, [nc, anchors]],\n', ''));
    expect(only(noHead.diagnostics, 'no-head')[0].severity).toBe('warning');
    expect(noHead.stride).toBeNull();
    const text = edit(
      '   [[17, 20, 23], 1, Detect, [nc, anchors]],\n',
      '   [[17, 20, 23], 1, Detect, [nc, anchors]],\n   [-1, 1, Conv, [64, 1, 1]],\n',
    );
    expect(only(run(text).diagnostics, 'head-not-last')[0].message).toMatch(
      /^Detect is layer 24 but must be the last layer/,
    );
  });

  it('absurd numbers: negative repeats and a billion channels', () => {
    const neg = only(run(edit('[-1, 3, C3, [128]]', '[-1, -3, C3, [128]]')).diagnostics, 'bad-repeats')[0];
    expect(neg.message).toBe('the number of repeats must be a whole number of at least 1, got -3');
    const big = only(run(edit('[-1, 3, C3, [128]]', '[-1, 3, C3, [1000000000]]')).diagnostics, 'absurd-channels')[0];
    expect(big.message).toBe('500,000,000 output channels is absurd (at most 1,048,576)');
  });

  it('a YAML alias bomb is refused in bounded time', () => {
    let text = 'a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n';
    for (let k = 1; k < 12; k++)
      text += `a${k}: &a${k} [${Array(10)
        .fill(`*a${k - 1}`)
        .join(', ')}]\n`;
    text += 'nc: *a11\n';
    const t0 = performance.now();
    const ds = run(text).diagnostics;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(ds[0].code).toBe('yaml-too-large');
  });

  it('a very large file is refused without parsing', () => {
    const ds = run(`# ${'x'.repeat(5 * 1024 * 1024)}\n`).diagnostics;
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: 'file-too-large', severity: 'error' });
  });

  it('an argument that is not valid Python is an error (YOLOv5 would crash evaluating it)', () => {
    const d = only(run(edit("[None, 2, 'nearest']", "[None, 2, 'near est']")).diagnostics, 'bad-arg-expression')[0];
    expect(d.message).toMatch(/^argument 'near est' is not valid Python when YOLOv5 evaluates it/);
  });

  it('a config with errors still yields everything that can be computed', () => {
    const a = run(edit('[-1, 1, Conv, [256, 1, 1]]', '[-1, 1, Nope, [256, 1, 1]]'));
    expect(only(a.diagnostics, 'unknown-module')).toHaveLength(1);
    expect(a.layers.slice(0, 14).every((l) => l.ok)).toBe(true);
    expect(a.layers[13].params).toBe(361984);
    expect(a.layers[14].ok).toBe(false);
  });

  it('a layer whose real output differs from what parse_model records fails where PyTorch fails', () => {
    // GhostConv with an odd width outputs 2 * (c2 // 2) channels; the next layer is built for c2
    const text = edit('[-1, 1, Conv, [128, 3, 2]]', '[-1, 1, GhostConv, [126, 3, 2]]').replace(
      'width_multiple: 0.50',
      'width_multiple: 0.50\nchannel_multiple: 1',
    );
    const a = run(text);
    expect(only(a.diagnostics, 'channel-bookkeeping')[0].message).toBe(
      'layer 1 GhostConv outputs 62 channels, but parse_model records 63 for the layers that read it',
    );
    expect(only(a.diagnostics, 'channel-mismatch')[0].message).toMatch(
      /^layer 2 C3: C3 is built for 63 input channels but receives 62/,
    );
  });
});

describe('parse_model details', () => {
  it('activation replaces the default with one shared instance', () => {
    const a = run(HEADER + 'activation: nn.LeakyReLU(0.1)\n' + YOLOV5S.slice(HEADER.length));
    expect(a.defaultAct).toEqual({ type: 'LeakyReLU', alpha: 0.1 });
    expect(a.modules).toBe(214);
    expect(
      only(run(HEADER + 'activation: nn.Foo()\n' + YOLOV5S.slice(HEADER.length)).diagnostics, 'bad-activation'),
    ).toHaveLength(1);
  });

  it('channel_multiple rounds widths to its multiple', () => {
    const a = run(YOLOV5S.replace('width_multiple: 0.50', 'width_multiple: 0.30\nchannel_multiple: 16'));
    expect(a.layers[0].args![1]).toBe(32); // 64 * 0.3 = 19.2 -> 32
    expect(a.channelMultiple).toBe(16);
  });

  it('integer anchors become placeholder anchors per level', () => {
    const a = run(YOLOV5S.replace(/anchors:\n(  - .*\n)+/, 'anchors: 3\n'));
    expect(a.layers[24].args![1]).toEqual([
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
    ]);
    expect(a.params).toBe(7235389);
  });

  it('YAML 1.1 as PyYAML: yes is True, 010 is octal', () => {
    const a = run(
      edit('[-1, 3, C3, [512, False]]', '[-1, 3, C3, [512, no]]').replace(
        '[-1, 1, Conv, [64, 6, 2, 2]]',
        '[-1, 1, Conv, [0100, 6, 2, 2]]',
      ),
    );
    expect(a.layers[13].args![3]).toBe(false);
    expect(a.layers[0].args![1]).toBe(32);
  });

  it('depth gain rounds half to even like Python', () => {
    const a = run(YOLOV5S.replace('depth_multiple: 0.33', 'depth_multiple: 0.5'));
    expect(a.layers[2].n).toBe(2); // round(1.5) = 2
    expect(a.layers[8].n).toBe(2); // round(1.5) = 2
    expect(a.layers[4].n).toBe(3); // round(3.0) = 3
    const b = run(
      YOLOV5S.replace('depth_multiple: 0.33', 'depth_multiple: 0.8333333333333334').replace(
        '[-1, 3, C3, [128]]',
        '[-1, 3, C3, [128]]',
      ),
    );
    expect(b.layers[2].n).toBe(2); // round(2.5) = 2, not 3
  });

  it('module names may be written without nn., with a warning that YOLOv5 needs it', () => {
    const a = run(
      YOLOV5S.replace("[-1, 1, nn.Upsample, [None, 2, 'nearest']]", "[-1, 1, Upsample, [None, 2, 'nearest']]"),
    );
    expect(a.params).toBe(7235389);
    expect(only(a.diagnostics, 'module-spelling')[0].message).toBe(
      "YOLOv5 evaluates module names, and knows this one only as nn.Upsample: write 'nn.Upsample'",
    );
  });
});

describe('follow-on errors', () => {
  it('a layer whose input has an error says "input layer 2 has an error" once, with no nan anywhere', () => {
    const a = run(edit('   [-1, 3, C3, [128]],', '   [-1, 3, C3x9, [128]],'));
    expect(a.diagnostics.map((d) => [d.code, d.layer, d.message])).toEqual([
      ['unknown-module', 2, expect.stringContaining("unknown module 'C3x9'")],
      ['input-error', 3, 'input layer 2 has an error'],
    ]);
    expect(a.diagnostics.some((d) => /nan/i.test(d.message))).toBe(false);
    // the channels layer 3 writes itself still reach the layers after it
    expect(a.layers[4].params).toBe(115_712);
  });
  it('a Concat with a broken input passes the error on once per layer that cannot be computed', () => {
    const a = run(edit('[[-1, 6], 1, Concat, [1]]', '[[-1, 6], 1, Conkat, [1]]'));
    expect(a.diagnostics.map((d) => [d.code, d.layer, d.message])).toEqual([
      ['unknown-module', 12, expect.stringContaining("'Conkat'")],
      ['input-error', 13, 'input layer 12 has an error'],
    ]);
  });
});
