/**
 * Dropping a module from the palette. Onto a layer it replaces the layer's module (from and n kept, the
 * arguments carried over by name); onto an edge it is inserted there; onto empty canvas it is appended to
 * the section under the pointer. While dragging, the target is highlighted and a ghost beside the pointer
 * says what will happen; leaving the canvas or Esc (which ends the drag) cancels.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useReactFlow, type Edge } from '@xyflow/react';
import { editorStore, shownAnalysis } from '../store/editor.ts';
import { appendIndex, appendToSection, insertOnEdgeAt, replaceLayer } from '../edits.ts';
import { MODULE_MIME, draggedModule } from './drag-module.ts';
import { layerOfNode } from './model-graph.ts';
import { distanceToRoute, type Rect } from './routing.ts';
import type { RouteEdgeData } from './use-model-edges.ts';
import { sizeOfNode } from './use-model-nodes.ts';

export type DropTarget =
  | { kind: 'replace'; layer: number; rect: Rect }
  | { kind: 'edge'; edge: string; source: number; target: number; position: number; path: string }
  | { kind: 'append'; section: 'backbone' | 'head'; rect: Rect | null };

export interface Ghost {
  target: DropTarget;
  /** What the drop will do, e.g. "Replace layer 4 C3 with C3_Res2Block". */
  text: string;
  /** Pointer position in the canvas (px from its top-left). */
  x: number;
  y: number;
}

/** What dropping `module` on `t` does, in words. */
export function describeDrop(t: DropTarget, module: string): string {
  const a = shownAnalysis(editorStore.getState());
  switch (t.kind) {
    case 'replace':
      return `Replace layer ${t.layer} ${a.layers[t.layer]?.module ?? ''} with ${module}`;
    case 'edge':
      return `Insert ${module} between ${t.source < 0 ? 'the image' : t.source} and ${t.target}`;
    case 'append':
      return `Append ${module} to the ${t.section} as layer ${appendIndex(a, t.section)}`;
  }
}

/** `edges`: the canvas's edges (drawn by ModelEdges, so not React Flow's getEdges()). */
export function usePaletteDrop(wrapper: React.RefObject<HTMLDivElement | null>, edges: Edge[]) {
  const { screenToFlowPosition, getNodes, getZoom } = useReactFlow();
  // read when a drag moves, so an edit hands React Flow no new drag handlers
  const edgesNow = useRef(edges);
  edgesNow.current = edges;
  const [ghost, setGhost] = useState<Ghost | null>(null);

  /** The target under a point of the flow. */
  const targetAt = useCallback(
    (p: { x: number; y: number }): DropTarget => {
      const nodes = getNodes();
      for (const n of nodes) {
        if (n.type !== 'layer') continue;
        const s = sizeOfNode(n);
        if (
          p.x >= n.position.x &&
          p.x <= n.position.x + s.width &&
          p.y >= n.position.y &&
          p.y <= n.position.y + s.height
        )
          return { kind: 'replace', layer: layerOfNode(n.id)!, rect: { ...n.position, ...s } };
      }
      const tolerance = 10 / getZoom();
      let best: { d: number; e: Edge } | null = null;
      for (const e of edgesNow.current) {
        const d = (e.data as RouteEdgeData | undefined)?.route;
        if (!d) continue;
        const dist = distanceToRoute(p, d.points);
        if (dist <= tolerance && (!best || dist < best.d)) best = { d: dist, e };
      }
      if (best) {
        const d = best.e.data as RouteEdgeData;
        return {
          kind: 'edge',
          edge: best.e.id,
          source: d.source,
          target: d.target,
          position: d.position,
          path: d.route.path,
        };
      }
      // empty canvas: the section whose frame holds the point, else the nearest
      let section: { d: number; s: 'backbone' | 'head'; rect: Rect } | null = null;
      for (const n of nodes) {
        if (n.type !== 'section') continue;
        const r = { ...n.position, width: Number(n.style?.width ?? 0), height: Number(n.style?.height ?? 0) };
        const dx = Math.max(r.x - p.x, 0, p.x - r.x - r.width);
        const dy = Math.max(r.y - p.y, 0, p.y - r.y - r.height);
        const d = Math.hypot(dx, dy);
        const s = (n.data as { section: 'backbone' | 'head' }).section;
        if (!section || d < section.d) section = { d, s, rect: r };
      }
      return { kind: 'append', section: section?.s ?? 'head', rect: section?.rect ?? null };
    },
    [getNodes, getZoom],
  );

  const onDragOver = useCallback(
    (e: React.DragEvent) => {
      if (!e.dataTransfer.types.includes(MODULE_MIME)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      if (editorStore.getState().stale) return;
      const module = draggedModule() ?? 'the module';
      const fp = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const target = targetAt(fp);
      const box = wrapper.current?.getBoundingClientRect();
      const x = e.clientX - (box?.left ?? 0);
      const y = e.clientY - (box?.top ?? 0);
      setGhost((g) => {
        const text = describeDrop(target, module);
        if (g && g.text === text && Math.abs(g.x - x) < 2 && Math.abs(g.y - y) < 2) return g;
        return { target, text, x, y };
      });
    },
    [screenToFlowPosition, targetAt, wrapper],
  );

  const onDragLeave = useCallback(
    (e: React.DragEvent) => {
      // only when the pointer leaves the canvas (not when it moves from one child to another)
      const to = e.relatedTarget as globalThis.Node | null;
      if (!to || !wrapper.current?.contains(to)) setGhost(null);
    },
    [wrapper],
  );

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const module = e.dataTransfer.getData(MODULE_MIME);
      setGhost(null);
      if (!module) return;
      e.preventDefault();
      const t = targetAt(screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      if (t.kind === 'replace') replaceLayer(t.layer, module);
      else if (t.kind === 'edge') insertOnEdgeAt(module, t.source, t.target, t.position);
      else appendToSection(module, t.section);
    },
    [screenToFlowPosition, targetAt],
  );

  // a drag that ends anywhere (dropped elsewhere, or cancelled with Esc) leaves no ghost behind
  useEffect(() => {
    const end = () => setGhost(null);
    window.addEventListener('dragend', end);
    window.addEventListener('drop', end);
    return () => {
      window.removeEventListener('dragend', end);
      window.removeEventListener('drop', end);
    };
  }, []);

  return { ghost, onDragOver, onDragLeave, onDrop };
}
