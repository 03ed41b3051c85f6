/** Look inside one layer: its primitive operations as a graph; Esc or the breadcrumb goes back. */
import { memo, useEffect, useMemo, useState } from 'react';
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { editorStore, useEditor } from '../store/editor.ts';
import { useLang, useT } from '../i18n.ts';
import { localizeMessage } from '../diagnostics-i18n.ts';
import { insideGraph, type InsideNode } from './inside.ts';
import { layoutGroups } from './layout.ts';

const OP_W = 190;
const OP_H = 58;

const OpNode = memo(function OpNode({ data }: NodeProps<Node<InsideNode & Record<string, unknown>>>) {
  return (
    <div className={`op-node op-${data.kind}`}>
      <Handle type="target" position={Position.Top} />
      <div className="op-title">{data.title}</div>
      {data.detail && <div className="op-detail">{data.detail}</div>}
      <div className="layer-shape">{data.shape}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
const nodeTypes = { op: OpNode };

function InsideGraphView({ layer }: { layer: number }) {
  const analysis = useEditor((s) => s.analysis);
  const g = useMemo(() => insideGraph(analysis, layer), [analysis, layer]);
  const lang = useLang((s) => s.lang);
  const [pos, setPos] = useState<Record<string, { x: number; y: number }> | null>(null);
  const { fitView } = useReactFlow();
  useEffect(() => {
    let cancelled = false;
    layoutGroups(
      g.nodes.map((n) => ({ id: n.id, width: OP_W, height: OP_H, group: 'all' })),
      g.edges,
    ).then((p) => {
      if (cancelled) return;
      setPos(p);
      requestAnimationFrame(() => fitView({ padding: 0.1 }));
    });
    return () => {
      cancelled = true;
    };
  }, [g, fitView]);
  const nodes: Node[] = pos
    ? g.nodes.map((n) => ({
        id: n.id,
        type: 'op',
        position: pos[n.id] ?? { x: 0, y: 0 },
        data: n as unknown as Record<string, unknown>,
        ariaLabel: `${n.title} ${n.shape}`,
        draggable: true,
      }))
    : [];
  const edges: Edge[] = g.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    label: e.label,
    labelBgPadding: [4, 2],
    labelStyle: { fontSize: 10 },
  }));
  return (
    <>
      {g.error && <div className="inside-error">{localizeMessage(g.error, undefined, lang)}</div>}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        minZoom={0.05}
        fitView
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </>
  );
}

export function InsideView({ layer }: { layer: number }) {
  const t = useT();
  const l = useEditor((s) => s.analysis.layers[layer]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') editorStore.getState().lookInside(null);
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
        <span className="hint"> (Esc)</span>
      </nav>
      <ReactFlowProvider>
        <InsideGraphView layer={layer} />
      </ReactFlowProvider>
    </div>
  );
}
