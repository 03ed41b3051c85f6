// Needs ../shared/reference (REFERENCE_DIR) for the shipped configs it mutates.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { analyze, diagnosticText, parseModelText } from './index.ts';
import { configPathFor, describeReference, shippedConfigNames } from '../testing/reference.ts';

describeReference('analysis never throws on damaged configs', () => {
  const texts = shippedConfigNames().map((n) => readFileSync(configPathFor(n), 'utf8'));
  const TOKENS = [
    '-1',
    '0',
    '99',
    '-40',
    '[',
    ']',
    ',',
    'None',
    'nc',
    'anchors',
    'C3',
    'Conv',
    'Concat',
    'Detect',
    '0.0',
    '-3',
    '1e9',
    "'x'",
    '&a',
    '*a',
    ':',
    '\n',
    '  ',
    '#',
    'True',
    'nn.Foo',
    '[]',
    '{}',
  ];

  it('random edits, cuts and insertions yield diagnostics, not exceptions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(64, 160, 320, 416, 640, 1),
        (k, edits, imgsz) => {
          let t = texts[k];
          for (const [pos, del, ins] of edits) {
            const p = pos % (t.length + 1);
            t = t.slice(0, p) + ins + t.slice(p + del);
          }
          const a = analyze(parseModelText(t, 'fuzz.yaml'), { imgsz });
          expect(Array.isArray(a.diagnostics)).toBe(true);
          for (const d of a.diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(diagnosticText(d).length).toBeGreaterThan(5);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
