/**
 * The canvas's node list: section frames, the scale columns' titles, the image and one node per layer,
 * derived from the store (the last readable analysis while the text does not parse) and merged into React
 * Flow's own list in the same render, so an edit commits once and unchanged nodes keep their objects (React
 * Flow skips them).
 */
import { useMemo, useRef } from 'react';
import type { Node } from '@xyflow/react';
import { editorStore, shownAnalysis, useEditor, type XY } from '../store/editor.ts';
import type { useT } from '../i18n.ts';
import { sectionNode } from './LayerNode.tsx';
import { useFlowNodes } from './flow-nodes.ts';
import { inputLabel, layoutByScale, nodeDataOf } from './arrange.ts';
import { INPUT_ID, layerOfNode, nodeId, sectionFrames, type LayerNodeData } from './model-graph.ts';
import { inputSize, nodeSize, nodeText } from './node-size.ts';

// Stacking: section frames under the edges under the nodes (a selected node is raised by 1000 more).
// No negative z-index: frames below the viewport's own layer split it into several compositor layers,
// which Chromium re-layerizes on every frame of a pan.
export const Z_SECTION = 0;
export const Z_EDGE = 1;
export const Z_NODE = 2;

function sameData(a: LayerNodeData, b: LayerNodeData): boolean {
  for (const k of Object.keys(b) as (keyof LayerNodeData)[]) {
    if (k === 'problems') {
      if (
        a.problems.length !== b.problems.length ||
        a.problems.some(
          (p, j) =>
            JSON.stringify(p.message) !== JSON.stringify(b.problems[j].message) ||
            p.severity !== b.problems[j].severity,
        )
      )
        return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

/** A layer node's size: as React Flow measured it, else as its text needs. */
export const sizeOfNode = (n: Node): { width: number; height: number } =>
  n.measured?.width && n.measured?.height
    ? { width: n.measured.width, height: n.measured.height }
    : n.type === 'layer'
      ? nodeSize(nodeText(n.data as LayerNodeData))
      : { width: n.width ?? 170, height: n.height ?? 36 };

export function useModelNodes(t: ReturnType<typeof useT>) {
  const analysis = useEditor(shownAnalysis);
  const positions = useEditor((s) => s.positions);
  const selected = useEditor((s) => s.selected);
  const multi = useEditor((s) => s.multi);
  const mode = useEditor((s) => s.layoutMode);

  // keep data objects stable when a layer's view did not change, so memoized nodes skip re-rendering
  const dataCache = useRef<LayerNodeData[]>([]);
  const layerData = useMemo(() => {
    const next = nodeDataOf(analysis).map((d, k) => {
      const old = dataCache.current[k];
      return old && sameData(old, d) ? old : d;
    });
    dataCache.current = next;
    return next;
  }, [analysis]);

  const derived = useMemo<Node[]>(() => {
    const ns: Node[] = [];
    const sizes = layerData.map((d) => nodeSize(nodeText(d)));
    for (const f of sectionFrames(analysis.layers, positions, (i) => sizes[i]))
      ns.push(sectionNode(f, t(f.section), Z_SECTION));
    if (!analysis.layers.length) return ns;
    const shape = inputLabel(analysis);
    const ideal = mode === 'scale' ? layoutByScale(analysis) : null;
    if (ideal) {
      // the scale columns' titles, above the highest node
      const top = Math.min(...Object.values(positions).map((p) => p.y), 0) - 86;
      for (const c of ideal.columns) {
        if (!c.label) continue;
        ns.push({
          id: `column-${c.level}`,
          type: 'column',
          position: { x: c.x, y: top },
          data: { label: c.label },
          style: { width: c.width },
          selectable: false,
          draggable: false,
          focusable: false,
          zIndex: Z_SECTION,
        });
      }
    }
    const first = positions[0];
    const size = inputSize(t('image'), shape);
    const input: XY = ideal
      ? ideal.input
      : first
        ? { x: first.x + (sizes[0].width - size.width) / 2, y: first.y - size.height - 40 }
        : { x: 0, y: -76 };
    ns.push({
      id: INPUT_ID,
      type: 'image',
      position: input,
      data: { label: t('image'), shapeText: shape },
      selectable: false,
      zIndex: Z_NODE,
      ariaLabel: `${t('image')} ${shape}`,
    });
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
        zIndex: Z_NODE,
      });
    });
    return ns;
  }, [analysis, positions, selected, multi, layerData, mode, t]);

  return useFlowNodes(derived);
}

/** A drag ended: the dragged nodes are placed by hand (kept across edits, saves and reopening). */
export function onNodeDragStop(_: unknown, _node: Node, dragged: Node[]) {
  const moved: Record<number, XY> = {};
  for (const n of dragged) {
    const i = layerOfNode(n.id);
    if (i !== null) moved[i] = { x: n.position.x, y: n.position.y };
  }
  if (Object.keys(moved).length) editorStore.getState().setPositions(moved, true);
}
