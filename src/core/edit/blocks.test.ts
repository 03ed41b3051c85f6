import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyzeDoc,
  command,
  copyRowsText,
  describeEdit,
  formatMessage,
  History,
  openDoc,
  parseMismatch,
  parseRowsText,
  type EditDoc,
  type EditSpec,
} from '../index.ts';

/** A message (an edit's label or refusal) in English, as the CLI says it. */
const said = (m: Parameters<typeof formatMessage>[0] | undefined) => (m ? formatMessage(m) : undefined);
const pasteError = (text: string) => {
  const r = parseRowsText(text);
  return 'error' in r ? formatMessage(r.error) : '';
};

const yolov5s = () =>
  openDoc(readFileSync(join(import.meta.dirname, '../../../configs/yolov5s.yaml'), 'utf8'), 'yolov5s.yaml');
const res2net = () =>
  openDoc(
    readFileSync(join(import.meta.dirname, '../../../configs/yolov5s-res2net.yaml'), 'utf8'),
    'yolov5s-res2net.yaml',
  );

const ok = (doc: EditDoc, spec: EditSpec) => {
  const r = command(spec).perform(doc);
  expect(r.error).toBeUndefined();
  expect(r.ok).toBe(true);
  expect(parseMismatch(r.doc)).toBeUndefined();
  return r;
};
const froms = (d: EditDoc) => d.source.rows.map((r) => r.from?.value);
const rowsOf = (d: EditDoc) =>
  d.source.rows.map((r) => ({ from: r.from?.value, n: r.n?.value, module: r.module?.value, args: r.args?.value }));

describe('replace a layer (drop onto a layer)', () => {
  it('the seed edit: every C3 of yolov5s replaced one by one gives yolov5s-res2net row for row, 6,721,334 parameters', () => {
    let doc = yolov5s();
    const c3 = doc.source.rows.filter((r) => r.module?.value === 'C3').map((r) => r.index);
    expect(c3).toEqual([2, 4, 6, 8, 13, 17, 20, 23]);
    for (const i of c3) {
      const spec: EditSpec = { type: 'setModule', layer: i, module: 'C3_Res2Block' };
      expect(said(describeEdit(spec, doc))).toBe(`Replace layer ${i} C3 with C3_Res2Block`);
      const r = ok(doc, spec);
      expect(r.mapping).toEqual(doc.source.rows.map((_, k) => k));
      doc = r.doc;
    }
    expect(rowsOf(doc)).toEqual(rowsOf(res2net()));
    expect(analyzeDoc(doc).params).toBe(6_721_334);
  });
  it('carries arguments over by name: Conv [512, 3, 2] -> GhostConv keeps c2, k, s; -> SPPF keeps c2 and takes k=5', () => {
    const doc = yolov5s();
    expect(rowsOf(ok(doc, { type: 'setModule', layer: 7, module: 'GhostConv' }).doc)[7].args).toEqual([1024, 3, 2]);
    expect(rowsOf(ok(doc, { type: 'setModule', layer: 9, module: 'C3' }).doc)[9]).toMatchObject({
      n: 1,
      args: [1024],
    });
  });
});

describe('copy and paste layers as YAML rows', () => {
  it('copies rows as a config writes them, each saying its index', () => {
    const doc = yolov5s();
    expect(copyRowsText(doc, [14, 12, 13])).toBe(
      [
        '[[-1, 6], 1, Concat, [1]], # 12 with backbone P4',
        '[-1, 3, C3, [512, False]], # 13',
        '[-1, 1, Conv, [256, 1, 1]], # 14',
      ].join('\n'),
    );
    const r2 = res2net();
    expect(copyRowsText(r2, [2, 12])).toBe(
      '[-1, 3, C3_Res2Block, [128]], # 2\n[[-1, 6], 1, Concat, [1]], # 12 cat backbone P4',
    );
  });
  it('reads rows from the canvas, the YAML pane (block or flow style) and refuses anything else', () => {
    const got = parseRowsText('    [-1, 1, Conv, [512, 1, 1]], # 10\n  - [[-1, 6], 1, Concat, [1]]\n\n# a comment\n');
    expect(got).toEqual({
      rows: [
        { text: '[-1, 1, Conv, [512, 1, 1]]', index: 10, comment: '# 10' },
        { text: '[[-1, 6], 1, Concat, [1]]', index: null },
      ],
    });
    expect(pasteError('nc: 80')).toContain('not a row');
    expect(pasteError('[-1, 1, Conv]')).toContain('not a row');
    expect(pasteError('')).toContain('no rows');
    expect(pasteError('[-1, 1, Conv, [8]]\n'.repeat(1001))).toContain('1000');
  });
  it('in the same document: references inside the block follow it, outside ones keep their layer', () => {
    const doc = yolov5s();
    // copy 14-17 (Conv, Upsample, Concat with backbone P3 = layer 4, C3) and paste them after Detect
    const rows = (parseRowsText(copyRowsText(doc, [14, 15, 16, 17])) as { rows: any[] }).rows;
    const r = ok(doc, { type: 'paste', at: 25, rows, sameDocument: true });
    expect(r.added).toEqual([25, 26, 27, 28]);
    expect(froms(r.doc).slice(25)).toEqual([-1, -1, [-1, 4], -1]);
    // pasted before the layers they read: those references follow the layers down
    const early = ok(doc, { type: 'paste', at: 3, rows, sameDocument: true });
    expect(froms(early.doc).slice(3, 7)).toEqual([-1, -1, [-1, 8], -1]);
    // layer-number comments name the rows' new indices
    expect(r.doc.text).toContain('[-1, 3, C3, [256, False]], # 28 P3/8 out (small objects)');
  });
  it('absolute references inside the block are renumbered; from another document outside ones stay as written', () => {
    const doc = yolov5s();
    const text =
      '[-1, 1, Conv, [256, 1, 1]], # 14\n[[-1, 14, 6], 1, Concat, [1]], # 15\n[[15, -2], 1, Concat, [1]], # 16';
    const rows = (parseRowsText(text) as { rows: any[] }).rows;
    const r = ok(doc, { type: 'paste', at: 10, rows, sameDocument: false, section: 'head' });
    expect(froms(r.doc).slice(10, 13)).toEqual([-1, [-1, 10, 6], [11, -2]]);
    // the rest of the model is renumbered around the pasted rows, as for any insert
    expect(froms(r.doc)[27]).toEqual([20, 23, 26]);
    expect(r.doc.source.rows[10].section).toBe('head');
  });
  it('rows without an index paste as written (-1 reads the row above)', () => {
    const doc = yolov5s();
    const rows = (parseRowsText('[-1, 1, Conv, [128, 3, 2]]\n[[-1, 4], 1, Concat, [1]]') as { rows: any[] }).rows;
    const r = ok(doc, { type: 'paste', at: 25, rows });
    expect(froms(r.doc).slice(25)).toEqual([-1, [-1, 4]]);
    expect(said(describeEdit({ type: 'paste', at: 25, rows }))).toBe('Paste 2 layers at 25');
  });
});

