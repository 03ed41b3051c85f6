/** Masks as polygons (run --masks polygon): the outer outline of each region, holding exactly its pixels' centres. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPolygons, polygonArea } from './polygons.ts';

/** Pixels whose centre lies inside any of the rings (even-odd within each ring). */
function fill(rings: [number, number][][], h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      for (const r of rings) {
        let inside = false;
        for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
          const [xi, yi] = r[i];
          const [xj, yj] = r[j];
          if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
        }
        if (inside) out[y * w + x] = 1;
      }
    }
  return out;
}

/** A mask of filled axis-aligned rectangles and discs. */
function shapes(h: number, w: number, items: { x: number; y: number; r: number; disc: boolean }[]): Uint8Array {
  const m = new Uint8Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (const s of items) {
        const dx = x - s.x;
        const dy = y - s.y;
        if (s.disc ? dx * dx + dy * dy <= s.r * s.r : Math.abs(dx) <= s.r && Math.abs(dy) <= s.r) m[y * w + x] = 1;
      }
  return m;
}

describe('mask polygons', () => {
  it('an empty mask has none; one pixel is a diamond around its centre', () => {
    expect(maskPolygons(new Uint8Array(12), 3, 4)).toEqual([]);
    const m = new Uint8Array(12);
    m[1 * 4 + 2] = 1;
    const [ring] = maskPolygons(m, 3, 4);
    expect([...ring].sort()).toEqual(
      [
        [2, 1.5],
        [2.5, 1],
        [3, 1.5],
        [2.5, 2],
      ].sort(),
    );
  });

  it('a rectangle is eight points: its straight runs keep only their ends, its corners cut by half a pixel', () => {
    const m = new Uint8Array(6 * 8);
    for (let y = 1; y <= 4; y++) for (let x = 2; x <= 6; x++) m[y * 8 + x] = 1;
    const rings = maskPolygons(m, 6, 8);
    expect(rings).toHaveLength(1);
    expect(rings[0]).toHaveLength(8);
    // 5 x 4 pixels less four corner triangles of 1/8
    expect(polygonArea(rings[0])).toBe(20 - 4 / 8);
  });

  it('a region touching the border is closed along it', () => {
    const m = new Uint8Array(3 * 3).fill(1);
    const rings = maskPolygons(m, 3, 3);
    expect(rings).toHaveLength(1);
    expect(Math.min(...rings[0].map((p) => p[0]))).toBe(0);
    expect(Math.max(...rings[0].map((p) => p[1]))).toBe(3);
    expect(fill(rings, 3, 3)).toEqual(m);
  });

  it('a ring-shaped region gives only its outer outline (the hole is inside it)', () => {
    const m = new Uint8Array(7 * 7);
    for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) m[y * 7 + x] = 1;
    m[3 * 7 + 3] = 0;
    const rings = maskPolygons(m, 7, 7);
    expect(rings).toHaveLength(1);
    const filled = m.slice();
    filled[3 * 7 + 3] = 1;
    expect(fill(rings, 7, 7)).toEqual(filled);
  });

  it('separate shapes: one outline each, holding exactly their pixels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.integer({ min: 0, max: 39 }),
            y: fc.integer({ min: 0, max: 29 }),
            r: fc.integer({ min: 0, max: 6 }),
            disc: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (items) => {
          // keep shapes apart (2 pixels between them) so each is its own region
          const kept: typeof items = [];
          for (const s of items)
            if (kept.every((k) => Math.max(Math.abs(k.x - s.x), Math.abs(k.y - s.y)) > k.r + s.r + 2)) kept.push(s);
          const m = shapes(30, 40, kept);
          const rings = maskPolygons(m, 30, 40);
          expect(rings).toHaveLength(kept.length);
          expect(fill(rings, 30, 40)).toEqual(m);
        },
      ),
      { numRuns: 60 },
    );
  });
});
