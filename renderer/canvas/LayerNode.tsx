/** One YAML row on the canvas: index, module, resolved arguments, output shape, parameters. */
import { memo } from 'react';
import { Position, type Node, type NodeProps } from '@xyflow/react';
import { FlowHandle } from './FlowHandle.tsx';
import { categoryColor } from '../../src/core/index.ts';
import { worstProblem, type InputNodeData, type LayerNodeData, type SectionFrame } from './model-graph.ts';
import { useMessageText } from '../messages.ts';
import { ErrorIcon, WarningIcon } from './icons.tsx';
import { overviewText } from './node-size.ts';

export type LayerNodeType = Node<LayerNodeData, 'layer'>;
export type InputNodeType = Node<InputNodeData, 'image'>;

export const LayerNode = memo(function LayerNode({ data, selected }: NodeProps<LayerNodeType>) {
  const color = categoryColor(data.category);
  const worst = worstProblem(data);
  const words = useMessageText();
  const messages = data.problems.map((p) => words(p.message));
  return (
    <div
      className={`layer-node${selected ? ' selected' : ''}${worst ? ` has-${worst}` : ''}`}
      style={{ ['--family' as string]: color }}
      data-layer={data.i}
      title={messages.join('\n') || undefined}
    >
      <FlowHandle type="target" position={Position.Top} />
      <div className="layer-node-head">
        <span className="layer-index">{data.i}</span>
        <span className="layer-module">{data.module}</span>
        {data.n > 1 && <span className="layer-repeat">×{data.n}</span>}
        <span className="layer-params" aria-label="layer parameters">
          {data.paramsText}
        </span>
      </div>
      <div className="layer-node-body">
        <span className="layer-shape">{data.shapeText}</span>
        <span className="layer-args">{data.argsText}</span>
      </div>
      {worst && (
        <div className={`layer-problem ${worst}`} role="status" aria-label={`${worst}: ${messages[0]}`}>
          {worst === 'error' ? <ErrorIcon /> : <WarningIcon />}{' '}
          <span className="layer-problem-text">{messages[0]}</span>
        </div>
      )}
      {/* zoomed out (the canvas's .overview): the module name alone, 12 px on screen */}
      <div className="layer-overview" aria-hidden="true">
        {overviewText(data)}
      </div>
      <FlowHandle type="source" position={Position.Bottom} />
    </div>
  );
});

export const InputNode = memo(function InputNode({ data }: NodeProps<InputNodeType>) {
  return (
    <div className="input-node">
      <span className="layer-module">{data.label}</span>
      <span className="layer-shape">{data.shapeText}</span>
      <FlowHandle type="source" position={Position.Bottom} />
    </div>
  );
});

export interface SectionNodeData {
  [key: string]: unknown;
  label: string;
  section: 'backbone' | 'head';
}
export type SectionNodeType = Node<SectionNodeData, 'section'>;

/** The frame behind a section's nodes (canvas and compare view), inert: not selectable, draggable or focusable. */
export function sectionNode(f: SectionFrame, label: string, zIndex: number): SectionNodeType {
  return {
    id: `section-${f.section}`,
    type: 'section',
    position: { x: f.x, y: f.y },
    data: { label, section: f.section },
    style: { width: f.width, height: f.height },
    selectable: false,
    draggable: false,
    focusable: false,
    zIndex,
    ariaLabel: label,
  };
}

export const SectionNode = memo(function SectionNode({ data }: NodeProps<SectionNodeType>) {
  return (
    <div className={`section-node ${data.section}`} aria-label={data.label}>
      <span className="section-label">{data.label}</span>
    </div>
  );
});

/** A scale column's title (by-scale layout): "P3/8". */
export const ColumnNode = memo(function ColumnNode({ data }: NodeProps<Node<{ label: string }, 'column'>>) {
  return <div className="column-node">{data.label}</div>;
});
