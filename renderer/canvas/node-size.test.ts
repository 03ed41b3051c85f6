import { describe, expect, it } from 'vitest';
import { OPEN_MIN_ZOOM, OVERVIEW_MIN_ZOOM, READABLE_ZOOM, openingView, zoomStep } from './node-size.ts';

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

describe('a model opens whole when its names stay legible, else from its top-left', () => {
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
  it('fits a model too wide for 12 px names whole (names down to 8 px), not cut at the edge of its pane', () => {
    // yolov5s (2634 x 1727 in flow units) in the canvas of a 1024 x 768 window with every panel open
    const v = openingView({ x: 0, y: -86, width: 2634, height: 1727 }, 554, 576);
    expect(v.whole).toBe(true);
    expect(v.zoom).toBeCloseTo((554 - 48) / 2634);
    expect(v.zoom).toBeLessThan(OVERVIEW_MIN_ZOOM);
    // names (44 px in flow units at most) 8 px or more on screen
    expect(44 * v.zoom).toBeGreaterThanOrEqual(8);
    // every side of the graph inside the view, 24 px from its edges or more
    expect(v.x).toBeCloseTo(24);
    expect(v.x + 2634 * v.zoom).toBeCloseTo(554 - 24);
    expect(v.y + -86 * v.zoom).toBeGreaterThanOrEqual(24);
    expect(v.y + (1727 - 86) * v.zoom).toBeLessThanOrEqual(576 - 24);
  });
  it('fits a tall model whole down to the same zoom', () => {
    const v = openingView({ x: 0, y: 0, width: 1000, height: 3000 }, 1000, 700);
    expect(v).toMatchObject({ whole: true });
    expect(v.zoom).toBeCloseTo((700 - 48) / 3000);
    expect(v.zoom).toBeGreaterThanOrEqual(OPEN_MIN_ZOOM);
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
