/**
 * The seed's Res2Net blocks (../shared/seed/res2net-yolov5.txt) as data: the canonical description the
 * PyTorch code is generated from. A test asserts that these descriptions, interpreted, equal the hand-written
 * built-ins in src/core/modules/res2net.ts (parameters, shapes, module trees, FLOPs).
 *
 * Names and signatures are the seed's: Bottle2neck(inplanes, planes, shortcut, baseWidth=26, scale=4) with
 * conv1, convs.0..n-1, conv3, silu; C3_Res2Block(c1, c2, n=1, shortcut=True, g=1, e=0.5) with cv1, cv2, cv3, m.
 */
import type { CustomModuleSpec } from '../custom/spec.ts';
import { Bottle2neck, C3_Res2Block } from '../modules/res2net.ts';

export const BOTTLE2NECK_SPEC: CustomModuleSpec = {
  name: 'Bottle2neck',
  description: Bottle2neck.description,
  family: 'res2net',
  parse: 'channels',
  args: [
    { name: 'inplanes' },
    { name: 'planes' },
    { name: 'shortcut' },
    { name: 'baseWidth', default: '26' },
    { name: 'scale', default: '4' },
  ],
  vars: [
    ['width', 'floor(planes * baseWidth / 64)'],
    ['nums', 'max(scale - 1, 1)'],
  ],
  check: [
    ['scale >= 1', 'scale must be at least 1'],
    ['width >= 1', 'the group width floor(planes * baseWidth / 64) is 0: use more channels'],
    ['not shortcut or inplanes == planes', 'the shortcut adds the input: inplanes must equal planes'],
  ],
  body: [
    { id: 'out', op: 'Conv', args: ['inplanes', 'width * scale', 1], in: 'x', name: 'conv1' },
    { id: 'spx', op: 'split', args: ['width'], in: 'out' },
    {
      for: { i: 'range(nums)' },
      body: [
        { id: 's{i}', op: 'pass', in: 'spx.0', when: 'i == 0' },
        { id: 's{i}', op: 'add', in: ['c{i-1}', 'spx.{i}'], when: 'i > 0' },
        { id: 'c{i}', op: 'Conv', args: ['width', 'width', 3], in: 's{i}', name: 'convs.{i}' },
      ],
    },
    { id: 'y', op: 'cat', in: ['c{j} for j in range(nums)', 'spx.{nums}'], when: 'scale != 1' },
    { id: 'y', op: 'pass', in: 'c0', when: 'scale == 1' },
    { id: 'z', op: 'Conv', args: ['width * scale', 'planes', 1, 1, null, 1, 1, false], in: 'y', name: 'conv3' },
    { id: 'r', op: 'add', in: ['z', 'x'], when: 'shortcut' },
    { id: 'r', op: 'pass', in: 'z', when: 'not shortcut' },
    { id: 'o', op: 'nn.SiLU', in: 'r', name: 'silu' },
  ],
};

export const C3_RES2BLOCK_SPEC: CustomModuleSpec = {
  name: 'C3_Res2Block',
  description: C3_Res2Block.description,
  family: 'res2net',
  parse: 'channelsRepeat',
  args: [
    { name: 'c1' },
    { name: 'c2' },
    { name: 'n', default: '1' },
    { name: 'shortcut', default: 'True' },
    { name: 'g', default: '1' },
    { name: 'e', default: '0.5' },
  ],
  vars: [['c_', 'int(c2 * e)']],
  body: [
    { id: 'a', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv1' },
    { id: 'b', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv2' },
    { id: 'm', op: 'Bottle2neck', args: ['c_', 'c_', 'shortcut'], repeat: 'n', in: 'a' },
    { id: 'c', op: 'cat', in: ['m', 'b'] },
    { id: 'y', op: 'Conv', args: ['2 * c_', 'c2', 1], in: 'c', name: 'cv3' },
  ],
};

/** Built-in modules YOLOv5 v7.0 does not ship, by name, with the descriptions their PyTorch comes from. */
export const SEED_SPECS: ReadonlyMap<string, CustomModuleSpec> = new Map([
  ['Bottle2neck', BOTTLE2NECK_SPEC],
  ['C3_Res2Block', C3_RES2BLOCK_SPEC],
]);
