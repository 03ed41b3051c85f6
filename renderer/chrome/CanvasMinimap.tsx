/**
 * The canvas's minimap: small, shown or hidden with `M`, and never over a layer or a title: it sits in the first
 * corner of the canvas that none covers (bottom right, top right, top left, bottom left beside the zoom buttons) and, when every corner has one in it,
 * steps aside (a faint outline the pointer passes through) until there is room again.
 *
 * Our own, not React Flow's <MiniMap> (a React element and a store subscription per node, all notified on every
 * pan step): the nodes' rectangles are one SVG path per colour, drawn when the node list changes; a pan or zoom
 * only moves them, from the viewport store directly (no React render). Over them
 * and the mask, the selected layers are ringed in the selection colour and the layers with errors drawn in the
 * error colour with a dot a few pixels across however small they are: paths made with the rectangles, from the
 * node list (a selection or an edit changes it), never on a pan step. Its name says how many layers have errors. Dragging on
 * it moves the view's box with the pointer, a click centres the view there, the wheel zooms (minimap.ts).
 *
 * How a pan moves it: the drawings (the fills, the marks) sit on a plane, and the mask is an HTML frame around the
 * view with a wide shadow greying the rest. At rest the drawings' view box is the one asked for; while the canvas
 * pane is dragged it stays as it was, and the plane and the frame are moved by transforms held on the compositor
 * (held-transform.ts): a changed view box or mask path would make Chromium rebuild the page's compositor layers
 * on every pan frame (~4 ms with 300 nodes, traced), where a held transform goes straight to its layer.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Panel,
  useStore,
  useStoreApi,
  type InternalNode,
  type Node,
  type PanelPosition,
  type ReactFlowState,
} from '@xyflow/react';
import { useView, viewDragged } from './view-store.ts';
import { holdTransform, releaseTransform, writeTransform } from './held-transform.ts';
import { msg } from '../../src/core/index.ts';
import { useMessageText } from '../messages.ts';
import {
  MINIMAP_H,
  MINIMAP_W,
  bounds,
  centredOn,
  draggedBy,
  fills,
  freeCorner,
  mapPoint,
  mapView,
  marks,
  minimapPlane,
  obstacles,
  rectsPath,
  viewRect,
  wheelZoom,
  type MapNode,
  type MapView,
  type Rect,
} from './minimap.ts';

/** A node as the minimap reads it: its place and size in flow units (measured once drawn). */
function mapNode(n: InternalNode): MapNode {
  const p = n.internals.positionAbsolute;
  return {
    type: n.type,
    hidden: n.hidden,
    x: p.x,
    y: p.y,
    w: n.measured?.width ?? n.width ?? 0,
    h: n.measured?.height ?? n.height ?? 0,
    label: n.type === 'section' ? String((n.data as { label?: unknown }).label ?? '') : undefined,
  };
}

/**
 * What the minimap must not cover, in flow units, made once per node list (React Flow replaces the list whenever a
 * node moves, is measured or changes) and read on every store change after.
 */
const obstaclesOf = new WeakMap<Node[], Rect[]>();
function flowObstacles(s: ReactFlowState): Rect[] {
  let o = obstaclesOf.get(s.nodes);
  if (!o) {
    o = obstacles([...s.nodeLookup.values()].map(mapNode));
    obstaclesOf.set(s.nodes, o);
  }
  return o;
}

const cornerOf = (s: ReactFlowState) => freeCorner(flowObstacles(s), s.width, s.height, s.transform) ?? 'none';

/** What the canvas tells the minimap of a node: its colour, and whether it has an error (its node shows one). */
interface MinimapProps {
  nodeColor: (n: Node) => string;
  nodeError: (n: Node) => boolean;
}

export function CanvasMinimap(props: MinimapProps) {
  const on = useView((s) => s.minimap);
  const free = useStore(cornerOf);
  // while the pointer drags on it, the minimap stays where it is (it moves, if it must, once let go)
  const [held, setHeld] = useState<string | null>(null);
  if (!on) return null;
  const corner = held ?? free;
  const away = corner === 'none';
  return (
    <Panel
      position={away ? 'bottom-right' : (corner as PanelPosition)}
      className={`react-flow__minimap canvas-minimap${away ? ' stepped-aside' : ''}`}
      style={{ width: MINIMAP_W, height: MINIMAP_H }}
    >
      <MinimapDrawing {...props} onDrag={(dragging) => setHeld(dragging ? corner : null)} />
    </Panel>
  );
}

const nodesOf = (s: ReactFlowState) => s.nodes;

