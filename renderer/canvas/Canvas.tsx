/** The model graph: one node per YAML row, edges from `from`, backbone and head grouped, laid out by ELK. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  ReactFlow,
  applyNodeChanges,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { INPUT_COLOR, categoryColor, shapeText } from '../../src/core/index.ts';
import { copyLayers, deleteMany, duplicate, insertModuleAt, pasteLayers, rewire } from '../edits.ts';
import { editorStore, useEditor, type XY } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { InputNode, LayerNode, SectionNode, sectionNode } from './LayerNode.tsx';
import { layoutGroups } from './layout.ts';
import { forgetPositions, loadPositions, savePositions } from './saved-positions.ts';
import {
  INPUT_ID,
  NODE_H,
  NODE_W,
  layerNodeData,
  layerOfNode,
  modelEdges,
  nodeId,
  sectionFrames,
  type LayerNodeData,
} from './model-graph.ts';
import { CanvasMinimap } from '../chrome/CanvasMinimap.tsx';

const nodeTypes: NodeTypes = { layer: LayerNode, image: InputNode, section: SectionNode };
/** The smallest zoom a freshly opened model starts at (node text stays legible). */
const READABLE_ZOOM = 0.6;

/**
 * Place layers that have no position yet beside their first placed input, in the first free spot
 * (existing nodes never move: the layout is stable across edits).
 */
export function placeNew(
  positions: Record<number, XY>,
  count: number,
  inputsOf: (i: number) => number[],
): Record<number, XY> | null {
  const added: Record<number, XY> = {};
  const at = (i: number) => positions[i] ?? added[i];
  const taken = () => [...Object.values(positions), ...Object.values(added)];
  const free = (p: XY) =>
    taken().every((q) => Math.abs(q.x - p.x) >= NODE_W + 12 || Math.abs(q.y - p.y) >= NODE_H + 12);
  for (let i = 0; i < count; i++) {
    if (at(i)) continue;
    const src = inputsOf(i).find((j) => j >= 0 && at(j));
    const prev = src !== undefined ? at(src) : at(i - 1);
    if (!prev) {
      added[i] = { x: 0, y: i * (NODE_H + 30) };
      continue;
    }
    const dy = (NODE_H + 36) / 2;
    const candidates: XY[] = [];
    for (let k = 1; k <= 8; k++) {
      candidates.push(
        { x: prev.x + k * (NODE_W + 40), y: prev.y + dy },
        { x: prev.x - k * (NODE_W + 40), y: prev.y + dy },
      );
    }
    added[i] = candidates.find(free) ?? { x: prev.x + 36, y: prev.y + NODE_H + 30 };
  }
  return Object.keys(added).length ? added : null;
}

/** Where a drop at `p` inserts: on the edge between consecutive rows k-1 -> k it is k; else after the nearest layer. */
export function dropIndex(p: XY, layers: { i: number; inputs: number[] }[], pos: Record<number, XY>): number {
  const center = (i: number) => ({ x: pos[i].x + NODE_W / 2, y: pos[i].y + NODE_H / 2 });
  let best = { d: Infinity, at: layers.length };
  for (const l of layers) {
    if (l.i === 0 || !l.inputs.includes(l.i - 1) || !pos[l.i] || !pos[l.i - 1]) continue;
    const a = { x: pos[l.i - 1].x + NODE_W / 2, y: pos[l.i - 1].y + NODE_H };
    const b = { x: pos[l.i].x + NODE_W / 2, y: pos[l.i].y };
    const d = distToSegment(p, a, b);
    if (d < best.d) best = { d, at: l.i };
  }
  if (best.d <= 60) return best.at;
  let near = { d: Infinity, at: layers.length };
  for (const l of layers) {
    if (!pos[l.i]) continue;
    const c = center(l.i);
    const d = Math.hypot(c.x - p.x, c.y - p.y);
    if (d < near.d) near = { d, at: l.i + 1 };
  }
  return near.at;
}

