import { describe, expect, it } from 'vitest';
import { dotLayer } from './DotBackground.tsx';

describe('the dot layer is moved by a transform that keeps its dots on the grid', () => {
  it('puts the dots at the viewport offset plus whole tiles, the layer covering the canvas', () => {
    for (const [x, y, zoom] of [
      [0, 0, 1],
      [137.5, -42, 0.8],
      [-1000.25, 3333, 0.3],
      [5, 7, 2.5],
    ]) {
      const { tile, dx, dy } = dotLayer(x, y, zoom);
      expect(tile).toBeCloseTo(24 * zoom);
      for (const d of [dx, dy]) {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(tile);
      }
      // the layer starts one tile before the canvas; its first dot is half a tile in
      const firstX = -tile + dx + tile / 2;
      const firstY = -tile + dy + tile / 2;
      const onGrid = (v: number) => Math.min(((v % tile) + tile) % tile, tile - (((v % tile) + tile) % tile));
      expect(onGrid(firstX - x)).toBeLessThan(1e-6);
      expect(onGrid(firstY - y)).toBeLessThan(1e-6);
    }
  });
});
