/**
 * A React Flow node list derived from our own state, kept the way React Flow needs it: unchanged nodes keep
 * their objects (React Flow skips them) and every node keeps the size React Flow measured.
 *
 * A node passed without `measured` is hidden by React Flow until its ResizeObserver reports a size again.
 * When that report and a new list without sizes reach React in one render, the node never counts as
 * measured in between, its observer is not restarted and its size never changes again: it stays hidden for
 * good. So a derived list is never handed to React Flow as it is; it is merged into React Flow's own list.
 */
import { useCallback, useState } from 'react';
import { applyNodeChanges, type Node, type NodeChange } from '@xyflow/react';

/** The next node list: derived nodes, unchanged ones keeping their old object and measured size. */
export function mergeNodes(prev: Node[], derived: Node[]): Node[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  let same = prev.length === derived.length;
  const next = derived.map((n, k) => {
    const old = byId.get(n.id);
    if (
      old &&
      old.data === n.data &&
      old.selected === n.selected &&
      old.position.x === n.position.x &&
      old.position.y === n.position.y &&
      old.ariaLabel === n.ariaLabel &&
      old.style === n.style
    ) {
      if (prev[k] !== old) same = false;
      return old;
    }
    same = false;
    return old?.measured ? { ...n, measured: old.measured } : n;
  });
  return same ? prev : next;
}

/**
 * React Flow's node list for `derived` (memoise it: a new array is a new list), merged in during this render
 * (not in an effect, which would commit every change twice), with React Flow's own changes (measured sizes,
 * drags, selection) applied to it. `onChange` also sees every change.
 */
export function useFlowNodes(
  derived: Node[],
  onChange?: (changes: NodeChange[]) => void,
): { nodes: Node[]; onNodesChange: (changes: NodeChange[]) => void } {
  const [nodes, setNodes] = useState<Node[]>([]);
  const [mergedFrom, setMergedFrom] = useState<Node[] | null>(null);
  if (mergedFrom !== derived) {
    setMergedFrom(derived);
    setNodes((prev) => mergeNodes(prev, derived));
  }
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      onChange?.(changes);
    },
    [onChange],
  );
  return { nodes, onNodesChange };
}
