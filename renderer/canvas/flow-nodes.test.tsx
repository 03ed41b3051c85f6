// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import type { Node } from '@xyflow/react';
import { useFlowNodes } from './flow-nodes.ts';

const list = (label: string, selected = 'b'): Node[] =>
  ['a', 'b'].map((id, k) => ({
    id,
    position: { x: 0, y: k * 50 },
    data: { label: `${id} ${label}` },
    selected: id === selected,
  }));

describe('a derived React Flow node list', () => {
  it('keeps the sizes React Flow measured when a new list without sizes arrives (else the nodes hide)', () => {
    let derived = list('one');
    const { result, rerender } = renderHook(() => useFlowNodes(derived));
    expect(result.current.nodes.map((n) => n.measured)).toEqual([undefined, undefined]);
    act(() =>
      result.current.onNodesChange(
        ['a', 'b'].map((id) => ({
          id,
          type: 'dimensions',
          dimensions: { width: 120, height: 40 },
          setAttributes: true,
        })),
      ),
    );
    expect(result.current.nodes.map((n) => n.measured)).toEqual([
      { width: 120, height: 40 },
      { width: 120, height: 40 },
    ]);
    // an edit: every node's data is new, none says its size
    derived = list('two', 'a');
    rerender();
    expect(result.current.nodes.map((n) => (n.data as { label: string }).label)).toEqual(['a two', 'b two']);
    expect(result.current.nodes.map((n) => n.selected)).toEqual([true, false]);
    expect(result.current.nodes.map((n) => n.measured)).toEqual([
      { width: 120, height: 40 },
      { width: 120, height: 40 },
    ]);
  });

  it('keeps unchanged nodes as the same objects and the list itself when nothing changed', () => {
    let derived = list('one');
    const { result, rerender } = renderHook(() => useFlowNodes(derived));
    const first = result.current.nodes;
    derived = list('one');
    rerender();
    // equal content but new data objects: new node objects, so React Flow redraws them
    expect(result.current.nodes).not.toBe(first);
    const second = result.current.nodes;
    rerender();
    expect(result.current.nodes).toBe(second);
    derived = [second[0], { ...second[1], position: { x: 9, y: 50 } }];
    rerender();
    expect(result.current.nodes[0]).toBe(second[0]);
    expect(result.current.nodes[1].position.x).toBe(9);
  });

  it('passes every change on to the caller too', () => {
    const seen: string[] = [];
    const derived = list('one');
    const { result } = renderHook(() => useFlowNodes(derived, (cs) => seen.push(...cs.map((c) => c.type))));
    act(() => result.current.onNodesChange([{ id: 'a', type: 'position', position: { x: 5, y: 5 } }]));
    expect(seen).toEqual(['position']);
    expect(result.current.nodes[0].position).toEqual({ x: 5, y: 5 });
  });
});
