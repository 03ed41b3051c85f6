/**
 * Children drawn in React Flow's viewport (they move and zoom with the graph), as <ViewportPortal> draws them,
 * but without its store subscription: <ViewportPortal> looks its element up with querySelector on every store
 * change, each pan step, and the element is the viewport's last child, after every node (on a 300-node graph
 * ~0.2 ms a moved frame, profiled). Here it is looked up once, when React Flow has its element.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useStoreApi } from '@xyflow/react';

type StoreApi = ReturnType<typeof useStoreApi>;
const portalOf = (store: StoreApi) =>
  store.getState().domNode?.querySelector<HTMLElement>('.react-flow__viewport-portal') ?? null;

export function ViewportLayer({ children }: { children: ReactNode }) {
  const store = useStoreApi();
  const [el, setEl] = useState(() => portalOf(store));
  useEffect(() => {
    if (el) return;
    // React Flow sets its element after its children's first effects: wait for it, then stop listening
    const found = portalOf(store);
    if (found) {
      setEl(found);
      return;
    }
    const off = store.subscribe(() => {
      const f = portalOf(store);
      if (!f) return;
      off();
      setEl(f);
    });
    return off;
  }, [el, store]);
  return el ? createPortal(children, el) : null;
}
