/**
 * The model graph: one node per YAML row, laid out by scale (or compact), orthogonal edges, and the
 * designer's gestures: drop a module on a layer / an edge / the canvas, context menus, copy and paste of
 * rows, rewiring by handle drag, multi-select. The parts live in hooks and helpers beside this file:
 * use-model-nodes (nodes), use-model-edges (routed edges), use-view (viewport, compact layout),
 * use-palette-drop (drop and ghost), canvas-actions (menus, keys, clipboard), ContextMenu.
 */
import { useCallback, useRef, useState } from 'react';
import {
  Controls,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type Node,
  type NodeTypes,
} from '@xyflow/react';
import { connectLayers, disconnectInput, moveInput, rewire } from '../edits.ts';
import { editorStore, shownAnalysis, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { ColumnNode, InputNode, LayerNode, SectionNode } from './LayerNode.tsx';
import { ModelEdges } from './ModelEdges.tsx';
import { ConnectingClass } from './FlowHandle.tsx';
import { INPUT_COLOR, categoryColor } from '../../src/core/index.ts';
import { INPUT_ID, layerOfNode, nodeId, worstProblem, type LayerNodeData } from './model-graph.ts';
import { onNodeDragStop, useModelNodes } from './use-model-nodes.ts';
import { useModelEdges, type RouteEdgeData } from './use-model-edges.ts';
import { useCompactLayout, useOpenView, useReveal, useZoomClass } from './use-view.ts';
import { usePaletteDrop } from './use-palette-drop.ts';
import { DropHighlight, DropLabel } from './DropGhost.tsx';
import { ContextMenu, type MenuState, type MenuTarget } from './ContextMenu.tsx';
import { canvasCopy, canvasKey, canvasPaste, menuItems, selection } from './canvas-actions.ts';
import { StaleBanner } from './StaleBanner.tsx';
import { DotBackground } from './DotBackground.tsx';
import { PanLayer } from './PanLayer.tsx';
import { CanvasMinimap } from '../chrome/CanvasMinimap.tsx';
import { useViewCommands } from './use-view-commands.ts';

const nodeTypes: NodeTypes = { layer: LayerNode, image: InputNode, section: SectionNode, column: ColumnNode };
/** The edges are drawn by ModelEdges, not by React Flow (none of its per-edge store subscriptions per pan step). */
const NO_EDGES: Edge[] = [];
const PRO_OPTIONS = { hideAttribution: true };

const minimapColor = (n: Node) =>
  n.type === 'layer'
    ? categoryColor((n.data as LayerNodeData).category)
    : n.type === 'section' || n.type === 'column'
      ? 'transparent'
      : INPUT_COLOR;

/** A layer with an error is marked on the minimap, as its node shows it (LayerNode's `has-error`). */
const minimapError = (n: Node) => n.type === 'layer' && worstProblem(n.data as LayerNodeData) === 'error';

// The canvas's event handlers read the store when called: stable functions, so an edit does not
// hand React Flow new props (which would re-render every node wrapper and minimap node).
function onNodeClick(e: React.MouseEvent, n: Node) {
  const i = layerOfNode(n.id);
  if (i === null) return;
  const s = editorStore.getState();
  if (e.ctrlKey || e.metaKey || e.shiftKey) {
    const cur = selection();
    s.setMulti(cur.includes(i) ? cur.filter((j) => j !== i) : [...cur, i]);
  } else s.select(i, 'canvas');
}

function onNodeDoubleClick(_: React.MouseEvent, n: Node) {
  const i = layerOfNode(n.id);
  if (i !== null) editorStore.getState().lookInside(i);
}

/** A handle dragged from a layer's output to another's input: it reads that layer too. */
function onConnect(c: Connection) {
  const src = c.source === INPUT_ID ? -1 : layerOfNode(c.source);
  const dst = layerOfNode(c.target);
  if (src !== null && dst !== null) connectLayers(src, dst);
}

function onSelectionChange({ nodes: sel }: { nodes: Node[] }) {
  const layers = sel.map((n) => layerOfNode(n.id)).filter((i): i is number => i !== null);
  if (layers.length > 1) editorStore.getState().setMulti(layers);
}

/** An input edge dragged by one of its ends. */
let reconnected = false;
function onReconnectStart() {
  reconnected = false;
}
function onReconnect(old: Edge, c: Connection) {
  reconnected = true;
  const d = old.data as RouteEdgeData;
  const src = c.source === INPUT_ID ? -1 : layerOfNode(c.source);
  const dst = layerOfNode(c.target);
  if (src === null || dst === null) return;
  if (dst !== d.target) moveInput(d.target, d.position, src, dst);
  else if (src !== d.source) {
    // the same input now reads another layer
    const l = shownAnalysis(editorStore.getState()).layers[dst];
    const from = l?.from === null || l?.from === undefined ? [] : Array.isArray(l.from) ? [...l.from] : [l.from];
    from[d.position] = src === dst - 1 ? -1 : src;
    rewire(dst, Array.isArray(l?.from) ? from : from[0], 'canvas');
  }
}
/** Dropped away from any handle: the layer stops reading that input. */
function onReconnectEnd(_: MouseEvent | TouchEvent, edge: Edge, _h: unknown, state: FinalConnectionState) {
  if (reconnected || state.isValid || state.toHandle) return;
  const d = edge.data as RouteEdgeData;
  disconnectInput(d.target, d.position);
}

export function Canvas() {
  const t = useT();
  const wrapper = useRef<HTMLDivElement>(null);
  const stale = useEditor((s) => s.stale);
  const { nodes, onNodesChange } = useModelNodes(t);
  const edges = useModelEdges(nodes);
  useOpenView(wrapper, nodes);
  useReveal();
  useCompactLayout();
  useZoomClass(wrapper);
  useViewCommands();
  const drop = usePaletteDrop(wrapper, edges);
  const { fitView, getNode } = useReactFlow();

  const [menu, setMenu] = useState<MenuState | null>(null);
  const closeMenu = useCallback(() => {
    setMenu(null);
    wrapper.current?.focus({ preventScroll: true });
  }, []);
  const openMenu = useCallback((target: MenuTarget, clientX: number, clientY: number) => {
    const box = wrapper.current?.getBoundingClientRect();
    const w = box?.width ?? 800;
    const h = box?.height ?? 600;
    // inside the canvas, whatever corner it was asked for
    const x = Math.max(4, Math.min(clientX - (box?.left ?? 0), w - 236));
    const y = Math.max(4, Math.min(clientY - (box?.top ?? 0), h - 330));
    setMenu({ target, x, y });
  }, []);

  const onNodeContextMenu = useCallback(
    (e: React.MouseEvent, n: Node) => {
      const i = layerOfNode(n.id);
      if (i === null) return;
      e.preventDefault();
      if (!selection().includes(i)) editorStore.getState().select(i, 'canvas');
      openMenu({ kind: 'node', layer: i }, e.clientX, e.clientY);
    },
    [openMenu],
  );
  const onEdgeContextMenu = useCallback(
    (e: React.MouseEvent, edge: Edge) => {
      e.preventDefault();
      const d = edge.data as RouteEdgeData;
      openMenu({ kind: 'edge', source: d.source, target: d.target, position: d.position }, e.clientX, e.clientY);
    },
    [openMenu],
  );
  const onPaneContextMenu = useCallback(
    (e: MouseEvent | React.MouseEvent) => {
      e.preventDefault();
      openMenu({ kind: 'pane' }, e.clientX, e.clientY);
    },
    [openMenu],
  );
  /** The menu key / Shift+F10: the selected layer's menu beside it, else the canvas's. */
  const keyMenu = useCallback(() => {
    const i = editorStore.getState().selected;
    const el = i !== null ? wrapper.current?.querySelector(`[data-id="${nodeId(i)}"]`) : null;
    const box = el?.getBoundingClientRect() ?? wrapper.current?.getBoundingClientRect();
    if (i !== null && getNode(nodeId(i)) && box) openMenu({ kind: 'node', layer: i }, box.right - 8, box.top + 8);
    else if (box) openMenu({ kind: 'pane' }, box.left + 24, box.top + 24);
  }, [openMenu, getNode]);

  const onPaneClick = useCallback(() => {
    editorStore.getState().select(null, 'canvas');
    wrapper.current?.focus({ preventScroll: true });
  }, []);
  const onNodeClickFocus = useCallback((e: React.MouseEvent, n: Node) => {
    onNodeClick(e, n);
    // keys and the clipboard act on the canvas once a node is clicked
    if (!wrapper.current?.contains(document.activeElement)) wrapper.current?.focus({ preventScroll: true });
  }, []);

  return (
    <div
      ref={wrapper}
      className={`canvas-fill${stale ? ' stale' : ''}`}
      tabIndex={-1}
      onKeyDown={(e) => canvasKey(e, keyMenu)}
      onCopy={(e) => canvasCopy(e, false)}
      onCut={(e) => canvasCopy(e, true)}
      onPaste={canvasPaste}
    >
      <ReactFlow
        nodes={nodes}
        edges={NO_EDGES}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onNodeClick={onNodeClickFocus}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onNodeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onPaneClick={onPaneClick}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
        onConnect={onConnect}
        onSelectionChange={onSelectionChange}
        nodesConnectable={!stale}
        nodesDraggable={!stale}
        minZoom={0.05}
        maxZoom={2.5}
        deleteKeyCode={null}
        proOptions={PRO_OPTIONS}
        aria-label={t('canvas')}
      >
        <DotBackground />
        <PanLayer />
        <ModelEdges
          edges={edges}
          nodes={nodes}
          reconnectable={!stale}
          onContextMenu={onEdgeContextMenu}
          onReconnectStart={onReconnectStart}
          onReconnect={onReconnect}
          onReconnectEnd={onReconnectEnd}
        />
        <Controls showInteractive={false} />
        <CanvasMinimap nodeColor={minimapColor} nodeError={minimapError} />
        <DropHighlight ghost={drop.ghost} />
        <ConnectingClass />
      </ReactFlow>
      <StaleBanner />
      <DropLabel ghost={drop.ghost} />
      {menu && (
        <ContextMenu
          menu={menu}
          items={menuItems(menu.target, { fit: () => void fitView({ padding: 0.06, duration: 200 }) })}
          onClose={closeMenu}
        />
      )}
    </div>
  );
}
