// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider, type Node } from '@xyflow/react';
import { CanvasMinimap } from './CanvasMinimap.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';
import { flowStoreOut } from '../testing/flow-store.ts';
import { recordAnimations } from '../testing/animations.ts';

beforeEach(() => {
  stubResizeObserver();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const { StoreOut, store } = flowStoreOut();

const layer = (id: string, x: number, y: number, data: { error?: boolean } = {}, selected = false): Node => ({
  id,
  type: 'default',
  position: { x, y },
  width: 150,
  height: 58,
  data,
  selected,
});

const nodeColor = vi.fn((n: Node) => (n.id === 'a' ? '#f00' : '#0f0'));
const nodeError = vi.fn((n: Node) => !!(n.data as { error?: boolean }).error);

function flow(nodes: Node[]) {
  return (
    <ReactFlowProvider>
      <div style={{ width: 400, height: 400 }}>
        <ReactFlow nodes={nodes} edges={[]}>
          <CanvasMinimap nodeColor={nodeColor} nodeError={nodeError} />
          <StoreOut />
        </ReactFlow>
      </div>
    </ReactFlowProvider>
  );
}

describe('the minimap marks the selected layers and the layers with errors', () => {
  it('draws them from the node list, names the errors, and builds nothing while the view pans', () => {
    const nodes = [layer('a', 0, 0), layer('b', 300, 0, { error: true }), layer('c', 0, 200)];
    const { container, rerender } = render(flow(nodes));
    const svg = container.querySelector('.canvas-minimap svg')!;
    const name = () => container.querySelector('.minimap-frame')!.getAttribute('aria-label');
    const d = (sel: string) => container.querySelector(sel)?.getAttribute('d');
    expect(name()).toBe('Minimap: 1 layer with errors');
    expect(d('.minimap-error-fill')).toBe('M300 0h150v58h-150z');
    expect(d('.minimap-error-dot')).toBe('M375 29h0');
    expect(container.querySelector('.minimap-selected')).toBeNull();

    // a pan: the view box moves, the marks and fills are not built again (no node read, the same elements)
    const calls = nodeColor.mock.calls.length + nodeError.mock.calls.length;
    const dot = container.querySelector('.minimap-error-dot');
    const box = svg.getAttribute('viewBox');
    for (let k = 1; k <= 10; k++) act(() => store().setState({ transform: [-k * 100, k * 20, 1] }));
    expect(svg.getAttribute('viewBox')).not.toBe(box);
    expect(nodeColor.mock.calls.length + nodeError.mock.calls.length).toBe(calls);
    expect(container.querySelector('.minimap-error-dot')).toBe(dot);

    // a selection and a second error: both marked, the name counts two
    rerender(
      flow([layer('a', 0, 0, {}, true), layer('b', 300, 0, { error: true }), layer('c', 0, 200, { error: true })]),
    );
    expect(d('.minimap-selected-ring')).toBe('M0 0h150v58h-150z');
    expect(d('.minimap-selected-fill')).toBe('M0 0h150v58h-150z');
    expect(d('.minimap-error-fill')).toBe('M300 0h150v58h-150zM0 200h150v58h-150z');
    expect(name()).toBe('Minimap: 2 layers with errors');
    // the marks over the nodes' fills and over the mask
    const order = [...container.querySelectorAll('.minimap-fill, .react-flow__minimap-mask, .minimap-marks path')].map(
      (p) => p.getAttribute('class'),
    );
    expect(order.indexOf('minimap-error-dot')).toBeGreaterThan(order.indexOf('react-flow__minimap-mask'));
    expect(order.indexOf('minimap-selected-ring')).toBeGreaterThan(order.indexOf('react-flow__minimap-mask'));
    expect(order.indexOf('react-flow__minimap-mask')).toBeGreaterThan(order.lastIndexOf('minimap-fill'));

    // fixed: no marks, no count
    rerender(flow([layer('a', 0, 0), layer('b', 300, 0), layer('c', 0, 200)]));
    expect(container.querySelector('.minimap-errors, .minimap-selected')).toBeNull();
    expect(name()).toBe('Minimap');
  });

  it('while the canvas pane is dragged, moves its drawings by held transforms and draws nothing again', () => {
    const { animations: held, restore } = recordAnimations();
    try {
      const { container } = render(flow([layer('a', 0, 0), layer('b', 300, 0, { error: true })]));
      const svg = container.querySelector('.canvas-minimap svg')!;
      const plane = container.querySelector<HTMLElement>('.minimap-plane')!;
      const mask = container.querySelector<HTMLElement>('.react-flow__minimap-mask')!;
      const rest = svg.getAttribute('viewBox');
      expect(plane.style.transform).toBe('none');
      const paths = [...container.querySelectorAll('path')].map((p) => p.getAttribute('d'));

      act(() => store().setState({ paneDragging: true }));
      expect(held).toHaveLength(0); // a press alone holds nothing
      for (let k = 1; k <= 10; k++) act(() => store().setState({ transform: [k * 300, -k * 100, 1] }));
      // the view left the nodes far behind: the box would grow; the drawings stay, the plane is scaled instead
      expect(svg.getAttribute('viewBox')).toBe(rest);
      expect(container.querySelector('.minimap-marks')!.getAttribute('viewBox')).toBe(rest);
      expect(plane.style.transform).toMatch(/scale\(0\.\d+\)/);
      expect([...container.querySelectorAll('path')].map((p) => p.getAttribute('d'))).toEqual(paths);
      // the plane and the frame are held at what their styles say
      const on = (el: Element) => held.filter((h) => h.el === el && !h.cancelled);
      expect(on(plane)).toHaveLength(1);
      expect(on(plane)[0].frames[0].transform).toBe(plane.style.transform);
      expect(on(mask)[0].frames[1].transform).toBe(mask.style.transform);

      // let go: drawn at rest again, for the view box asked for
      act(() => store().setState({ paneDragging: false }));
      expect(held.every((h) => h.cancelled)).toBe(true);
      expect(svg.getAttribute('viewBox')).not.toBe(rest);
      expect(plane.style.transform).toBe('none');
    } finally {
      restore();
    }
  });
});
