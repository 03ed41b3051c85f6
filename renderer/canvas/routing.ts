/**
 * Orthogonal edges that do not cross nodes. Each edge tries a few orthogonal shapes, simplest first, and
 * takes the first whose segments cross no other node: a straight line, a step through the gap above its
 * target (or between the two), a side-to-side step for a layer level with its input, and a detour through
 * the free corridor between columns nearest to the straight line. The layouts leave such gaps and
 * corridors (scale-layout.ts), so a free route exists; a hand-placed node that blocks every one gets the
 * route with the fewest crossings. Pure; a grid of buckets keeps each check to the nodes nearby.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface RouteEdge {
  id: string;
  source: string;
  target: string;
}
export interface Route {
  points: Point[];
  /** SVG path with rounded corners. */
  path: string;
  /** Where the edge enters its target (for an arrow head's direction): 'top', 'left' or 'right'. */
  enters: 'top' | 'left' | 'right';
}

/** Distance kept from a node's side when leaving or entering it through a gap. */
const M = 16;
const CELL = 256;

class Index {
  private cells = new Map<number, number[]>();
  /** A visit stamp per node, so a node in several cells is counted once per query. */
  private seen: Uint32Array;
  private stamp = 0;
  constructor(readonly rects: Rect[]) {
    this.seen = new Uint32Array(rects.length);
    rects.forEach((r, k) => {
      for (let cx = Math.floor(r.x / CELL); cx <= Math.floor((r.x + r.width) / CELL); cx++)
        for (let cy = Math.floor(r.y / CELL); cy <= Math.floor((r.y + r.height) / CELL); cy++) {
          const key = cx * 65536 + cy;
          const list = this.cells.get(key);
          if (list) list.push(k);
          else this.cells.set(key, [k]);
        }
    });
  }
  /** How many nodes an axis-aligned segment passes through (their inside, not their border). */
  hits(a: Point, b: Point, skipA: number, skipB: number): number {
    const x0 = Math.min(a.x, b.x);
    const x1 = Math.max(a.x, b.x);
    const y0 = Math.min(a.y, b.y);
    const y1 = Math.max(a.y, b.y);
    const stamp = ++this.stamp;
    let n = 0;
    for (let cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++)
      for (let cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
        const list = this.cells.get(cx * 65536 + cy);
        if (!list) continue;
        for (const k of list) {
          if (k === skipA || k === skipB || this.seen[k] === stamp) continue;
          this.seen[k] = stamp;
          const r = this.rects[k];
          if (x1 > r.x + 1 && x0 < r.x + r.width - 1 && y1 > r.y + 1 && y0 < r.y + r.height - 1) n++;
        }
      }
    return n;
  }
}

