import { describe, expect, it } from 'vitest';
import { changeModule, deleteLayers, insertLayer } from '../../src/core/edit/index.ts';
import { thousands } from '../../src/core/index.ts';
import { createEditorStore, layerAtOffset, shownAnalysis, TYPING_BURST_MS } from './editor.ts';
import { templateById } from '../templates.ts';
import { layoutByScale } from '../canvas/arrange.ts';

const v5s = templateById('yolov5s')!;

function opened() {
  let t = 0;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const store = createEditorStore(clock.now);
  store.getState().openDocument({ name: v5s.file, text: v5s.text });
  return { store, clock };
}

describe('editor store', () => {
  it('derives the analysis from the text', () => {
    const { store } = opened();
    const s = store.getState();
    expect(s.screen).toBe('editor');
    expect(s.analysis.layers).toHaveLength(25);
    expect(thousands(s.analysis.params)).toBe('7,235,389');
    expect(s.analysis.diagnostics).toEqual([]);
    expect(s.canUndo).toBe(false);
  });

  it('performs engine commands as one undo step each, and undo gives back the exact text', () => {
    const { store } = opened();
    store.getState().perform(changeModule(2, 'C3_Res2Block'), 'inspector');
    expect(store.getState().analysis.params).toBe(7_233_158);
    store.getState().perform(insertLayer(3, '[-1, 1, Conv, [128]]'), 'palette');
    expect(store.getState().analysis.layers).toHaveLength(26);
    expect(store.getState().text).toContain('[[18, 21, 24], 1, Detect');
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().text).toBe(v5s.text);
    expect(store.getState().canUndo).toBe(false);
    store.getState().redo();
    expect(store.getState().analysis.params).toBe(7_233_158);
  });

  it('reports a command that cannot apply without changing the text', () => {
    const { store } = opened();
    const r = store.getState().perform(insertLayer(99, '[-1, 1, Conv, [8]]'), 'palette');
    expect(r.ok).toBe(false);
    expect(store.getState().text).toBe(v5s.text);
    expect(store.getState().message?.error).toBe(true);
  });

  it('groups a burst of typing into one undo step', () => {
    const { store, clock } = opened();
    const base = store.getState().text;
    const typed = (s: string) => base.replace('[-1, 3, C3, [128]], # 2', `[-1, 3, ${s}, [128]], # 2`);
    store.getState().setText(typed('C3x'), 'yaml');
    clock.advance(100);
    store.getState().setText(typed('C3x9'), 'yaml');
    expect(store.getState().analysis.diagnostics.some((d) => d.layer === 2 && d.severity === 'error')).toBe(true);
    clock.advance(TYPING_BURST_MS + 1);
    store.getState().setText(typed('C3x'), 'yaml');
    store.getState().undo();
    expect(store.getState().text).toBe(typed('C3x9'));
    store.getState().undo();
    expect(store.getState().text).toBe(base);
  });

  it('moves positions and the selection with the edit mapping', () => {
    const { store } = opened();
    store.getState().setPositions({ 2: { x: 1, y: 2 }, 3: { x: 3, y: 4 }, 24: { x: 5, y: 6 } });
    store.getState().select(3, 'canvas');
    store.getState().perform(insertLayer(3, '[-1, 1, Conv, [128]]'), 'palette');
    const s = store.getState();
    expect(s.positions[2]).toEqual({ x: 1, y: 2 });
    expect(s.positions[4]).toEqual({ x: 3, y: 4 });
    expect(s.positions[25]).toEqual({ x: 5, y: 6 });
    // the new layer is placed (in its scale column, P2 like the layer it reads), nothing else moved
    expect(s.positions[3]).toBeDefined();
    const ideal = layoutByScale(s.analysis);
    expect(ideal.columnOf[3]).toBe(ideal.columnOf[2]);
    const column = ideal.columns.find((c) => c.level === ideal.columnOf[3])!;
    expect(s.positions[3].x).toBeGreaterThanOrEqual(column.x);
    expect(s.positions[3].x).toBeLessThan(column.x + column.width);
    expect(s.selected).toBe(4);
    store.getState().undo();
    expect(store.getState().positions[3]).toEqual({ x: 3, y: 4 });
    expect(store.getState().selected).toBe(3);
  });

  it('tracks unsaved changes against the last save', () => {
    const { store } = opened();
    store.getState().perform(changeModule(2, 'C3_Res2Block'), 'inspector');
    expect(store.getState().text).not.toBe(store.getState().savedText);
    store.getState().markSaved({ name: 'mine.yaml' });
    expect(store.getState().savedText).toBe(store.getState().text);
    expect(store.getState().savedParams).toBe(7_233_158);
    expect(store.getState().file.name).toBe('mine.yaml');
  });

  it('finds the layer under a text offset', () => {
    const { store } = opened();
    const s = store.getState();
    const at = s.text.indexOf('[-1, 1, SPPF');
    expect(layerAtOffset(s.source, at + 3)).toBe(9);
    expect(layerAtOffset(s.source, 0)).toBe(null);
  });

  it("composes the edits' mappings into the lineage the run panel moves weights with (undo too)", () => {
    const { store } = opened();
    expect(store.getState().lineage.slice(0, 4)).toEqual([0, 1, 2, 3]);
    store.getState().perform(insertLayer(2, '[-1, 1, Conv, [128, 1, 1]]'), 'canvas');
    store.getState().perform(deleteLayers(5), 'canvas');
    const l = store.getState().lineage;
    // layer 0, 1 stay; 2.. moved down by the insert; old 4 (now 5) deleted; the Detect row follows
    expect(l.slice(0, 6)).toEqual([0, 1, 3, 4, null, 5]);
    expect(l[24]).toBe(24);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().lineage.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    store.getState().perform(insertLayer(0, '[-1, 1, Conv, [16, 1, 1]]'), 'canvas');
    store.getState().resetLineage();
    expect(store.getState().lineage.slice(0, 3)).toEqual([0, 1, 2]);
  });
});

