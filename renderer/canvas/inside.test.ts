import { describe, expect, it } from 'vitest';
import { analyze, parseModelText } from '../../src/core/index.ts';
import { templateById } from '../templates.ts';
import { collapse, defaultCollapsed, insideGraph, type InsideGraph } from './inside.ts';
import { layoutInside, OP_H, TITLE_LINE, titleLines, type Box } from './inside-layout.ts';

const analysisOf = (id: string) => {
  const t = templateById(id)!;
  return analyze(parseModelText(t.text, t.file), { imgsz: t.imgsz });
};
const res2net = analysisOf('yolov5s-res2net');

/** The chain of nodes from `from`, following the edges whose target passes `keep`. */
const byTitle = (g: InsideGraph, title: string) => g.nodes.find((n) => n.title === title)!;
const into = (g: InsideGraph, id: string) => g.edges.filter((e) => e.target === id);
const outOf = (g: InsideGraph, id: string) => g.edges.filter((e) => e.source === id);

describe('look inside: nested blocks', () => {
  it("C2f's and C2PSA's split is the layer's own (read by the first block and the layer's concat), the shortcut add the block's", () => {
    for (const [id, i, blocks] of [
      ['yolov8n', 2, ['g:m.0']],
      ['yolo11n', 2, ['g:m.0']],
      ['yolo11n', 10, ['g:m.0', 'g:m.0.attn']],
    ] as const) {
      const g = insideGraph(analysisOf(id), i);
      expect(g.groups.map((x) => x.id)).toEqual(blocks);
      const splits = g.nodes.filter((n) => n.kind === 'split');
      // the layer's chunk in two halves sits outside every block
      expect(splits[0].group).toBe(null);
      expect(outOf(g, splits[0].id).map((e) => e.label.replace(/^.* /, ''))).toContain(
        id === 'yolov8n' || i === 2 ? '[16:32]' : '[128:256]',
      );
      // the Bottleneck's (PSABlock's) shortcut add reads the split but belongs to the block
      expect(g.nodes.filter((n) => n.kind === 'add').every((n) => n.group?.startsWith('g:m.0'))).toBe(true);
    }
  });

  it("a C3_Res2Block's Bottle2neck is a block with its own parameters and the split -> conv -> add chain", () => {
    const g = insideGraph(res2net, 2);
    expect(g.error).toBeUndefined();
    expect(g.groups).toEqual([
      { id: 'g:m.0', path: 'm.0', type: 'Bottle2neck', parent: null, params: expect.any(Number) },
    ]);
    const layer = res2net.layers[2];
    // the layer's parameters: its own convolutions and the block's
    const own = ['Conv cv1', 'Conv cv2', 'Conv cv3'].map((t) => byTitle(g, t));
    expect(own.every((n) => n.group === null)).toBe(true);
    expect(g.groups[0].params).toBeLessThan(layer.params);
    // the four slices of torch.split are one split node with four outputs, each labelled with its channels
    const split = g.nodes.filter((n) => n.kind === 'split');
    expect(split).toHaveLength(1);
    expect(split[0]).toMatchObject({ detail: '4 × 13 channels', shape: '52 x 160 x 160', group: 'g:m.0' });
    expect(outOf(g, split[0].id).map((e) => e.label)).toEqual([
      '13 x 160 x 160 [0:13]',
      '13 x 160 x 160 [13:26]',
      '13 x 160 x 160 [26:39]',
      '13 x 160 x 160 [39:52]',
    ]);
    // split -> convs.0 -> add -> convs.1 -> add -> convs.2, all inside the block
    const chain = ['Conv convs.0', 'Conv convs.1', 'Conv convs.2'].map((t) => byTitle(g, t));
    expect(into(g, chain[0].id).map((e) => e.source)).toEqual([split[0].id]);
    for (const k of [1, 2]) {
      const [add] = into(g, chain[k].id).map((e) => g.nodes.find((n) => n.id === e.source)!);
      expect(add.kind).toBe('add');
      expect(add.group).toBe('g:m.0');
      expect(
        into(g, add.id)
          .map((e) => e.source)
          .sort(),
      ).toEqual([chain[k - 1].id, split[0].id].sort());
    }
    // the shortcut add reads the layer's cv1 but belongs to the block
    const shortcut = into(g, byTitle(g, 'SiLU').id).map((e) => g.nodes.find((n) => n.id === e.source)!)[0];
    expect(shortcut).toMatchObject({ kind: 'add', group: 'g:m.0' });
    expect(into(g, shortcut.id).map((e) => e.source)).toContain(own[0].id);
    // batch norm and activation fold into their convolution; input and output at the layer's level
    expect(g.nodes.some((n) => n.kind === 'batchNorm')).toBe(false);
    expect(byTitle(g, 'Conv cv1').detail).toMatch(/BN · SiLU/);
    expect(g.nodes[0]).toMatchObject({ kind: 'input', shape: '64 x 160 x 160', group: null });
    expect(g.nodes[g.nodes.length - 1]).toMatchObject({ kind: 'output', shape: '64 x 160 x 160', group: null });
  });

  it("three Bottle2necks: the blocks' and the layer's own parameters add up; the repeats start collapsed", () => {
    const g = insideGraph(res2net, 6);
    expect(g.groups.map((x) => `${x.type} ${x.path}`)).toEqual([
      'Bottle2neck m.0',
      'Bottle2neck m.1',
      'Bottle2neck m.2',
    ]);
    const blocks = g.groups.reduce((s, x) => s + x.params, 0);
    const convs = (c: number, k: number, cout: number) => c * cout * k * k + 2 * cout;
    // cv1, cv2: 256 -> 128 (1x1); cv3: 256 -> 256 (1x1); each with batch norm
    expect(blocks + 2 * convs(256, 1, 128) + convs(256, 1, 256)).toBe(res2net.layers[6].params);
    const closed = defaultCollapsed(g);
    expect([...closed]).toEqual(['g:m.1', 'g:m.2']);
    const c = collapse(g, closed);
    expect(c.groups.map((x) => x.id)).toEqual(['g:m.0']);
    for (const id of ['g:m.1', 'g:m.2']) {
      const n = c.nodes.find((x) => x.id === id)!;
      expect(n).toMatchObject({ kind: 'group', title: `Bottle2neck ${id.slice(2)}`, shape: '128 x 40 x 40' });
      expect(n.detail).toBe(`${g.groups[1].params.toLocaleString('en-US')} params`);
      // a collapsed block has the wires of the block: one in, and out to the next block and the shortcut
      expect(into(c, id).length).toBeGreaterThanOrEqual(1);
      expect(outOf(c, id).length).toBeGreaterThanOrEqual(1);
    }
    expect(c.nodes.some((n) => n.group === 'g:m.1' || n.group === 'g:m.2')).toBe(false);
    expect(c.edges.every((e) => c.nodes.some((n) => n.id === e.source) && c.nodes.some((n) => n.id === e.target))).toBe(
      true,
    );
  });

  it("a C3's Bottlenecks are blocks too; a plain Conv has none", () => {
    const a = analysisOf('yolov5s');
    expect(insideGraph(a, 2).groups.map((x) => `${x.type} ${x.path}`)).toEqual(['Bottleneck m.0']);
    expect(insideGraph(a, 0).groups).toEqual([]);
  });
});

