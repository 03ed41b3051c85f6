/**
 * The canvas's viewport and its compact layout: an opened model (or a tidied one) is shown whole when its
 * names are readable so, else from its top-left; a revealed layer (Problems, Find) is centred and
 * selected; the compact layout (ELK, layered) is computed off the main thread when it is asked for.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useNodesInitialized, useReactFlow, useStoreApi, type Node } from '@xyflow/react';
import { editorStore, shownAnalysis, useEditor, type XY } from '../store/editor.ts';
import { layoutGroups } from './layout.ts';
import { INPUT_ID, layerOfNode, modelEdges, nodeId, type LayerNodeData } from './model-graph.ts';
import { READABLE_ZOOM, nodeSize, nodeText, openingView, zoomStep } from './node-size.ts';
import { nodeDataOf } from './arrange.ts';
import { sizeOfNode } from './use-model-nodes.ts';

/**
 * Fit a freshly opened or tidied model: whole, everything drawn inside the pane (layers, the image, the scale
 * columns' titles and the sections' frames), when its names stay legible (zoomed out, names alone), else its
 * top-left as wide as it can be shown readably (openingView).
 */
export function useOpenView(wrapper: RefObject<HTMLDivElement | null>, nodes: Node[]) {
  const docSerial = useEditor((s) => s.docSerial);
  const layoutSeq = useEditor((s) => s.layoutSeq);
  const { setViewport } = useReactFlow();
  const want = useRef(false);
  useEffect(() => {
    want.current = true;
  }, [docSerial, layoutSeq]);
  const initialized = useNodesInitialized();
  useEffect(() => {
    const layers = nodes.filter((n) => n.type === 'layer');
    if (!want.current || !initialized || !layers.length) return;
    want.current = false;
    const shown = nodes.filter(
      (n) => n.type === 'layer' || n.type === 'image' || n.type === 'column' || n.type === 'section',
    );
    const x0 = Math.min(...shown.map((n) => n.position.x));
    const y0 = Math.min(...shown.map((n) => n.position.y));
    const x1 = Math.max(...shown.map((n) => n.position.x + sizeOfNode(n).width));
    const y1 = Math.max(...shown.map((n) => n.position.y + sizeOfNode(n).height));
    const el = wrapper.current;
    const graph = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    const { x, y, zoom } = openingView(graph, el?.clientWidth ?? 800, el?.clientHeight ?? 600);
    void setViewport({ x, y, zoom });
  }, [initialized, nodes, setViewport, wrapper]);
}

/** Bring a revealed layer (a problem clicked, a layer found) to the centre, at a readable zoom. */
export function useReveal() {
  const reveal = useEditor((s) => s.reveal);
  const { setCenter, getZoom, getNode } = useReactFlow();
  useEffect(() => {
    if (reveal.layer === null) return;
    const p = editorStore.getState().positions[reveal.layer];
    if (!p) return;
    const n = getNode(nodeId(reveal.layer));
    // its size once shown in detail (zoomed out, it is measured as small as its name)
    const size =
      n?.type === 'layer'
        ? nodeSize(nodeText(n.data as LayerNodeData))
        : n
          ? sizeOfNode(n)
          : { width: 200, height: 58 };
    void setCenter(p.x + size.width / 2, p.y + size.height / 2, {
      zoom: Math.max(getZoom(), READABLE_ZOOM),
      duration: 200,
    });
  }, [reveal, setCenter, getZoom, getNode]);
}

/** The compact layout (ELK, layered, backbone and head side by side), when asked for and nothing is placed. */
export function useCompactLayout() {
  const mode = useEditor((s) => s.layoutMode);
  const layoutSeq = useEditor((s) => s.layoutSeq);
  useEffect(() => {
    if (mode !== 'compact') return;
    const s = editorStore.getState();
    const a = shownAnalysis(s);
    // hand-placed nodes stay; everything else is laid out
    if (!a.layers.some((l) => !s.pinned[l.i])) return;
    let cancelled = false;
    const data = nodeDataOf(a);
    const nodes = a.layers.map((l) => ({ id: nodeId(l.i), ...nodeSize(nodeText(data[l.i])), group: l.row.section }));
    const edges = modelEdges(a).filter((e) => e.source !== INPUT_ID);
    layoutGroups(nodes, edges)
      .then((pos) => {
        if (cancelled) return;
        const now = editorStore.getState();
        const next: Record<number, XY> = {};
        for (const [id, p] of Object.entries(pos)) {
          const i = layerOfNode(id)!;
          if (!now.pinned[i]) next[i] = p;
        }
        now.setPositions(next);
      })
      .catch((e) => console.warn('layout failed', e));
    return () => {
      cancelled = true;
    };
  }, [mode, layoutSeq]);
}

/**
 * The zoom as a CSS variable on the canvas (--z, and --zs: its step) and, below the readable zoom, the .overview class (each
 * layer its module name alone at 12 px on screen): set on the element, so zooming re-renders nothing.
 */
export function useZoomClass(wrapper: RefObject<HTMLDivElement | null>) {
  const store = useStoreApi();
  useEffect(() => {
    let last = -1;
    const apply = (zoom: number) => {
      const el = wrapper.current;
      if (!el || zoom === last) return;
      last = zoom;
      el.style.setProperty('--z', String(zoom));
      el.style.setProperty('--zs', String(zoomStep(zoom)));
      el.classList.toggle('overview', zoom < READABLE_ZOOM - 1e-6);
    };
    apply(store.getState().transform[2]);
    return store.subscribe((s) => apply(s.transform[2]));
  }, [store, wrapper]);
}
