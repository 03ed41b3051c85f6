/** Comparing two designs: aligned rows, per-layer and total differences. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { alignRows, diffModels } from './diff.ts';
import { analyze, command, detectEol, formatMessage, parseModelText, type EditDoc } from './index.ts';

const config = (name: string) => readFileSync(join(PROJECT_DIR, 'configs', `${name}.yaml`), 'utf8');
const analysed = (text: string, file = 'model.yaml') => analyze(parseModelText(text, file));
function edited(text: string, spec: Parameters<typeof command>[0]): string {
  const src = parseModelText(text, 'model.yaml');
  const doc: EditDoc = { file: src.file, text, source: src, eol: detectEol(text) };
  const r = command(spec).perform(doc);
  if (!r.ok) throw new Error(r.error && formatMessage(r.error));
  return r.doc.text;
}

describe('diffModels', () => {
  it('yolov5s vs yolov5s-res2net: 7,235,389 vs 6,721,334 parameters; the eight C3 -> C3_Res2Block rows changed, the rest the same', () => {
    const d = diffModels(analysed(config('yolov5s')), analysed(config('yolov5s-res2net')));
    expect(d.params).toEqual({ a: 7_235_389, b: 6_721_334, delta: -514_055 });
    expect(d.counts).toEqual({ same: 17, changed: 8, added: 0, removed: 0 });
    const changed = d.layers.filter((l) => l.status === 'changed');
    expect(changed.map((l) => [l.a!.i, l.b!.i, l.a!.module, l.b!.module, l.a!.params, l.b!.params, l.params])).toEqual([
      [2, 2, 'C3', 'C3_Res2Block', 18_816, 16_585, -2_231],
      [4, 4, 'C3', 'C3_Res2Block', 115_712, 97_392, -18_320],
      [6, 6, 'C3', 'C3_Res2Block', 625_152, 513_816, -111_336],
      [8, 8, 'C3', 'C3_Res2Block', 1_182_720, 1_033_328, -149_392],
      [13, 13, 'C3', 'C3_Res2Block', 361_984, 324_872, -37_112],
      [17, 17, 'C3', 'C3_Res2Block', 90_880, 81_720, -9_160],
      [20, 20, 'C3', 'C3_Res2Block', 296_448, 259_336, -37_112],
      [23, 23, 'C3', 'C3_Res2Block', 1_182_720, 1_033_328, -149_392],
    ]);
    for (const l of changed) {
      expect(l.changes).toEqual(['module', 'params']);
      expect(l.a!.shape).toEqual(l.b!.shape);
    }
    expect(changed.reduce((s, l) => s + l.params, 0)).toBe(d.params.delta);
    expect(d.gflops.delta).toBeCloseTo(
      changed.reduce((s, l) => s + l.gflops, 0),
      9,
    );
    expect(d.gflops.delta).toBeLessThan(0);
    expect(d.header).toEqual([]);
  });

  it('an inserted layer is one added row; the rows after it still match (only its reader changes)', () => {
    const base = config('yolov5s');
    const d = diffModels(
      analysed(base),
      analysed(edited(base, { type: 'insert', at: 3, row: '[-1, 1, Conv, [64, 3, 1]]' })),
    );
    expect(d.counts).toEqual({ same: 24, changed: 1, added: 1, removed: 0 });
    const added = d.layers.find((l) => l.status === 'added')!;
    expect([added.b!.i, added.b!.module, added.b!.params, added.b!.shape]).toEqual([3, 'Conv', 18_496, [32, 160, 160]]);
    const changed = d.layers.find((l) => l.status === 'changed')!;
    expect([changed.a!.i, changed.b!.i, changed.changes]).toEqual([3, 4, ['args', 'input shape', 'params']]);
    // everything downstream is matched one index later, unchanged (its references were renumbered)
    expect(d.layers.filter((l) => l.status === 'same' && l.a!.i > 3).every((l) => l.b!.i === l.a!.i + 1)).toBe(true);
  });

  it('a deleted shape-preserving layer is one removed row and its reader keeps its wiring', () => {
    const base = config('yolov5s');
    const d = diffModels(analysed(base), analysed(edited(base, { type: 'delete', layers: [9] })));
    expect(d.counts).toEqual({ same: 24, changed: 0, added: 0, removed: 1 });
    expect(d.layers.find((l) => l.status === 'removed')!.a!.module).toBe('SPPF');
    expect(d.params.delta).toBe(-656_896);
  });

  it('reports header changes and shape changes (nc 80 -> 20 changes Detect only)', () => {
    const base = config('yolov5s');
    const d = diffModels(analysed(base), analysed(edited(base, { type: 'setHeader', key: 'nc', value: '20' })));
    expect(d.header).toEqual([{ key: 'nc', a: '80', b: '20' }]);
    expect(d.counts).toEqual({ same: 24, changed: 1, added: 0, removed: 0 });
    const det = d.layers[24];
    expect([det.status, det.changes, det.a!.shape, det.b!.shape]).toEqual([
      'changed',
      ['args', 'shape', 'params'],
      [25200, 85],
      [25200, 25],
    ]);
  });

  it('identical models are all the same', () => {
    const d = diffModels(analysed(config('yolov5n')), analysed(config('yolov5n')));
    expect(d.counts).toEqual({ same: 25, changed: 0, added: 0, removed: 0 });
    expect(d.params.delta).toBe(0);
  });
});

describe('alignRows', () => {
  it('is a minimum-cost alignment: insertions and deletions as gaps, equal items paired', () => {
    const eq = (x: string, y: string) => (x === y ? 0 : 1.5);
    expect(alignRows([...'abcd'], [...'abXcd'], eq)).toEqual([
      [0, 0],
      [1, 1],
      [-1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(alignRows([...'abcd'], [...'acd'], eq)).toEqual([
      [0, 0],
      [1, -1],
      [2, 1],
      [3, 2],
    ]);
    expect(alignRows([], [...'ab'], eq)).toEqual([
      [-1, 0],
      [-1, 1],
    ]);
    expect(alignRows([...'ab'], [...'xy'], eq)).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
