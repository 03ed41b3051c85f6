/**
 * A binary mask's outline as polygons: the outer boundary of each connected region, traced by d3-contour's
 * marching squares (no smoothing) through the pixel centres at level 0.5, with the points on straight runs
 * dropped (as cv2.CHAIN_APPROX_SIMPLE keeps only a run's ends). In the mask's pixels, pixel (x, y) covering
 * [x, x + 1] x [y, y + 1]: an outline runs along the region's outer pixel edges and cuts each corner by half a
 * pixel, so it holds the centre of every pixel of its region and of no other (holes aside: only outer
 * boundaries are given). Ultralytics' masks2segments (OpenCV's findContours) walks the boundary pixels'
 * centres instead, half a pixel further in.
 */
import { contours } from 'd3-contour';

/** Outer rings of the mask's regions ([h, w] row-major, non-zero is inside), each [[x, y], ...] closed implicitly. */
export function maskPolygons(mask: Uint8Array, h: number, w: number): [number, number][][] {
  if (!mask.some((v) => v)) return [];
  // d3-contour reads values row-major; a one-pixel frame of zeros keeps regions at the border closed
  const W = w + 2;
  const H = h + 2;
  const values = new Float64Array(W * H);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) values[(y + 1) * W + x + 1] = mask[y * w + x] ? 1 : 0;
  const [level] = contours().size([W, H]).smooth(false).thresholds([0.5])(Array.from(values));
  // d3 puts value k at k + 0.5 already: only the frame is taken off
  return level.coordinates.map((polygon) => simplify(polygon[0].map(([x, y]) => [x - 1, y - 1] as [number, number])));
}

/** Drop the closing point and every point between two others on the same straight line. */
function simplify(ring: [number, number][]): [number, number][] {
  const pts = ring.length > 1 && same(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring.slice();
  const out: [number, number][] = [];
  const n = pts.length;
  for (let k = 0; k < n; k++) {
    const a = pts[(k + n - 1) % n];
    const b = pts[k];
    const c = pts[(k + 1) % n];
    if ((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) !== 0) out.push(b);
  }
  return out;
}

const same = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];

/** A polygon's area by the shoelace formula (positive either way round). */
export function polygonArea(ring: [number, number][]): number {
  let s = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x1, y1] = ring[k];
    const [x2, y2] = ring[(k + 1) % ring.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}
