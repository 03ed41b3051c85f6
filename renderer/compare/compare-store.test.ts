import { describe, expect, it } from 'vitest';
import { changeModule } from '../../src/core/index.ts';
import { createEditorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { createCompareStore } from './compare-store.ts';

function setup() {
  const editor = createEditorStore();
  const t = templateById('yolov5s')!;
  editor.getState().openDocument({ name: t.file, text: t.text });
  const compare = createCompareStore(editor);
  compare
    .getState()
    .open({ kind: 'template', name: 'yolov5s-res2net.yaml', text: templateById('yolov5s-res2net')!.text });
  return { editor, compare };
}

describe('compare store', () => {
  it('a layer picked on B, or on A with a partner, becomes the editor selection', () => {
    const { editor, compare } = setup();
    compare.getState().pick('b', 4, null, 'b');
    expect(editor.getState().selected).toBe(4);
    expect(compare.getState().pickedA).toBeNull();
    compare.getState().pick('a', 7, 7, 'a');
    expect(editor.getState().selected).toBe(7);
    expect(compare.getState().pickedA).toBeNull();
    expect(compare.getState().reveal).toMatchObject({ from: 'a' });
  });

  it('a layer only A has is picked in the view and nothing stays selected in the editor', () => {
    const { editor, compare } = setup();
    editor.getState().select(3, 'canvas');
    compare.getState().pick('a', 12, null, 'table');
    expect(compare.getState().pickedA).toBe(12);
    expect(editor.getState().selected).toBeNull();
    // selecting in the editor (the YAML pane) takes over again
    editor.getState().select(5, 'yaml');
    expect(compare.getState().pickedA).toBeNull();
  });

  it('stays open through edits and saves, and ends when another document opens or the start screen returns', () => {
    const { editor, compare } = setup();
    editor.getState().perform(changeModule(2, 'C3_Res2Block'), 'inspector');
    editor.getState().markSaved({ name: 'yolov5s.yaml' });
    expect(compare.getState().other).not.toBeNull();
    editor.getState().openDocument({ name: 'n.yaml', text: templateById('yolov5n')!.text });
    expect(compare.getState().other).toBeNull();

    compare.getState().open({ kind: 'saved' });
    editor.getState().closeDocument();
    expect(compare.getState().other).toBeNull();
  });

  it('opening a comparison leaves a look inside a layer', () => {
    const { editor, compare } = setup();
    compare.getState().close();
    editor.getState().lookInside(2);
    compare.getState().open({ kind: 'saved' });
    expect(editor.getState().inside).toBeNull();
    expect(compare.getState().other).toEqual({ kind: 'saved' });
  });
});