describe('states that never lose the picture', () => {
  it('a YAML syntax error keeps the last readable graph and every node where it was; parsing again restores them', () => {
    const { store, clock } = opened();
    const s0 = store.getState();
    const before = structuredClone(s0.positions);
    expect(Object.keys(before)).toHaveLength(25);
    // a half-typed row: the text no longer parses
    const broken = s0.text.replace('[-1, 1, Conv, [512, 1, 1]], # 10', '[-1, 1, Conv, [512, 1, 1], # 10');
    store.getState().setText(broken, 'yaml');
    let s = store.getState();
    expect(s.stale).toBe(true);
    expect(s.analysis.layers).toHaveLength(0);
    expect(shownAnalysis(s).layers).toHaveLength(25);
    expect(shownAnalysis(s).params).toBe(7_235_389);
    expect(s.positions).toEqual(before);
    // more typing while broken changes nothing on the canvas
    clock.advance(100);
    store.getState().setText(broken.replace('# 10', '# ten'), 'yaml');
    expect(store.getState().positions).toEqual(before);
    // fixed: the same graph, every node where it was
    clock.advance(100);
    store.getState().setText(s0.text, 'yaml');
    s = store.getState();
    expect(s.stale).toBe(false);
    expect(s.lastGood).toBeNull();
    expect(s.positions).toEqual(before);
  });

  it('a row typed in while the text was broken gets a place of its own; the others stay', () => {
    const { store } = opened();
    const s0 = store.getState();
    const before = structuredClone(s0.positions);
    store
      .getState()
      .setText(
        s0.text.replace('    [-1, 3, C3, [128]], # 2\n', '    [-1, 3, C3, [128]], # 2\n    [-1, 1, Conv, [128\n'),
        'yaml',
      );
    expect(store.getState().stale).toBe(true);
    store
      .getState()
      .setText(
        s0.text.replace(
          '    [-1, 3, C3, [128]], # 2\n',
          '    [-1, 3, C3, [128]], # 2\n    [-1, 1, Conv, [128, 1, 1]],\n',
        ),
        'yaml',
      );
    const s = store.getState();
    expect(s.stale).toBe(false);
    expect(s.analysis.layers).toHaveLength(26);
    for (let i = 0; i < 25; i++) expect(s.positions[i < 3 ? i : i + 1]).toEqual(before[i]);
    expect(s.positions[3]).toBeDefined();
  });

  it('nodes placed by hand stay across edits, tidy forgets them', () => {
    const { store } = opened();
    store.getState().setPositions({ 5: { x: 999, y: 999 } }, true);
    store.getState().perform(insertLayer(1, '[-1, 1, Conv, [64, 1, 1]]'), 'palette');
    expect(store.getState().positions[6]).toEqual({ x: 999, y: 999 });
    expect(store.getState().pinned[6]).toBe(true);
    store.getState().relayout();
    expect(store.getState().pinned).toEqual({});
    expect(store.getState().positions[6]).not.toEqual({ x: 999, y: 999 });
  });

  it("typing goes through core's editText: a row typed into its neighbour's text keeps its own identity", () => {
    const { store } = opened();
    store.getState().select(4, 'canvas');
    store.getState().setMulti([3, 4]);
    const pos3 = store.getState().positions[3];
    const pos4 = store.getState().positions[4];
    const text = store.getState().text;
    const from = text.indexOf('[-1, 1, Conv, [256, 3, 2]], # 3');
    // row 3 becomes the same text as row 4: matching rows by their text would take row 4 for row 3
    store
      .getState()
      .editText([{ from, to: from + '[-1, 1, Conv, [256, 3, 2]]'.length, insert: '[-1, 6, C3, [256]]' }], 'yaml');
    const s = store.getState();
    expect(s.text.slice(from, from + 40)).toBe('[-1, 6, C3, [256]], # 3 P3/8\n    [-1, 6,');
    expect(s.selected).toBe(4);
    expect(s.multi).toEqual([3, 4]);
    expect(s.lineage.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.positions[3]).toEqual(pos3);
    expect(s.positions[4]).toEqual(pos4);
    // one undo step gives the text back, the selection where it was
    store.getState().undo();
    expect(store.getState().text).toBe(text);
    expect(store.getState().selected).toBe(4);
  });

  it('a whole text handed over (setText) is the smallest editText change: rows around it keep their identity', () => {
    const { store } = opened();
    store.getState().select(4, 'canvas');
    const text = store.getState().text;
    store.getState().setText(text.replace('[-1, 1, Conv, [256, 3, 2]], # 3', '[-1, 6, C3, [256]], # 3'), 'yaml');
    expect(store.getState().selected).toBe(4);
    expect(store.getState().lineage.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
