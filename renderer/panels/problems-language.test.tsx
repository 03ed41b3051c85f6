// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { libraryStore } from '../modules/library.ts';
import { ProblemsPanel } from './Problems.tsx';

const open = (id: string, edit: (t: string) => string) => {
  const t = templateById(id)!;
  act(() => editorStore.getState().openDocument({ name: t.file, text: edit(t.text) }, { imgsz: t.imgsz }));
};

beforeEach(() => {
  act(() => useLang.getState().setLang('en'));
});
afterEach(() => {
  cleanup();
  act(() => libraryStore.getState().setModel(null));
  act(() => useLang.getState().setLang('en'));
});

describe('problems panel language', () => {
  it("switches the model's and the libraries' problems between English and Chinese as the language changes", () => {
    open('yolov5s', (t) => t.replace('[-1, 3, C3, [128]]', '[-1, 3, C3x9, [128]]'));
    act(() =>
      libraryStore
        .getState()
        .setModel({ file: 'yolov5s.modules.yaml', text: 'Conv: {args: [c1, c2], body: [{id: y, op: pass}]}\n' }),
    );
    render(<ProblemsPanel />);
    const english =
      "unknown module 'C3x9'; did you mean C3x? (known: the YOLOv5 modules, Bottle2neck, C3_Res2Block and your own)";
    const libEnglish = 'Conv: Conv is a built-in module; give yours another name';
    const pane = screen.getByRole('region', { name: 'Problems' });
    expect(within(pane).getAllByRole('button')[0].textContent).toContain(english);
    expect(within(pane).getByRole('list', { name: 'Module library problems' }).textContent).toContain(libEnglish);

    act(() => useLang.getState().setLang('zh'));
    const zhPane = screen.getByRole('region', { name: '问题' });
    const first = within(zhPane).getAllByRole('button')[0].textContent!;
    expect(first).toContain("未知模块 'C3x9'；是否想写 C3x？");
    expect(first).toContain('层 2');
    expect(first).not.toContain('unknown module');
    const lib = within(zhPane).getByRole('list', { name: '模块库问题' }).textContent!;
    expect(lib).toContain('yolov5s.modules.yaml:1:1');
    expect(lib).toContain('Conv：Conv 是内置模块；请给你的模块换个名字');

    act(() => useLang.getState().setLang('en'));
    expect(within(screen.getByRole('region', { name: 'Problems' })).getAllByRole('button')[0].textContent).toContain(
      english,
    );
  });
});
