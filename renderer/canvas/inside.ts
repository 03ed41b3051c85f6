/**
 * The inside of one layer as a small dataflow graph, nested as PyTorch nests it: buildLayer's primitive
 * operations (conv2d, batchNorm, act, concat, add, split, ...) as nodes, values as edges labelled with
 * their shapes, and each block of the module tree (every Bottleneck / Bottle2neck of a C3_Res2Block, a
 * repeated layer's copies, a custom module's sub-modules) as a group with its own parameters, which the
 * view can collapse into one node.
 *
 * One file on purpose: describing each Op, grouping nodes by module path and collapsing groups all work on the
 * same InsideGraph, one view's model.
 */
import {
  buildAnalyzedLayer,
  opInputs,
  msg,
  shapeText,
  type Message,
  type ModelAnalysis,
  type ModNode,
  type Op,
  type Shape,
} from '../../src/core/index.ts';

export interface InsideNode {
  id: string;
  kind: string;
  title: string;
  detail: string;
  shape: string;
  /** The group the node sits in (a group id), null at the layer's own level. */
  group: string | null;
}
export interface InsideEdge {
  id: string;
  source: string;
  target: string;
  label: string;
}
export interface InsideGroup {
  /** `g:` and the module's path in the layer (its state_dict prefix): `g:m.0`. */
  id: string;
  path: string;
  /** PyTorch class name: Bottle2neck, Bottleneck, ... */
  type: string;
  parent: string | null;
  /** Parameters of the module (its own tensors and its children's). */
  params: number;
}
export interface InsideGraph {
  nodes: InsideNode[];
  edges: InsideEdge[];
  groups: InsideGroup[];
  error?: Message;
}

const pairText = (p: [number, number]) => (p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);

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
      return { title: 'split', detail: `${o.axis ? `axis ${o.axis}` : 'channels'} ${o.start}:${o.end}` };
    case 'concat':
      return { title: 'concat', detail: o.axis ? `axis ${o.axis}` : '' };
    case 'reshape':
      return { title: 'view', detail: o.shape.join('×') };
    case 'permute':
      return { title: 'permute', detail: `(${o.dims.join(', ')})` };
    case 'softmax':
      return { title: 'softmax', detail: `axis ${o.axis}` };
    case 'matmul':
      return { title: 'matmul', detail: `${o.transA ? 'Aᵀ' : 'A'} @ ${o.transB ? 'Bᵀ' : 'B'}` };
    case 'scale':
      return {
        title: 'scale',
        detail: `× ${+o.factor.toPrecision(4)}${o.offset ? ` + ${+o.offset.toPrecision(4)}` : ''}`,
      };
    case 'avgPool':
      return { title: 'avg_pool2d', detail: `k${pairText(o.k)} s${pairText(o.s)}` };
    case 'adaptivePool':
      return { title: `adaptive ${o.op} pool`, detail: pairText(o.size) };
    case 'resize':
      return { title: 'interpolate', detail: `to ${o.size.join('×')} nearest` };
    case 'layerNorm':
      return { title: `LayerNorm ${name}`, detail: `${o.c}` };
    case 'param':
      return { title: `parameter ${name}`, detail: o.shape.join('×') };
    case 'posEmbed':
      return { title: 'sin-cos position embedding', detail: `${o.c}×${o.h}×${o.w}` };
    case 'normalize':
      return { title: 'L2 normalize', detail: `axis ${o.axis}` };
    case 'contrastive':
      return { title: `contrastive ${name}`, detail: 'map · text prompts' };
    case 'anchorDecode':
      return {
        title: o.angle !== undefined ? 'rotated boxes' : 'boxes',
        detail: `around ${o.levels.map(([h, w]) => `${h}×${w}`).join(', ')} cells, × stride`,
      };
    case 'keypointDecode':
      return { title: 'keypoints', detail: `${o.ndim} values each, × stride` };
    case 'topk':
      return { title: 'top-k', detail: `best ${o.k} of ${o.nc} classes` };
    case 'rtdetrDecoder':
      return { title: 'RT-DETR decoder', detail: `${o.nq} queries, ${o.ndl} layers` };
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

