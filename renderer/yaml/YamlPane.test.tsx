// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { forEachDiagnostic } from '@codemirror/lint';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { minimalChange } from '../../src/core/edit/index.ts';
import { YamlPane } from './YamlPane.tsx';

afterEach(cleanup);

/** The pane's editor: made once the page is idle after the pane is shown (jsdom: on the next task). */
async function viewOf(container: HTMLElement): Promise<EditorView> {
  expect(container.querySelector('.cm-editor')).toBeNull();
  await act(() => new Promise((r) => setTimeout(r, 0)));
  return EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement)!;
}

describe('YAML pane', () => {
  it('shows the document, sends typing to the store and shows diagnostics as marks', async () => {
    const t = templateById('yolov5s')!;
    act(() => editorStore.getState().openDocument({ name: t.file, text: t.text }));
    const { container } = render(<YamlPane label="YAML" />);
    const view = await viewOf(container);
    expect(view.state.doc.toString()).toBe(t.text);
    const at = t.text.indexOf('C3, [128]') + 2;
    act(() => view.dispatch({ changes: { from: at, insert: 'x9' } }));
    expect(editorStore.getState().text).toContain('[-1, 3, C3x9, [128]]');
    expect(editorStore.getState().analysis.layers[2].module).toBe('C3x9');
    const marks: string[] = [];
    forEachDiagnostic(view.state, (d) => marks.push(d.message));
    expect(marks.some((m) => m.includes('C3x9'))).toBe(true);
  });

  it("shows the marks' messages in the UI language, switching live", async () => {
    const t = templateById('yolov5s')!;
    act(() => useLang.getState().setLang('en'));
    act(() =>
      editorStore
        .getState()
        .openDocument({ name: t.file, text: t.text.replace('[-1, 3, C3, [128]]', '[-1, 3, C3x9, [128]]') }),
    );
    const { container } = render(<YamlPane label="YAML" />);
    const view = await viewOf(container);
    const marks = () => {
      const out: string[] = [];
      forEachDiagnostic(view.state, (d) => out.push(d.message));
      return out;
    };
    expect(marks().some((m) => m.startsWith("unknown module 'C3x9'"))).toBe(true);
    act(() => useLang.getState().setLang('zh'));
    expect(marks().some((m) => m.startsWith("未知模块 'C3x9'"))).toBe(true);
    expect(marks().some((m) => m.startsWith('unknown module'))).toBe(false);
    act(() => useLang.getState().setLang('en'));
    expect(marks().some((m) => m.startsWith("unknown module 'C3x9'"))).toBe(true);
  });

  it('follows the store: undo replaces the text, selecting a layer highlights its lines', async () => {
    const t = templateById('yolov5s')!;
    act(() => editorStore.getState().openDocument({ name: t.file, text: t.text }));
    const { container } = render(<YamlPane label="YAML" />);
    const view = await viewOf(container);
    act(() => editorStore.getState().setText(t.text.replace('nc: 80', 'nc: 3'), 'canvas'));
    expect(view.state.doc.toString()).toContain('nc: 3');
    act(() => editorStore.getState().undo());
    expect(view.state.doc.toString()).toBe(t.text);
    act(() => editorStore.getState().select(9, 'canvas'));
    const line = container.querySelector('.cm-selected-layer');
    expect(line?.textContent).toContain('SPPF');
  });

  it('computes the smallest replacement', () => {
    expect(minimalChange('abcdef', 'abXYef')).toEqual({ from: 2, to: 4, insert: 'XY' });
    expect(minimalChange('abc', 'abc')).toEqual({ from: 3, to: 3, insert: '' });
    expect(minimalChange('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });
  });
});
