// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { BrowserHost, setHost } from '../host/index.ts';
import { USER_MODULES_KEY } from '../host/browser.ts';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { messageText } from '../messages.ts';
import { Palette } from '../panels/Palette.tsx';
import { ProblemsPanel } from '../panels/Problems.tsx';
import { libraryStore } from './library.ts';
import { moduleEditorStore } from './module-editor.ts';
import { deleteModule, editModule, newModule, saveModule } from './actions.ts';
import { openFile } from '../commands.ts';

const yolov5n = templateById('yolov5n')!;

beforeEach(() => {
  localStorage.clear();
  setHost(new BrowserHost(localStorage));
  act(() => {
    useLang.getState().setLang('en');
    libraryStore.getState().setUser('');
    libraryStore.getState().setModel(null);
    editorStore.getState().openDocument({ name: yolov5n.file, text: yolov5n.text });
  });
});
afterEach(cleanup);

/** New module, made a channel gate: Conv(c1, c2, 1) -> sigmoid -> times x. */
function defineGate(name = 'Gate') {
  newModule();
  const m = moduleEditorStore.getState();
  expect(m.perform({ type: 'setInfo', key: 'name', value: name })).toBe(true);
  m.perform({ type: 'addNode', node: { op: 'nn.Sigmoid' } });
  m.perform({ type: 'addNode', node: { op: 'mul' } });
  m.perform({ type: 'connect', source: 'x', target: 2 });
  moduleEditorStore.setState({ target: 'user' });
}

/** The toast's words in the current language. */
const toastText = () => {
  const m = editorStore.getState().message;
  return m && messageText(m.message, useLang.getState().lang);
};

describe('saving modules from the module editor', () => {
  it("saves into the user's modules.yaml, the palette offers it, the model uses it with exact params", async () => {
    defineGate();
    expect(await act(() => saveModule())).toBe(true);
    expect(localStorage.getItem(USER_MODULES_KEY)).toMatch(/^Gate:\n {2}description:/m);
    render(<Palette />);
    within(screen.getByRole('group', { name: 'My modules' })).getByLabelText('Gate');
    const text = yolov5n.text.replace('[-1, 6, C3, [256]], # 4', '[-1, 6, C3, [256]], # 4\n    [-1, 1, Gate, [256]],');
    act(() => editorStore.getState().setText(text, 'yaml'));
    const l = editorStore.getState().analysis.layers[5];
    expect(l.module).toBe('Gate');
    expect(l.params).toBe(64 * 64 + 2 * 64);
    expect(l.shape).toEqual([64, 80, 80]);
    expect(editorStore.getState().analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses to save a module that would not read back, saying why, and writes nothing', async () => {
    defineGate();
    moduleEditorStore.getState().perform({ type: 'setNode', index: 1, node: { id: 'sigmoid1', op: 'Frobnicate' } });
    expect(await act(() => saveModule())).toBe(false);
    const error = moduleEditorStore.getState().error;
    expect(error && messageText(error, 'en')).toMatch(/Not saved: .*unknown op 'Frobnicate'/);
    expect(localStorage.getItem(USER_MODULES_KEY)).toBeNull();
  });

  it('renaming a saved module renames it in the open model (one undo step), deleting removes it', async () => {
    defineGate();
    await act(() => saveModule());
    act(() =>
      editorStore
        .getState()
        .setText(
          yolov5n.text.replace('[-1, 6, C3, [256]], # 4', '[-1, 6, C3, [256]], # 4\n    [-1, 1, Gate, [256]],'),
          'yaml',
        ),
    );
    editModule('Gate');
    expect(moduleEditorStore.getState().original).toBe('Gate');
    moduleEditorStore.getState().perform({ type: 'setInfo', key: 'name', value: 'ChannelGate' });
    expect(await act(() => saveModule())).toBe(true);
    expect(libraryStore.getState().user.text).not.toMatch(/^Gate:/m);
    expect(editorStore.getState().analysis.layers[5].module).toBe('ChannelGate');
    expect(editorStore.getState().analysis.layers[5].ok).toBe(true);
    await act(() => deleteModule('ChannelGate'));
    expect(libraryStore.getState().user.text).not.toMatch(/ChannelGate:/);
    const d5 = editorStore.getState().analysis.diagnostics.find((d) => d.layer === 5);
    expect(d5 && messageText(d5.message, 'en')).toMatch(/unknown module 'ChannelGate'/);
  });

  it("a default-library module opens as a copy in the user's library; a NAME.modules.yaml opened is the model's library", async () => {
    editModule('SE');
    expect(moduleEditorStore.getState().spec.name).toBe('MySE');
    expect(moduleEditorStore.getState().original).toBeNull();
    await act(() =>
      openFile({
        name: 'yolov5n.modules.yaml',
        text: 'Twice:\n  description: x + x\n  args: [c1, c2]\n  body: [{id: y, op: add, in: [x, x]}]\n',
      }),
    );
    expect(libraryStore.getState().model?.file).toBe('yolov5n.modules.yaml');
    expect(editorStore.getState().registry.get('Twice')).toBeTruthy();
    expect(toastText()).toBe('yolov5n.modules.yaml: 1 modules (Twice)');
    await act(() =>
      openFile({
        name: 'bad.modules.yaml',
        text: 'Bad:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Nope}]\n',
      }),
    );
    expect(editorStore.getState().message).toMatchObject({ error: true });
    expect(toastText()).toMatch(/^bad\.modules\.yaml:4: Bad: node 'y' uses unknown op 'Nope'/);
  });

  it("the Problems panel shows a library's problems with file and line, and the model's unknown module", () => {
    act(() =>
      libraryStore.getState().setUser('Gate:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Nope}]\n'),
    );
    act(() =>
      editorStore
        .getState()
        .setText(
          yolov5n.text.replace('[-1, 6, C3, [256]], # 4', '[-1, 6, C3, [256]], # 4\n    [-1, 1, Gate, [256]],'),
          'yaml',
        ),
    );
    render(<ProblemsPanel />);
    const lib = screen.getByRole('list', { name: 'Module library problems' });
    expect(lib.textContent).toContain("modules.yaml:4:22Gate: node 'y' uses unknown op 'Nope'");
    expect(screen.getByRole('region', { name: 'Problems' }).textContent).toMatch(/unknown module 'Gate'/);
  });
});