/** Containers that hold blocks without being one (their items are the groups). */
const CONTAINERS = new Set(['Sequential', 'ModuleList']);

const paramsOf = (m: ModNode): number =>
  m.tensors.reduce((s, t) => s + (t.kind === 'param' ? t.shape.reduce((a, b) => a * b, 1) : 0), 0) +
  m.children.reduce((s, c) => s + paramsOf(c), 0);

/** Every module below the layer by its path (`m.0.conv1`). */
function modulesByPath(root: ModNode | undefined): Map<string, ModNode> {
  const out = new Map<string, ModNode>();
  const walk = (m: ModNode, path: string) => {
    for (const c of m.children) {
      const p = path ? `${path}.${c.name}` : c.name;
      out.set(p, c);
      walk(c, p);
    }
  };
  if (root) walk(root, '');
  return out;
}

/** `a.b.c` -> ['a', 'a.b', 'a.b.c'] */
const prefixes = (path: string) => path.split('.').map((_, k, all) => all.slice(0, k + 1).join('.'));

/** Build layer `i` in graph mode and turn its operations into nodes, edges and nested groups. */
export function insideGraph(a: ModelAnalysis, i: number): InsideGraph {
  const l = a.layers[i];
  const none = { nodes: [], edges: [], groups: [], error: msg('inside.cannot-build') };
  if (!l?.def || !l.args) return none;
  // the layer as the analysis resolved it (args, repeats, module libraries), with every value's shape
  const built = buildAnalyzedLayer(a, i);
  if (!built) return none;
  const shapes: Map<number, Shape> = built.shapes;
  const producer = new Map<number, string>();
  const nodes: InsideNode[] = [];
  const edges: InsideEdge[] = [];
  const byId = new Map<string, InsideNode>();
  /** The module path each node stands for (named operations), for the groups. */
  const pathOf = new Map<string, string>();
  /** The module an unnamed node's operation was made in ('m.0' for a Bottleneck's add; '' the layer's own). */
  const scopeOf = new Map<string, string>();
  const scope = (o: Op) => built.opScope.get(o)?.replace(/\.$/, '');
  // how many operations read each value: a conv's batch norm and activation fold into its node
  const readers = new Map<number, number>();
  for (const o of built.ops) for (const x of opInputs(o)) readers.set(x, (readers.get(x) ?? 0) + 1);
  if (built.out) readers.set(built.out.id, (readers.get(built.out.id) ?? 0) + 1);
  const add = (n: InsideNode) => {
    nodes.push(n);
    byId.set(n.id, n);
  };
  built.inputValues.forEach((v, k) => {
    const id = `in${k}`;
    producer.set(v.id, id);
    const from = l.inputs[k] < 0 ? 'image' : `← layer ${l.inputs[k]}`;
    add({ id, kind: 'input', title: `input ${from}`, detail: '', shape: shapeText(v.shape), group: null });
  });
  /** The split node of the slices reading a value, and the channel range each of its edges carries. */
  const splitOf = new Map<number, InsideNode>();
  const sliceRange = new Map<number, string>();
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
    // the slices of one value are one split with several outputs (Res2Net's torch.split)
    if (o.kind === 'slice') {
      let split = splitOf.get(o.x);
      if (!split) {
        split = { id: `op${k}`, kind: 'split', title: 'split', detail: '', shape: '', group: null };
        splitOf.set(o.x, split);
        if (scope(o) !== undefined) scopeOf.set(split.id, scope(o)!);
        add(split);
        const src = producer.get(o.x);
        if (src)
          edges.push({ id: `e${k}-0`, source: src, target: split.id, label: shapeText(shapes.get(o.x) ?? null) });
      }
      const parts = built.ops.filter((p) => p.kind === 'slice' && p.x === o.x) as Extract<Op, { kind: 'slice' }>[];
      const widths = parts.map((p) => p.end - p.start);
      split.detail = widths.every((w) => w === widths[0])
        ? `${parts.length} × ${widths[0]} channels`
        : `channels ${widths.join(' + ')}`;
      split.shape = shapeText(shapes.get(o.x) ?? null);
      producer.set(o.y, split.id);
      sliceRange.set(o.y, `[${o.start}:${o.end}]`);
      return;
    }
    const id = `op${k}`;
    const { title, detail } = describe(o);
    add({ id, kind: o.kind, title, detail, shape: shapeText(shapes.get(o.y) ?? null), group: null });
    if ('name' in o && o.name) pathOf.set(id, o.name);
    else if (scope(o) !== undefined) scopeOf.set(id, scope(o)!);
    opInputs(o).forEach((x, j) => {
      const src = producer.get(x);
      const range = sliceRange.get(x);
      const label = shapeText(shapes.get(x) ?? null) + (range ? ` ${range}` : '');
      if (src) edges.push({ id: `e${k}-${j}`, source: src, target: id, label });
    });
    producer.set(o.y, id);
  });
  const outSrc = producer.get(built.out.id);
  add({ id: 'out', kind: 'output', title: 'output', detail: '', shape: shapeText(l.shape), group: null });
  if (outSrc) edges.push({ id: 'e-out', source: outSrc, target: 'out', label: '' });

  const groups = groupNodes(nodes, edges, pathOf, scopeOf, modulesByPath(built.root));
  return { nodes, edges, groups, ...(built.error ? { error: built.error.msg } : {}) };
}

