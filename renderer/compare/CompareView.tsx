/**
 * Two designs side by side in place of the canvas: A (the other design: the saved version, a file or a
 * template) on the left, B (the document, live) on the right, each layer marked same / changed / added /
 * removed, and the table of differences below. A layer picked on one side is highlighted on both; a layer
 * of B is selected in the editor too (the inspector and the YAML pane follow). Esc or Close goes back.
 *
 * One file on purpose: the two graphs (DiffGraph) and the view share the linked viewport and the selection.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
  type Node,
  type NodeProps,
  type NodeTypes,
  type Viewport,
} from '@xyflow/react';
import { shapeText, thousands, type DiffChange, type DiffStatus, type ModelAnalysis } from '../../src/core/index.ts';
import { useEditor, type XY } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { InputNode, LayerNode, SectionNode, sectionNode, type LayerNodeType } from '../canvas/LayerNode.tsx';
import { layoutGroups } from '../canvas/layout.ts';
import {
  INPUT_ID,
  NODE_H,
  NODE_W,
  SECTION_PAD as PAD,
  layerNodeData,
  layerOfNode,
  modelEdges,
  nodeId,
  sectionFrames,
  type LayerNodeData,
} from '../canvas/model-graph.ts';
import { compareStore, useCompare, type Other } from './compare-store.ts';
import {
  analyzeOther,
  clip,
  compareModels,
  nodeNote,
  rowOf,
  signedFixed,
  signedPercent,
  signedThousands,
  whatChanged,
  type Comparison,
  type Side,
} from './compare-model.ts';
import { CHANGE_KEY, DiffTable, STATUS_KEY } from './DiffTable.tsx';
import './compare.css';
import { useFlowNodes } from '../canvas/flow-nodes.ts';

/** A compare node: the canvas's layer node and a line for its status and what changed. */
export const DIFF_H = NODE_H + 22;
/** Zoom a graph starts at when the whole model would be smaller (node text stays legible). */
const READABLE_ZOOM = 0.5;
const START: Viewport = { x: 0, y: 0, zoom: 1 };

interface DiffNodeData extends LayerNodeData {
  status: DiffStatus;
  statusText: string;
  note: string;
  detail: string;
}
type DiffNodeType = Node<DiffNodeData, 'diff'>;

const DiffNode = memo(function DiffNode(props: NodeProps<DiffNodeType>) {
  const { data } = props;
  return (
    <div className={`diff-node diff-${data.status}`} title={data.detail || data.statusText}>
      <LayerNode {...(props as unknown as NodeProps<LayerNodeType>)} />
      <div className="diff-foot">
        <span className={`diff-badge ${data.status}`}>{data.statusText}</span>
        {data.note && <span className="diff-note">{data.note}</span>}
      </div>
    </div>
  );
});

const nodeTypes: NodeTypes = { diff: DiffNode, image: InputNode, section: SectionNode };

interface GraphProps {
  side: Side;
  analysis: ModelAnalysis;
  cmp: Comparison;
  /** This side's picked layer. */
  selected: number | null;
  /** Moves to the pick when the graphs are linked and the table asked. */
  leader: boolean;
  linked: boolean;
  title: string;
  viewport: Viewport;
  onViewport(vp: Viewport): void;
  onPick(i: number): void;
}

