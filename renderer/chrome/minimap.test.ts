import { describe, expect, it } from 'vitest';
import {
  MINIMAP_H,
  MINIMAP_W,
  BESIDE_CONTROLS,
  bounds,
  centredOn,
  cornerRect,
  dotsPath,
  draggedBy,
  fills,
  freeCorner,
  mapPoint,
  mapView,
  marks,
  minimapPlane,
  obstacles,
  rectsPath,
  viewRect,
  wheelZoom,
  type MapNode,
  type MarkedNode,
} from './minimap.ts';

describe('minimap: never over a node', () => {
  it('takes the first free corner, and none when every corner has a node', () => {
    const W = 800;
    const H = 600;
    expect(freeCorner([], W, H)).toBe('bottom-right');
    const br = cornerRect('bottom-right', W, H);
    expect(br).toEqual({ x: W - 15 - MINIMAP_W, y: H - 15 - MINIMAP_H, w: MINIMAP_W, h: MINIMAP_H });
    const nodeAt = (r: { x: number; y: number }) => ({ x: r.x + 10, y: r.y + 10, w: 50, h: 30 });
    expect(freeCorner([nodeAt(br)], W, H)).toBe('top-right');
    const tr = cornerRect('top-right', W, H);
    const tl = cornerRect('top-left', W, H);
    expect(freeCorner([nodeAt(br), nodeAt(tr)], W, H)).toBe('top-left');
    // bottom left, beside the zoom buttons (15 px in, 26 px wide)
    const bl = cornerRect('bottom-left', W, H);
    expect(bl).toEqual({ x: 15 + BESIDE_CONTROLS, y: H - 15 - MINIMAP_H, w: MINIMAP_W, h: MINIMAP_H });
    expect(bl.x).toBeGreaterThan(15 + 26);
    expect(freeCorner([nodeAt(br), nodeAt(tr), nodeAt(tl)], W, H)).toBe('bottom-left');
    expect(freeCorner([nodeAt(br), nodeAt(tr), nodeAt(tl), nodeAt(bl)], W, H)).toBeNull();
    // touching edges is not overlapping
    expect(freeCorner([{ x: br.x - 50, y: br.y, w: 50, h: 20 }], W, H)).toBe('bottom-right');
  });

  it("counts the scale columns' titles and the sections' labels, not the sections' frames", () => {
    const layer: MapNode = { type: 'layer', x: 0, y: 100, w: 150, h: 58 };
    const frame: MapNode = { type: 'section', x: -24, y: 58, w: 900, h: 700, label: 'BACKBONE' };
    const title: MapNode = { type: 'column', x: 400, y: 14, w: 230, h: 24 };
    const hidden: MapNode = { type: 'layer', x: 0, y: 0, w: 10, h: 10, hidden: true };
    const o = obstacles([layer, frame, title, hidden]);
    expect(o).toHaveLength(3);
    expect(o[0]).toEqual({ x: 0, y: 100, w: 150, h: 58 });
    // the label's room at the frame's top-left, as wide as 8 letters at the largest label font, no more
    expect(o[1]).toEqual({ x: -24, y: 58, w: 12 + 8 * 0.8 * 38, h: 42 });
    expect(o[1].w).toBeLessThan(frame.w);
    // a title at its 15 px font: its box
    expect(o[2]).toEqual({ x: 400, y: 14, w: 230, h: 24 });
    // zoomed out, a title's measured box is taller and drawn grown upwards, its foot 24 px below its top
    const grown = obstacles([{ ...title, h: 60 }])[0];
    expect(grown).toEqual({ x: 400, y: 14 - 36, w: 230, h: 36 + 60 });
  });

  it('leaves a corner where only a column title is (yolov5x6 at 1024x768: P3 and P4 were under the minimap)', () => {
    // as yolov5x6 opens in the 554 x 576 pane of a 1024x768 window: its top-left at 12 px names, the image at the
    // top left, the scale columns' titles across the top, layers down to the bottom right
    const t = [-100, 40, 1] as const;
    const W = 554;
    const H = 576;
    const nodes: MapNode[] = [{ type: 'image', x: 120, y: 40, w: 70, h: 20 }];
    for (let c = 0; c < 6; c++) nodes.push({ type: 'column', x: 210 + c * 125, y: -20, w: 100, h: 24 });
    for (let r = 0; r < 16; r++) nodes.push({ type: 'layer', x: 500 + (r % 3) * 120, y: 70 + r * 31, w: 100, h: 20 });
    nodes.push({ type: 'section', x: 195, y: 20, w: 700, h: 560, label: 'HEAD' });
    const layersOnly = freeCorner(obstacles(nodes.filter((n) => n.type !== 'column')), W, H, t);
    expect(layersOnly).toBe('top-right');
    // the titles count: top right and top left are taken, bottom right by layers; beside the zoom buttons is free
    expect(freeCorner(obstacles(nodes), W, H, t)).toBe('bottom-left');
    // the same scene zoomed: the corners taken into the flow agree with the things taken onto the screen
    const z = [-40, 16, 0.4] as const;
    const shown = obstacles(nodes).map((r) => ({
      x: r.x * z[2] + z[0],
      y: r.y * z[2] + z[1],
      w: r.w * z[2],
      h: r.h * z[2],
    }));
    // (zoomed out to 0.4 the graph fills only the pane's top left: bottom right is free)
    expect(freeCorner(obstacles(nodes), W, H, z)).toBe('bottom-right');
    expect(freeCorner(shown, W, H)).toBe('bottom-right');
    expect(freeCorner(obstacles(nodes), W, H, [-40, -60, 0.4])).toBe(
      freeCorner(
        shown.map((r) => ({ ...r, y: r.y - 76 })),
        W,
        H,
      ),
    );
  });
});

