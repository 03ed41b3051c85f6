import { describe, expect, it } from 'vitest';
import {
  defaultLibrary,
  insertLayer,
  openDoc,
  registryWith,
  type DiffChange,
  type ModelAnalysis,
} from '../../src/core/index.ts';
import { templateById } from '../templates.ts';
import {
  analyzeOther,
  argsChange,
  compareModels,
  listItems,
  nodeNote,
  otherFromFile,
  rowOf,
  shapeChange,
  signedFixed,
  signedPercent,
  signedThousands,
  visibleRows,
  whatChanged,
} from './compare-model.ts';

const text = (id: string) => templateById(id)!.text;
const analyse = (t: string, name = 'm.yaml', imgsz = 640): ModelAnalysis => analyzeOther(t, name, { imgsz });
const label = (c: DiffChange) => (c === 'params' ? 'parameters' : c);

describe('compare yolov5s (A) with yolov5s-res2net (B)', () => {
  const cmp = compareModels(
    analyse(text('yolov5s'), 'yolov5s.yaml'),
    analyse(text('yolov5s-res2net'), 'yolov5s-res2net.yaml'),
  );
  const C3_ROWS = [2, 4, 6, 8, 13, 17, 20, 23];

  it('totals 7,235,389 vs 6,721,334 parameters, 514,055 fewer in B', () => {
    expect(cmp.diff.params).toEqual({ a: 7_235_389, b: 6_721_334, delta: -514_055 });
    expect(signedThousands(cmp.diff.params.delta)).toBe('\u2212514,055');
    expect(cmp.diff.counts).toEqual({ same: 17, changed: 8, added: 0, removed: 0 });
  });

  it('marks the eight C3 rows changed on both sides, each paired with the same index, the rest same', () => {
    for (const side of ['a', 'b'] as const) {
      const changed = [...cmp[side]].filter(([, m]) => m.status === 'changed').map(([i]) => i);
      expect(changed).toEqual(C3_ROWS);
      expect(cmp[side].size).toBe(25);
      for (const [i, m] of cmp[side]) expect(m.partner).toBe(i);
    }
    expect(cmp.a.get(0)?.status).toBe('same');
    expect(cmp.b.get(24)?.status).toBe('same');
  });

  it('says what changed in the first C3 row: module and parameters, shape kept', () => {
    const k = rowOf(cmp, 'b', 2)!;
    const l = cmp.diff.layers[k];
    expect([l.a?.params, l.b?.params, l.params]).toEqual([18_816, 16_585, -2_231]);
    expect(whatChanged(l, label)).toEqual(['module: C3 → C3_Res2Block', 'parameters: 18,816 → 16,585']);
    expect(whatChanged(l, label, ['params'])).toEqual(['module: C3 → C3_Res2Block']);
    expect(nodeNote(l, label)).toBe('C3 → C3_Res2Block · \u22122,231');
    expect(shapeChange(l)).toBe('64 x 160 x 160');
    expect(nodeNote(cmp.diff.layers[rowOf(cmp, 'b', 0)!], label)).toBe('');
  });

  it('shows every row, or only the changed ones', () => {
    expect(visibleRows(cmp.diff, false)).toHaveLength(25);
    expect(visibleRows(cmp.diff, true).map((k) => cmp.diff.layers[k].b!.i)).toEqual(C3_ROWS);
  });
});

describe('layers only one side has', () => {
  const s = text('yolov5s');
  const inserted = insertLayer(3, '[-1, 1, Conv, [128, 3, 1]]').perform(openDoc(s, 'yolov5s.yaml'));

  it('a layer inserted in B is added, with no partner, and the rows after it still match', () => {
    const cmp = compareModels(analyse(s), analyse(inserted.doc.text));
    expect(cmp.b.get(3)).toMatchObject({ status: 'added', partner: null });
    expect(cmp.diff.counts.added).toBe(1);
    expect(cmp.diff.counts.removed).toBe(0);
    // the layer after the insertion (A's 3, B's 4) is paired
    expect(cmp.a.get(3)?.partner).toBe(4);
    const added = cmp.diff.layers[rowOf(cmp, 'b', 3)!];
    expect(added.a).toBeUndefined();
    expect(added.params).toBe(added.b!.params);
    expect(shapeChange(added)).toBe('64 x 160 x 160');
    expect(whatChanged(added, label)).toEqual([]);
  });

  it('a layer B does not have is removed on A', () => {
    const cmp = compareModels(analyse(inserted.doc.text), analyse(s));
    expect(cmp.a.get(3)).toMatchObject({ status: 'removed', partner: null });
    expect(cmp.b.has(3)).toBe(true);
    expect(cmp.b.get(3)?.partner).toBe(4);
    expect(cmp.diff.params.delta).toBeLessThan(0);
  });

  it('changed arguments show old and new values, with the shape and channels they change', () => {
    const wider = s.replace('[-1, 1, Conv, [512, 3, 2]], # 5', '[-1, 1, Conv, [640, 3, 2]], # 5');
    expect(wider).not.toBe(s);
    const cmp = compareModels(analyse(s), analyse(wider));
    const l = cmp.diff.layers[rowOf(cmp, 'b', 5)!];
    expect(l.status).toBe('changed');
    expect(whatChanged(l, label)).toEqual([
      'args: [128, 256, 3, 2] → [128, 320, 3, 2]',
      'shape: 256 x 40 x 40 → 320 x 40 x 40',
      'parameters: 295,424 → 369,280',
    ]);
    expect(shapeChange(l)).toBe('256 x 40 x 40 → 320 x 40 x 40');
    expect(nodeNote(l, label)).toBe('args: [128, 256, 3, 2] → [128, 320, 3, 2] · +73,856');
    // the next layer reads the wider tensor
    expect(cmp.diff.layers[rowOf(cmp, 'b', 6)!].changes).toContain('input shape');
  });
});