function DiffGraph({ side, analysis, cmp, selected, leader, linked, title, viewport, onViewport, onPick }: GraphProps) {
  const t = useT();
  const wrapper = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<Record<number, XY> | null>(null);
  const fitted = useRef(false);
  const reveal = useCompare((s) => s.reveal);
  const marks = cmp[side];

  // ELK lays the graph out again only when its structure changes (not on an argument's edit)
  const layoutKey = useMemo(
    () => analysis.layers.map((l) => `${l.row.section[0]}${l.inputs.join(',')}`).join(';'),
    [analysis],
  );
  const latest = useRef(analysis);
  useEffect(() => {
    latest.current = analysis;
  }, [analysis]);
  useEffect(() => {
    const a = latest.current;
    if (!a.layers.length) {
      setPos({});
      return;
    }
    let cancelled = false;
    const nodes = a.layers.map((l) => ({ id: nodeId(l.i), width: NODE_W, height: DIFF_H, group: l.row.section }));
    const edges = modelEdges(a).filter((e) => e.source !== INPUT_ID);
    layoutGroups(nodes, edges)
      .then((p) => {
        if (cancelled) return;
        const next: Record<number, XY> = {};
        for (const [id, xy] of Object.entries(p)) next[layerOfNode(id)!] = xy;
        setPos(next);
        if (!fitted.current) {
          fitted.current = true;
          onViewport(startViewport(next, wrapper.current));
        }
      })
      .catch((e) => console.warn('compare layout failed', e));
    return () => {
      cancelled = true;
    };
    // the layout follows the structure only (onViewport is the parent's fresh closure every render)
  }, [layoutKey]);

  // bring the pick into view when it came from elsewhere (the table, the other graph, the editor)
  useEffect(() => {
    if (reveal.seq === 0 || selected === null || reveal.from === side) return;
    if (linked && !(reveal.from !== 'a' && reveal.from !== 'b' && leader)) return;
    const p = pos?.[selected];
    const el = wrapper.current;
    if (!p || !el) return;
    const zoom = Math.max(viewport.zoom, READABLE_ZOOM);
    onViewport({
      x: el.clientWidth / 2 - (p.x + NODE_W / 2) * zoom,
      y: el.clientHeight / 2 - (p.y + DIFF_H / 2) * zoom,
      zoom,
    });
  }, [reveal.seq]);

  const label = (c: DiffChange) => t(CHANGE_KEY[c]);
  const derived = useMemo<Node[]>(() => {
    if (!pos) return [];
    const ns: Node[] = [];
    const placed = analysis.layers.filter((l) => pos[l.i]);
    for (const f of sectionFrames(analysis.layers, pos, () => ({ width: NODE_W, height: DIFF_H })))
      ns.push(sectionNode(f, t(f.section), -1));
    const first = pos[0];
    if (first) {
      const s = shapeText([analysis.inputChannels, ...analysis.imgsz]);
      ns.push({
        id: INPUT_ID,
        type: 'image',
        position: { x: first.x + (NODE_W - 170) / 2, y: first.y - 76 },
        data: { label: t('image'), shapeText: s },
        selectable: false,
        ariaLabel: `${t('image')} ${s}`,
      });
    }
    for (const l of placed) {
      const mark = marks.get(l.i);
      const status: DiffStatus = mark?.status ?? 'same';
      const row = mark ? cmp.diff.layers[mark.row] : undefined;
      const statusText = t(STATUS_KEY[status]);
      const detail = row ? whatChanged(row, label).join('; ') : '';
      const data: DiffNodeData = {
        ...layerNodeData(l, analysis.diagnostics),
        status,
        statusText,
        note: row ? nodeNote(row, label) : '',
        detail,
      };
      ns.push({
        id: nodeId(l.i),
        type: 'diff',
        position: pos[l.i],
        data,
        selected: l.i === selected,
        ariaLabel: `${t('layer')} ${l.i} ${l.module || '?'}: ${statusText}${detail ? ` (${detail})` : ''}`,
        width: NODE_W,
      });
    }
    return ns;
  }, [pos, analysis, marks, cmp, selected, t]);
  const { nodes, onNodesChange } = useFlowNodes(derived);

  const edges = useMemo<Edge[]>(
    () =>
      modelEdges(analysis).map((e) => {
        const target = layerOfNode(e.target);
        const status = target === null ? undefined : marks.get(target)?.status;
        const hot = selected !== null && (target === selected || layerOfNode(e.source) === selected);
        const className = `${e.implicit ? 'implicit' : 'explicit'}${status === 'added' || status === 'removed' ? ` diff-edge-${status}` : ''}${hot ? ' hot' : ''}`;
        return { id: e.id, source: e.source, target: e.target, className, focusable: false };
      }),
    [analysis, marks, selected],
  );

  const errors = side === 'a' ? cmp.diff.a.errors : cmp.diff.b.errors;
  const sum = side === 'a' ? cmp.diff.a : cmp.diff.b;
  const name = side.toUpperCase();
  return (
    <section className={`compare-side side-${side}`} aria-label={`${name}: ${title}`}>
      <header className="compare-side-head">
        <span className="side-tag">{name}</span>
        <span className="side-title" title={title}>
          {title}
        </span>
        <span className="side-stats">
          <b aria-label={`${t('parameters')} ${name}`}>{thousands(sum.params)}</b> {t('parameters')} ·{' '}
          <b>{Number.isFinite(sum.gflops) ? sum.gflops.toFixed(1) : '–'}</b> {t('gflops')}
          {errors > 0 && <span className="status-errors"> · ⛔ {errors}</span>}
        </span>
      </header>
      <div className="compare-flow" ref={wrapper}>
        <ReactFlow
          nodes={nodes}
          onNodesChange={onNodesChange}
          edges={edges}
          nodeTypes={nodeTypes}
          viewport={viewport}
          onViewportChange={onViewport}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          onNodeClick={(_, n) => {
            const i = layerOfNode(n.id);
            if (i !== null) onPick(i);
          }}
          minZoom={0.05}
          maxZoom={2.5}
          proOptions={{ hideAttribution: true }}
          aria-label={`${name}: ${title}`}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </section>
  );
}

