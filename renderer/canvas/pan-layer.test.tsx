// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider, type InternalNode, type Node } from '@xyflow/react';
import { PANNING, PanLayer, backdropBox } from './PanLayer.tsx';
import { DotBackground } from './DotBackground.tsx';
import { useView } from '../chrome/view-store.ts';
import { stubResizeObserver } from '../testing/resize-observer.ts';
import { flowStoreOut } from '../testing/flow-store.ts';
import { recordAnimations, type RecordedAnimation } from '../testing/animations.ts';

let animations: RecordedAnimation[] = [];
let restore = () => {};

beforeEach(() => {
  stubResizeObserver();
  ({ animations, restore } = recordAnimations());
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  restore();
});

const { StoreOut, store } = flowStoreOut();

const NODES: Node[] = [
  { id: 'a', position: { x: -300, y: 40 }, data: {}, width: 100, height: 40 },
  { id: 'b', position: { x: 900, y: 2000 }, data: {}, width: 120, height: 60 },
];

function mount() {
  const { container } = render(
    <ReactFlowProvider>
      <div style={{ width: 400, height: 300 }}>
        <ReactFlow nodes={NODES} edges={[]}>
          <DotBackground />
          <PanLayer />
          <StoreOut />
        </ReactFlow>
      </div>
    </ReactFlowProvider>,
  );
  const root = container.querySelector<HTMLElement>('.react-flow')!;
  const viewport = container.querySelector<HTMLElement>('.react-flow__viewport')!;
  const dots = container.querySelector<HTMLElement>('.dot-layer')!;
  return { root, viewport, dots };
}

const shown = (el: Element) => {
  const a = animations.filter((h) => h.el === el && !h.cancelled);
  expect(a.length).toBeLessThanOrEqual(1);
  return a[0]?.frames.map((f) => f.transform);
};

describe('PanLayer: the graph is a layer of its own while the pane is dragged', () => {
  it('covers every node and the viewport element itself with the backdrop, plus a margin', () => {
    const nodes = NODES.map(
      (n) =>
        ({
          ...n,
          measured: { width: n.width, height: n.height },
          internals: { positionAbsolute: n.position },
        }) as InternalNode,
    );
    expect(backdropBox(nodes, { width: 400, height: 300 })).toEqual({ x: -500, y: -160, w: 1720, h: 2420 });
    // the viewport's own box (0, 0, 400 x 300) when the nodes are all far from it
    const far = [{ ...nodes[1], internals: { positionAbsolute: { x: 5000, y: 5000 } } } as InternalNode];
    expect(backdropBox(far, { width: 400, height: 300 })).toEqual({ x: 0, y: 0, w: 5320, h: 5260 });
    expect(backdropBox([{ ...nodes[0], hidden: true }], { width: 400, height: 300 })).toEqual({
      x: 0,
      y: 0,
      w: 400,
      h: 300,
    });
  });

  it('starts on the first moved frame of a drag, holds the viewport and the dots at what is written, and ends with the drag', () => {
    const { root, viewport, dots } = mount();
    // a press alone (a click on the pane) makes no layer
    act(() => store().setState({ paneDragging: true }));
    expect(root.classList.contains(PANNING)).toBe(false);
    expect(animations).toHaveLength(0);

    act(() => store().setState({ transform: [10, 20, 0.5] }));
    expect(root.classList.contains(PANNING)).toBe(true);
    expect(viewport.style.getPropertyValue('--backdrop-x')).toBe('-500px');
    expect(viewport.style.getPropertyValue('--backdrop-h')).toBe('2420px');
    // held at the transform React Flow writes in the viewport's style, and at the dots' own
    expect(shown(viewport)).toEqual(['translate(10px,20px) scale(0.5)', 'translate(10px,20px) scale(0.5)']);
    expect(shown(dots)).toEqual([dots.style.transform, dots.style.transform]);

    act(() => store().setState({ transform: [-35, 7, 0.5] }));
    expect(shown(viewport)).toEqual(['translate(-35px,7px) scale(0.5)', 'translate(-35px,7px) scale(0.5)']);
    expect(viewport.style.transform).toBe('translate(-35px,7px) scale(0.5)');
    expect(shown(dots)).toEqual([dots.style.transform, dots.style.transform]);
    expect(animations).toHaveLength(2);

    act(() => store().setState({ paneDragging: false }));
    expect(root.classList.contains(PANNING)).toBe(false);
    expect(animations.every((a) => a.cancelled)).toBe(true);

    // a zoom or a move that is not a drag makes none
    act(() => store().setState({ transform: [0, 0, 1] }));
    expect(root.classList.contains(PANNING)).toBe(false);
    expect(animations).toHaveLength(2);
  });

  it('treats a drag on the minimap (navigating) as a drag of the pane', () => {
    const { root, viewport } = mount();
    act(() => useView.getState().setNavigating(true));
    expect(root.classList.contains(PANNING)).toBe(false);
    // the minimap moves the view by setViewport: React Flow's own gesture ends with each move
    act(() => store().setState({ transform: [40, 0, 1], paneDragging: false }));
    expect(root.classList.contains(PANNING)).toBe(true);
    act(() => store().setState({ transform: [80, 0, 1] }));
    expect(shown(viewport)).toEqual(['translate(80px,0px) scale(1)', 'translate(80px,0px) scale(1)']);
    act(() => useView.getState().setNavigating(false));
    expect(root.classList.contains(PANNING)).toBe(false);
    expect(animations.every((a) => a.cancelled)).toBe(true);
  });
});
