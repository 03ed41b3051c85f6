/**
 * The canvas's minimap: small, shown or hidden with `M`, and never over a node: it sits in the first
 * corner of the canvas that no node covers (bottom right, top right, top left) and, when every corner has
 * a node in it, steps aside (a faint outline the pointer passes through) until there is room again.
 */
import {
  MiniMap,
  useStore,
  type MiniMapProps,
  type Node,
  type PanelPosition,
  type ReactFlowState,
} from '@xyflow/react';
import { useView } from './view-store.ts';

export const MINIMAP_W = 132;
export const MINIMAP_H = 88;
/** React Flow's panels sit 15 px from the edges. */
const MARGIN = 15;
const CORNERS: PanelPosition[] = ['bottom-right', 'top-right', 'top-left'];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The minimap's box in a corner of a `width` x `height` canvas. */
export function cornerRect(corner: PanelPosition, width: number, height: number): Rect {
  const right = corner.endsWith('right');
  const bottom = corner.startsWith('bottom');
  return {
    x: right ? width - MARGIN - MINIMAP_W : MARGIN,
    y: bottom ? height - MARGIN - MINIMAP_H : MARGIN,
    w: MINIMAP_W,
    h: MINIMAP_H,
  };
}

/** The first corner whose box no node covers, or null when every corner has a node in it. */
export function freeCorner(nodes: Rect[], width: number, height: number): PanelPosition | null {
  for (const c of CORNERS) {
    const box = cornerRect(c, width, height);
    if (!nodes.some((n) => overlaps(n, box))) return c;
  }
  return null;
}

/** The nodes' boxes on screen (section frames are backgrounds: a minimap over them hides no node). */
function screenRects(s: ReactFlowState): Rect[] {
  const [tx, ty, zoom] = s.transform;
  const out: Rect[] = [];
  for (const n of s.nodeLookup.values()) {
    if (n.type === 'section' || n.type === 'column' || n.hidden) continue;
    const p = n.internals.positionAbsolute;
    const w = n.measured?.width ?? n.width ?? 0;
    const h = n.measured?.height ?? n.height ?? 0;
    out.push({ x: p.x * zoom + tx, y: p.y * zoom + ty, w: w * zoom, h: h * zoom });
  }
  return out;
}

const cornerOf = (s: ReactFlowState) => freeCorner(screenRects(s), s.width, s.height) ?? 'none';

export function CanvasMinimap(props: Pick<MiniMapProps<Node>, 'nodeColor' | 'ariaLabel'>) {
  const on = useView((s) => s.minimap);
  const corner = useStore(cornerOf);
  if (!on) return null;
  const away = corner === 'none';
  return (
    <MiniMap
      {...props}
      className={`canvas-minimap${away ? ' stepped-aside' : ''}`}
      position={away ? 'bottom-right' : corner}
      style={{ width: MINIMAP_W, height: MINIMAP_H }}
      pannable={!away}
      zoomable={!away}
      nodeStrokeWidth={0}
    />
  );
}
