/** The model graph: one node per YAML row, edges from `from`, backbone and head grouped, laid out by ELK. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useNodesInitialized,
  useReactFlow,
  type Edge,
  type Node,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { shapeText } from '../../src/core/index.ts';
import { editorStore, useEditor, type XY } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { InputNode, LayerNode, SectionNode } from './LayerNode.tsx';
import { familyColor } from './families.ts';
import { layoutGroups } from './layout.ts';
import { INPUT_ID, NODE_H, NODE_W, layerNodeData, layerOfNode, modelEdges, nodeId, type LayerNodeData } from './model-graph.ts';

const nodeTypes: NodeTypes = { layer: LayerNode, image: InputNode, section: SectionNode };
const PAD = 24;

/** Place layers that have no position yet next to their first placed input (stable: others stay). */
function placeNew(positions: Record<number, XY>, count: number, inputsOf: (i: number) => number[]): Record<number, XY> | null {
  const added: Record<number, XY> = {};
  const at = (i: number) => positions[i] ?? added[i];
  for (let i = 0; i < count; i++) {
    if (at(i)) continue;
    const src = inputsOf(i).find((j) => j >= 0 && at(j));
    const prev = src !== undefined ? at(src) : at(i - 1);
    added[i] = prev ? { x: prev.x + 36, y: prev.y + NODE_H + 30 } : { x: 0, y: i * (NODE_H + 30) };
  }
  return Object.keys(added).length ? added : null;
}

export function Canvas() {
  const t = useT();
  const analysis = useEditor((s) => s.analysis);
  const positions = useEditor((s) => s.positions);
  const selected = useEditor((s) => s.selected);
  const layoutSeq = useEditor((s) => s.layoutSeq);
  const reveal = useEditor((s) => s.reveal);
  const { fitView, setCenter, getZoom } = useReactFlow();
  const pending = useRef(false);
  const wantFit = useRef(false);

  // Automatic layout: everything on open / "tidy" (layoutSeq), only the new nodes on later edits.
  useEffect(() => {
    const a = editorStore.getState().analysis;
    if (!a.layers.length) return;
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
    const added = placeNew(positions, analysis.layers.length, (i) => analysis.layers[i].inputs);
    if (added) editorStore.getState().setPositions(added);
  }, [analysis, positions]);

  const inputPos = useMemo<XY>(() => {
    const first = positions[0];
    return first ? { x: first.x + (NODE_W - 150) / 2, y: first.y - 76 } : { x: 0, y: -76 };
  }, [positions]);

  const layerData = useMemo(() => {
    // keep data objects stable when a layer's view did not change, so memoized nodes skip re-rendering
    return analysis.layers.map((l) => layerNodeData(l, analysis.diagnostics));
  }, [analysis]);

  const derivedNodes = useMemo<Node[]>(() => {
    const ns: Node[] = [];
    const placed = analysis.layers.filter((l) => positions[l.i]);
    for (const section of ['backbone', 'head'] as const) {
      const members = placed.filter((l) => l.row.section === section);
      if (!members.length) continue;
      const xs = members.map((l) => positions[l.i].x);
      const ys = members.map((l) => positions[l.i].y);
      const x = Math.min(...xs) - PAD;
      const y = Math.min(...ys) - PAD - 18;
      ns.push({
        id: `section-${section}`,
        type: 'section',
        position: { x, y },
        data: { label: t(section), section },
        style: { width: Math.max(...xs) + NODE_W + PAD - x, height: Math.max(...ys) + NODE_H + PAD - y },
        selectable: false,
        draggable: false,
        focusable: false,
        zIndex: -1,
        ariaLabel: t(section),
      });
    }
    if (analysis.layers.length) {
      ns.push({
        id: INPUT_ID,
        type: 'image',
        position: inputPos,
        data: { shapeText: shapeText([analysis.inputChannels, ...analysis.imgsz]) },
        selectable: false,
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
        selected: selected === l.i,
        ariaLabel: `${t('layer')} ${l.i} ${l.module || '?'}`,
        width: NODE_W,
      });
    });
    return ns;
  }, [analysis, positions, selected, layerData, inputPos, t]);

  const [nodes, setNodes] = useState<Node[]>([]);
  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      return derivedNodes.map((n) => {
        const old = byId.get(n.id);
        return old?.measured ? { ...n, measured: old.measured } : n;
      });
    });
  }, [derivedNodes]);

  const initialized = useNodesInitialized();
  useEffect(() => {
    if (wantFit.current && initialized && nodes.some((n) => n.type === 'layer')) {
      wantFit.current = false;
      void fitView({ padding: 0.06, duration: 0 });
    }
  }, [initialized, nodes, fitView]);

  const edges = useMemo<Edge[]>(
    () =>
      modelEdges(analysis).map((e) => {
        const target = layerOfNode(e.target);
        const hot = selected !== null && (target === selected || layerOfNode(e.source) === selected);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          className: `${e.implicit ? 'implicit' : 'explicit'}${hot ? ' hot' : ''}`,
          focusable: false,
        };
      }),
    [analysis, selected],
  );

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
    const moved: Record<number, XY> = {};
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging === false) {
        const i = layerOfNode(c.id);
        if (i !== null) moved[i] = c.position;
      }
    }
    if (Object.keys(moved).length) editorStore.getState().setPositions(moved);
  }, []);

  // Bring a revealed layer into view.
  useEffect(() => {
    if (reveal.layer === null) return;
    const p = editorStore.getState().positions[reveal.layer];
    if (p) setCenter(p.x + NODE_W / 2, p.y + NODE_H / 2, { zoom: Math.max(getZoom(), 0.8), duration: 200 });
  }, [reveal, setCenter, getZoom]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onNodeClick={(_, n) => {
        const i = layerOfNode(n.id);
        if (i !== null) editorStore.getState().select(i, 'canvas');
      }}
      onNodeDoubleClick={(_, n) => {
        const i = layerOfNode(n.id);
        if (i !== null) editorStore.getState().lookInside(i);
      }}
      onPaneClick={() => editorStore.getState().select(null, 'canvas')}
      minZoom={0.05}
      maxZoom={2.5}
      nodesConnectable={false}
      deleteKeyCode={null}
      proOptions={{ hideAttribution: true }}
      aria-label={t('canvas')}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
      <MiniMap
        pannable
        zoomable
        ariaLabel={t('minimap')}
        nodeColor={(n) => (n.type === 'layer' ? familyColor((n.data as LayerNodeData).family) : n.type === 'section' ? 'transparent' : '#334155')}
        nodeStrokeWidth={0}
      />
    </ReactFlow>
  );
}
