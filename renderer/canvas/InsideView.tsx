/**
 * Look inside one layer: its primitive operations as a graph, nested in boxes as PyTorch nests its modules
 * (each Bottleneck / Bottle2neck with its own parameters, collapsible to one node); edges routed and
 * labelled by ELK so that no label sits on another. Esc or the breadcrumb goes back.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { thousands } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { useMessageText } from '../messages.ts';

import { collapse, defaultCollapsed, insideGraph, type InsideGraph, type InsideNode } from './inside.ts';
import { layoutInside, OP_W, titleLines, type InsideLayout } from './inside-layout.ts';
import { useFlowNodes } from './flow-nodes.ts';

type Toggle = (groupId: string) => void;

const OpNode = memo(function OpNode({
  data,
}: NodeProps<Node<InsideNode & { toggle?: Toggle } & Record<string, unknown>>>) {
  const t = useT();
  return (
    <div className={`op-node op-${data.kind}${titleLines(data.title) > 1 ? ' op-wrap' : ''}`}>
      <Handle type="target" position={Position.Top} />
      <div className="op-title" title={data.title}>
        {data.kind === 'group' && data.toggle && (
          <button
            className="group-toggle nodrag"
            aria-label={`${t('expand')} ${data.title}`}
            aria-expanded={false}
            onClick={() => data.toggle!(data.id)}
          >
            <ChevronRight size={14} aria-hidden />
          </button>
        )}
        {data.title}
      </div>
      {data.detail && (
        <div className="op-detail" title={data.detail}>
          {data.detail}
        </div>
      )}
      <div className="layer-shape">{data.shape}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});

interface BlockData {
  id: string;
  path: string;
  type: string;
  params: number;
  toggle: Toggle;
  [k: string]: unknown;
}

/** An expanded group: a box with its class, path and parameters, and a button that collapses it. */
const BlockNode = memo(function BlockNode({ data }: NodeProps<Node<BlockData>>) {
  const t = useT();
  return (
    <div className="inside-block" role="group" aria-label={`${data.type} ${data.path}`}>
      <div className="inside-block-head">
        <button
          className="group-toggle nodrag"
          aria-label={`${t('collapse')} ${data.type} ${data.path}`}
          aria-expanded
          onClick={() => data.toggle(data.id)}
        >
          <ChevronDown size={14} aria-hidden />
        </button>
        <b>{data.type}</b> <span className="mono">{data.path}</span>
        <span className="inside-block-params">
          {thousands(data.params)} {t('params')}
        </span>
      </div>
    </div>
  );
});

const nodeTypes = { op: OpNode, block: BlockNode };

