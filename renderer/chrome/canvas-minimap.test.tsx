// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider, useStoreApi, type Node } from '@xyflow/react';
import { CanvasMinimap } from './CanvasMinimap.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';

beforeEach(() => {
  stubResizeObserver();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

let store: ReturnType<typeof useStoreApi> | null = null;
function StoreOut() {
  store = useStoreApi();
  return null;
}

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
    const d = (sel: string) => container.querySelector(sel)?.getAttribute('d');
    expect(svg.querySelector('title')!.textContent).toBe('Minimap: 1 layer with errors');
    expect(d('.minimap-error-fill')).toBe('M300 0h150v58h-150z');
    expect(d('.minimap-error-dot')).toBe('M375 29h0');
    expect(container.querySelector('.minimap-selected')).toBeNull();

    // a pan: the view box moves, the marks and fills are not built again (no node read, the same elements)
    const calls = nodeColor.mock.calls.length + nodeError.mock.calls.length;
    const dot = container.querySelector('.minimap-error-dot');
    const box = svg.getAttribute('viewBox');
    for (let k = 1; k <= 10; k++) act(() => store!.setState({ transform: [-k * 100, k * 20, 1] }));
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
    expect(svg.querySelector('title')!.textContent).toBe('Minimap: 2 layers with errors');
    // the marks over the nodes' fills and over the mask
    const order = [...svg.querySelectorAll('path')].map((p) => p.getAttribute('class'));
    expect(order.indexOf('minimap-error-dot')).toBeGreaterThan(order.indexOf('react-flow__minimap-mask'));
    expect(order.indexOf('minimap-selected-ring')).toBeGreaterThan(order.lastIndexOf('minimap-fill'));

    // fixed: no marks, no count
    rerender(flow([layer('a', 0, 0), layer('b', 300, 0), layer('c', 0, 200)]));
    expect(container.querySelector('.minimap-errors, .minimap-selected')).toBeNull();
    expect(svg.querySelector('title')!.textContent).toBe('Minimap');
  });
});
