/**
 * Automatic layered layout with elkjs, off the main thread (ELK's own web worker) where workers exist.
 * A model is laid out as two columns side by side: the backbone and the head, each a layered
 * top-to-bottom graph of its own rows (edges between the sections are drawn but do not shape the layout).
 */
import type { ElkNode, ELK as ElkApi } from 'elkjs/lib/elk-api.js';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** Column the node belongs to; columns are placed left to right in order of first appearance. */
  group: string;
}
export interface LayoutEdge {
  source: string;
  target: string;
}
export type Positions = Record<string, { x: number; y: number }>;

const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // the canvas draws its own edges; the cheapest routing will do
  'elk.edgeRouting': 'POLYLINE',
};

export const GROUP_GAP = 140;

let elkPromise: Promise<ElkApi> | null = null;

async function createElk(): Promise<ElkApi> {
  if (typeof Worker !== 'undefined' && typeof window !== 'undefined' && !(globalThis as any).__vitest_worker__) {
    const [{ default: ELK }, { default: workerUrl }] = await Promise.all([
      import('elkjs/lib/elk-api.js'),
      import('elkjs/lib/elk-worker.min.js?url'),
    ]);
    return new ELK({ workerUrl });
  }
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  return new ELK();
}

export function getElk(): Promise<ElkApi> {
  elkPromise ??= createElk();
  return elkPromise;
}

/** Lay out each group with ELK and place the groups side by side. */
export async function layoutGroups(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  direction: 'DOWN' | 'RIGHT' = 'DOWN',
): Promise<Positions> {
  const elk = await getElk();
  const groups: string[] = [];
  for (const n of nodes) if (!groups.includes(n.group)) groups.push(n.group);
  const out: Positions = {};
  let x0 = 0;
  for (const g of groups) {
    const members = nodes.filter((n) => n.group === g);
    const ids = new Set(members.map((n) => n.id));
    const graph: ElkNode = {
      id: `root-${g}`,
      layoutOptions: { ...OPTIONS, 'elk.direction': direction },
      children: members.map((n) => ({ id: n.id, width: n.width, height: n.height })),
      edges: edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e, k) => ({ id: `e${k}`, sources: [e.source], targets: [e.target] })),
    };
    const res = await elk.layout(graph);
    let maxX = 0;
    for (const c of res.children ?? []) {
      out[c.id] = { x: x0 + (c.x ?? 0), y: c.y ?? 0 };
      maxX = Math.max(maxX, (c.x ?? 0) + (c.width ?? 0));
    }
    x0 += maxX + GROUP_GAP;
  }
  return out;
}