/** The whole model when it fits readably, else a readable zoom at its top, centred. */
function startViewport(pos: Record<number, XY>, el: HTMLElement | null): Viewport {
  const ps = Object.values(pos);
  if (!ps.length) return START;
  const x0 = Math.min(...ps.map((p) => p.x)) - PAD;
  const y0 = Math.min(...ps.map((p) => p.y)) - 90;
  const x1 = Math.max(...ps.map((p) => p.x)) + NODE_W + PAD;
  const y1 = Math.max(...ps.map((p) => p.y)) + DIFF_H + PAD;
  const w = el?.clientWidth || 600;
  const h = el?.clientHeight || 400;
  const fit = Math.min(w / (x1 - x0), h / (y1 - y0), 1);
  const zoom = fit >= READABLE_ZOOM ? fit : Math.min(READABLE_ZOOM, w / (x1 - x0)) || READABLE_ZOOM;
  return {
    x: w / 2 - ((x0 + x1) / 2) * zoom,
    y: fit >= READABLE_ZOOM ? h / 2 - ((y0 + y1) / 2) * zoom : -y0 * zoom + 8,
    zoom,
  };
}

function otherTitle(other: Other, fileName: string, savedLabel: string) {
  return other.kind === 'saved' ? `${fileName} (${savedLabel})` : other.name;
}

