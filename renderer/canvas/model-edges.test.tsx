// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider, type Edge, type Node, type NodeChange } from '@xyflow/react';
import { ModelEdges, type EdgeHandlers } from './ModelEdges.tsx';
import type { RouteEdgeData } from './use-model-edges.ts';
import { stubResizeObserver } from '../testing/resize-observer.ts';

beforeEach(() => {
  stubResizeObserver();
});
afterEach(cleanup);

const nodes: Node[] = [
  { id: 'L0', type: 'layer', position: { x: 0, y: 0 }, data: {}, measured: { width: 200, height: 58 }, selected: true },
  { id: 'L1', type: 'layer', position: { x: 0, y: 120 }, data: {}, measured: { width: 200, height: 58 } },
];
const path = 'M100,58 L100,120';
const edge = (reconnectable?: boolean): Edge => ({
  id: 'eL0-1-0',
  source: 'L0',
  target: 'L1',
  className: 'implicit hot',
  reconnectable,
  data: {
    route: { points: [], path, enters: 'top' },
    source: 0,
    target: 1,
    position: 0,
  } satisfies RouteEdgeData,
});

function draw(edges: Edge[], on: Partial<EdgeHandlers> = {}, onNodesChange = (_: NodeChange[]) => {}) {
  const handlers: EdgeHandlers = {
    onContextMenu: () => {},
    onReconnectStart: () => {},
    onReconnect: () => {},
    onReconnectEnd: () => {},
    ...on,
  };
  return render(
    <ReactFlowProvider>
      <div style={{ width: 400, height: 400 }}>
        <ReactFlow nodes={nodes} edges={[]} onNodesChange={onNodesChange}>
          <ModelEdges edges={edges} nodes={nodes} reconnectable {...handlers} />
        </ReactFlow>
      </div>
    </ReactFlowProvider>,
  ).container;
}

describe('ModelEdges', () => {
  it("draws each edge in React Flow's viewport as React Flow did: its route with the arrow, a wide stroke to point at", () => {
    const c = draw([edge(true)]);
    const g = c.querySelector('.react-flow__viewport .model-edges g.react-flow__edge[data-id="eL0-1-0"]')!;
    expect([...g.classList]).toEqual(expect.arrayContaining(['implicit', 'hot', 'selectable', 'nopan']));
    expect(g.getAttribute('aria-label')).toBe('Edge from L0 to L1');
    const [drawn, wide] = g.querySelectorAll('path');
    expect(drawn.getAttribute('d')).toBe(path);
    expect(drawn.classList.contains('react-flow__edge-path')).toBe(true);
    expect(drawn.getAttribute('marker-end')).toBe("url('#model-edge-arrow')");
    expect(c.querySelector('marker#model-edge-arrow')).not.toBeNull();
    expect(wide.getAttribute('d')).toBe(path);
    expect(wide.getAttribute('stroke-width')).toBe('14');
    // nothing of it is a React Flow edge
    expect(c.querySelectorAll('.react-flow__edges .react-flow__edge')).toHaveLength(0);
  });

  it('puts an end anchor beyond the handle each end leaves or enters, only where the edge can be moved', () => {
    const anchors = (c: HTMLElement) =>
      [...c.querySelectorAll('circle.react-flow__edgeupdater')].map((a) => [
        a.classList.contains('react-flow__edgeupdater-source') ? 'source' : 'target',
        a.getAttribute('cx'),
        a.getAttribute('cy'),
      ]);
    // below L0's bottom (58) and above L1's top (120), at their middles
    expect(anchors(draw([edge(true)]))).toEqual([
      ['source', '100', '70'],
      ['target', '100', '108'],
    ]);
    cleanup();
    expect(anchors(draw([edge(false)]))).toEqual([]);
  });

  it('hands the edge to the context menu, and a click on it unselects the nodes as a React Flow edge click did', () => {
    const menu = vi.fn();
    const changes: NodeChange[] = [];
    const c = draw([edge(true)], { onContextMenu: menu }, (ch) => changes.push(...ch));
    const g = c.querySelector('g.react-flow__edge')!;
    fireEvent.contextMenu(g);
    expect(menu).toHaveBeenCalledTimes(1);
    expect(menu.mock.calls[0][1].id).toBe('eL0-1-0');
    act(() => void fireEvent.click(g));
    expect(changes).toContainEqual({ id: 'L0', type: 'select', selected: false });
  });
});
