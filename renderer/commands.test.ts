// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { act } from '@testing-library/react';
import { runMenuCommand } from './commands.ts';
import { editorStore } from './store/editor.ts';
import { templateById } from './templates.ts';
import { compareStore } from './compare/compare-store.ts';
import { moduleEditorStore } from './modules/module-editor.ts';

beforeEach(() => {
  const t = templateById('yolov5n')!;
  act(() => editorStore.getState().openDocument({ name: t.file, text: t.text }));
});

describe('menu commands of the desktop menu', () => {
  it('Compare with Saved Version and New Module open their views; nothing happens on the start screen', () => {
    act(() => runMenuCommand('compareSaved'));
    expect(compareStore.getState().other).toEqual({ kind: 'saved' });
    act(() => compareStore.getState().close());
    act(() => runMenuCommand('newModule'));
    expect(moduleEditorStore.getState().open).toBe(true);
    expect(moduleEditorStore.getState().spec.name).toBe('MyBlock');
    act(() => moduleEditorStore.getState().close());
    act(() => editorStore.getState().closeDocument());
    act(() => runMenuCommand('compareSaved'));
    act(() => runMenuCommand('newModule'));
    expect(compareStore.getState().other).toBeNull();
    expect(moduleEditorStore.getState().open).toBe(false);
  });
});
