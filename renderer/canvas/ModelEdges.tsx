/**
 * The model canvas's edges, drawn by us as one SVG layer in React Flow's viewport (ViewportLayer), not as React
 * Flow edges.
 * React Flow's EdgeWrapper subscribes each edge to its store three times (its edge, the default options, and
 * its ends, recomputed from both nodes' handles), so every pan step ran ~1000 selectors on a 300-node graph,
 * for edges whose routes (use-model-edges.ts) never change while the view moves. Here nothing subscribes: the
 * layer renders again only when the edges or the nodes change, and the viewport's transform moves it.
 * What a React Flow edge did stays, with the same elements and classes: the path with its arrow and a 14 px
 * wide invisible stroke to point at, a click (selects no node, as React Flow's edge click did), the context
 * menu, and an anchor at each end (at the handle it leaves or enters) dragged to move that end to another
 * handle or away (onReconnect*, through React Flow's XYHandle as its edges do).
 */
import { memo, useMemo, useState } from 'react';
import {
  useStoreApi,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type HandleType,
  type Node,
} from '@xyflow/react';
import type { RouteEdgeData } from './use-model-edges.ts';
import { sizeOfNode, Z_EDGE } from './use-model-nodes.ts';
import { startConnection, type StoreApi } from './FlowHandle.tsx';
import { ViewportLayer } from './ViewportLayer.tsx';

export interface EdgeHandlers {
  onContextMenu: (e: React.MouseEvent, edge: Edge) => void;
  onReconnectStart: () => void;
  onReconnect: (old: Edge, c: Connection) => void;
  onReconnectEnd: (e: MouseEvent | TouchEvent, edge: Edge, h: HandleType, state: FinalConnectionState) => void;
}

const ARROW = 'model-edge-arrow';
/** React Flow's reconnect anchors: radius 10, beyond the handle's centre (2 px off the node's side). */
const ANCHOR_R = 10;
const HANDLE_OUT = 2;

/** Where an edge's end anchors sit: below its source's output handle, above its target's input handle. */
interface Ends {
  sx: number;
  sy: number;
  tx: number;
  ty: number;
}

export const ModelEdges = memo(function ModelEdges({
  edges,
  nodes,
  reconnectable,
  ...on
}: { edges: Edge[]; nodes: Node[]; reconnectable: boolean } & EdgeHandlers) {
  const boxes = useMemo(() => {
    const m = new Map<string, { x: number; y: number; width: number; height: number }>();
    for (const n of nodes)
      if (n.type === 'layer' || n.type === 'image') m.set(n.id, { ...n.position, ...sizeOfNode(n) });
    return m;
  }, [nodes]);
  return (
    <ViewportLayer>
      <svg className="model-edges" style={{ zIndex: Z_EDGE }}>
        <defs>
          <marker
            className="react-flow__arrowhead"
            id={ARROW}
            markerWidth="14"
            markerHeight="14"
            viewBox="-10 -10 20 20"
            markerUnits="strokeWidth"
            orient="auto-start-reverse"
            refX="0"
            refY="0"
          >
            <polyline
              className="arrowclosed"
              strokeLinecap="round"
              strokeLinejoin="round"
              points="-5,-4 0,0 -5,4 -5,-4"
              style={{ strokeWidth: 1, stroke: '#b1b1b7', fill: '#b1b1b7' }}
            />
          </marker>
        </defs>
        {edges.map((e) => {
          const s = boxes.get(e.source);
          const t = boxes.get(e.target);
          if (!s || !t) return null;
          return (
            <ModelEdge
              key={e.id}
              edge={e}
              sx={s.x + s.width / 2}
              sy={s.y + s.height + HANDLE_OUT + ANCHOR_R}
              tx={t.x + t.width / 2}
              ty={t.y - HANDLE_OUT - ANCHOR_R}
              reconnectable={!!(e.reconnectable ?? reconnectable)}
              {...on}
            />
          );
        })}
      </svg>
    </ViewportLayer>
  );
});

/** Drag one end of an edge: the connection starts at the handle the other end keeps. */
function reconnect(
  store: StoreApi,
  event: React.MouseEvent,
  edge: Edge,
  keep: { nodeId: string; type: HandleType },
  on: EdgeHandlers,
  setReconnecting: (b: boolean) => void,
) {
  if (event.button !== 0) return;
  startConnection(store, event.nativeEvent, {
    el: event.currentTarget,
    nodeId: keep.nodeId,
    type: keep.type,
    edgeUpdaterType: keep.type,
    onConnect: (c) => on.onReconnect(edge, c),
    onConnectStart: () => {
      setReconnecting(true);
      on.onReconnectStart();
    },
    onReconnectEnd: (evt, state) => {
      setReconnecting(false);
      on.onReconnectEnd(evt, edge, keep.type, state);
    },
  });
}

const ModelEdge = memo(function ModelEdge({
  edge,
  sx,
  sy,
  tx,
  ty,
  reconnectable,
  ...on
}: { edge: Edge; reconnectable: boolean } & Ends & EdgeHandlers) {
  const store = useStoreApi();
  const [updating, setUpdating] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  const path = (edge.data as RouteEdgeData).route.path;
  const onClick = () => {
    // as React Flow's edge click: no node stays selected (the edges themselves are not kept selected)
    store.setState({ nodesSelectionActive: false });
    store.getState().addSelectedEdges([edge.id]);
  };
  const anchor = (end: 'source' | 'target', cx: number, cy: number) => (
    <circle
      className={`react-flow__edgeupdater react-flow__edgeupdater-${end}`}
      cx={cx}
      cy={cy}
      r={ANCHOR_R}
      stroke="transparent"
      fill="transparent"
      onMouseDown={(e) =>
        reconnect(
          store,
          e,
          edge,
          end === 'source' ? { nodeId: edge.target, type: 'target' } : { nodeId: edge.source, type: 'source' },
          on,
          setReconnecting,
        )
      }
      onMouseEnter={() => setUpdating(true)}
      onMouseOut={() => setUpdating(false)}
    />
  );
  return (
    <g
      className={`react-flow__edge react-flow__edge-route ${edge.className ?? ''} nopan selectable${updating ? ' updating' : ''}`}
      role="img"
      aria-roledescription="edge"
      aria-label={`Edge from ${edge.source} to ${edge.target}`}
      data-id={edge.id}
      data-testid={`rf__edge-${edge.id}`}
      onClick={onClick}
      onContextMenu={(e) => on.onContextMenu(e, edge)}
    >
      {!reconnecting && (
        <>
          <path id={edge.id} markerEnd={`url('#${ARROW}')`} d={path} fill="none" className="react-flow__edge-path" />
          <path d={path} fill="none" strokeOpacity={0} strokeWidth={14} className="react-flow__edge-interaction" />
        </>
      )}
      {reconnectable && anchor('source', sx, sy)}
      {reconnectable && anchor('target', tx, ty)}
    </g>
  );
});
