import { describe, expect, it } from 'vitest';
import { analyze, formatMessage, parseModelText } from '../../src/core/index.ts';
import { templateById } from '../templates.ts';
import { INPUT_ID, NODE_H, NODE_W, layerNodeData, modelEdges, nodeId, shortArgs } from './model-graph.ts';
import { layoutGroups } from './layout.ts';

const analysisOf = (id: string) => {
  const t = templateById(id)!;
  return analyze(parseModelText(t.text, t.file), { imgsz: t.imgsz });
};

describe('model graph', () => {
  const a = analysisOf('yolov5s');

  it('draws an edge per input, the implicit -1 included, the image feeding layer 0', () => {
    const edges = modelEdges(a);
    expect(edges.find((e) => e.target === nodeId(0))).toMatchObject({ source: INPUT_ID, implicit: true });
    expect(edges.filter((e) => e.target === nodeId(12)).map((e) => [e.source, e.implicit])).toEqual([
      ['L11', true],
      ['L6', false],
    ]);
    expect(edges.filter((e) => e.target === nodeId(24)).map((e) => e.source)).toEqual(['L17', 'L20', 'L23']);
    // one edge per input of every layer
    expect(edges).toHaveLength(a.layers.reduce((n, l) => n + l.inputs.length, 0));
  });

  it('shows index, module, arguments in short, shape and parameters', () => {
    const d = layerNodeData(a.layers[2], a.diagnostics);
    expect(d).toMatchObject({
      i: 2,
      module: 'C3',
      category: 'csp',
      section: 'backbone',
      shapeText: '64 x 160 x 160',
      paramsText: '18,816',
      argsText: '64, 64, 1',
    });
    expect(shortArgs(a.layers[24]).length).toBeLessThanOrEqual(34);
    expect(layerNodeData(a.layers[24], a.diagnostics).shapeText).toBe('25200 x 85');
  });

  it('puts a layer’s problems on its node', () => {
    const bad = analyze(
      parseModelText(templateById('yolov5s')!.text.replace('[-1, 3, C3, [128]]', '[-1, 3, C3x9, [128]]'), 'bad.yaml'),
    );
    const d = layerNodeData(bad.layers[2], bad.diagnostics);
    expect(d.problems[0].severity).toBe('error');
    expect(formatMessage(d.problems[0].message)).toMatch(/C3x9/);
  });
});

describe('canvas placement', () => {
  it('lays out backbone and head as two columns with ELK', async () => {
    const nodes = a5().layers.map((l) => ({ id: nodeId(l.i), width: NODE_W, height: NODE_H, group: l.row.section }));
    const pos = await layoutGroups(
      nodes,
      modelEdges(a5()).filter((e) => e.source !== INPUT_ID),
    );
    expect(Object.keys(pos)).toHaveLength(25);
    const maxBackboneX = Math.max(...[...Array(10).keys()].map((i) => pos[nodeId(i)].x));
    const minHeadX = Math.min(...[...Array(15).keys()].map((i) => pos[nodeId(i + 10)].x));
    expect(minHeadX).toBeGreaterThan(maxBackboneX + NODE_W);
    // a chain flows downwards
    expect(pos[nodeId(1)].y).toBeGreaterThan(pos[nodeId(0)].y);
  });
});

const a5 = () => analysisOf('yolov5s');
