import { useStoreApi } from '@xyflow/react';

export type FlowStore = ReturnType<typeof useStoreApi>;

/**
 * For tests: a component to render inside a flow, and the React Flow store it was last rendered in (to move the
 * view or read the state as React Flow itself would).
 */
export function flowStoreOut(): { StoreOut: () => null; store: () => FlowStore } {
  let current: FlowStore | null = null;
  function StoreOut() {
    current = useStoreApi();
    return null;
  }
  return {
    StoreOut,
    store: () => {
      if (!current) throw new Error('StoreOut was not rendered in a flow');
      return current;
    },
  };
}
