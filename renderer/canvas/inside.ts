/**
 * The inside of one layer as a small dataflow graph: buildLayer's primitive operations (conv2d, batchNorm,
 * act, concat, add, slice, ...) as nodes, values as edges, each labelled with its shape.
 */
import { buildAnalyzedLayer, shapeText, type ModelAnalysis, type Op, type Shape } from '../../src/core/index.ts';

export interface InsideNode {
  id: string;
  kind: string;
  title: string;
  detail: string;
  shape: string;
}
export interface InsideEdge {
  id: string;
  source: string;
  target: string;
  label: string;
}
export interface InsideGraph {
  nodes: InsideNode[];
  edges: InsideEdge[];
  error?: string;
}

const pairText = (p: [number, number]) => (p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);

function opInputs(o: Op): number[] {
  switch (o.kind) {
    case 'concat':
    case 'add':
    case 'mul':
    case 'detect':
      return o.xs;
    case 'attention':
      return [o.q, o.k, o.v];
    default:
      return [o.x];
  }
}

function describe(o: Op): { title: string; detail: string } {
  const name = 'name' in o ? o.name : '';
  switch (o.kind) {
    case 'conv2d':
      return {
        title: `Conv ${name.replace(/\.conv$/, '')}`,
        detail: `${o.cin}→${o.cout}, k${pairText(o.k)} s${pairText(o.s)}${o.groups > 1 ? ` g${o.groups}` : ''}`,
      };
    case 'convTranspose2d':
      return { title: `ConvTranspose2d ${name}`, detail: `${o.cin}→${o.cout}, k${pairText(o.k)} s${pairText(o.s)}` };
    case 'batchNorm':
      return { title: `BatchNorm2d ${name}`, detail: `${o.c}` };
    case 'act':
      return { title: o.act.type, detail: name };
    case 'slice':
      return { title: 'split', detail: `channels ${o.start}:${o.end}` };
    case 'maxPool':
      return { title: `MaxPool2d ${name}`, detail: `k${pairText(o.k)} s${pairText(o.s)}` };
    case 'upsample':
      return { title: 'Upsample', detail: `×${pairText(o.scale)} ${o.mode}` };
    case 'linear':
      return { title: `Linear ${name}`, detail: `${o.cin}→${o.cout}` };
    case 'attention':
      return { title: 'MultiheadAttention', detail: `${o.embed}, ${o.heads} heads` };
    case 'detect':
      return { title: 'decode', detail: `${o.na} anchors × ${o.no}` };
    case 'zeroPad':
      return { title: 'ZeroPad2d', detail: o.pad.join(', ') };
    case 'contract':
    case 'expand':
      return { title: o.kind, detail: `gain ${o.gain}` };
    default:
      return { title: o.kind, detail: '' };
  }
}

/** Build layer `i` in graph mode and turn its operations into nodes and edges. */
export function insideGraph(a: ModelAnalysis, i: number): InsideGraph {
  const l = a.layers[i];
  if (!l?.def || !l.args) return { nodes: [], edges: [], error: 'this layer cannot be built' };
  // the layer as the analysis resolved it (args, repeats, module libraries), with every value's shape
  const built = buildAnalyzedLayer(a, i);
  if (!built) return { nodes: [], edges: [], error: 'this layer cannot be built' };
  const shapes: Map<number, Shape> = built.shapes;
  const producer = new Map<number, string>();
  const nodes: InsideNode[] = [];
  const edges: InsideEdge[] = [];
  const byId = new Map<string, InsideNode>();
  // how many operations read each value: a conv's batch norm and activation fold into its node
  const readers = new Map<number, number>();
  for (const o of built.ops) for (const x of opInputs(o)) readers.set(x, (readers.get(x) ?? 0) + 1);
  if (built.out) readers.set(built.out.id, (readers.get(built.out.id) ?? 0) + 1);
  built.inputValues.forEach((v, k) => {
    const id = `in${k}`;
    producer.set(v.id, id);
    const n = {
      id,
      kind: 'input',
      title: `input ${l.inputs[k] < 0 ? 'image' : `← layer ${l.inputs[k]}`}`,
      detail: '',
      shape: shapeText(v.shape),
    };
    nodes.push(n);
    byId.set(id, n);
  });
  built.ops.forEach((o, k) => {
    if ((o.kind === 'batchNorm' || o.kind === 'act') && readers.get(o.x) === 1) {
      const host = byId.get(producer.get(o.x) ?? '');
      if (host && (host.kind === 'conv2d' || host.kind === 'convTranspose2d' || host.kind === 'linear')) {
        host.detail += o.kind === 'batchNorm' ? ' · BN' : ` · ${o.act.type}`;
        host.shape = shapeText(shapes.get(o.y) ?? null);
        producer.set(o.y, host.id);
        return;
      }
    }
    const id = `op${k}`;
    const { title, detail } = describe(o);
    const n = { id, kind: o.kind, title, detail, shape: shapeText(shapes.get(o.y) ?? null) };
    nodes.push(n);
    byId.set(id, n);
    opInputs(o).forEach((x, j) => {
      const src = producer.get(x);
      if (src) edges.push({ id: `e${k}-${j}`, source: src, target: id, label: shapeText(shapes.get(x) ?? null) });
    });
    producer.set(o.y, id);
  });
  const outSrc = producer.get(built.out.id);
  nodes.push({ id: 'out', kind: 'output', title: 'output', detail: '', shape: shapeText(l.shape) });
  if (outSrc) edges.push({ id: 'e-out', source: outSrc, target: 'out', label: '' });
  return { nodes, edges, ...(built.error ? { error: built.error.message } : {}) };
}
