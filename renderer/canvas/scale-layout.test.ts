import { describe, expect, it } from 'vitest';
import { analyze, parseModelText } from '../../src/core/index.ts';
import { TEMPLATES, templateById } from '../templates.ts';
import { layoutByScale, placeNewLayers, scaleLayers } from './arrange.ts';
import { INPUT_ID, modelEdges, nodeId } from './model-graph.ts';
import { routeEdges, type Rect } from './routing.ts';

const analysisOf = (id: string, text?: string) => {
  const t = templateById(id)!;
  return analyze(parseModelText(text ?? t.text, t.file), { imgsz: t.imgsz });
};

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Node boxes of a layout, the image included. */
function boxes(id: string) {
  const a = analysisOf(id);
  const layers = scaleLayers(a);
  const l = layoutByScale(a);
  const rects = new Map<string, Rect>();
  for (const x of layers) rects.set(nodeId(x.i), { ...l.positions[x.i], width: x.width, height: x.height });
  rects.set(INPUT_ID, { ...l.input, width: 150, height: 36 });
  return { a, l, rects };
}

describe('layout by scale', () => {
  it('puts every yolov5s layer in the column of its stride: the P3, P4, P5 outputs 17, 20, 23, Detect last', () => {
    const { l } = boxes('yolov5s');
    expect([0, 1, 3, 5, 7, 9].map((i) => l.columnOf[i])).toEqual([1, 2, 3, 4, 5, 5]);
    expect([17, 20, 23, 24].map((i) => l.columnOf[i])).toEqual([3, 4, 5, 6]);
    expect(l.columns.map((c) => c.label)).toEqual(['', 'P1/2', 'P2/4', 'P3/8', 'P4/16', 'P5/32', '']);
    const x = (i: number) => l.positions[i].x;
    expect(x(17)).toBeLessThan(x(20));
    expect(x(20)).toBeLessThan(x(23));
    expect(x(23)).toBeLessThan(x(24));
  });

  it('draws the neck as a ladder: FPN steps back to P3, PAN forward to P5, lateral inputs from the backbone above', () => {
    const { l } = boxes('yolov5s');
    const y = (i: number) => l.positions[i].y;
    // the head starts below the whole backbone
    expect(Math.min(...[...Array(15).keys()].map((k) => y(k + 10)))).toBeGreaterThan(
      Math.max(...[...Array(10).keys()].map((k) => y(k))),
    );
    // top-down: 10 (P5) -> 11 (P4) -> 15 (P3) level steps; bottom-up: 17 (P3) -> 18 (P4) -> 21 (P5)
    expect(y(11)).toBe(y(10));
    expect(y(15)).toBe(y(14));
    expect(y(18)).toBe(y(17));
    expect(y(21)).toBe(y(20));
    // a Concat sits below both its inputs in its column
    expect(y(12)).toBeGreaterThan(y(11));
    expect(y(12)).toBeGreaterThan(y(6));
  });

  it('no two nodes overlap in any shipped config (P6 models get a P6/64 column)', () => {
    for (const t of TEMPLATES) {
      const { rects, l } = boxes(t.id);
      const list = [...rects.entries()];
      for (let p = 0; p < list.length; p++)
        for (let q = p + 1; q < list.length; q++)
          expect(overlap(list[p][1], list[q][1]), `${t.id}: ${list[p][0]} and ${list[q][0]}`).toBe(false);
      if (t.id.endsWith('6')) expect(l.columns.map((c) => c.label)).toContain('P6/64');
    }
  });

  it('routes every edge of every shipped config around the nodes (orthogonal, no node crossed)', () => {
    for (const t of TEMPLATES) {
      const { a, rects } = boxes(t.id);
      const routes = routeEdges(rects, modelEdges(a));
      expect(routes.size, t.id).toBe(modelEdges(a).length);
      for (const e of modelEdges(a)) {
        const r = routes.get(e.id)!;
        for (let k = 0; k + 1 < r.points.length; k++) {
          const [p, q] = [r.points[k], r.points[k + 1]];
          expect(p.x === q.x || p.y === q.y, `${t.id} ${e.id} is orthogonal`).toBe(true);
          const seg = {
            x: Math.min(p.x, q.x) + 1,
            y: Math.min(p.y, q.y) + 1,
            width: Math.max(Math.abs(p.x - q.x) - 2, 0.01),
            height: Math.max(Math.abs(p.y - q.y) - 2, 0.01),
          };
          for (const [id, box] of rects) {
            if (id === e.source || id === e.target) continue;
            expect(overlap(seg, box), `${t.id}: ${e.id} crosses ${id}`).toBe(false);
          }
        }
      }
    }
  });

  it('after an edit places only the new layer, in its column at its row, without overlapping any node', () => {
    const a = analysisOf('yolov5s');
    const before = layoutByScale(a).positions;
    const text = templateById('yolov5s')!.text.replace(
      '    [-1, 1, Conv, [256, 1, 1]], # 14\n',
      '    [-1, 1, Conv, [256, 1, 1]], # 14\n    [-1, 1, Conv, [256, 3, 1]],\n',
    );
    const b = analysisOf('yolov5s', text);
    const moved: Record<number, { x: number; y: number }> = {};
    for (const [k, p] of Object.entries(before)) moved[Number(k) > 14 ? Number(k) + 1 : Number(k)] = p;
    const added = placeNewLayers(b, moved, 'scale')!;
    expect(Object.keys(added)).toEqual(['15']);
    // P4 like the layer it reads, below it
    expect(layoutByScale(b).columnOf[15]).toBe(4);
    expect(added[15].y).toBeGreaterThan(moved[14].y);
    const layers = scaleLayers(b);
    const box = (i: number, p = moved[i] ?? added[i]) => ({ ...p, width: layers[i].width, height: layers[i].height });
    for (let i = 0; i < layers.length; i++) if (i !== 15) expect(overlap(box(15), box(i)), `15 and ${i}`).toBe(false);
  });
});
