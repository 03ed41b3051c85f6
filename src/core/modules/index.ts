/**
 * Every built-in module, listed once, with the Python module it lives in: YOLOv5 v7.0's own, torch.nn's, and
 * the seed's Res2Net blocks (which YOLOv5 does not ship: `generated`). A module is one description (its file
 * says where it lives); adding one is its file and one line here.
 */
import type { ModuleDef } from '../graph.ts';
import { at } from './define.ts';
import { Conv, CrossConv, DWConv, Focus, GhostConv } from './conv.ts';
import { MixConv2d } from './mixconv.ts';
import { Bottleneck, BottleneckCSP, C3, C3Ghost, C3SPP, C3TR, C3x, GhostBottleneck } from './csp.ts';
import { TransformerBlock, TransformerLayer } from './transformer.ts';
import { MaxPool2d, SPP, SPPF } from './pool.ts';
import { ConvTranspose2d, DWConvTranspose2d, Upsample, ZeroPad2d } from './resample.ts';
import { Contract, Expand } from './reshape.ts';
import { Concat } from './concat.ts';
import { BatchNorm2d } from './norm.ts';
import { Detect, Segment } from './head.ts';
import { Proto } from './proto.ts';
import { Bottle2neck, C3_Res2Block } from './res2net.ts';

const COMMON = 'models.common';

export const BUILTIN_MODULES: readonly ModuleDef[] = [
  at(COMMON, Conv),
  at(COMMON, DWConv),
  at(COMMON, GhostConv),
  at(COMMON, Focus),
  at(COMMON, CrossConv),
  at('models.experimental', MixConv2d),
  at(COMMON, Bottleneck),
  at(COMMON, BottleneckCSP),
  at(COMMON, C3),
  at(COMMON, C3x),
  at(COMMON, C3TR),
  at(COMMON, C3SPP),
  at(COMMON, C3Ghost),
  at(COMMON, GhostBottleneck),
  at(COMMON, Bottle2neck, { generated: true }),
  at(COMMON, C3_Res2Block, { generated: true }),
  at(COMMON, SPP),
  at(COMMON, SPPF),
  at('torch.nn.modules.pooling', MaxPool2d),
  at('torch.nn.modules.upsampling', Upsample),
  at('torch.nn.modules.conv', ConvTranspose2d),
  at(COMMON, DWConvTranspose2d),
  at('torch.nn.modules.padding', ZeroPad2d),
  at(COMMON, Contract),
  at(COMMON, Expand),
  at(COMMON, Concat),
  at('torch.nn.modules.batchnorm', BatchNorm2d),
  at('models.yolo', Detect),
  at('models.yolo', Segment),
  at(COMMON, TransformerLayer),
  at(COMMON, TransformerBlock),
  at(COMMON, Proto),
];
