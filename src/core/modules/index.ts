/** Every built-in module, listed explicitly (one line per module). */
import type { ModuleDef } from '../graph.ts';
import {
  BatchNorm2d,
  Conv,
  ConvTranspose2d,
  CrossConv,
  DWConv,
  DWConvTranspose2d,
  Focus,
  GhostConv,
  MixConv2d,
} from './conv.ts';
import {
  Bottleneck,
  BottleneckCSP,
  C3,
  C3Ghost,
  C3SPP,
  C3TR,
  C3x,
  GhostBottleneck,
  TransformerBlock,
  TransformerLayer,
} from './csp.ts';
import { Concat, Contract, Expand, MaxPool2d, SPP, SPPF, Upsample, ZeroPad2d } from './pool.ts';
import { Detect, Proto, Segment } from './head.ts';
import { Bottle2neck, C3_Res2Block } from './res2net.ts';

export const BUILTIN_MODULES: readonly ModuleDef[] = [
  Conv,
  DWConv,
  GhostConv,
  Focus,
  CrossConv,
  MixConv2d,
  Bottleneck,
  BottleneckCSP,
  C3,
  C3x,
  C3TR,
  C3SPP,
  C3Ghost,
  GhostBottleneck,
  Bottle2neck,
  C3_Res2Block,
  SPP,
  SPPF,
  MaxPool2d,
  Upsample,
  ConvTranspose2d,
  DWConvTranspose2d,
  ZeroPad2d,
  Contract,
  Expand,
  Concat,
  BatchNorm2d,
  Detect,
  Segment,
  TransformerLayer,
  TransformerBlock,
  Proto,
];
