/** The model as canvas nodes and edges, derived from the analysis (pure, for the canvas and its tests). */
import {
  repr,
  shapeText,
  thousands,
  type Diagnostic,
  type LayerResult,
  type Message,
  type ModelAnalysis,
} from '../../src/core/index.ts';

export const NODE_W = 208;
export const NODE_H = 86;
export const INPUT_ID = 'input';

export interface LayerNodeData {
  [key: string]: unknown;
  i: number;
  module: string;
  category: string;
  section: 'backbone' | 'head';
  argsText: string;
  shapeText: string;
  paramsText: string;
  n: number;
  ok: boolean;
  problems: { severity: Diagnostic['severity']; message: Message; code: string }[];
}

export interface InputNodeData {
  [key: string]: unknown;
  label: string;
  shapeText: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The edge comes from an implicit -1 (the row above / the image). */
  implicit: boolean;
  /** Which input of the target it is (its place in the target's `from`). */
  position: number;
}

export const nodeId = (i: number) => `L${i}`;
export const layerOfNode = (id: string) => (id.startsWith('L') ? Number(id.slice(1)) : null);

/** Resolved arguments in short: `64, 64, 1` (long values and lists of lists abbreviated; at most 28 characters). */
export function shortArgs(l: LayerResult): string {
  if (!l.args) return '?';
  const parts = l.args.map((a) => {
    const s = repr(a);
    return s.length > 16 ? `${s.slice(0, 13)}…` : s;
  });
  const text = parts.join(', ');
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

export function layerNodeData(l: LayerResult, diagnostics: readonly Diagnostic[]): LayerNodeData {
  return {
    i: l.i,
    module: l.module || '?',
    category: l.def?.category ?? 'unknown',
    section: l.row.section,
    argsText: shortArgs(l),
    shapeText: shapeText(l.shape),
    paramsText: thousands(l.params),
    n: l.n,
    ok: l.ok,
    problems: diagnostics
      .filter((d) => d.layer === l.i && d.severity !== 'info')
      .map((d) => ({ severity: d.severity, message: d.message, code: d.code })),
  };
}

/**
 * A layer's worst problem, as its node shows it (LayerNode's `has-error` / `has-warning`) and the minimap marks it:
 * 'error' when any problem is an error, else 'warning' when it has any, else null.
 */
export const worstProblem = (d: Pick<LayerNodeData, 'problems'>): 'error' | 'warning' | null =>
  d.problems.some((p) => p.severity === 'error') ? 'error' : d.problems.length ? 'warning' : null;

export function modelEdges(a: ModelAnalysis): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const l of a.layers) {
    const written = l.from === null ? [] : Array.isArray(l.from) ? l.from : [l.from];
    l.inputs.forEach((src, k) => {
      const implicit = written[k] === -1;
      const source = src < 0 ? INPUT_ID : nodeId(src);
      if (src >= a.layers.length) return;
      edges.push({ id: `e${source}-${l.i}-${k}`, source, target: nodeId(l.i), implicit, position: k });
    });
  }
  return edges;
}

/** Padding of a section frame around its nodes. */
export const SECTION_PAD = 24;

export interface SectionFrame {
  section: 'backbone' | 'head';
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The frames drawn behind the backbone's and the head's nodes at the given positions (nodes of the given sizes). */
export function sectionFrames(
  layers: readonly LayerResult[],
  positions: Record<number, { x: number; y: number }>,
  sizeOf: (i: number) => { width: number; height: number } = () => ({ width: NODE_W, height: NODE_H }),
): SectionFrame[] {
  const out: SectionFrame[] = [];
  const placed = layers.filter((l) => positions[l.i]);
  for (const section of ['backbone', 'head'] as const) {
    const members = placed.filter((l) => l.row.section === section);
    if (!members.length) continue;
    const x = Math.min(...members.map((l) => positions[l.i].x)) - SECTION_PAD;
    const y = Math.min(...members.map((l) => positions[l.i].y)) - SECTION_PAD - 18;
    out.push({
      section,
      x,
      y,
      width: Math.max(...members.map((l) => positions[l.i].x + sizeOf(l.i).width)) + SECTION_PAD - x,
      height: Math.max(...members.map((l) => positions[l.i].y + sizeOf(l.i).height)) + SECTION_PAD - y,
    });
  }
  return out;
}