function distToSegment(p: XY, a: XY, b: XY) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function sameData(a: LayerNodeData, b: LayerNodeData): boolean {
  for (const k of Object.keys(b) as (keyof LayerNodeData)[]) {
    if (k === 'problems') {
      if (
        a.problems.length !== b.problems.length ||
        a.problems.some((p, j) => p.message !== b.problems[j].message || p.severity !== b.problems[j].severity)
      )
        return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

// Stacking: section frames under the edges under the nodes (a selected node is raised by 1000 more).
// No negative z-index: frames below the viewport's own layer split it into several compositor layers,
// which Chromium re-layerizes on every frame of a pan.
const Z_SECTION = 0;
const Z_EDGE = 1;
const Z_NODE = 2;

// The canvas's event handlers read the store when called: stable functions, so an edit does not
// hand React Flow new props (which would re-render every node wrapper and minimap node).
const PRO_OPTIONS = { hideAttribution: true };

const minimapColor = (n: Node) =>
  n.type === 'layer'
    ? categoryColor((n.data as LayerNodeData).category)
    : n.type === 'section'
      ? 'transparent'
      : INPUT_COLOR;

function onNodeClick(e: React.MouseEvent, n: Node) {
  const i = layerOfNode(n.id);
  if (i === null) return;
  const s = editorStore.getState();
  if (e.ctrlKey || e.metaKey || e.shiftKey) {
    const cur = s.multi.length ? s.multi : s.selected !== null ? [s.selected] : [];
    s.setMulti(cur.includes(i) ? cur.filter((j) => j !== i) : [...cur, i]);
  } else s.select(i, 'canvas');
}

function onNodeDoubleClick(_: React.MouseEvent, n: Node) {
  const i = layerOfNode(n.id);
  if (i !== null) editorStore.getState().lookInside(i);
}

function onPaneClick() {
  editorStore.getState().select(null, 'canvas');
}

function onDragOver(e: React.DragEvent) {
  if (e.dataTransfer.types.includes('application/x-yolo-module')) {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }
}

function onConnect(c: Connection) {
  const src = c.source === INPUT_ID ? -1 : layerOfNode(c.source);
  const dst = layerOfNode(c.target);
  if (src === null || dst === null || src >= dst) return;
  const l = editorStore.getState().analysis.layers[dst];
  const rel = src === dst - 1 ? -1 : src;
  if (l?.def?.multiInput) {
    const cur = l.from === null ? [] : Array.isArray(l.from) ? l.from : [l.from];
    rewire(dst, [...cur, rel], 'canvas');
  } else rewire(dst, rel, 'canvas');
}

function onSelectionChange({ nodes: sel }: { nodes: Node[] }) {
  const layers = sel.map((n) => layerOfNode(n.id)).filter((i): i is number => i !== null);
  if (layers.length > 1) editorStore.getState().setMulti(layers);
}

function onKeyDown(e: React.KeyboardEvent) {
  if ((e.target as HTMLElement).closest('input, textarea, .cm-editor')) return;
  const { selected: sel, multi: many } = editorStore.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'v') {
    e.preventDefault();
    pasteLayers(sel);
    return;
  }
  if (sel === null) return;
  const targets = many.length ? many : [sel];
  if (e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    deleteMany(targets);
  } else if (mod && key === 'd') {
    e.preventDefault();
    duplicate(sel);
  } else if (mod && key === 'c') {
    e.preventDefault();
    copyLayers(targets);
  } else if (mod && key === 'x') {
    e.preventDefault();
    copyLayers(targets);
    deleteMany(targets);
  }
}

/** The next node list: derived nodes, unchanged ones keeping their old object (React Flow skips them) and measured size. */
function mergeNodes(prev: Node[], derived: Node[]): Node[] {
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

export function Canvas() {
  const t = useT();
  const analysis = useEditor((s) => s.analysis);
  const positions = useEditor((s) => s.positions);
  const selected = useEditor((s) => s.selected);
  const multi = useEditor((s) => s.multi);
  const layoutSeq = useEditor((s) => s.layoutSeq);
  const reveal = useEditor((s) => s.reveal);
  const { fitView, setCenter, getZoom, screenToFlowPosition, getNodesBounds, setViewport } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const pending = useRef(false);
  const wantFit = useRef(false);

  // Automatic layout: everything on open / "tidy" (layoutSeq), only the new nodes on later edits.
  useEffect(() => {
    const { analysis: a, file, positions: current, tidyLayout } = editorStore.getState();
    if (!a.layers.length) return;
    // positions arranged by hand for this file win over the automatic layout (until "tidy layout")
    const saved = Object.keys(current).length === 0 && !tidyLayout ? loadPositions(file.name, a.layers.length) : null;
    if (saved) {
      editorStore.getState().setPositions(saved);
      wantFit.current = true;
      return;
    }
    forgetPositions(file.name);
    let cancelled = false;
    pending.current = true;
    const nodes = a.layers.map((l) => ({ id: nodeId(l.i), width: NODE_W, height: NODE_H, group: l.row.section }));
    const edges = modelEdges(a).filter((e) => e.source !== INPUT_ID);
    layoutGroups(nodes, edges)
      .then((pos) => {
        if (cancelled) return;
        pending.current = false;
        const next: Record<number, XY> = {};
        for (const [id, p] of Object.entries(pos)) next[layerOfNode(id)!] = p;
        editorStore.getState().setPositions(next);
        wantFit.current = true;
      })
      .catch((e) => {
        pending.current = false;
        console.warn('layout failed', e);
      });
    return () => {
      cancelled = true;
      pending.current = false;
    };
  }, [layoutSeq, fitView]);

  useEffect(() => {
    if (pending.current || !analysis.layers.length) return;
    // the store's positions, not this render's: a layout effect may just have set them
    const added = placeNew(editorStore.getState().positions, analysis.layers.length, (i) => analysis.layers[i].inputs);
    if (added) editorStore.getState().setPositions(added);
  }, [analysis, positions]);

  const inputPos = useMemo<XY>(() => {
    const first = positions[0];
    return first ? { x: first.x + (NODE_W - 170) / 2, y: first.y - 76 } : { x: 0, y: -76 };
  }, [positions]);

  // keep data objects stable when a layer's view did not change, so memoized nodes skip re-rendering
  const dataCache = useRef<LayerNodeData[]>([]);
  const layerData = useMemo(() => {
    const next = analysis.layers.map((l) => {
      const d = layerNodeData(l, analysis.diagnostics);
      const old = dataCache.current[l.i];
      return old && sameData(old, d) ? old : d;
    });
    dataCache.current = next;
    return next;
  }, [analysis]);

  const derivedNodes = useMemo<Node[]>(() => {
    const ns: Node[] = [];
    for (const f of sectionFrames(analysis.layers, positions)) ns.push(sectionNode(f, t(f.section), Z_SECTION));
    if (analysis.layers.length) {
      ns.push({
        id: INPUT_ID,
        type: 'image',
        position: inputPos,
        data: { label: t('image'), shapeText: shapeText([analysis.inputChannels, ...analysis.imgsz]) },
        selectable: false,
        zIndex: Z_NODE,
        ariaLabel: `${t('image')} ${shapeText([analysis.inputChannels, ...analysis.imgsz])}`,
      });
    }
    analysis.layers.forEach((l, k) => {
      const p = positions[l.i];
      if (!p) return;
      ns.push({
        id: nodeId(l.i),
        type: 'layer',
        position: p,
        data: layerData[k],
        selected: selected === l.i || multi.includes(l.i),
        ariaLabel: `${t('layer')} ${l.i} ${l.module || '?'}`,
        width: NODE_W,
        zIndex: Z_NODE,
      });
    });
    return ns;
  }, [analysis, positions, selected, multi, layerData, inputPos, t]);

  // React Flow's node list: the derived nodes merged in during this render (not in an effect, which
  // would commit every edit twice), with React Flow's own changes (measured sizes, drags) applied to it
  const [nodes, setNodes] = useState<Node[]>([]);
  const [mergedFrom, setMergedFrom] = useState<Node[] | null>(null);
  if (mergedFrom !== derivedNodes) {
    setMergedFrom(derivedNodes);
    setNodes((prev) => mergeNodes(prev, derivedNodes));
  }

  const initialized = useNodesInitialized();
  useEffect(() => {
    if (wantFit.current && initialized && nodes.some((n) => n.type === 'layer')) {
      wantFit.current = false;
      // fit the whole model when it is readable so; else start at a readable zoom at its top
      const b = getNodesBounds(nodes.filter((n) => n.type !== 'section'));
      const el = wrapper.current;
      const w = el?.clientWidth ?? 800;
      const h = el?.clientHeight ?? 600;
      const fit = Math.min(w / (b.width + 80), h / (b.height + 80));
      if (fit >= READABLE_ZOOM || !el) void fitView({ padding: 0.06, duration: 0 });
      else
        void setViewport({
          x: w / 2 - (b.x + b.width / 2) * READABLE_ZOOM,
          y: 24 - (b.y - 40) * READABLE_ZOOM,
          zoom: READABLE_ZOOM,
        });
    }
  }, [initialized, nodes, fitView, getNodesBounds, setViewport]);

  const edgeCache = useRef(new Map<string, Edge>());
  const edgeList = useRef<Edge[]>([]);
  const edges = useMemo<Edge[]>(() => {
    const cache = new Map<string, Edge>();
    const out = modelEdges(analysis).map((e) => {
      const target = layerOfNode(e.target);
      const hot = selected !== null && (target === selected || layerOfNode(e.source) === selected);
      const className = `${e.implicit ? 'implicit' : 'explicit'}${hot ? ' hot' : ''}`;
      const old = edgeCache.current.get(e.id);
      const edge =
        old && old.source === e.source && old.target === e.target && old.className === className
          ? old
          : { id: e.id, source: e.source, target: e.target, className, focusable: false, zIndex: Z_EDGE };
      cache.set(e.id, edge);
      return edge;
    });
    edgeCache.current = cache;
    // an edit that changes no edge keeps the array, so React Flow does not rebuild its edge lookups
    const prev = edgeList.current;
    if (out.length !== prev.length || out.some((e, k) => e !== prev[k])) edgeList.current = out;
    return edgeList.current;
  }, [analysis, selected]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, []);

  // a drag ends: the dragged nodes' places enter the store and are kept for this file
  const onNodeDragStop = useCallback((_: unknown, _node: Node, dragged: Node[]) => {
    const moved: Record<number, XY> = {};
    for (const n of dragged) {
      const i = layerOfNode(n.id);
      if (i !== null) moved[i] = { x: n.position.x, y: n.position.y };
    }
    if (!Object.keys(moved).length) return;
    const s = editorStore.getState();
    s.setPositions(moved);
    savePositions(s.file.name, s.analysis.layers.length, editorStore.getState().positions);
  }, []);

  // A module dropped from the palette: onto an edge between consecutive rows inserts it there,
  // elsewhere it goes after the nearest layer.
  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const module = e.dataTransfer.getData('application/x-yolo-module');
      if (!module) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const { analysis: a, positions: pos } = editorStore.getState();
      const at = dropIndex(
        p,
        a.layers.map((l) => ({ i: l.i, inputs: l.inputs })),
        pos,
      );
      insertModuleAt(module, at, 'canvas');
    },
    [screenToFlowPosition],
  );

  // Bring a revealed layer into view.
  useEffect(() => {
    if (reveal.layer === null) return;
    const p = editorStore.getState().positions[reveal.layer];
    if (p) setCenter(p.x + NODE_W / 2, p.y + NODE_H / 2, { zoom: Math.max(getZoom(), 0.8), duration: 200 });
  }, [reveal, setCenter, getZoom]);

  return (
    <div ref={wrapper} className="canvas-fill">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onNodeClick={onNodeClick}
        onNodeDoubleClick={onNodeDoubleClick}
        onPaneClick={onPaneClick}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onConnect={onConnect}
        onSelectionChange={onSelectionChange}
        onKeyDown={onKeyDown}
        minZoom={0.05}
        maxZoom={2.5}
        deleteKeyCode={null}
        proOptions={PRO_OPTIONS}
        aria-label={t('canvas')}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <CanvasMinimap ariaLabel={t('minimap')} nodeColor={minimapColor} />
      </ReactFlow>
    </div>
  );
}
