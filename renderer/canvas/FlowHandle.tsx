/**
 * A layer's input or output handle on the model canvas, subscribed to nothing. React Flow's own <Handle>
 * subscribes each handle to its store, so every pan step ran ~600 selectors on a 300-node graph (one per
 * handle) for a state that changes only while a connection is made. This one renders what <Handle> renders
 * when no connection is under way (the element React Flow measures for the edges' ends and finds under the
 * pointer while connecting: its classes, data-nodeid, data-handleid, data-handlepos, data-id) and starts a
 * connection on mouse down, or by two clicks, through React Flow's own XYHandle, as <Handle> does. What
 * <Handle> drew while a connection is under way (which handles may end it) is one class on the canvas, set by
 * ConnectingClass from a single subscription.
 */
import { memo, useEffect, type MouseEvent as ReactMouseEvent, type TouchEvent as ReactTouchEvent } from 'react';
import {
  Position,
  useNodeId,
  useStore,
  useStoreApi,
  type Connection,
  type FinalConnectionState,
  type HandleType,
  type ReactFlowState,
} from '@xyflow/react';
import { XYHandle, getHostForElement } from '@xyflow/system';

/** The classes <Handle> has while no connection is under way (connectable at both ends). */
export const handleClass = (type: HandleType, position: Position) =>
  `react-flow__handle react-flow__handle-${position} nodrag nopan ${type} connectable connectablestart connectableend connectionindicator`;

export type StoreApi = ReturnType<typeof useStoreApi>;

/** React Flow's onConnect with the default edge options, as <Handle> calls it (the canvas's edges are controlled). */
function connect(store: StoreApi, params: Connection) {
  const { defaultEdgeOptions, onConnect } = store.getState();
  onConnect?.({ ...defaultEdgeOptions, ...params });
}

/**
 * Start a connection from a handle (or, with `edgeUpdaterType`, move an edge's end: the connection starts at the
 * handle the edge keeps), as React Flow's <Handle> and edge anchors start theirs: XYHandle follows the pointer,
 * draws the connection line and finds the handle it ends on.
 */
export function startConnection(
  store: StoreApi,
  event: MouseEvent | TouchEvent,
  from: {
    el: Element;
    nodeId: string;
    type: HandleType;
    edgeUpdaterType?: HandleType;
    onConnect: (c: Connection) => void;
    onConnectStart?: () => void;
    onReconnectEnd?: (evt: MouseEvent | TouchEvent, state: FinalConnectionState) => void;
  },
) {
  const s = store.getState();
  XYHandle.onPointerDown(event, {
    handleDomNode: from.el,
    autoPanOnConnect: s.autoPanOnConnect,
    connectionMode: s.connectionMode,
    connectionRadius: s.connectionRadius,
    domNode: s.domNode,
    nodeLookup: s.nodeLookup,
    lib: s.lib,
    isTarget: from.type === 'target',
    handleId: null,
    nodeId: from.nodeId,
    edgeUpdaterType: from.edgeUpdaterType,
    flowId: s.rfId,
    panBy: s.panBy,
    cancelConnection: s.cancelConnection,
    onConnectStart: (e, params) => {
      from.onConnectStart?.();
      s.onConnectStart?.(e, params);
    },
    onConnectEnd: (...args) => store.getState().onConnectEnd?.(...args),
    onReconnectEnd: from.onReconnectEnd,
    updateConnection: s.updateConnection,
    onConnect: from.onConnect,
    isValidConnection: (...args) => store.getState().isValidConnection?.(...args) ?? true,
    getTransform: () => store.getState().transform,
    getFromHandle: () => store.getState().connection.fromHandle,
    autoPanSpeed: s.autoPanSpeed,
    dragThreshold: s.connectionDragThreshold,
  });
}

/** Connect on click: the first handle clicked starts a connection, a click on a second one ends it. */
function clickConnect(store: StoreApi, event: ReactMouseEvent, nodeId: string, type: HandleType) {
  const s = store.getState();
  const start = s.connectionClickStartHandle;
  if (!start) {
    s.onClickConnectStart?.(event.nativeEvent, { nodeId, handleId: null, handleType: type });
    store.setState({ connectionClickStartHandle: { nodeId, type, id: null } });
    return;
  }
  const { connection, isValid } = XYHandle.isValid(event.nativeEvent, {
    handle: { nodeId, id: null, type },
    connectionMode: s.connectionMode,
    fromNodeId: start.nodeId,
    fromHandleId: start.id ?? null,
    fromType: start.type,
    isValidConnection: s.isValidConnection,
    flowId: s.rfId,
    doc: getHostForElement(event.target as HTMLElement),
    lib: s.lib,
    nodeLookup: s.nodeLookup,
  });
  if (isValid && connection) connect(store, connection);
  if (s.onClickConnectEnd) {
    const { inProgress: _, ...ended } = structuredClone(s.connection);
    const final = { ...ended, toPosition: ended.toHandle ? ended.toHandle.position : null } as FinalConnectionState;
    s.onClickConnectEnd(event.nativeEvent, final);
  }
  store.setState({ connectionClickStartHandle: null });
}

export const FlowHandle = memo(function FlowHandle({ type, position }: { type: HandleType; position: Position }) {
  const store = useStoreApi();
  const nodeId = useNodeId();
  const s = store.getState();
  const onDown = (e: ReactMouseEvent | ReactTouchEvent) => {
    if (!nodeId) return;
    const mouse = 'button' in e.nativeEvent;
    if (!mouse || (e as ReactMouseEvent).button === 0)
      startConnection(store, e.nativeEvent, {
        el: e.currentTarget,
        nodeId,
        type,
        onConnect: (c) => connect(store, c),
      });
  };
  return (
    <div
      data-handleid={null}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${s.rfId}-${nodeId}-null-${type}`}
      className={handleClass(type, position)}
      onMouseDown={onDown}
      onTouchStart={onDown}
      onClick={s.connectOnClick && nodeId ? (e) => clickConnect(store, e, nodeId, type) : undefined}
    />
  );
});

/** While a connection is under way, which end it started from ('source' or 'target'), else null. */
const connectingFrom = (s: ReactFlowState): HandleType | null =>
  s.connection.fromHandle?.type ?? s.connectionClickStartHandle?.type ?? null;

/**
 * One subscription for all FlowHandles: while a connection is under way the canvas carries
 * `connecting-from-source` or `-target`, and handles of that same type take no pointer (styles.css), as
 * <Handle> drops its connectionindicator class then: only an opposite handle can end a connection.
 */
export function ConnectingClass() {
  const from = useStore(connectingFrom);
  const store = useStoreApi();
  useEffect(() => {
    const el = store.getState().domNode;
    if (!el || !from) return;
    const cls = `connecting-from-${from}`;
    el.classList.add(cls);
    return () => el.classList.remove(cls);
  }, [from, store]);
  return null;
}