describe('several rows at once', () => {
  it('move a block of rows: one edit, references follow their layers', () => {
    const doc = yolov5s();
    const r = ok(doc, { type: 'moveMany', layers: [14, 15], to: 10 });
    expect(r.mapping.slice(10, 16)).toEqual([12, 13, 14, 15, 10, 11]);
    expect(rowsOf(r.doc)[10].module).toBe('Conv');
    expect(rowsOf(r.doc)[11].module).toBe('nn.Upsample');
    expect(froms(r.doc)[19]).toEqual([-1, 10]); // the Concat that read layer 14 reads it at 10
    expect(ok(r.doc, { type: 'moveMany', layers: [10, 11], to: 14 }).doc.text).toBe(doc.text);
    expect(ok(doc, { type: 'moveMany', layers: [3, 4], to: 3 }).history).toBe(false);
    expect(said(command({ type: 'moveMany', layers: [3, 40], to: 3 }).perform(doc).error)).toMatch(/no layer 40/);
  });
  it('delete several rows: one edit', () => {
    const r = ok(yolov5s(), { type: 'delete', layers: [14, 15] });
    expect(r.doc.source.rows).toHaveLength(23);
  });
});

describe('insert on an edge (drop onto an edge)', () => {
  it('between consecutive rows: the new layer reads -1 and the next reads it', () => {
    const doc = yolov5s();
    const r = ok(doc, { type: 'insertOnEdge', source: 2, target: 3, position: 0, row: '[-1, 1, Conv, [128, 1, 1]]' });
    expect(froms(r.doc).slice(2, 5)).toEqual([-1, -1, -1]);
    expect(rowsOf(r.doc)[3].module).toBe('Conv');
    expect(
      said(describeEdit({ type: 'insertOnEdge', source: 2, target: 3, position: 0, row: '[-1, 1, SE, []]' })),
    ).toBe('Insert SE between 2 and 3');
  });
  it("on a Concat's lateral input: only that input goes through the new layer; the other keeps its layer", () => {
    const doc = yolov5s();
    // 6 -> 12 (Concat [-1, 6]): the new layer 12 reads 6, the Concat (now 13) reads [11, 12]
    const r = ok(doc, { type: 'insertOnEdge', source: 6, target: 12, position: 1, row: '[-1, 1, Conv, [512, 1, 1]]' });
    expect(froms(r.doc)[12]).toBe(6);
    expect(froms(r.doc)[13]).toEqual([-2, -1]);
    expect(analyzeDoc(r.doc).layers[13].inputs).toEqual([11, 12]);
    expect(analyzeDoc(r.doc).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // the edge must exist
    expect(
      said(
        command({ type: 'insertOnEdge', source: 5, target: 12, position: 1, row: '[-1, 1, Conv, [8]]' }).perform(doc)
          .error,
      ),
    ).toMatch(/reads layer 6, not 5/);
  });
  it('one undo step: undo gives back the file', () => {
    const doc = yolov5s();
    const h = new History(doc);
    const r = h.perform(
      command({ type: 'insertOnEdge', source: 17, target: 24, position: 0, row: '[-1, 1, Conv, [128, 1, 1]]' }),
    );
    expect(froms(r.doc)[25]).toEqual([-1, 20, 23]);
    expect(analyzeDoc(r.doc).layers[25].inputs).toEqual([24, 20, 23]);
    expect(h.undoLabels.map((l) => formatMessage(l))).toEqual(['Insert Conv between 17 and 24']);
    expect(h.undo()?.doc.text).toBe(doc.text);
  });
});
