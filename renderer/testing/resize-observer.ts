/**
 * For tests in jsdom, which has no ResizeObserver: React Flow needs one to measure its pane and its nodes. This
 * one never reports (nothing has a size in jsdom). Installed once; a real one, where there is one, is kept.
 */
export function stubResizeObserver(): void {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}