/** An edge along ELK's route, its label where ELK kept room for it. */
function RoutedEdge({ data, markerEnd }: EdgeProps<Edge<{ route: InsideLayout['edges'][string]; label: string }>>) {
  const r = data?.route;
  if (!r) return null;
  const d = r.points.map((p, k) => `${k ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
  return (
    <>
      <BaseEdge path={d} markerEnd={markerEnd} />
      {r.label && data.label && (
        <EdgeLabelRenderer>
          <div
            className="inside-edge-label"
            style={{
              transform: `translate(${r.label.x}px, ${r.label.y}px)`,
              width: r.label.width,
              height: r.label.height,
            }}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
const edgeTypes = { routed: RoutedEdge };

/** React Flow nodes for a laid-out graph: groups first (parents before children), positions relative. */
function flowNodes(g: InsideGraph, lay: InsideLayout, toggle: Toggle): Node[] {
  const out: Node[] = [];
  for (const grp of g.groups) {
    const b = lay.boxes[grp.id];
    if (!b) continue;
    out.push({
      id: grp.id,
      type: 'block',
      position: { x: b.x, y: b.y },
      style: { width: b.width, height: b.height },
      data: { id: grp.id, path: grp.path, type: grp.type, params: grp.params, toggle },
      ...(grp.parent ? { parentId: grp.parent } : {}),
      draggable: false,
      selectable: false,
      zIndex: 0,
    });
  }
  for (const n of g.nodes) {
    const b = lay.boxes[n.id];
    if (!b) continue;
    out.push({
      id: n.id,
      type: 'op',
      position: { x: b.x, y: b.y },
      style: { width: OP_W, height: b.height },
      data: { ...n, toggle } as unknown as Record<string, unknown>,
      ariaLabel: `${n.title} ${n.shape}`,
      ...(n.group ? { parentId: n.group } : {}),
      draggable: false,
      zIndex: 1,
    });
  }
  return out;
}

/** The least zoom the view opens at: text stays readable (11.5 px type at 0.85 is about 10 px). */
export const READABLE_ZOOM = 0.85;

/** Where the view opens: all of it when it fits at a readable zoom, else its top, centred across. */
export function insideViewport(lay: Pick<InsideLayout, 'width' | 'height'>, w: number, h: number) {
  const pad = 24;
  const fit = Math.min((w - 2 * pad) / Math.max(lay.width, 1), (h - 2 * pad) / Math.max(lay.height, 1));
  const zoom = Math.min(1, Math.max(READABLE_ZOOM, fit));
  const x = lay.width * zoom <= w - 2 * pad ? (w - lay.width * zoom) / 2 : pad;
  const y = lay.height * zoom <= h - 2 * pad ? (h - lay.height * zoom) / 2 : pad;
  return { x, y, zoom };
}

function InsideGraphView({ layer }: { layer: number }) {
  const t = useT();
  const analysis = useEditor((s) => s.analysis);
  const full = useMemo(() => insideGraph(analysis, layer), [analysis, layer]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => defaultCollapsed(full));
  useEffect(() => setCollapsed(defaultCollapsed(full)), [full]);
  const g = useMemo(() => collapse(full, collapsed), [full, collapsed]);
  const words = useMessageText();
  const [lay, setLay] = useState<{ g: InsideGraph; layout: InsideLayout } | null>(null);
  const { setViewport } = useReactFlow();
  const box = useRef<HTMLDivElement>(null);
  const toggle = useCallback<Toggle>(
    (id) =>
      setCollapsed((cur) => {
        const next = new Set(cur);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  /** The graph the view was last placed for: a block opened or closed keeps the view where it is. */
  const placedFor = useRef<InsideGraph | null>(null);
  useEffect(() => {
    let cancelled = false;
    void layoutInside(g).then((layout) => {
      if (cancelled) return;
      setLay({ g, layout });
      // readable first: the whole when it fits at a readable zoom, else its top at that zoom (scroll for the rest)
      const el = box.current;
      if (el && placedFor.current !== full) {
        placedFor.current = full;
        void setViewport(insideViewport(layout, el.clientWidth, el.clientHeight));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [g, full, setViewport]);
  const derived = useMemo(() => (lay ? flowNodes(lay.g, lay.layout, toggle) : []), [lay, toggle]);
  const { nodes, onNodesChange } = useFlowNodes(derived);
  const edges: Edge[] = useMemo(
    () =>
      lay
        ? lay.g.edges.map((e) => ({
            id: e.id,
            source: e.source,
            target: e.target,
            type: 'routed',
            data: { route: lay.layout.edges[e.id], label: e.label },
            markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
            zIndex: 2,
          }))
        : [],
    [lay],
  );
  const all = full.groups.map((x) => x.id);
  return (
    <>
      <div className="inside-tools">
        {full.groups.length > 0 && (
          <>
            <button className="link" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
              {t('expandAll')}
            </button>
            <button
              className="link"
              onClick={() => setCollapsed(new Set(all))}
              disabled={all.every((id) => collapsed.has(id))}
            >
              {t('collapseAll')}
            </button>
          </>
        )}
        {full.error && <span className="inside-error">{words(full.error)}</span>}
      </div>
      <div className="inside-flow" ref={box}>
        <ReactFlow
          nodes={nodes}
          onNodesChange={onNodesChange}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesConnectable={false}
          nodesDraggable={false}
          proOptions={{ hideAttribution: true }}
          minZoom={0.05}
          maxZoom={2}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </>
  );
}

export function InsideView({ layer }: { layer: number }) {
  const t = useT();
  const l = useEditor((s) => s.analysis.layers[layer]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) editorStore.getState().lookInside(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="inside-view" aria-label={`${t('lookInside')}: ${t('layer')} ${layer} ${l?.module ?? ''}`}>
      <nav className="breadcrumb" aria-label="breadcrumb">
        <button className="link" onClick={() => editorStore.getState().lookInside(null)}>
          {t('model')}
        </button>
        <span aria-hidden> › </span>
        <span>
          {t('layer')} {layer} {l?.module}
        </span>
        {l && (
          <span className="hint">
            {' '}
            · {thousands(l.params)} {t('params')} (Esc)
          </span>
        )}
      </nav>
      <ReactFlowProvider>
        <InsideGraphView layer={layer} />
      </ReactFlowProvider>
    </div>
  );
}
