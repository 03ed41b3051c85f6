/** The seed's Res2Net blocks (../shared/seed/res2net-yolov5.txt): Bottle2neck and C3_Res2Block. */
import { BuildError, type ModuleDef } from '../graph.ts';
import { PyFloat } from '../py.ts';
import { repeat } from './csp.ts';

export const Bottle2neck: ModuleDef = {
  name: 'Bottle2neck',
  torchPath: 'models.common.Bottle2neck',
  family: 'res2net',
  description:
    'Res2Net block: a 1x1 Conv into `scale` groups, a 3x3 Conv per group fed by the previous group, concat, 1x1 Conv, shortcut, SiLU.',
  parse: 'channels',
  args: [
    { name: 'inplanes', type: 'int', required: true, doc: 'input channels' },
    { name: 'planes', type: 'int', required: true, doc: 'output channels' },
    { name: 'shortcut', type: 'bool', required: true, doc: 'add the input (needs inplanes == planes)' },
    { name: 'baseWidth', type: 'int', default: 26, doc: 'group width per 64 channels' },
    { name: 'scale', type: 'int', default: 4, doc: 'number of groups' },
  ],
  build(s, a, [x]) {
    const width = Math.floor(a.planes * (a.baseWidth / 64));
    const scale: number = a.scale;
    if (!Number.isInteger(scale) || scale < 1)
      throw new BuildError('bad-args', `Bottle2neck's scale must be a whole number of at least 1, got ${scale}`);
    if (width < 1)
      throw new BuildError(
        'bad-channels',
        `Bottle2neck's group width floor(${a.planes} * ${a.baseWidth} / 64) is 0: use more channels`,
      );
    if (a.shortcut && a.inplanes !== a.planes) {
      throw new BuildError(
        'residual-mismatch',
        `Bottle2neck(${a.inplanes}, ${a.planes}) adds its ${a.inplanes}-channel input to ${a.planes} channels: PyTorch fails (out += residual); use inplanes == planes or shortcut=False`,
      );
    }
    const nums = scale === 1 ? 1 : scale - 1;
    const out = s.call('conv1', 'Conv', [a.inplanes, width * scale, 1], [x]);
    const spx = Array.from({ length: scale }, (_, i) => s.slice(out, i * width, (i + 1) * width));
    const convs = s.container('convs', 'ModuleList');
    const pieces = [];
    let sp = spx[0];
    for (let i = 0; i < nums; i++) {
      if (i > 0) sp = s.add(sp, spx[i], 'the group sum');
      sp = convs.call(String(i), 'Conv', [width, width, 3], [sp]);
      pieces.push(sp);
    }
    if (scale !== 1) pieces.push(spx[nums]);
    let y = s.call(
      'conv3',
      'Conv',
      [width * scale, a.planes, 1, 1, null, 1, 1, false],
      [pieces.length > 1 ? s.cat(pieces) : pieces[0]],
    );
    if (a.shortcut) y = s.add(y, x);
    return s.act('silu', y, { type: 'SiLU' });
  },
};

export const C3_Res2Block: ModuleDef = {
  name: 'C3_Res2Block',
  torchPath: 'models.common.C3_Res2Block',
  family: 'res2net',
  description: "C3 whose inner blocks are Res2Net Bottle2necks (the seed's module).",
  parse: 'channelsRepeat',
  args: [
    { name: 'c1', type: 'int', required: true, doc: 'input channels' },
    { name: 'c2', type: 'int', required: true, doc: 'output channels (before the width multiple)' },
    { name: 'n', type: 'int', default: 1, doc: 'number of Bottle2necks (after the depth multiple)' },
    { name: 'shortcut', type: 'bool', default: true, doc: 'residual connections in the Bottle2necks' },
    { name: 'g', type: 'int', default: 1, doc: 'groups (unused by Bottle2neck)' },
    { name: 'e', type: 'float', default: new PyFloat(0.5), doc: 'hidden channel expansion' },
  ],
  build(s, a, [x]) {
    const c_ = Math.trunc(a.c2 * a.e);
    const y1 = s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x]);
    const y2 = s.call('cv2', 'Conv', [a.c1, c_, 1, 1], [x]);
    const m = repeat(s, 'm', a.n, y1, (seq, i, z) => seq.call(i, 'Bottle2neck', [c_, c_, a.shortcut], [z]));
    return s.call('cv3', 'Conv', [2 * c_, a.c2, 1], [s.cat([m, y2])]);
  },
};