describe('minimap: drawing', () => {
  const nodes: MapNode[] = [
    { type: 'layer', x: 0, y: 0, w: 150, h: 58 },
    { type: 'layer', x: 1000, y: 400, w: 150, h: 58 },
  ];

  it('fits the nodes and the view whole, centred, with 5 px to spare, one scale across and down', () => {
    const b = bounds(nodes)!;
    expect(b).toEqual({ x: 0, y: 0, w: 1150, h: 458 });
    const view = viewRect([100, 50, 0.5], 800, 600); // the flow from (-200, -100), 1600 x 1200
    expect(view).toEqual({ x: -200, y: -100, w: 1600, h: 1200 });
    const m = mapView(b, view);
    expect(m.w / m.h).toBeCloseTo(MINIMAP_W / MINIMAP_H, 9);
    expect(m.scale).toBeCloseTo(m.w / MINIMAP_W, 9);
    // the union (the view holds both nodes) is 1600 x 1200: its height decides, 78 px
    expect(m.scale).toBeCloseTo(1200 / (MINIMAP_H - 10), 9);
    const px = (x: number) => (x - m.x) / m.scale;
    const py = (y: number) => (y - m.y) / m.scale;
    expect(py(-100)).toBeCloseTo(5, 9);
    expect(py(1100)).toBeCloseTo(MINIMAP_H - 5, 9);
    // centred across: as much room left of the view as right of it
    expect(px(-200)).toBeCloseTo(MINIMAP_W - px(1400), 9);
    expect(px(-200)).toBeGreaterThanOrEqual(5);
    // the view inside the nodes: the nodes decide
    const inside = mapView(b, { x: 100, y: 100, w: 100, h: 50 });
    expect(inside.scale).toBeCloseTo(Math.max(1150 / (MINIMAP_W - 10), 458 / (MINIMAP_H - 10)), 9);
    // no nodes: the view alone
    expect(mapView(null, view)).toEqual(m);
  });

  it('draws each colour as one path of rectangles, transparent nodes not at all', () => {
    const f = fills([
      { ...nodes[0], color: '#f00' },
      { type: 'section', x: -24, y: -42, w: 1200, h: 520, color: 'transparent' },
      { ...nodes[1], color: '#0f0' },
      { type: 'layer', x: 0, y: 100, w: 150, h: 58, color: '#f00' },
      { type: 'layer', x: 0, y: 200, w: 150, h: 58, color: '#f00', hidden: true },
    ]);
    expect([...f.keys()]).toEqual(['#f00', '#0f0']);
    expect(rectsPath(f.get('#f00')!)).toBe('M0 0h150v58h-150zM0 100h150v58h-150z');
    expect(rectsPath([{ x: 1.234, y: -0.06, w: 10, h: 0 }])).toBe('');
    expect(rectsPath([{ x: 1.234, y: -0.06, w: 10.01, h: 2 }])).toBe('M1.2 -0.1h10v2h-10z');
  });

  it('marks the selected nodes and the nodes with errors, each as a path of their rectangles', () => {
    const layers: MarkedNode[] = [
      { type: 'layer', x: 0, y: 0, w: 150, h: 58 },
      { type: 'layer', x: 0, y: 100, w: 150, h: 58, selected: true },
      { type: 'layer', x: 200, y: 100, w: 151, h: 57, error: true },
      { type: 'layer', x: 400, y: 300, w: 100, h: 40, selected: true, error: true },
      { type: 'layer', x: 900, y: 900, w: 100, h: 40, selected: true, error: true, hidden: true },
    ];
    const m = marks(layers);
    expect(m.selected).toBe('M0 100h150v58h-150zM400 300h100v40h-100z');
    expect(m.errors).toBe('M200 100h151v57h-151zM400 300h100v40h-100z');
    // a dot at each erroneous node's centre, however small the node is drawn
    expect(m.errorDots).toBe('M275.5 128.5h0M450 320h0');
    expect(m.errorCount).toBe(2);
    // nothing selected, nothing wrong: no marks
    expect(marks(nodes)).toEqual({ selected: '', errors: '', errorDots: '', errorCount: 0 });
    expect(dotsPath([{ x: 1.26, y: -0.04 }])).toBe('M1.3 0h0');
  });

  it('shows the view box asked for by moving the drawn plane, and frames the view in the plane', () => {
    const nodes = { x: 0, y: 0, w: 3000, h: 2000 };
    const view0 = { x: 100, y: 100, w: 800, h: 600 };
    const ref = mapView(nodes, view0);
    // the view inside the nodes: the plane as drawn, the frame at the view's place in it
    const same = minimapPlane(ref, ref, view0);
    expect(same.plane).toBe('none');
    expect(same.w).toBeCloseTo(800 / ref.scale, 9);
    expect(same.h).toBeCloseTo(600 / ref.scale, 9);
    expect(same.frame).toBe(`translate(${(100 - ref.x) / ref.scale}px, ${(100 - ref.y) / ref.scale}px)`);
    // panned far beyond the nodes: the box grows; a flow point lands where the grown box would draw it
    const view = { x: 4000, y: -1500, w: 800, h: 600 };
    const m = mapView(nodes, view);
    expect(m.scale).toBeGreaterThan(ref.scale);
    const p = minimapPlane(ref, m, view);
    const [tx, ty, k] = p.plane.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    for (const pt of [
      { x: 0, y: 0 },
      { x: 3000, y: 2000 },
      { x: 4400, y: -1200 },
    ]) {
      const inPlane = { x: (pt.x - ref.x) / ref.scale, y: (pt.y - ref.y) / ref.scale };
      expect(tx + k * inPlane.x).toBeCloseTo((pt.x - m.x) / m.scale, 6);
      expect(ty + k * inPlane.y).toBeCloseTo((pt.y - m.y) / m.scale, 6);
    }
  });
});