export function CompareView() {
  const t = useT();
  const other = useCompare((s) => s.other);
  const changedOnly = useCompare((s) => s.changedOnly);
  const linked = useCompare((s) => s.linked);
  const pickedA = useCompare((s) => s.pickedA);
  const revealSeq = useCompare((s) => s.reveal.seq);
  const revealFrom = useCompare((s) => s.reveal.from);
  const savedText = useEditor((s) => s.savedText);
  const fileName = useEditor((s) => s.file.name);
  const imgsz = useEditor((s) => s.imgsz);
  const B = useEditor((s) => s.analysis);
  const selected = useEditor((s) => s.selected);
  const selectionOrigin = useEditor((s) => s.selectionOrigin);
  const registry = B.registry;

  const textA = other?.kind === 'saved' ? savedText : (other?.text ?? '');
  const nameA = other ? otherTitle(other, fileName, t('savedVersion')) : '';
  // the other side is analysed with the editor's options: input size and module libraries
  const A = useMemo(
    () => analyzeOther(textA, other?.kind === 'saved' ? fileName : nameA, { imgsz, registry }),
    [textA, imgsz, registry],
  );
  const cmp = useMemo(() => compareModels(A, B), [A, B]);

  const selB = pickedA === null && selected !== null && selected < B.layers.length ? selected : null;
  const selA = pickedA ?? (selB !== null ? (cmp.b.get(selB)?.partner ?? null) : null);
  const selectedRow = pickedA !== null ? rowOf(cmp, 'a', pickedA) : selB !== null ? rowOf(cmp, 'b', selB) : null;

  // a selection made in the editor (YAML pane, inspector, find) is brought into view here too
  useEffect(() => {
    if (selected !== null && selectionOrigin !== 'canvas') compareStore.getState().revealPick('editor');
  }, [selected, selectionOrigin]);

  const [vp, setVp] = useState<{ a: Viewport; b: Viewport }>({ a: START, b: START });
  const onViewport = (side: Side) => (v: Viewport) => setVp((cur) => (linked ? { a: v, b: v } : { ...cur, [side]: v }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const el = e.target as HTMLElement | null;
      if (el?.closest?.('input, textarea, select, .cm-editor, [role="menu"]')) return;
      compareStore.getState().close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const pick = useCallback(
    (side: Side, i: number, from: 'table' | 'a' | 'b') =>
      compareStore.getState().pick(side, i, side === 'a' ? (cmp.a.get(i)?.partner ?? null) : null, from),
    [cmp],
  );
  const pickRow = useCallback(
    (k: number) => {
      const l = cmp.diff.layers[k];
      if (l.b) pick('b', l.b.i, 'table');
      else if (l.a) pick('a', l.a.i, 'table');
    },
    [cmp, pick],
  );

  if (!other) return null;
  const d = cmp.diff;
  const leader: Side = selB !== null ? 'b' : 'a';
  const counts = (['same', 'changed', 'added', 'removed'] as const)
    .map((s) => `${d.counts[s]} ${t(STATUS_KEY[s])}`)
    .join(' · ');

  return (
    <div className="compare-view" role="region" aria-label={t('compareTitle')}>
      <div className="compare-bar">
        <h2 className="compare-title">{t('compareTitle')}</h2>
        <span className="compare-totals" aria-label={`${t('total')} ${t('parameters')}`}>
          <b>{thousands(d.params.a)}</b> vs <b>{thousands(d.params.b)}</b> {t('parameters')} (
          <b className={d.params.delta < 0 ? 'down' : d.params.delta > 0 ? 'up' : ''}>
            {signedThousands(d.params.delta)}
          </b>
          {d.params.a ? `, ${signedPercent(d.params.delta, d.params.a)}` : ''})
        </span>
        <span className="compare-totals" aria-label={`${t('total')} ${t('gflops')}`}>
          <b>{d.gflops.a.toFixed(1)}</b> vs <b>{d.gflops.b.toFixed(1)}</b> {t('gflops')} (
          {signedFixed(d.gflops.delta, 1)})
        </span>
        <span className="compare-counts" aria-label={t('rows')}>
          {counts}
        </span>
        {d.header.length > 0 && (
          <span className="compare-header-diff" aria-label={t('modelSettings')}>
            {d.header.map((h, k) => {
              const full = `${h.key}: ${h.a ?? '–'} → ${h.b ?? '–'}`;
              return (
                <span key={h.key} title={full}>
                  {k > 0 ? ' · ' : ''}
                  {h.key}: {clip(h.a ?? '–', 40)} → {clip(h.b ?? '–', 40)}
                </span>
              );
            })}
          </span>
        )}
        <span className="spacer" />
        <label>
          <input
            type="checkbox"
            checked={changedOnly}
            onChange={(e) => compareStore.getState().setChangedOnly(e.target.checked)}
          />{' '}
          {t('changedOnly')}
        </label>
        <label>
          <input
            type="checkbox"
            checked={linked}
            onChange={(e) => {
              compareStore.getState().setLinked(e.target.checked);
              if (e.target.checked) setVp((cur) => ({ a: cur.b, b: cur.b }));
            }}
          />{' '}
          {t('linkViews')}
        </label>
        <button onClick={() => compareStore.getState().close()} title="Esc">
          {t('close')}
        </button>
      </div>
      {/* another comparison starts with fresh layouts and views */}
      <div className="compare-graphs" key={other.kind === 'saved' ? 'saved' : `${other.kind}:${other.name}`}>
        <ReactFlowProvider>
          <DiffGraph
            side="a"
            analysis={A}
            cmp={cmp}
            selected={selA}
            leader={leader === 'a'}
            linked={linked}
            title={nameA}
            viewport={vp.a}
            onViewport={onViewport('a')}
            onPick={(i) => pick('a', i, 'a')}
          />
        </ReactFlowProvider>
        <ReactFlowProvider>
          <DiffGraph
            side="b"
            analysis={B}
            cmp={cmp}
            selected={selB}
            leader={leader === 'b'}
            linked={linked}
            title={`${fileName} (${t('current')})`}
            viewport={vp.b}
            onViewport={onViewport('b')}
            onPick={(i) => pick('b', i, 'b')}
          />
        </ReactFlowProvider>
      </div>
      <DiffTable
        cmp={cmp}
        changedOnly={changedOnly}
        selectedRow={selectedRow}
        scrollSeq={revealFrom === 'table' ? 0 : revealSeq}
        onPick={pickRow}
      />
    </div>
  );
}
