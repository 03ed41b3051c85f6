/**
 * The canvas's dot grid: one element of CSS dots, translated by the viewport's offset modulo the grid (a
 * transform), and re-sized only when the zoom changes. React Flow's own <Background> is an SVG pattern whose
 * attributes change with every pan frame. Written from the viewport store directly: panning re-renders no React
 * component. It is painted with the page, not as a compositor layer of its own (styles.css says why).
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';
import { writeTransform } from '../chrome/held-transform.ts';

/** Grid spacing and dot diameter at zoom 1 (as <Background gap={24} size={1} /> drew them). */
const GAP = 24;
const SIZE = 1;
/**
 * Zoomed out, dots closer than this on screen are a grey haze, and tens of thousands to paint on every pan frame
 * (a 300-row graph zoomed out to 0.1: ~150,000): every 2nd, 4th, ... grid point is drawn instead.
 */
const MIN_TILE = 8;

/**
 * The dot layer for a viewport (x, y, zoom): its tile (the grid's spacing on screen, doubled until it is at least
 * MIN_TILE) and its shift. The layer reaches one tile past the canvas on every side and draws a dot at each
 * tile's centre; shifted by (dx, dy) in [0, tile), its dots fall on the flow's grid points x + k * tile on screen.
 */
export function dotLayer(x: number, y: number, zoom: number): { tile: number; dx: number; dy: number } {
  let tile = GAP * zoom;
  while (tile > 0 && tile < MIN_TILE) tile *= 2;
  const mod = (v: number) => ((v % tile) + tile) % tile;
  return { tile, dx: mod(x - tile / 2), dy: mod(y - tile / 2) };
}

export function DotBackground() {
  const layer = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  useEffect(() => {
    let zoom = -1;
    let last: [number, number, number] | undefined;
    // the store also changes with nodes, selection and every edit: only a new viewport moves the dots
    const apply = (t: [number, number, number]) => {
      const el = layer.current;
      if (!el || t === last) return;
      last = t;
      const [x, y, z] = t;
      const { tile, dx, dy } = dotLayer(x, y, z);
      if (z !== zoom) {
        zoom = z;
        const r = (SIZE * z) / 2;
        el.style.backgroundSize = `${tile}px ${tile}px`;
        el.style.backgroundImage = `radial-gradient(circle, var(--dot-color) ${r}px, transparent ${r + 0.6}px)`;
        el.style.inset = `${-tile}px`;
      }
      writeTransform(el, `translate(${dx}px, ${dy}px)`);
    };
    apply(store.getState().transform);
    return store.subscribe((s) => apply(s.transform));
  }, [store]);
  return (
    <div className="react-flow__background react-flow__container dot-background" aria-hidden="true">
      <div ref={layer} className="dot-layer" />
    </div>
  );
}
