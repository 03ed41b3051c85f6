// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider, ViewportPortal } from '@xyflow/react';
import { ViewportLayer } from './ViewportLayer.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';
import { flowStoreOut } from '../testing/flow-store.ts';

beforeEach(() => {
  stubResizeObserver();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const { StoreOut, store } = flowStoreOut();

/** Mount `layer` in a flow, pan 10 steps: how many times the portal element was looked up during the pan. */
function lookupsWhilePanning(layer: React.ReactNode) {
  const look = vi.spyOn(Element.prototype, 'querySelector');
  const { container } = render(
    <ReactFlowProvider>
      <div style={{ width: 400, height: 400 }}>
        <ReactFlow nodes={[]} edges={[]}>
          {layer}
          <StoreOut />
        </ReactFlow>
      </div>
    </ReactFlowProvider>,
  );
  expect(container.querySelector('.react-flow__viewport-portal .drawn')).not.toBeNull();
  const portalLookups = () => look.mock.calls.filter(([sel]) => sel === '.react-flow__viewport-portal').length;
  const before = portalLookups();
  for (let k = 1; k <= 10; k++) act(() => store().setState({ transform: [k, k, 1] }));
  return portalLookups() - before;
}

describe('ViewportLayer', () => {
  it("draws its children in React Flow's viewport and looks nothing up while the view moves", () => {
    expect(lookupsWhilePanning(<ViewportLayer>{<div className="drawn" />}</ViewportLayer>)).toBe(0);
  });

  it("(React Flow's ViewportPortal looks its element up on every pan step)", () => {
    expect(lookupsWhilePanning(<ViewportPortal>{<div className="drawn" />}</ViewportPortal>)).toBeGreaterThanOrEqual(
      10,
    );
  });
});
