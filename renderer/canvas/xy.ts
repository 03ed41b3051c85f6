/** A point on the canvas (flow units: px at zoom 1). The layout (canvas) and the store's placement share it. */
export interface XY {
  x: number;
  y: number;
}
