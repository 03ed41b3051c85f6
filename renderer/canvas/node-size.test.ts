import { describe, expect, it } from 'vitest';
import { OVERVIEW_MIN_ZOOM, READABLE_ZOOM, openingView, zoomStep } from './node-size.ts';

describe('zoomed-out texts are sized by the zoom rounded down to a step', () => {
  it('keeps every zoomed-out name between 12 and 13.2 px on screen', () => {
    for (let z = 0.05; z < READABLE_ZOOM; z += 0.0137) {
      const s = zoomStep(z);
      expect(s).toBeLessThanOrEqual(z + 1e-12);
      expect(s).toBeGreaterThan(z / 1.1 - 1e-12);
      // a text of 12 px / step is at least 12 px and at most 13.2 px on screen
      expect((12 / s) * z).toBeGreaterThanOrEqual(12 - 1e-9);
      expect((12 / s) * z).toBeLessThanOrEqual(13.2 + 1e-9);
    }
  });
  it('changes only when a step is crossed, and is the zoom itself at the readable zoom and above', () => {
    expect(zoomStep(0.7)).toBe(zoomStep(0.72));
    expect(zoomStep(0.5)).not.toBe(zoomStep(0.7));
    expect(zoomStep(READABLE_ZOOM)).toBe(READABLE_ZOOM);
    expect(zoomStep(1.3)).toBe(1.3);
  });
});

describe('a model opens whole when its names stay readable, else from its top-left', () => {
  it('fits and centres a small model, never above 1.2', () => {
    const v = openingView({ x: 0, y: 0, width: 400, height: 300 }, 1000, 800);
    expect(v).toMatchObject({ whole: true, zoom: 1.2 });
    expect(v.x).toBeCloseTo((1000 - 400 * 1.2) / 2);
  });
  it('fits a model whole zoomed out (names alone) while its names are 12 px or more', () => {
    // 1000 x 700 px for a 2400 x 1800 graph: 0.363 (>= the overview's smallest zoom)
    const v = openingView({ x: -100, y: -50, width: 2400, height: 1800 }, 1000, 700);
    expect(v.whole).toBe(true);
    expect(v.zoom).toBeCloseTo((700 - 48) / 1800);
    expect(v.zoom).toBeLessThan(READABLE_ZOOM);
    // the graph's centre at the view's centre
    expect(v.x + (-100 + 1200) * v.zoom).toBeCloseTo(500);
    expect(v.y + (-50 + 900) * v.zoom).toBeCloseTo(350);
  });
  it('shows a tall model from its top, its whole width, when fitting it whole would make names too small', () => {
    const v = openingView({ x: 10, y: 20, width: 2000, height: 6000 }, 1000, 700);
    expect(v.whole).toBe(false);
    expect(v.zoom).toBeCloseTo((1000 - 48) / 2000);
    expect(v.x + 10 * v.zoom).toBeCloseTo(24);
    expect(v.y + 20 * v.zoom).toBeCloseTo(24);
  });
  it('shows a wide and tall model from its top-left at the smallest readable zoom', () => {
    const v = openingView({ x: 0, y: 0, width: 9000, height: 9000 }, 1000, 700);
    expect(v).toMatchObject({ whole: false, zoom: OVERVIEW_MIN_ZOOM, x: 24, y: 24 });
  });
});
