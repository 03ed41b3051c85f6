// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { Handle, Position, ReactFlow, ReactFlowProvider, type Node } from '@xyflow/react';
import { ConnectingClass, FlowHandle } from './FlowHandle.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';
import { flowStoreOut } from '../testing/flow-store.ts';

beforeEach(() => {
  stubResizeObserver();
});
afterEach(cleanup);

const RealHandles = () => (
  <>
    <Handle type="target" position={Position.Top} />
    <Handle type="source" position={Position.Bottom} />
  </>
);
const OurHandles = () => (
  <>
    <FlowHandle type="target" position={Position.Top} />
    <FlowHandle type="source" position={Position.Bottom} />
  </>
);
const nodeTypes = { real: RealHandles, ours: OurHandles };
const nodes: Node[] = [
  { id: 'real-node', type: 'real', position: { x: 0, y: 0 }, data: {} },
  { id: 'our-node', type: 'ours', position: { x: 0, y: 100 }, data: {} },
];

/** A handle's classes and data attributes, its node's id written as NODE. */
function described(el: Element) {
  const node = el.getAttribute('data-nodeid')!;
  const attrs = [...el.attributes]
    .filter((a) => a.name.startsWith('data-'))
    .map((a) => `${a.name}=${a.value.replace(node, 'NODE')}`)
    .sort();
  return { classes: [...el.classList].sort(), attrs };
}

const { StoreOut, store } = flowStoreOut();

describe('FlowHandle', () => {
  it("renders what React Flow's Handle renders while no connection is under way (what React Flow measures and checks)", () => {
    const { container } = render(
      <ReactFlowProvider>
        <div style={{ width: 400, height: 400 }}>
          <ReactFlow nodes={nodes} edges={[]} nodeTypes={nodeTypes} />
        </div>
      </ReactFlowProvider>,
    );
    for (const type of ['target', 'source']) {
      const real = container.querySelector(`[data-id="real-node"] .react-flow__handle.${type}`)!;
      const ours = container.querySelector(`[data-id="our-node"] .react-flow__handle.${type}`)!;
      expect(ours.getAttribute('data-nodeid')).toBe('our-node');
      expect(described(ours)).toEqual(described(real));
    }
    expect(container.querySelector('[data-id="our-node"] .react-flow__handle.source')!.getAttribute('data-id')).toBe(
      '1-our-node-null-source',
    );
  });

  it('the canvas carries which end a connection started from while one is under way, for the handles of that end', () => {
    const { container } = render(
      <ReactFlowProvider>
        <div style={{ width: 400, height: 400 }}>
          <ReactFlow nodes={nodes} edges={[]} nodeTypes={nodeTypes}>
            <ConnectingClass />
            <StoreOut />
          </ReactFlow>
        </div>
      </ReactFlowProvider>,
    );
    const flow = container.querySelector('.react-flow')!;
    expect(flow.className).not.toMatch(/connecting-from/);
    const idle = store().getState().connection;
    act(() =>
      store().setState({
        connection: { ...idle, fromHandle: { nodeId: 'our-node', id: null, type: 'source' } } as typeof idle,
      }),
    );
    expect(flow.classList.contains('connecting-from-source')).toBe(true);
    act(() => store().setState({ connection: idle }));
    expect(flow.className).not.toMatch(/connecting-from/);
    // connect on click: the first handle clicked starts one
    act(() => container.querySelector<HTMLElement>('[data-id="our-node"] .react-flow__handle.target')!.click());
    expect(store().getState().connectionClickStartHandle).toEqual({ nodeId: 'our-node', type: 'target', id: null });
    expect(flow.classList.contains('connecting-from-target')).toBe(true);
  });
});
