/**
 * Layout of the look-inside view with ELK: nested groups as ELK's compound nodes (hierarchy laid out as
 * one), orthogonal edges, and room kept for every edge's label, so that no label sits on another or on a
 * node. Node positions come back relative to their group (as React Flow's child nodes want them); edge
 * routes and label boxes in the view's own coordinates.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { getElk } from './layout.ts';
import type { InsideGraph } from './inside.ts';

export const OP_W = 188;
export const OP_H = 52;
/** A group's title bar. */
export const GROUP_HEAD = 30;
const LABEL_H = 16;
/** An operation's title line (11.5 px bold type on 14.5 px lines). */
export const TITLE_LINE = 14.5;
/** The title's room: the node less its borders (the coloured left one is 4 px) and padding. */
const TITLE_W = OP_W - 5 - 1 - 16;
/**
 * The lines an operation's title takes: two when it would not fit on one ('ConvTranspose2d upsample'), at a
 * width per character a little over what 11.5 px bold sans measures, so a title that might not fit wraps.
 */
export const titleLines = (title: string) => (title.length * 7.2 > TITLE_W ? 2 : 1);
/** An operation node's height: one line more for a two-line title. */
export const opHeight = (title: string) => OP_H + (titleLines(title) - 1) * TITLE_LINE;
/** Edge labels are 10 px monospace. */
export const labelWidth = (text: string) => Math.ceil(text.length * 6.1) + 10;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface InsideLayout {
  /** The whole drawing's size. */
  width: number;
  height: number;
  /** Nodes and groups, relative to the group they sit in. */
  boxes: Record<string, Box>;
  /** Edge routes (the points of the polyline) and label boxes, in the view's coordinates. */
  edges: Record<string, { points: { x: number; y: number }[]; label?: Box }>;
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '26',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '12',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.json.edgeCoords': 'ROOT',
};
const GROUP_OPTIONS = { 'elk.padding': `[top=${GROUP_HEAD + 10},left=14,bottom=14,right=14]` };

export async function layoutInside(g: InsideGraph): Promise<InsideLayout> {
  const elk = await getElk();
  const make = (parent: string | null): ElkNode[] => [
    ...g.groups
      .filter((x) => x.parent === parent)
      .map((x) => ({ id: x.id, layoutOptions: GROUP_OPTIONS, children: make(x.id) })),
    ...g.nodes.filter((n) => n.group === parent).map((n) => ({ id: n.id, width: OP_W, height: opHeight(n.title) })),
  ];
  const edges: ElkExtendedEdge[] = g.edges.map((e) => ({
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    labels: e.label ? [{ id: `${e.id}-label`, text: e.label, width: labelWidth(e.label), height: LABEL_H }] : [],
  }));
  const graph: ElkNode = { id: 'root', layoutOptions: ROOT_OPTIONS, children: make(null), edges };
  const res: ElkNode = await elk.layout(graph);
  const out: InsideLayout = { width: res.width ?? 0, height: res.height ?? 0, boxes: {}, edges: {} };
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      out.boxes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? OP_W, height: c.height ?? OP_H };
      walk(c);
    }
    for (const e of n.edges ?? []) {
      const s = e.sections?.[0];
      if (!s) continue;
      const l = e.labels?.[0];
      out.edges[e.id] = {
        points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint],
        ...(l ? { label: { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}),
      };
    }
  };
  walk(res);
  return out;
}