/**
 * The blocks to draw as groups, and each node's group. A block is a module of the tree (not a Sequential or
 * ModuleList) holding two or more named nodes; a node named by an operation sits in the innermost block of
 * its path; an unnamed one (split, add, concat) in the innermost block of the module it was made in (C2f's split
 * feeds a Bottleneck but is C2f's own; the Bottleneck's shortcut add reads that split but is the Bottleneck's), or,
 * when that is not known, in the deeper of its inputs' and its named readers' blocks.
 */
function groupNodes(
  nodes: InsideNode[],
  edges: InsideEdge[],
  pathOf: Map<string, string>,
  scopeOf: Map<string, string>,
  modules: Map<string, ModNode>,
): InsideGroup[] {
  const count = new Map<string, number>();
  for (const path of pathOf.values())
    for (const p of prefixes(path).slice(0, -1)) count.set(p, (count.get(p) ?? 0) + 1);
  const blocks = new Set(
    [...count].filter(([p, n]) => n >= 2 && modules.has(p) && !CONTAINERS.has(modules.get(p)!.type)).map(([p]) => p),
  );
  const innermost = (path: string) => {
    const own = prefixes(path)
      .slice(0, -1)
      .filter((p) => blocks.has(p));
    return own.length ? own[own.length - 1] : null;
  };
  /** The innermost block containing all of them (null: the layer). */
  const common = (gs: (string | null)[]) => {
    if (!gs.length || gs.some((g) => g === null)) return null;
    let best: string | null = null;
    for (const p of prefixes(gs[0]!)) if (blocks.has(p) && gs.every((g) => g === p || g!.startsWith(`${p}.`))) best = p;
    return best;
  };
  const deeper = (a: string | null, b: string | null) => {
    if (a === null) return b;
    if (b === null) return a;
    if (b.startsWith(`${a}.`)) return b;
    if (a.startsWith(`${b}.`)) return a;
    return common([a, b]);
  };
  const group = new Map<string, string | null>();
  for (const n of nodes) if (pathOf.has(n.id)) group.set(n.id, innermost(pathOf.get(n.id)!));
  const ins = new Map<string, string[]>();
  const outs = new Map<string, string[]>();
  for (const e of edges) {
    ins.set(e.target, [...(ins.get(e.target) ?? []), e.source]);
    outs.set(e.source, [...(outs.get(e.source) ?? []), e.target]);
  }
  for (const n of nodes) {
    if (group.has(n.id) || n.kind === 'input' || n.kind === 'output') continue;
    const from = (ins.get(n.id) ?? []).filter((s) => group.has(s)).map((s) => group.get(s)!);
    // made inside a module: that module's innermost block (C2f's split is the layer's, its Bottleneck's add the block's)
    const made = scopeOf.get(n.id);
    if (made !== undefined) {
      group.set(
        n.id,
        made
          ? (prefixes(made)
              .filter((p) => blocks.has(p))
              .pop() ?? null)
          : null,
      );
      continue;
    }
    const to = (outs.get(n.id) ?? []).filter((t) => pathOf.has(t)).map((t) => group.get(t)!);
    group.set(n.id, deeper(from.length ? common(from) : null, to.length ? common(to) : null));
  }
  for (const n of nodes) {
    const g = group.get(n.id) ?? null;
    n.group = g === null ? null : `g:${g}`;
    // inside a block, a name is read from the block's box: `Conv convs.1` under `Bottle2neck m.0`
    if (g !== null && pathOf.has(n.id)) n.title = n.title.replace(`${g}.`, '');
  }
  const used = new Set(nodes.map((n) => n.group));
  // a block shows when something sits in it or in a block inside it
  const shown = [...blocks].filter((b) => [...used].some((g) => g === `g:${b}` || g?.startsWith(`g:${b}.`)));
  return shown
    .sort((a, b) => a.split('.').length - b.split('.').length || a.localeCompare(b, 'en', { numeric: true }))
    .map((p) => {
      const parents = prefixes(p)
        .slice(0, -1)
        .filter((q) => shown.includes(q));
      return {
        id: `g:${p}`,
        path: p,
        type: modules.get(p)!.type,
        parent: parents.length ? `g:${parents[parents.length - 1]}` : null,
        params: paramsOf(modules.get(p)!),
      };
    });
}