function MinimapDrawing({ nodeColor, nodeError, onDrag }: MinimapProps & { onDrag: (dragging: boolean) => void }) {
  const store = useStoreApi();
  const words = useMessageText();
  const frame = useRef<HTMLDivElement>(null);
  const plane = useRef<HTMLDivElement>(null);
  const fillsSvg = useRef<SVGSVGElement>(null);
  const marksSvg = useRef<SVGSVGElement>(null);
  const mask = useRef<HTMLDivElement>(null);
  /** the view box drawn last: what a pointer on the minimap points at */
  const shown = useRef<MapView | null>(null);

  // the rectangles and the marks: once per node list (a selection replaces it too), one path per colour
  const nodes = useStore(nodesOf);
  const drawn = useMemo(() => {
    void nodes; // the list is the trigger; its places, measured sizes and selection are read from the lookup
    const all = [...store.getState().nodeLookup.values()].map((n) => ({
      ...mapNode(n),
      color: nodeColor(n.internals.userNode),
      selected: !!n.selected,
      error: nodeError(n.internals.userNode),
    }));
    return {
      paths: [...fills(all)].map(([color, rects]) => [color, rectsPath(rects)]),
      marks: marks(all),
      bounds: bounds(all),
    };
  }, [nodes, nodeColor, nodeError, store]);
  const { selected, errors, errorDots, errorCount } = drawn.marks;

  // the view box, the plane and the mask: on every viewport change, written to the elements directly
  useLayoutEffect(() => {
    let last: ReactFlowState['transform'] | undefined;
    let lastSize = '';
    let lastBox = '';
    let lastFrame = '';
    let lastDragging = false;
    /** the view box the drawings are drawn for (kept while the pane is dragged) */
    let ref: MapView | null = null;
    const held = [plane, mask];
    const apply = (s: ReactFlowState, again = false) => {
      const size = `${s.width}x${s.height}`;
      // a drag's end redraws at rest (the exact view box, the plane unmoved)
      const dragging = viewDragged(s);
      if (!again && s.transform === last && size === lastSize && dragging === lastDragging) return;
      lastDragging = dragging;
      const moved = s.transform !== last;
      last = s.transform;
      lastSize = size;
      const view = viewRect(s.transform, s.width, s.height);
      const m = mapView(drawn.bounds, view);
      shown.current = m;
      if (!ref || !dragging) ref = m;
      const box = `${ref.x} ${ref.y} ${ref.w} ${ref.h}`;
      if (box !== lastBox) {
        lastBox = box;
        fillsSvg.current?.setAttribute('viewBox', box);
        marksSvg.current?.setAttribute('viewBox', box);
      }
      // held from the drag's first move (a click on the pane holds nothing) to its end
      for (const el of held)
        if (!el.current) continue;
        else if (!dragging) releaseTransform(el.current);
        else if (moved) holdTransform(el.current);
      const p = minimapPlane(ref, m, view);
      if (plane.current) writeTransform(plane.current, p.plane);
      if (mask.current) {
        const wh = `${p.w}x${p.h}`;
        if (wh !== lastFrame) {
          lastFrame = wh;
          mask.current.style.width = `${p.w}px`;
          mask.current.style.height = `${p.h}px`;
        }
        writeTransform(mask.current, p.frame);
      }
    };
    apply(store.getState(), true);
    const off = store.subscribe((s) => apply(s));
    const offView = useView.subscribe((v, was) => v.navigating !== was.navigating && apply(store.getState()));
    return () => {
      off();
      offView();
      for (const el of held) if (el.current) releaseTransform(el.current);
    };
  }, [store, drawn]);

  // the wheel zooms the canvas (a listener of our own: React's wheel listeners are passive, and the page must not scroll)
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = store.getState();
      void s.panZoom?.scaleTo(wheelZoom(s.transform[2], e.deltaY, e.deltaMode));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [store]);

  // a drag moves the view's box with the pointer; a press that does not move is a click: the view centres there
  const press = useRef<{ id: number; x: number; y: number; travel: number } | null>(null);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    press.current = { id: e.pointerId, x: e.clientX, y: e.clientY, travel: 0 };
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const p = press.current;
    const m = shown.current;
    if (!p || p.id !== e.pointerId || !m) return;
    const dx = e.clientX - p.x;
    const dy = e.clientY - p.y;
    p.x = e.clientX;
    p.y = e.clientY;
    if (!p.travel && (dx || dy)) {
      onDrag(true);
      useView.getState().setNavigating(true);
    }
    p.travel += Math.abs(dx) + Math.abs(dy);
    const s = store.getState();
    void s.panZoom?.setViewport(draggedBy(s.transform, dx, dy, m.scale));
  };
  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    const p = press.current;
    press.current = null;
    if (p?.travel) {
      onDrag(false);
      useView.getState().setNavigating(false);
    }
    const m = shown.current;
    if (!p || p.id !== e.pointerId || !m || p.travel > 3) return;
    const r = e.currentTarget.getBoundingClientRect();
    const s = store.getState();
    const at = mapPoint(m, e.clientX - r.left, e.clientY - r.top);
    void s.panZoom?.setViewport(centredOn(at, s.transform[2], s.width, s.height));
  };

  return (
    <div
      ref={frame}
      className="minimap-frame"
      role="img"
      aria-label={words(msg('minimap.label', { errors: errorCount }))}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        if (press.current?.travel) {
          onDrag(false);
          useView.getState().setNavigating(false);
        }
        press.current = null;
      }}
    >
      <div ref={plane} className="minimap-plane">
        <svg ref={fillsSvg} width={MINIMAP_W} height={MINIMAP_H} className="react-flow__minimap-svg" aria-hidden="true">
          {drawn.paths.map(([color, d]) => (
            <path key={color} className="minimap-fill" d={d} fill={color} shapeRendering="crispEdges" />
          ))}
        </svg>
        <div ref={mask} className="react-flow__minimap-mask" />
        {/* over the mask: a selection or an error outside the view shows as clearly as one in it (chrome.css) */}
        <svg ref={marksSvg} width={MINIMAP_W} height={MINIMAP_H} className="minimap-marks" aria-hidden="true">
          {selected && (
            <g className="minimap-selected">
              <path className="minimap-selected-ring" d={selected} />
              <path className="minimap-selected-gap" d={selected} />
              <path className="minimap-selected-fill" d={selected} />
            </g>
          )}
          {errorCount > 0 && (
            <g className="minimap-errors">
              <path className="minimap-error-fill" d={errors} />
              <path className="minimap-error-halo" d={errorDots} />
              <path className="minimap-error-dot" d={errorDots} />
            </g>
          )}
        </svg>
      </div>
    </div>
  );
}
