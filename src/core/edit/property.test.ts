// Needs ../shared/reference (REFERENCE_DIR): random edit sequences on every shipped config (fast-check).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  analyzeDoc,
  command,
  History,
  isInt,
  openDoc,
  parseDeletedMarker,
  parseMismatch,
  type EditDoc,
  type EditSpec,
} from '../index.ts';
import { configPathFor, describeReference, sharedPath, shippedConfigNames } from '../../testing/reference.ts';

const ROWS = [
  '[-1, 1, Conv, [64, 3, 1]]',
  '[-1, 3, C3, [128, False]]',
  '[-1, 1, nn.Upsample, [None, 2, "nearest"]]',
  '[[-1, 0], 1, Concat, [1]]',
  '[-1, 1, SPPF, [256, 5]]',
];
const MODULES = [
  'Conv',
  'C3',
  'C3_Res2Block',
  'GhostConv',
  'DWConv',
  'C3x',
  'SPPF',
  'Bottle2neck',
  'nn.Upsample',
  'Concat',
];
const HEADERS = [
  ['nc', '20'],
  ['depth_multiple', '0.67'],
  ['width_multiple', '1.25'],
  ['activation', 'nn.ReLU()'],
  ['anchors', '3'],
] as const;

/** An edit drawn with numbers that are fitted to the document when it is applied. */
const step = fc.record({ kind: fc.integer({ min: 0, max: 16 }), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) });
type Step = { kind: number; a: number; b: number; c: number };

function specFor(doc: EditDoc, s: Step): EditSpec {
  const N = doc.source.rows.length;
  const i = s.a % Math.max(N, 1);
  switch (s.kind) {
    case 0:
    case 1: {
      const at = s.a % (N + 1);
      // a Concat reading layer 0 needs at least one layer above it
      return { type: 'insert', at, row: at === 0 ? ROWS[0] : ROWS[s.b % ROWS.length] };
    }
    case 2:
      return { type: 'delete', layers: s.c % 3 === 0 ? [i, s.b % N] : [i] };
    case 3:
    case 4:
      return { type: 'move', from: i, to: s.b % N };
    case 5:
      return { type: 'duplicate', layer: i };
    case 6:
      return { type: 'setModule', layer: i, module: MODULES[s.b % MODULES.length] };
    case 7:
      return { type: 'setArgs', layer: i, args: [String(16 * (1 + (s.b % 8))), String(1 + (s.c % 3) * 2)] };
    case 8:
      return { type: 'setRepeats', layer: i, n: 1 + (s.b % 9) };
    case 9: {
      const refs = i === 0 ? [-1] : [-1, s.b % i, -(1 + (s.c % i))];
      return { type: 'setFrom', layer: i, from: s.c % 2 ? refs[s.b % refs.length] : refs };
    }
    case 10: {
      const [key, value] = HEADERS[s.b % HEADERS.length];
      return { type: 'setHeader', key, value };
    }
    case 11:
      return { type: 'replaceModule', from: MODULES[s.b % 3], to: MODULES[s.c % MODULES.length] };
    case 13:
      return { type: 'addInput', layer: i, ref: i === 0 ? -1 : s.b % i, ...(s.c % 2 ? { position: 0 } : {}) };
    case 14: {
      const f = doc.source.rows[i]?.from?.value;
      return { type: 'removeInput', layer: i, position: s.b % (Array.isArray(f) && f.length ? f.length : 1) };
    }
    case 15:
    case 16: {
      // typing: a few characters that matter to YAML, anywhere (mostly inside rows)
      const alphabet = ['1', '0', ' ', ',', '[', ']', '-', '#', ':', 'x', '\n', 'C3', '"'];
      const r = doc.source.rows[i];
      const p =
        r && s.kind === 15
          ? r.range[0] + 1 + (s.b % Math.max(1, r.range[1] - r.range[0] - 1))
          : s.b % (doc.text.length + 1);
      const insert =
        s.c % 4 === 0 ? '' : alphabet[s.c % alphabet.length] + (s.c % 3 ? '' : alphabet[(s.c >> 3) % alphabet.length]);
      return { type: 'editText', changes: [{ from: p, to: Math.min(doc.text.length, p + (s.a % 3)), insert }] };
    }
    default:
      return { type: 'scale', scale: (['n', 's', 'm', 'l', 'x'] as const)[s.b % 5] };
  }
}

