/**
 * While the pane is dragged, the graph is a compositor layer of its own, so a pan moves that layer and draws
 * nothing again: otherwise every moved frame re-rasterises the whole visible canvas, nodes, edges and dots, on
 * the page's raster workers (software compositing: 15-25 ms a frame with 300 nodes, on the same 2 cores as the
 * main thread).
 *
 * Why only while dragging, and why the backdrop (measured on Chromium 156, LayerTree and traces; styles.css):
 * - A composited viewport alone made things far worse: Chromium keeps a chunk in the viewport's layer only when
 *   that does not leave the layer mostly empty, and a graph's nodes are spread out, so each node, the section
 *   frames and the edge layer became layers of their own (~70 for 300 nodes), which Chromium layerizes again on
 *   every frame of a pan (~130 ms a frame). The backdrop, painted first and covering the whole graph (an almost
 *   transparent veil), makes the layer dense from the start: everything after it merges (~10 layers).
 * - A layer with `will-change: transform` keeps its raster scale, so a zoom after it would be blurred; a pan does
 *   not change the scale, and the layer is dropped when the drag ends (the page's layer is drawn crisp again).
 * - Moving a layer by writing its transform still made Chromium rebuild all its layers on every frame (3-4 ms):
 *   the moving layers are held on the compositor while the drag lasts (held-transform.ts).
 * - The layer starts on the first moved frame of a drag, not on the press: a click on the pane makes none.
 * - A drag on the minimap (`navigating` in the view store) moves the view the same way and is treated the same.
 */
import { useEffect } from 'react';
import { useStoreApi, type InternalNode, type Transform } from '@xyflow/react';
import { useView, viewDragged } from '../chrome/view-store.ts';
import { holdTransform, releaseTransform, setHeldTransform } from '../chrome/held-transform.ts';

/** The class on React Flow's element while its pane is dragged (styles.css gives it the compositor layers). */
export const PANNING = 'panning';

/** Room around the nodes covered by the backdrop (flow units): edges bend out beside their nodes. */
const MARGIN = 200;

/**
 * The box the backdrop covers (flow units): every node's box plus a margin, and the viewport element's own box,
 * (0, 0) to the pane's size (the layer starts as that box: a backdrop beside it would leave the layer sparse).
 */
export function backdropBox(
  nodes: Iterable<InternalNode>,
  pane: { width: number; height: number },
): { x: number; y: number; w: number; h: number } {
  let x0 = 0;
  let y0 = 0;
  let x1 = pane.width;
  let y1 = pane.height;
  for (const n of nodes) {
    if (n.hidden) continue;
    const { x, y } = n.internals.positionAbsolute;
    const w = n.measured?.width ?? n.width ?? 0;
    const h = n.measured?.height ?? n.height ?? 0;
    x0 = Math.min(x0, x - MARGIN);
    y0 = Math.min(y0, y - MARGIN);
    x1 = Math.max(x1, x + w + MARGIN);
    y1 = Math.max(y1, y + h + MARGIN);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The viewport's transform as React Flow writes it in its style. */
const viewportTransform = ([x, y, zoom]: Transform) => `translate(${x}px,${y}px) scale(${zoom})`;

/**
 * Writes the `panning` class and the backdrop's box while the pane (or the minimap) is dragged, and holds the
 * moving layers (the viewport and the dots) at the transforms written (held-transform.ts); renders nothing.
 */
export function PanLayer() {
  const store = useStoreApi();
  useEffect(() => {
    /** the layers held while the pane is dragged and has moved (null otherwise) */
    let moving: { root: HTMLElement; viewport: HTMLElement; dots: HTMLElement | null } | null = null;
    /** the transform when the pane was pressed (null while it is not) */
    let from: Transform | null = null;
    const start = (t: Transform) => {
      const { domNode: root, nodeLookup, width, height } = store.getState();
      const viewport = root?.querySelector<HTMLElement>('.react-flow__viewport');
      if (!root || !viewport) return;
      const box = backdropBox(nodeLookup.values(), { width, height });
      viewport.style.setProperty('--backdrop-x', `${box.x}px`);
      viewport.style.setProperty('--backdrop-y', `${box.y}px`);
      viewport.style.setProperty('--backdrop-w', `${box.w}px`);
      viewport.style.setProperty('--backdrop-h', `${box.h}px`);
      root.classList.add(PANNING);
      // React Flow writes the viewport's style when it renders, after this: held at the new value already
      holdTransform(viewport, viewportTransform(t));
      const dots = root.querySelector<HTMLElement>('.dot-layer');
      if (dots) holdTransform(dots);
      moving = { root, viewport, dots };
    };
    const stop = () => {
      if (!moving) return;
      moving.root.classList.remove(PANNING);
      releaseTransform(moving.viewport);
      if (moving.dots) releaseTransform(moving.dots);
      moving = null;
    };
    const check = () => {
      const t = store.getState().transform;
      if (!viewDragged(store.getState())) {
        from = null;
        stop();
      } else if (!from) from = t;
      else if (moving) setHeldTransform(moving.viewport, viewportTransform(t));
      else if (t !== from) start(t);
    };
    const offFlow = store.subscribe(check);
    const offView = useView.subscribe((v, was) => v.navigating !== was.navigating && check());
    return () => {
      offFlow();
      offView();
      stop();
    };
  }, [store]);
  return null;
}
