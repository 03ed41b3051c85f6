/** A custom module's inside as canvas nodes and edges (pure, for the module editor and its tests). */
import { parse } from 'yaml';
import { MessageError, msg, nodeInputs, type ModuleSpec, type ModuleNode, type Py } from '../../src/core/index.ts';

export interface ModuleGraphNode {
  id: string;
  /** Index in spec.body, or null for a module input. */
  index: number | null;
  title: string;
  detail: string;
  /** The module's output. */
  out: boolean;
}

export interface ModuleGraphEdge {
  id: string;
  source: string;
  target: string;
  /** Index of the target node in spec.body. */
  targetIndex: number;
  /** The input is implicit: the previous node's output. */
  implicit: boolean;
  /** The value read (split outputs: id.0). */
  value: string;
}

export const INPUT_PREFIX = 'in:';
export const bodyNodeId = (i: number) => `n${i}`;

/** One argument as written in a library: 3, c2 // 2, None, True, [None, 1], 'nearest'. */
function argText(a: Py): string {
  if (a === null) return 'None';
  if (a === true) return 'True';
  if (a === false) return 'False';
  if (Array.isArray(a)) return `[${a.map(argText).join(', ')}]`;
  if (typeof a === 'number') return String(a);
  if (typeof a === 'string') return /[,[\]{}#:]/.test(a) || a.trim() !== a || a === '' ? JSON.stringify(a) : a;
  return String(a);
}

/** A node's arguments as the user types them: `c1, c2, 1, 1`, `[None, 1]`. */
export function argsText(args: Py[] | undefined): string {
  return (args ?? []).map(argText).join(', ');
}

/** Typed arguments back to values, read as the library file reads them (YAML 1.2 flow, Python's None/True/False). */
export function parseArgsText(text: string): Py[] {
  if (!text.trim()) return [];
  const v = parse(`[${text}]`, { version: '1.2' }) as unknown;
  if (!Array.isArray(v)) throw new MessageError(msg('module.args-not-a-list'));
  return v as Py[];
}

/** Typed inputs: `a, x` -> ['a', 'x']; empty: the previous node's output. */
export function parseInputsText(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function nodeTitle(n: ModuleNode): string {
  if (n.use) return `${n.use} (again)`;
  if (n.body)
    return n.for
      ? `for ${Object.entries(n.for)
          .map(([k, v]) => `${k} in ${v}`)
          .join(', ')}`
      : `when ${n.when ?? ''}`;
  return n.op ?? '?';
}

export function moduleGraph(spec: ModuleSpec): { nodes: ModuleGraphNode[]; edges: ModuleGraphEdge[] } {
  const inputs = spec.inputs ?? ['x'];
  const outValue = spec.out ?? spec.body[spec.body.length - 1]?.id;
  const nodes: ModuleGraphNode[] = inputs.map((x) => ({
    id: `${INPUT_PREFIX}${x}`,
    index: null,
    title: x,
    detail: 'input',
    out: false,
  }));
  const byValue = new Map<string, string>(inputs.map((x) => [x, `${INPUT_PREFIX}${x}`]));
  const edges: ModuleGraphEdge[] = [];
  spec.body.forEach((n, i) => {
    const id = bodyNodeId(i);
    const extras = [n.repeat !== undefined ? `×${n.repeat}` : '', n.when && !n.body ? `if ${n.when}` : '']
      .filter(Boolean)
      .join(' ');
    nodes.push({
      id,
      index: i,
      title: `${n.id ?? '?'} = ${nodeTitle(n)}`,
      detail: [argsText(n.args), extras].filter(Boolean).join('  '),
      out: !!n.id && n.id === outValue,
    });
    const ins = nodeInputs(n);
    const reads = ins.length ? ins : i === 0 ? [inputs[0]] : [spec.body[i - 1].id ?? ''];
    reads.forEach((value, k) => {
      const src = byValue.get(value.split('.')[0]);
      if (src)
        edges.push({ id: `e${k}-${src}-${id}`, source: src, target: id, targetIndex: i, implicit: !ins.length, value });
    });
    if (n.id) byValue.set(n.id, id);
  });
  return { nodes, edges };
}

/** The primitives and modules offered by "Add a node", each with the arguments it starts with. */
export const PRIMITIVES: { op: string; args: Py[]; hint: string }[] = [
  { op: 'Conv', args: ['c2', 'c2', 3, 1], hint: 'conv + BN + SiLU' },
  { op: 'nn.Conv2d', args: ['c2', 'c2', 1], hint: 'plain convolution' },
  { op: 'nn.BatchNorm2d', args: ['c2'], hint: 'batch norm' },
  { op: 'nn.SiLU', args: [], hint: 'activation' },
  { op: 'nn.ReLU', args: [], hint: 'activation' },
  { op: 'nn.Sigmoid', args: [], hint: 'gate in 0..1' },
  { op: 'nn.AdaptiveAvgPool2d', args: [1], hint: 'global average pooling' },
  { op: 'nn.AdaptiveMaxPool2d', args: [1], hint: 'global max pooling' },
  { op: 'nn.MaxPool2d', args: [3, 1, 1], hint: 'max pooling' },
  { op: 'add', args: [], hint: 'residual add' },
  { op: 'mul', args: [], hint: 'multiply (gating)' },
  { op: 'cat', args: [], hint: 'concatenate channels' },
  { op: 'chunk', args: [2], hint: 'split channels in equal parts (read them as id.0, id.1)' },
  { op: 'mean_c', args: [], hint: 'mean over channels' },
  { op: 'max_c', args: [], hint: 'max over channels' },
  { op: 'Bottleneck', args: ['c2', 'c2'], hint: 'YOLOv5 bottleneck' },
];