/** A group's ancestors and itself, outermost first. */
export function groupChain(groups: InsideGroup[], id: string | null): InsideGroup[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const out: InsideGroup[] = [];
  for (let g = id ? byId.get(id) : undefined; g; g = g.parent ? byId.get(g.parent) : undefined) out.unshift(g);
  return out;
}

/**
 * The graph as shown with some groups collapsed: each collapsed group is one node (its class, path,
 * parameters and output shape), the nodes inside it gone, edges to and from them joined to it.
 */
export function collapse(g: InsideGraph, collapsed: ReadonlySet<string>): InsideGraph {
  if (!collapsed.size) return g;
  /** The outermost collapsed group a node or group is inside, if any. */
  const hidden = (group: string | null) => groupChain(g.groups, group).find((x) => collapsed.has(x.id))?.id ?? null;
  const into = new Map<string, string>();
  for (const n of g.nodes) {
    const h = hidden(n.group);
    if (h) into.set(n.id, h);
  }
  const keptGroups = g.groups.filter((x) => hidden(x.id) === null);
  const nodes: InsideNode[] = [];
  const placed = new Set<string>();
  for (const n of g.nodes) {
    const h = into.get(n.id);
    if (!h) {
      nodes.push(n);
      continue;
    }
    if (placed.has(h)) continue;
    placed.add(h);
    const grp = g.groups.find((x) => x.id === h)!;
    const leaving = g.edges.find((e) => into.get(e.source) === h && into.get(e.target) !== h);
    nodes.push({
      id: h,
      kind: 'group',
      title: `${grp.type} ${grp.path}`,
      detail: `${grp.params.toLocaleString('en-US')} params`,
      shape: leaving?.label.replace(/ \[\d+:\d+\]$/, '') ?? '',
      group: grp.parent,
    });
  }
  const seen = new Set<string>();
  const edges: InsideEdge[] = [];
  for (const e of g.edges) {
    const source = into.get(e.source) ?? e.source;
    const target = into.get(e.target) ?? e.target;
    if (source === target) continue;
    const key = `${source}>${target}>${e.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ ...e, source, target });
  }
  return { ...g, nodes, edges, groups: keptGroups };
}

/** Collapsed at first: a block repeating the class of an earlier sibling (m.1, m.2 after m.0 is shown open). */
export function defaultCollapsed(g: InsideGraph): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const x of g.groups) {
    const key = `${x.parent}|${x.type}`;
    if (seen.has(key)) out.add(x.id);
    seen.add(key);
  }
  return out;
}