/** Free vertical corridors: x between the nodes' merged horizontal extents, plus beyond both ends. */
function corridors(rects: Rect[]): number[] {
  const spans = rects.map((r) => [r.x, r.x + r.width] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  const out: number[] = [];
  if (merged.length) out.push(merged[0][0] - 2 * M, merged[merged.length - 1][1] + 2 * M);
  for (let k = 0; k + 1 < merged.length; k++) out.push((merged[k][1] + merged[k + 1][0]) / 2);
  return out;
}

/** Free horizontal bands between `top` and `bottom` over the x range [x0, x1]: their middles. */
function bands(rects: Rect[], x0: number, x1: number, top: number, bottom: number): number[] {
  const blocks = rects
    .filter((r) => r.x < x1 && r.x + r.width > x0 && r.y < bottom && r.y + r.height > top)
    .map((r) => [r.y, r.y + r.height] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let y = top;
  for (const [a, b] of blocks) {
    if (a > y + 8) out.push((y + a) / 2);
    y = Math.max(y, b);
  }
  if (bottom > y + 8) out.push((y + bottom) / 2);
  return out;
}

const dedupe = (ps: Point[]): Point[] =>
  ps.filter((p, k) => k === 0 || Math.abs(p.x - ps[k - 1].x) > 0.5 || Math.abs(p.y - ps[k - 1].y) > 0.5);

/** An SVG path through orthogonal points, corners rounded (radius up to 6, less on short segments). */
export function roundedPath(points: Point[]): string {
  const ps = dedupe(points);
  if (ps.length < 2) return '';
  let d = `M${ps[0].x},${ps[0].y}`;
  for (let k = 1; k < ps.length - 1; k++) {
    const [a, b, c] = [ps[k - 1], ps[k], ps[k + 1]];
    const r = Math.min(6, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const ux = Math.sign(b.x - a.x);
    const uy = Math.sign(b.y - a.y);
    const vx = Math.sign(c.x - b.x);
    const vy = Math.sign(c.y - b.y);
    d += ` L${b.x - ux * r},${b.y - uy * r} Q${b.x},${b.y} ${b.x + vx * r},${b.y + vy * r}`;
  }
  const last = ps[ps.length - 1];
  return `${d} L${last.x},${last.y}`;
}

/** Routes for every edge whose two ends have a rectangle. */
export function routeEdges(rectOf: Map<string, Rect>, edges: RouteEdge[]): Map<string, Route> {
  const ids = [...rectOf.keys()];
  const rects = ids.map((id) => rectOf.get(id)!);
  const indexOf = new Map(ids.map((id, k) => [id, k]));
  const index = new Index(rects);
  const lanes = corridors(rects);
  const out = new Map<string, Route>();
  for (const e of edges) {
    const si = indexOf.get(e.source);
    const ti = indexOf.get(e.target);
    if (si === undefined || ti === undefined) continue;
    out.set(e.id, route(rects[si], rects[ti], si, ti, index, lanes, rects));
  }
  return out;
}

type Candidate = { points: Point[]; enters: Route['enters'] };

/** Shapes for an edge, simplest first (generated lazily: most edges take the first or second). */
function* shapes(S: Rect, T: Rect, lanes: number[], rects: Rect[]): Generator<Candidate> {
  const sx = S.x + S.width / 2;
  const sb = S.y + S.height;
  const tx = T.x + T.width / 2;
  const tt = T.y;
  if (tt >= sb + 2 * M) {
    if (Math.abs(sx - tx) < 1)
      yield {
        points: [
          { x: sx, y: sb },
          { x: tx, y: tt },
        ],
        enters: 'top',
      };
    const step = (y: number): Candidate => ({
      points: [
        { x: sx, y: sb },
        { x: sx, y },
        { x: tx, y },
        { x: tx, y: tt },
      ],
      enters: 'top',
    });
    yield step(tt - M);
    yield step(sb + M);
    for (const y of bands(rects, Math.min(sx, tx), Math.max(sx, tx), sb, tt).reverse()) yield step(y);
  }
  // level with its input (a stride change): side to side
  const sm = S.y + S.height / 2;
  const tm = T.y + T.height / 2;
  if (T.x >= S.x + S.width + 2 * M || T.x + T.width <= S.x - 2 * M) {
    const right = T.x > S.x;
    const x0 = right ? S.x + S.width : S.x;
    const x1 = right ? T.x : T.x + T.width;
    const side = (xm: number): Candidate => ({
      points: [
        { x: x0, y: sm },
        { x: xm, y: sm },
        { x: xm, y: tm },
        { x: x1, y: tm },
      ],
      enters: right ? 'left' : 'right',
    });
    yield side((x0 + x1) / 2);
    for (const xm of lanes) if (right ? xm > x0 && xm < x1 : xm < x0 && xm > x1) yield side(xm);
  }
  // a detour through a corridor: down out of the source, along the corridor, down into the target's top
  const mid = (sx + tx) / 2;
  const near = [...lanes, S.x - M, S.x + S.width + M, T.x - M, T.x + T.width + M].sort(
    (a, b) => Math.abs(a - mid) - Math.abs(b - mid),
  );
  for (const xc of near)
    yield {
      points: [
        { x: sx, y: sb },
        { x: sx, y: sb + M },
        { x: xc, y: sb + M },
        { x: xc, y: tt - M },
        { x: tx, y: tt - M },
        { x: tx, y: tt },
      ],
      enters: 'top',
    };
}

function route(S: Rect, T: Rect, si: number, ti: number, index: Index, lanes: number[], rects: Rect[]): Route {
  /** Crossings of a polyline: its first and last segments may touch their own nodes. */
  const cost = (ps: Point[], limit: number): number => {
    let n = 0;
    for (let k = 0; k + 1 < ps.length && n < limit; k++) {
      const ends = k === 0 || k === ps.length - 2;
      n += index.hits(ps[k], ps[k + 1], ends ? si : -1, ends ? ti : -1);
    }
    return n;
  };
  let best: Candidate | null = null;
  let bestCost = Infinity;
  for (const c of shapes(S, T, lanes, rects)) {
    const n = cost(c.points, bestCost);
    if (n < bestCost) [best, bestCost] = [c, n];
    if (n === 0) break;
  }
  const points = dedupe(best!.points);
  return { points, path: roundedPath(points), enters: best!.enters };
}

/** Distance from a point to a route (for dropping onto an edge). */
export function distanceToRoute(p: Point, points: Point[]): number {
  let d = Infinity;
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k];
    const b = points[k + 1];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
    d = Math.min(d, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
  }
  return d;
}
