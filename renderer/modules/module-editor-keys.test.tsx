// @vitest-environment jsdom
/**
 * One key press is one action in the module editor: Ctrl+Z undoes one step of the module (not of the model
 * behind it), Ctrl+Y redoes one, Ctrl+S saves the module once and does not save the model; the desktop
 * menu's Undo / Save act on the module editor too while it is open.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { onShortcutKey, runMenuCommand } from '../commands.ts';
import { setRepeats } from '../../src/core/edit/index.ts';
import { libraryStore } from './library.ts';
import { moduleEditorStore } from './module-editor.ts';
import { newModule } from './actions.ts';
import { ModuleEditor } from './ModuleEditor.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';

const press = (key: string, opts: KeyboardEventInit = {}, target: EventTarget = document.body) =>
  act(() => {
    target.dispatchEvent(
      new KeyboardEvent('keydown', { key, ctrlKey: true, bubbles: true, cancelable: true, ...opts }),
    );
  });

const description = () => moduleEditorStore.getState().spec.description;

beforeEach(() => {
  stubResizeObserver();
  const t = templateById('yolov5n')!;
  act(() => {
    useLang.getState().setLang('en');
    libraryStore.getState().setUser('');
    libraryStore.getState().setModel(null);
    editorStore.getState().openDocument({ name: t.file, text: t.text });
  });
  // the model has an undo step of its own, which the module editor's keys must leave alone
  act(() => void editorStore.getState().perform(setRepeats(2, 2), 'inspector'));
  act(() => newModule());
  for (const d of ['a', 'b', 'c'])
    act(() => void moduleEditorStore.getState().perform({ type: 'setInfo', key: 'description', value: d }));
  // the app's window handler, as App installs it
  window.addEventListener('keydown', onShortcutKey);
});
afterEach(() => {
  window.removeEventListener('keydown', onShortcutKey);
  cleanup();
  act(() => moduleEditorStore.getState().close());
});

describe('module editor keys', () => {
  it('Ctrl+Z undoes one step of the module, Ctrl+Y redoes one, the model untouched', () => {
    render(<ModuleEditor />);
    const model = editorStore.getState().text;
    press('z');
    expect(description()).toBe('b');
    press('z');
    expect(description()).toBe('a');
    press('y');
    expect(description()).toBe('b');
    press('z', { shiftKey: true, key: 'Z' });
    expect(description()).toBe('c');
    expect(editorStore.getState().text).toBe(model);
  });

  it('Ctrl+S saves the module once and not the model', async () => {
    render(<ModuleEditor />);
    const writes = vi.spyOn(Storage.prototype, 'setItem');
    const saveModel = vi.spyOn(editorStore.getState(), 'markSaved');
    press('s');
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(writes.mock.calls.filter(([k]) => /modules/.test(k))).toHaveLength(1);
    expect(moduleEditorStore.getState().dirty).toBe(false);
    expect(saveModel).not.toHaveBeenCalled();
    writes.mockRestore();
  });

  it("the menu's Undo and Redo act on the open module editor", () => {
    render(<ModuleEditor />);
    const model = editorStore.getState().text;
    act(() => runMenuCommand('undo'));
    expect(description()).toBe('b');
    act(() => runMenuCommand('redo'));
    expect(description()).toBe('c');
    expect(editorStore.getState().text).toBe(model);
  });
});