describe('changed arguments in short', () => {
  it('splits a list repr at its top level only', () => {
    expect(listItems("[64, [1, 2], 'a, b', (3, 4)]")).toEqual(['64', '[1, 2]', "'a, b'", '(3, 4)']);
    expect(listItems('[]')).toEqual([]);
    expect(listItems('64')).toBeNull();
  });

  it('gives both lists when short, else only the positions that differ', () => {
    expect(argsChange('[128, 256, 3, 2]', '[128, 320, 3, 2]')).toBe('[128, 256, 3, 2] → [128, 320, 3, 2]');
    const anchors = '[[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]]';
    expect(argsChange(`[80, ${anchors}, [128, 256, 512]]`, `[7, ${anchors}, [128, 256, 512]]`)).toBe('#0: 80 → 7');
    expect(argsChange(`[80, ${anchors}]`, `[80, ${anchors}, 1]`)).toBe('#2: – → 1');
  });

  it("shows an edit of nc as the Detect row's class count alone, and as a header difference", () => {
    const s = text('yolov5s');
    const cmp = compareModels(analyse(s), analyse(s.replace('nc: 80', 'nc: 7')));
    const detect = cmp.diff.layers[rowOf(cmp, 'b', 24)!];
    expect(whatChanged(detect, label, ['params', 'shape'])).toEqual(['args: #0: 80 → 7']);
    expect(cmp.diff.header).toEqual([{ key: 'nc', a: '80', b: '7' }]);
  });
});

describe('the other side is analysed as the editor analyses', () => {
  it('at the editor input size', () => {
    expect(analyzeOther(text('yolov5s'), 'a.yaml', { imgsz: 320 }).layers[0].shape).toEqual([32, 160, 160]);
  });

  it('with the editor module registry (custom modules resolve)', () => {
    const se = text('yolov5s').replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, SE, [1024]]');
    const registry = registryWith(defaultLibrary());
    const withLib = analyzeOther(se, 'se.yaml', { imgsz: 640, registry });
    expect(withLib.layers[9].module).toBe('SE');
    expect(withLib.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(withLib.layers[9].params).toBeGreaterThan(0);
    const without = analyzeOther(se, 'se.yaml', { imgsz: 640 });
    expect(without.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('number formatting', () => {
  it('signs differences with thousands separators and a true minus', () => {
    expect(signedThousands(1234567)).toBe('+1,234,567');
    expect(signedThousands(-2231)).toBe('\u22122,231');
    expect(signedThousands(0)).toBe('0');
    expect(signedFixed(-1.2846, 1)).toBe('\u22121.3');
    expect(signedFixed(0.1204, 3)).toBe('+0.120');
    expect(signedFixed(-0.00004, 3)).toBe('0.000');
    expect(signedPercent(-514_055, 7_235_389)).toBe('\u22127.1%');
    expect(signedPercent(5, 0)).toBe('');
  });
});

describe('the other design from a file', () => {
  it('takes a model YAML as it is', () => {
    expect(otherFromFile({ name: 'm.yaml', text: text('yolov5n') })).toEqual({
      ok: true,
      name: 'm.yaml',
      text: text('yolov5n'),
    });
  });

  it('refuses a dataset YAML and unreadable checkpoint bytes, saying why', () => {
    expect(otherFromFile({ name: 'shapes.yaml', text: 'path: x\nnames:\n  0: circle\n' })).toEqual({
      ok: false,
      reason: 'not-a-model',
    });
    const bad = otherFromFile({ name: 'w.pt', text: '', bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(bad).toMatchObject({ ok: false, reason: 'bad-checkpoint' });
  });
});