describe('minimap: the viewport it asks for', () => {
  const W = 800;
  const H = 600;
  const b = { x: 0, y: 0, w: 3000, h: 2000 };

  it('a click centres the pane on the flow point under the pointer, at the same zoom', () => {
    const t = [-500, -300, 0.5] as const;
    const m = mapView(b, viewRect(t, W, H));
    // the pixel where flow point (2400, 1500) is drawn
    const at = { px: (2400 - m.x) / m.scale, py: (1500 - m.y) / m.scale };
    const p = mapPoint(m, at.px, at.py);
    expect(p.x).toBeCloseTo(2400, 9);
    expect(p.y).toBeCloseTo(1500, 9);
    const v = centredOn(p, 0.5, W, H);
    expect(v.zoom).toBe(0.5);
    // the pane's centre shows that point now
    const after = viewRect([v.x, v.y, v.zoom], W, H);
    expect(after.x + after.w / 2).toBeCloseTo(2400, 9);
    expect(after.y + after.h / 2).toBeCloseTo(1500, 9);
  });

  it("a drag moves the view's box on the minimap with the pointer", () => {
    const t = [-500, -300, 0.5] as const;
    const m = mapView(b, viewRect(t, W, H));
    const v = draggedBy(t, 12, -7, m.scale);
    expect(v.zoom).toBe(0.5);
    const before = viewRect(t, W, H);
    const after = viewRect([v.x, v.y, v.zoom], W, H);
    // the view stays inside the nodes' bounds, so the minimap's box and scale do not change: its box moved 12, -7 px
    expect(mapView(b, after)).toEqual(m);
    expect((after.x - before.x) / m.scale).toBeCloseTo(12, 9);
    expect((after.y - before.y) / m.scale).toBeCloseTo(-7, 9);
  });

  it("the wheel zooms as React Flow's minimap did: down out, up in, lines faster than pixels", () => {
    expect(wheelZoom(1, 100, 0)).toBeCloseTo(Math.pow(2, -0.2), 12);
    expect(wheelZoom(1, -100, 0)).toBeCloseTo(Math.pow(2, 0.2), 12);
    expect(wheelZoom(0.5, 3, 1)).toBeCloseTo(0.5 * Math.pow(2, -0.15), 12);
  });
});
