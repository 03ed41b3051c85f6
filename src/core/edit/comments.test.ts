import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, openDoc, type EditDoc, type EditSpec } from '../index.ts';
import { commentNumber, commentNumberRange, renumberComment } from './comments.ts';
import { rowLayout } from './text.ts';

const CONFIGS = join(import.meta.dirname, '../../../configs');
const shipped = [
  ...readdirSync(CONFIGS)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(CONFIGS, f)),
  join(CONFIGS, 'demo/demo-shapes.yaml'),
];

/** Each row's own comment number and where it is (null when the row has none). */
function numbers(doc: EditDoc): ({ n: number; at: [number, number] } | null)[] {
  return doc.source.rows.map((r) => {
    const at = commentNumberRange(doc.text, r, rowLayout(doc.text, r));
    return at ? { n: Number(doc.text.slice(at[0], at[1])), at } : null;
  });
}

/** The text with every row's `from` and its comment's leading number masked: what must stay byte for byte. */
function masked(doc: EditDoc): string {
  const cuts: [number, number, string][] = [];
  doc.source.rows.forEach((r, i) => {
    if (r.from) cuts.push([r.from.range[0], r.from.range[1], '<from>']);
    const c = numbers(doc)[i];
    if (c) cuts.push([c.at[0], c.at[1], '<n>']);
  });
  cuts.sort((a, b) => b[0] - a[0]);
  let t = doc.text;
  for (const [a, b, s] of cuts) t = t.slice(0, a) + s + t.slice(b);
  return t;
}

const perform = (doc: EditDoc, spec: EditSpec) => {
  const r = command(spec).perform(doc);
  expect(r.error).toBeUndefined();
  return r;
};

describe('the leading number of a comment', () => {
  it('is read from `# 4`, `# 5 P4/16`, `# 0-P1/2` and `# 24 Detect(P3, P4, P5)`, not from words or decimals', () => {
    expect(['# 4', ' # 5 P4/16', '  # 0-P1/2', '# 24 Detect(P3, P4, P5)', '#7'].map(commentNumber)).toEqual([
      4, 5, 0, 24, 7,
    ]);
    expect(['# cat backbone P4', '# 0.5x', '# P3/8', '#'].map(commentNumber)).toEqual([null, null, null, null]);
  });
  it('changes only when it names the old index; the rest of the comment stays as written', () => {
    expect(renumberComment(' # 5 P4/16 (5 x 5)', 5, 6)).toBe(' # 6 P4/16 (5 x 5)');
    expect(renumberComment(' # 12 with backbone P4', 12, 11)).toBe(' # 11 with backbone P4');
    expect(renumberComment(' # 6 reads 4', 7, 8)).toBe(' # 6 reads 4');
    expect(renumberComment(' # 07', 7, 8)).toBe(' # 07');
  });
});

describe('layer-number comments follow their rows in every shipped config', () => {
  for (const file of shipped) {
    const name = file.slice(CONFIGS.length + 1);
    const doc = openDoc(readFileSync(file, 'utf8'), name);
    const before = numbers(doc);
    const own = before.map((c, i) => c?.n === i);
    const N = doc.source.rows.length;

    it(`${name}: an insert at every index renumbers exactly the comments that named their row, and nothing else`, () => {
      expect(own.some(Boolean) || !before.some(Boolean)).toBe(true);
      for (let at = 0; at <= N; at++) {
        const r = perform(doc, { type: 'insert', at, row: '[-1, 1, Conv, [8, 1, 1]]' });
        const after = numbers(r.doc);
        before.forEach((c, i) => {
          const m = r.mapping[i]!;
          // a comment that named its row names it at its new index; any other comment keeps its number
          if (c) expect(after[m]?.n, `${name} insert ${at}: row ${i}`).toBe(own[i] ? m : c.n);
          else expect(after[m]).toBeNull();
        });
        // byte for byte otherwise: the same text once references and comment numbers are masked
        const lines = masked(r.doc).split('\n');
        const added = r.doc.text.slice(0, r.doc.source.rows[at].range[0]).split('\n').length - 1;
        lines.splice(added, 1);
        expect(lines.join('\n'), `${name} insert at ${at}`).toBe(masked(doc));
        // and deleting the row again gives back the file exactly
        expect(perform(r.doc, { type: 'delete', layers: [at] }).doc.text).toBe(doc.text);
      }
    });

    it(`${name}: deleting or moving rows keeps every own comment number equal to its row's index`, () => {
      for (let k = 0; k < N; k++) {
        const r = perform(doc, { type: 'delete', layers: [k] });
        const after = numbers(r.doc);
        before.forEach((c, i) => {
          const m = r.mapping[i];
          if (m === null) return;
          expect(after[m]?.n ?? null).toBe(c ? (own[i] ? m : c.n) : null);
        });
      }
      const moved = perform(doc, { type: 'move', from: 1, to: 3 });
      const after = numbers(moved.doc);
      before.forEach((c, i) => {
        const m = moved.mapping[i]!;
        if (c && own[i]) expect(after[m]?.n).toBe(m);
      });
      expect(perform(moved.doc, { type: 'move', from: 3, to: 1 }).doc.text).toBe(doc.text);
    });
  }
});