/** Every numeric reference points at a layer that exists (or the image, for -1); markers name removed layers. */
function fromProblems(doc: EditDoc): string[] {
  const out: string[] = [];
  const N = doc.source.rows.length;
  for (const r of doc.source.rows) {
    const f = r.from?.value;
    for (const j of Array.isArray(f) ? f : [f]) {
      if (isInt(j)) {
        if (j === -1) continue;
        const abs = j < 0 ? r.index + j : j;
        if (abs < 0 || abs >= N) out.push(`layer ${r.index}: from ${j} out of range (N=${N})`);
      } else if (!parseDeletedMarker(j ?? null)) out.push(`layer ${r.index}: from ${JSON.stringify(j)}`);
    }
  }
  return out;
}

function check(name: string, text: string, runs: number) {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
      const original = openDoc(text, name);
      const h = new History(original);
      let typed = false;
      for (const s of steps) {
        const before = h.current;
        const spec = specFor(before, s);
        const r = h.perform(command(spec));
        if (!r.ok) {
          expect(r.doc).toBe(before);
          expect(r.error?.code).toBeTypeOf('string');
          continue;
        }
        const ctx = `${name}: ${JSON.stringify(spec)}`;
        expect(parseMismatch(r.doc), ctx).toBeUndefined();
        // typed text may write any reference; the commands' guarantee holds for what they write themselves
        if (spec.type === 'editText') typed = true;
        if (!typed) expect(fromProblems(r.doc), ctx).toEqual([]);
        expect(r.mapping.length, ctx).toBe(before.source.rows.length);
        // layers that survive keep their module (unless the edit changes modules)
        if (!['setModule', 'replaceModule', 'editText'].includes(spec.type)) {
          r.mapping.forEach((m, k) => {
            if (m !== null)
              expect(r.doc.source.rows[m].module?.value, ctx).toEqual(before.source.rows[k].module?.value);
          });
        }
        analyzeDoc(r.doc); // never throws
      }
      const final = h.current.text;
      while (h.canUndo) h.undo();
      expect(h.current.text).toBe(text);
      while (h.canRedo) h.redo();
      expect(h.current.text).toBe(final);
    }),
    { numRuns: runs, seed: Number(process.env.FC_SEED ?? 20261128) },
  );
}

describeReference('random edit sequences (fast-check)', () => {
  for (const name of shippedConfigNames()) {
    it(`${name}: never throw, keep every from in range, read back as the same model, undo to the original bytes`, () => {
      check(name, readFileSync(configPathFor(name), 'utf8'), 12);
    });
  }
  it('the seed, in CRLF with a BOM, as a block sequence, and in the bracket-first style', () => {
    const seed = readFileSync(sharedPath('seed', 'yolov5s-res2net.yaml'), 'utf8');
    check('seed', seed, 25);
    check('seed-crlf-bom', `\uFEFF${seed.replace(/\n/g, '\r\n')}`, 25);
    // `[`/`]` lines removed, rows as `- [...]`
    const block = seed
      .replace(/^(\s*)\[\n/m, '')
      .replace(/^\s*\]\n/gm, '')
      .replace(/^head: \[\n/m, 'head:\n')
      .replace(/^(\s+)(\[.*\]),( #.*)?$/gm, '  - $2$3');
    expect(openDoc(block).source.rows).toHaveLength(25);
    expect(openDoc(block).source.diagnostics).toEqual([]);
    check('seed-block', block, 25);
    // `  [[row0],\n   [row1], ...\n   [last]]`
    const lines = seed.split('\n');
    const old = lines
      .map((l, k) =>
        /^\s+\[-1|^\s+\[\[/.test(l)
          ? l.replace(/^\s+/, lines[k - 1]?.trim() === '[' || /^head: \[$/.test(lines[k - 1] ?? '') ? '  [' : '   ')
          : l,
      )
      .filter((l) => l.trim() !== '[')
      .join('\n')
      .replace('head: [\n', 'head:\n')
      .replace('# Detect(P3, P4, P5)', '')
      .replace(/\n\s*\]\s*$/, '\n')
      .replace(/(\[\[17, 20, 23\], 1, Detect, \[nc, anchors\]\]),\s*$/m, '$1]');
    expect(openDoc(old).source.diagnostics).toEqual([]);
    expect(openDoc(old).source.rows).toHaveLength(25);
    check('seed-old-style', old, 25);
  });
});
