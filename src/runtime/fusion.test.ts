/** The fusion planner decides which ops run as one step: checked on YOLOv5's own modules. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planFusion } from './fusion.ts';
import { planModel, type PlanLayer } from './model.ts';

const HEADER = `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [10, 13, 16, 30]
backbone:
  [[-1, 1, Conv, [16, 3, 2]],
`;
const layer = (row: string): PlanLayer =>
  planModel(`${HEADER}   ${row},\n  ]\nhead:\n  [[-1, 1, Conv, [8, 1, 1]]]\n`, { imgsz: 32 }).layers[1];
const kinds = (L: PlanLayer, keep: (o: PlanLayer['ops'][number]) => boolean) => L.ops.filter(keep).map((o) => o.kind);

describe('fusion planner', () => {
  it('a Conv (conv2d, batch norm, SiLU) is one step: the batch norm and the activation join the convolution', () => {
    const L = layer('[-1, 1, Conv, [16, 3, 1]]');
    const f = planFusion(L);
    expect(kinds(L, () => true)).toEqual(['conv2d', 'batchNorm', 'act']);
    expect(kinds(L, (o) => !f.absorbed.has(o))).toEqual(['conv2d']);
    const conv = [...f.conv.values()][0];
    expect(conv.bn).toEqual({ name: 'bn', c: 16, offset: 0 });
    expect(conv.act?.type).toBe('SiLU');
    expect(conv.out).toBe(L.outId);
  });

  it("BottleneckCSP's batch norm after the concatenation folds into both branches, offset by the first one's channels", () => {
    const L = layer('[-1, 1, BottleneckCSP, [16]]');
    const f = planFusion(L);
    const folded = [...f.conv.entries()].filter(([, c]) => c.bn?.name === 'bn');
    expect(folded.map(([o, c]) => [(o as { name: string }).name, c.bn!.offset])).toEqual([
      ['cv3', 0],
      ['cv2', 8],
    ]);
    expect(L.ops.some((o) => o.kind === 'batchNorm' && o.name === 'bn' && !f.absorbed.has(o))).toBe(false);
  });

  it("C3's concatenation is read only by cv3, so it is never built: cv3 runs on its two parts", () => {
    const L = layer('[-1, 1, C3, [16]]');
    const f = planFusion(L);
    const cat = L.ops.find((o) => o.kind === 'concat')!;
    expect(f.absorbed.has(cat)).toBe(true);
    expect([...f.virtual.values()]).toEqual([{ ids: (cat as { xs: number[] }).xs, cs: [8, 8] }]);
    expect(planFusion(L, { splitConcat: false }).virtual.size).toBe(0);
  });

  it("a convolution read only by slices of its channels (Res2Net's split) runs as one convolution per slice", () => {
    const L = layer('[-1, 1, Bottle2neck, [16, 16]]');
    const f = planFusion(L);
    const conv1 = L.ops.find((o) => o.kind === 'conv2d' && o.name === 'conv1.conv')!;
    const cuts = L.ops.filter((o) => o.kind === 'slice');
    expect(cuts.length).toBeGreaterThan(1);
    // the slices' ranges and values, absorbed; the convolution's own output is never made
    expect(f.slices.get(conv1)).toEqual(cuts.map((o) => ({ start: o.start, end: o.end, y: o.y })));
    expect(cuts.every((o) => f.absorbed.has(o))).toBe(true);
    expect(planFusion(L, { splitSlices: false }).slices.size).toBe(0);
  });

  it('a concatenation that is the layer output stays built (later layers read it)', () => {
    const text = readFileSync(new URL('../../configs/yolov5n.yaml', import.meta.url), 'utf8');
    const plan = planModel(text, { imgsz: 64 });
    for (const L of plan.layers.filter((l) => l.module === 'Concat')) expect(planFusion(L).virtual.size).toBe(0);
  });
});
