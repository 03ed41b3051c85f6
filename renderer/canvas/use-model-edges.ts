/**
 * The canvas's edges: one per input of every layer, routed orthogonally around the nodes (routing.ts) from
 * the nodes' current places and measured sizes, so a dragged node's edges follow it. Routes are computed
 * again only when a node's box changed; an edge object is kept while its route and look stay the same.
 * ModelEdges.tsx draws them (not React Flow).
 */
import { useMemo, useRef } from 'react';
import type { Edge, Node } from '@xyflow/react';
import { shownAnalysis, useEditor } from '../store/editor.ts';
import { layerOfNode, modelEdges } from './model-graph.ts';
import { routeEdges, type Rect, type Route } from './routing.ts';
import { sizeOfNode } from './use-model-nodes.ts';

export interface RouteEdgeData {
  [key: string]: unknown;
  route: Route;
  /** The layer the edge enters and which of its inputs it is (position in `from`). */
  target: number;
  position: number;
  source: number;
}

export function useModelEdges(nodes: Node[]) {
  const analysis = useEditor(shownAnalysis);
  const selected = useEditor((s) => s.selected);

  // the boxes the routes avoid, and a key that changes only when one of them moved or resized
  const boxes = useMemo(() => {
    const rects = new Map<string, Rect>();
    let key = '';
    for (const n of nodes) {
      if (n.type !== 'layer' && n.type !== 'image') continue;
      const { width, height } = sizeOfNode(n);
      rects.set(n.id, { x: n.position.x, y: n.position.y, width, height });
      key += `${n.id}:${Math.round(n.position.x)},${Math.round(n.position.y)},${Math.round(width)},${Math.round(height)};`;
    }
    return { rects, key };
  }, [nodes]);

  const graph = useMemo(() => modelEdges(analysis), [analysis]);
  const routesRef = useRef<{ key: string; graph: unknown; routes: Map<string, Route> } | null>(null);
  const routes = useMemo(() => {
    const prev = routesRef.current;
    if (prev && prev.key === boxes.key && prev.graph === graph) return prev.routes;
    const t0 = performance.now();
    const r = routeEdges(boxes.rects, graph);
    performance.measure?.('ya:route', { start: t0, end: performance.now() });
    routesRef.current = { key: boxes.key, graph, routes: r };
    return r;
  }, [boxes, graph]);

  const cache = useRef(new Map<string, Edge>());
  const list = useRef<Edge[]>([]);
  return useMemo<Edge[]>(() => {
    const next = new Map<string, Edge>();
    const out: Edge[] = [];
    for (const e of graph) {
      const route = routes.get(e.id);
      if (!route) continue;
      const target = layerOfNode(e.target)!;
      const source = layerOfNode(e.source) ?? -1;
      const hot = selected !== null && (target === selected || source === selected);
      const className = `${e.implicit ? 'implicit' : 'explicit'}${hot ? ' hot' : ''}`;
      const old = cache.current.get(e.id);
      const edge =
        old && (old.data as RouteEdgeData).route.path === route.path && old.className === className
          ? old
          : {
              id: e.id,
              source: e.source,
              target: e.target,
              className,
              reconnectable: true,
              data: { route, target, source, position: e.position } satisfies RouteEdgeData,
            };
      next.set(e.id, edge);
      out.push(edge);
    }
    cache.current = next;
    // an edit that changes no edge keeps the array, so React Flow does not rebuild its edge lookups
    const prev = list.current;
    if (out.length !== prev.length || out.some((e, k) => e !== prev[k])) list.current = out;
    return list.current;
  }, [graph, routes, selected]);
}