describe('look inside: layout', () => {
  const abs = (boxes: Record<string, Box>, g: InsideGraph, id: string): Box => {
    const b = boxes[id];
    const parent = g.nodes.find((n) => n.id === id)?.group ?? g.groups.find((x) => x.id === id)?.parent ?? null;
    if (!parent) return b;
    const p = abs(boxes, g, parent);
    return { ...b, x: b.x + p.x, y: b.y + p.y };
  };
  const overlap = (a: Box, b: Box) =>
    Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 &&
    Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

  it('keeps every edge label clear of the others and of every node, blocks inside their parents', async () => {
    const g = insideGraph(res2net, 6);
    const lay = await layoutInside(g);
    const labels = g.edges.filter((e) => e.label).map((e) => lay.edges[e.id].label!);
    expect(labels).toHaveLength(g.edges.filter((e) => e.label).length);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        expect(overlap(labels[i], labels[j]), `labels ${i}, ${j}`).toBe(false);
    for (const n of g.nodes) {
      const box = abs(lay.boxes, g, n.id);
      for (const l of labels) expect(overlap(box, l), `a label over ${n.title}`).toBe(false);
      if (n.group) {
        const p = abs(lay.boxes, g, n.group);
        expect(
          box.x >= p.x && box.y >= p.y && box.x + box.width <= p.x + p.width && box.y + box.height <= p.y + p.height,
        ).toBe(true);
      }
    }
    // an edge ends where its target starts (routes are in the same coordinates as the boxes)
    for (const e of g.edges) {
      const t = abs(lay.boxes, g, e.target);
      const end = lay.edges[e.id].points.at(-1)!;
      expect(Math.abs(end.y - t.y)).toBeLessThan(1);
      expect(end.x).toBeGreaterThanOrEqual(t.x - 0.5);
      expect(end.x).toBeLessThanOrEqual(t.x + t.width + 0.5);
    }
  });

  it("a title too long for one line (Proto's 'ConvTranspose2d upsample') gets a second line and a taller box", async () => {
    const g = insideGraph(analysisOf('yolo11n-seg'), 23);
    const lay = await layoutInside(g);
    const up = byTitle(g, 'ConvTranspose2d upsample');
    expect(titleLines(up.title)).toBe(2);
    expect(lay.boxes[up.id].height).toBe(OP_H + TITLE_LINE);
    const short = byTitle(g, 'Conv cv3');
    expect(titleLines(short.title)).toBe(1);
    expect(lay.boxes[short.id].height).toBe(OP_H);
    // every node's box is as tall as its title needs
    for (const n of g.nodes)
      expect(lay.boxes[n.id].height, n.title).toBe(OP_H + (titleLines(n.title) - 1) * TITLE_LINE);
  });
});
