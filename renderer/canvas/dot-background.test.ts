import { describe, expect, it } from 'vitest';
import { dotLayer } from './DotBackground.tsx';

describe('the dot layer is moved by a transform that keeps its dots on the grid', () => {
  it('puts the dots at the viewport offset plus whole grid steps, never closer than 8 px on screen', () => {
    for (const [x, y, zoom] of [
      [0, 0, 1],
      [137.5, -42, 0.8],
      [-1000.25, 3333, 0.3],
      [5, 7, 2.5],
      [12, -7.5, 0.1],
      [-3, 4, 0.05],
    ]) {
      const { tile, dx, dy } = dotLayer(x, y, zoom);
      // the grid's spacing on screen, or a multiple of it (1, 2, 4, ...) when that is under 8 px
      const grid = 24 * zoom;
      const k = Math.log2(tile / grid);
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
      expect(tile).toBeGreaterThanOrEqual(8);
      if (k >= 1) expect(tile / 2).toBeLessThan(8);
      for (const d of [dx, dy]) {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(tile);
      }
      // the layer starts one tile before the canvas; its first dot is half a tile in
      const firstX = -tile + dx + tile / 2;
      const firstY = -tile + dy + tile / 2;
      // on the flow's grid points: x plus whole grid steps
      const onGrid = (v: number) => Math.min(((v % grid) + grid) % grid, grid - (((v % grid) + grid) % grid));
      expect(onGrid(firstX - x)).toBeLessThan(1e-6);
      expect(onGrid(firstY - y)).toBeLessThan(1e-6);
    }
  });
});
