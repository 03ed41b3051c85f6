import { describe, expect, it } from 'vitest';
import { command, formatMessage, History, openDoc, type EditSpec } from '../index.ts';

const TEXT = `nc: 80
depth_multiple: 0.33
width_multiple: 0.50
anchors: 3
backbone:
  [
    [-1, 1, Conv, [64, 6, 2, 2]], # 0
    [-1, 1, Conv, [128, 3, 2]], # 1
    [-1, 3, C3, [128]],
  ]
head: [
    [[-1, 1], 1, Concat, [1]],
    [[1, 3], 1, Detect, [nc, anchors]],
  ]
`;

describe('History', () => {
  it('undo gives back the exact previous text after each command, redo the next', () => {
    const h = new History(openDoc(TEXT));
    const texts = [TEXT];
    for (const spec of [
      { type: 'insert', at: 1, row: '[-1, 1, Conv, [32, 3, 1]]' },
      { type: 'delete', layers: [3] },
      { type: 'setHeader', key: 'nc', value: '3' },
      { type: 'move', from: 0, to: 2 },
      { type: 'replaceModule', from: 'Conv', to: 'GhostConv' },
    ] satisfies EditSpec[]) {
      const r = h.perform(command(spec));
      expect(r.ok, r.error && formatMessage(r.error)).toBe(true);
      texts.push(r.doc.text);
    }
    expect(h.undoLabels.map((l) => formatMessage(l))).toEqual([
      'Insert Conv at layer 1',
      'Delete layer 3',
      'Set nc to 3',
      'Move layer 0 to 2',
      'Replace Conv with GhostConv',
    ]);
    for (let k = texts.length - 2; k >= 0; k--) expect(h.undo()!.doc.text).toBe(texts[k]);
    expect(h.undo()).toBeNull();
    for (let k = 1; k < texts.length; k++) expect(h.redo()!.doc.text).toBe(texts[k]);
    expect(h.redo()).toBeNull();
  });
  it('undo returns the mapping back (new index -> old); a new command clears redo', () => {
    const h = new History(openDoc(TEXT));
    const r = h.perform(command({ type: 'insert', at: 1, row: '[-1, 1, Conv, [32, 3, 1]]' }));
    expect(r.mapping).toEqual([0, 2, 3, 4, 5]);
    expect(h.undo()!.mapping).toEqual([0, null, 1, 2, 3, 4]);
    h.perform(command({ type: 'setRepeats', layer: 2, n: 1 }));
    expect(h.canRedo).toBe(false);
  });
  it('failed and no-op commands do not enter the history', () => {
    const h = new History(openDoc(TEXT));
    expect(h.perform(command({ type: 'delete', layers: [42] })).ok).toBe(false);
    expect(h.perform(command({ type: 'setHeader', key: 'nc', value: '80' })).history).toBe(false);
    expect(h.canUndo).toBe(false);
  });
  it('typing merges into one undo step when asked', () => {
    const h = new History(openDoc(TEXT));
    const p = TEXT.indexOf('80');
    h.perform(command({ type: 'editText', changes: [{ from: p, to: p + 2, insert: '8' }] }), { merge: true });
    h.perform(command({ type: 'editText', changes: [{ from: p + 1, to: p + 1, insert: '1' }] }), { merge: true });
    expect(h.current.text).toContain('nc: 81');
    expect(h.undoLabels.map((l) => formatMessage(l))).toEqual(['Edit YAML']);
    expect(h.undo()!.doc.text).toBe(TEXT);
    expect(h.canUndo).toBe(false);
  });
});
