/**
 * Every module an Ultralytics (8.3.253) model YAML can name, in one list: the modules whose inside is the same as
 * YOLOv5's (under Ultralytics' class paths), the blocks described as data (blocks.ts), and the hand-written heads.
 */
import type { ModuleDef } from '../graph.ts';
import { Registry } from '../registry.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';
import { Conv, DWConv, Focus, GhostConv } from '../modules/conv.ts';
import { C3Ghost, C3TR, GhostBottleneck } from '../modules/csp.ts';
import { TransformerBlock, TransformerLayer } from '../modules/transformer.ts';
import { SPP, SPPF } from '../modules/pool.ts';
import { DWConvTranspose2d } from '../modules/resample.ts';
import { Concat } from '../modules/concat.ts';
import { at } from '../modules/define.ts';
import { Bottle2neck, C3_Res2Block } from '../modules/res2net.ts';
import { ultralyticsBlocks } from './blocks.ts';
import { Detect, OBB, Pose, Segment, WorldDetect, YOLOEDetect, YOLOESegment, v10Detect } from './heads.ts';
import { RTDETRDecoder } from './rtdetr.ts';
import { AIFI, C2fAttn, CBFuse, CBLinear, ImagePoolingAttn, Index, TorchVision } from './special.ts';

const M = 'ultralytics.nn.modules';

/** The same inside as YOLOv5's module of that name, at Ultralytics' path (torch.nn's modules at theirs). */
const same = (def: ModuleDef, path: string, extra: Partial<ModuleDef> = {}): ModuleDef => ({
  ...def,
  torchPath: path,
  description: def.description.replace(/YOLOv5/g, 'YOLO'),
  ...(def.descriptions
    ? { descriptions: { ...def.descriptions, zh: def.descriptions.zh?.replace(/YOLOv5/g, 'YOLO') } }
    : {}),
  ...extra,
});

export const Identity: ModuleDef = {
  name: 'nn.Identity',
  torchPath: 'torch.nn.modules.linear.Identity',
  category: 'norm',
  description: 'Passes its input through (a placeholder row, as in YOLOv9-e).',
  descriptions: { zh: '原样传出输入（占位行，如 YOLOv9-e 中）。' },
  parse: 'passthrough',
  args: [],
  build(s, _a, [x]) {
    return x;
  },
};

/** Built before the descriptions, which use them. */
const BASE: readonly ModuleDef[] = [
  same(Conv, `${M}.conv.Conv`),
  same(DWConv, `${M}.conv.DWConv`),
  same(GhostConv, `${M}.conv.GhostConv`),
  same(Focus, `${M}.conv.Focus`),
  same(Concat, `${M}.conv.Concat`),
  same(DWConvTranspose2d, `${M}.conv.DWConvTranspose2d`),
  same(SPP, `${M}.block.SPP`),
  same(SPPF, `${M}.block.SPPF`),
  same(GhostBottleneck, `${M}.block.GhostBottleneck`),
  same(C3Ghost, `${M}.block.C3Ghost`),
  same(C3TR, `${M}.block.C3TR`),
  same(TransformerLayer, `${M}.transformer.TransformerLayer`),
  same(TransformerBlock, `${M}.transformer.TransformerBlock`),
  ...BUILTIN_MODULES.filter((d) => d.name.startsWith('nn.')),
  Identity,
  // the seed's Res2Net blocks (not shipped by Ultralytics: Export for Ultralytics generates them)
  at('ultralytics.nn.modules.architect', Bottle2neck, { generated: true }),
  at('ultralytics.nn.modules.architect', C3_Res2Block, { generated: true }),
];

const HEADS: readonly ModuleDef[] = [
  Detect,
  Segment,
  Pose,
  OBB,
  v10Detect,
  WorldDetect,
  YOLOEDetect,
  YOLOESegment,
  RTDETRDecoder,
  AIFI,
  CBLinear,
  CBFuse,
  Index,
  TorchVision,
  C2fAttn,
  ImagePoolingAttn,
];

let modules: readonly ModuleDef[] | undefined;
/** Every Ultralytics module, built once. */
export function ultralyticsModules(): readonly ModuleDef[] {
  if (!modules) {
    const base = new Registry([...BASE, ...HEADS]);
    const blocks = ultralyticsBlocks((n) => !!base.get(n));
    if (blocks.diagnostics.length)
      throw new Error(`the Ultralytics block descriptions do not read: ${blocks.diagnostics[0].message}`);
    modules = [...BASE, ...blocks.defs, ...HEADS];
  }
  return modules;
}

let registry: Registry | undefined;
export function ultralyticsRegistry(): Registry {
  registry ??= new Registry(ultralyticsModules());
  return registry;
}
