import { beforeEach, describe, expect, it } from 'vitest';
import { editorStore } from './store/editor.ts';
import { templateById } from './templates.ts';
import { copyLayers, deleteMany, insertModuleAt, newRowText, parseFrom, pasteLayers } from './edits.ts';
import { findLayers } from './App.tsx';

const v5s = templateById('yolov5s')!;
beforeEach(() => editorStore.getState().openDocument({ name: v5s.file, text: v5s.text }));

describe('gestures as engine commands', () => {
  it('writes new rows in the config’s style with sensible arguments', () => {
    const a = editorStore.getState().analysis;
    expect(newRowText('Conv', a, 2)).toBe('[-1, 1, Conv, [128]]');
    expect(newRowText('Concat', a, 5)).toBe('[[-1, -2], 1, Concat, [1]]');
    expect(newRowText('nn.Upsample', a, 5)).toBe("[-1, 1, nn.Upsample, [None, 2, 'nearest']]");
    expect(newRowText('Detect', a, 23)).toBe('[[-1], 1, Detect, [nc, anchors]]');
  });

  it('inserts a Conv between layers 2 and 3 keeping every reference', () => {
    const r = insertModuleAt('Conv', 3);
    expect(r.ok).toBe(true);
    const s = editorStore.getState();
    expect(s.text).toContain('[[18, 21, 24], 1, Detect, [nc, anchors]]');
    expect(s.analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(s.selected).toBe(3);
  });

  it('copies, pastes (one undo step) and deletes several layers', () => {
    const copied = copyLayers([3, 2]);
    expect(copied).toBe('[-1, 3, C3, [128]], # 2\n[-1, 1, Conv, [256, 3, 2]], # 3 P3/8');
    pasteLayers(3);
    let s = editorStore.getState();
    expect(s.analysis.layers).toHaveLength(27);
    expect(s.analysis.layers.slice(4, 6).map((l) => l.module)).toEqual(['C3', 'Conv']);
    expect(s.multi).toEqual([4, 5]);
    deleteMany(s.multi);
    s = editorStore.getState();
    expect(s.analysis.layers).toHaveLength(25);
    s.undo();
    s.undo();
    expect(editorStore.getState().text).toBe(v5s.text);
  });

  it('reads a typed from', () => {
    expect(parseFrom('-1')).toBe(-1);
    expect(parseFrom('[-1, 6]')).toEqual([-1, 6]);
    expect(parseFrom('6,-1')).toEqual([6, -1]);
    expect(parseFrom('x')).toBeNull();
  });

  it('finds layers by number or module name', () => {
    const layers = editorStore.getState().analysis.layers;
    expect(findLayers('9', layers)).toEqual([9]);
    expect(findLayers('concat', layers)).toEqual([12, 16, 19, 22]);
    expect(findLayers('', layers)).toEqual([]);
  });
});
