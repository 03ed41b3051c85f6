// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { libraryStore } from './library.ts';
import { moduleEditorStore } from './module-editor.ts';
import { editModule } from './actions.ts';
import { ModuleEditor } from './ModuleEditor.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';

beforeEach(() => {
  stubResizeObserver();
  const t = templateById('yolov5n')!;
  act(() => {
    useLang.getState().setLang('en');
    libraryStore.getState().setUser('');
    libraryStore.getState().setModel(null);
    editorStore.getState().openDocument({ name: t.file, text: t.text });
  });
});
afterEach(() => {
  cleanup();
  act(() => useLang.getState().setLang('en'));
});

describe('module editor language', () => {
  it("shows the trial's problems in the UI language, switching live", () => {
    act(() => editModule('SE'));
    // SE keeps its channels: a trial asking for other output channels fails its check
    act(() => moduleEditorStore.getState().setTrial({ c1: 16, rowArgs: '32' }));
    render(<ModuleEditor />);
    const problems = () =>
      screen.getByRole('region', { name: /Try it|试算/ }).querySelector('.module-problems')!.textContent!;
    expect(problems()).toContain('SE keeps its channels: its output channels must equal its input channels');
    act(() => useLang.getState().setLang('zh'));
    expect(problems()).toContain('SE 不改变通道数：输出通道数必须等于输入通道数');
    expect(problems()).toContain('第 0 层 MySE');
    act(() => useLang.getState().setLang('en'));
    expect(problems()).toContain('layer 0 MySE: MySE: SE keeps its channels');
  });

  it('shows a refused edit in the UI language', () => {
    act(() => editModule('SE'));
    render(<ModuleEditor />);
    act(() => void moduleEditorStore.getState().perform({ type: 'setInputs', inputs: [] }));
    expect(screen.getByRole('alert').textContent).toBe('a module has at least one input');
    act(() => useLang.getState().setLang('zh'));
    expect(screen.getByRole('alert').textContent).toBe('模块至少要有一个输入');
  });
});
