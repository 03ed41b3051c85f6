/** A model YAML is read as YOLOv5 reads it (PyYAML): repeated keys, PyYAML's own line breaks and characters. */
import { describe, expect, it } from 'vitest';
import { parseModelText } from './document.ts';
import { diagnosticText } from './diagnostics.ts';
import { analyze } from './propagate.ts';

const header = 'nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\n';

describe('reading a model YAML as PyYAML does', () => {
  it('a section written twice: the last one counts (not both, concatenated), with a warning on the one ignored', () => {
    const text = `${header}backbone:\n  [[-1, 1, Conv, [16, 3, 2]]]\nbackbone:\n  [[-1, 1, Conv, [32, 3, 2]], [-1, 1, Conv, [64, 3, 2]]]\nhead: []\n`;
    const src = parseModelText(text, 'twice.yaml');
    expect(src.rows.map((r) => (r.args?.value as number[])[0])).toEqual([32, 64]);
    const w = src.diagnostics.filter((d) => d.code === 'duplicate-key');
    expect(w).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 5,
      }),
    ]);
    expect(diagnosticText(w[0])).toBe("'backbone' appears twice; the last one counts, as in PyYAML");
    expect(analyze(src).layers.map((l) => l.shape?.[0])).toEqual([32, 64]);
  });

  it('a header key written three times: the last one counts, the two before are said', () => {
    const src = parseModelText(`nc: 1\nnc: 2\n${header.replace('nc: 2\n', 'nc: 7\n')}backbone: []\nhead: []\n`);
    expect(src.header.nc?.value).toBe(7);
    expect(src.diagnostics.filter((d) => d.code === 'duplicate-key').map((d) => d.line)).toEqual([1, 2]);
  });

  it('a bare \\r, NEL, U+2028 or U+2029 ends a line for PyYAML: a comment cannot hide a key from what YOLOv5 reads', () => {
    for (const br of ['\r', '\x85', '\u2028', '\u2029']) {
      const src = parseModelText(
        `${header.replace('depth_multiple: 1.0\n', `depth_multiple: 1.0 # deeper${br}depth_multiple: 0.33\n`)}backbone: []\nhead: []\n`,
      );
      expect(src.header.depth_multiple?.value, JSON.stringify(br)).toEqual({ v: 0.33 });
      const w = src.diagnostics.find((d) => d.code === 'yaml-line-break');
      expect(w).toMatchObject({ severity: 'warning', line: 2 });
    }
  });

  it('a character PyYAML refuses is an error: YOLOv5 could not read the file', () => {
    const src = parseModelText(`${header}backbone: [] # \x0b\nhead: []\n`, 'ctl.yaml');
    expect(src.diagnostics).toEqual([
      expect.objectContaining({ code: 'yaml-character', severity: 'error', line: 5, column: 16 }),
    ]);
    expect(diagnosticText(src.diagnostics[0])).toContain('U+000B');
  });
});
