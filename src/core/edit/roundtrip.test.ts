// Needs ../shared (REFERENCE_DIR): the 28 shipped configs and the seed.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { command, exportText, History, openDoc, parseMismatch } from '../index.ts';
import { configPathFor, describeReference, sharedPath, shippedConfigNames } from '../../testing/reference.ts';

const encode = (s: string) => Buffer.from(s, 'utf8');

describeReference('an unedited file exports byte for byte', () => {
  const files = () => [...shippedConfigNames().map(configPathFor), sharedPath('seed', 'yolov5s-res2net.yaml')];
  it('all 28 shipped configs and the seed are there', () => expect(files()).toHaveLength(29));
  it('as read, with a BOM, with CRLF line endings, and with both', () => {
    for (const path of files()) {
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      for (const variant of [
        text,
        `\uFEFF${text}`,
        text.replace(/\n/g, '\r\n'),
        `\uFEFF${text.replace(/\n/g, '\r\n')}`,
      ]) {
        const doc = openDoc(variant, path);
        expect(encode(exportText(doc)).equals(encode(variant)), path).toBe(true);
        expect(doc.source.rows.length, path).toBeGreaterThan(5);
      }
      expect(encode(exportText(openDoc(text, path))).equals(bytes)).toBe(true);
    }
  });
  it('after an edit and its undo, and after a no-op edit', () => {
    for (const path of files()) {
      const text = readFileSync(path, 'utf8');
      for (const variant of [text, `\uFEFF${text.replace(/\n/g, '\r\n')}`]) {
        const h = new History(openDoc(variant, path));
        const r = h.perform(command({ type: 'insert', at: 2, row: '[-1, 1, Conv, [64, 1, 1]]' }));
        expect(r.ok, path).toBe(true);
        expect(parseMismatch(r.doc)).toBeUndefined();
        // the inserted line uses the file's line ending
        expect(r.doc.text.includes('\r\n')).toBe(variant.includes('\r\n'));
        expect(r.doc.text.split(/\r?\n/).length).toBe(variant.split(/\r?\n/).length + 1);
        h.undo();
        expect(exportText(h.current)).toBe(variant);
        const same = command({ type: 'move', from: 3, to: 3 }).perform(h.current);
        expect(same.history).toBe(false);
        expect(exportText(same.doc)).toBe(variant);
      }
    }
  });
  it('an edit changes only the lines it must', () => {
    for (const path of files()) {
      const text = readFileSync(path, 'utf8');
      const doc = openDoc(text, path);
      const r = command({ type: 'setRepeats', layer: 2, n: 7 }).perform(doc);
      const a = text.split('\n');
      const b = r.doc.text.split('\n');
      expect(b.length).toBe(a.length);
      expect(a.filter((l, i) => l !== b[i])).toHaveLength(1);
    }
  });
});
