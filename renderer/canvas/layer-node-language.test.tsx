// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { ReactFlowProvider, type NodeProps } from '@xyflow/react';
import { analyze, parseModelText } from '../../src/core/index.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { LayerNode, type LayerNodeType } from './LayerNode.tsx';
import { layerNodeData } from './model-graph.ts';

afterEach(() => {
  cleanup();
  act(() => useLang.getState().setLang('en'));
});

describe('layer node language', () => {
  it('shows its problem line and tooltip in the UI language, switching live', () => {
    act(() => useLang.getState().setLang('en'));
    const a = analyze(
      parseModelText(templateById('yolov5s')!.text.replace('[-1, 3, C3, [128]]', '[-1, 3, C3x9, [128]]')),
    );
    const data = layerNodeData(a.layers[2], a.diagnostics);
    const props = { id: 'L2', data, selected: false } as unknown as NodeProps<LayerNodeType>;
    const { container } = render(
      <ReactFlowProvider>
        <LayerNode {...props} />
      </ReactFlowProvider>,
    );
    const node = container.querySelector('.layer-node')!;
    expect(screen.getByRole('status').textContent).toContain("unknown module 'C3x9'");
    expect(node.getAttribute('title')).toContain("unknown module 'C3x9'");
    act(() => useLang.getState().setLang('zh'));
    expect(screen.getByRole('status').textContent).toContain("未知模块 'C3x9'");
    expect(node.getAttribute('title')).toContain("未知模块 'C3x9'");
    act(() => useLang.getState().setLang('en'));
    expect(screen.getByRole('status').textContent).toContain("unknown module 'C3x9'");
  });
});
