import { describe, expect, it } from 'vitest';
import { inWords, refusalText } from '../../testing/words.ts';
import {
  analyzeDoc,
  command,
  formatRow,
  openDoc,
  parseMismatch,
  type CommandResult,
  type EditDoc,
  type EditSpec,
} from '../index.ts';

const HEADER = `nc: 80 # classes
depth_multiple: 0.33
width_multiple: 0.50
anchors:
  - [10, 13, 16, 30, 33, 23] # P3/8
  - [30, 61, 62, 45, 59, 119] # P4/16
`;

/** A small model in the shipped configs' style: rows on their own lines, trailing commas, comments. */
const SMALL = `${HEADER}
backbone:
  # [from, number, module, args]
  [
    [-1, 1, Conv, [64, 6, 2, 2]], # 0-P1/2
    [-1, 1, Conv, [128, 3, 2]], # 1-P2/4
    [-1, 3, C3, [128]],
    [-1, 1, Conv, [256, 3, 2]], # 3-P3/8
  ]

head: [
    [-1, 1, Conv, [128, 1, 1]],
    [[-1, 2], 1, Concat, [1]], # cat backbone P2

    [-1, 3, C3, [256, False]], # 6
    [[3, 6], 1, Detect, [nc, anchors]], # Detect
  ]
`;

function run(doc: EditDoc, spec: EditSpec): CommandResult {
  const r = command(spec).perform(doc);
  if (r.ok) expect(parseMismatch(r.doc)).toBeUndefined();
  return r;
}
const ok = (doc: EditDoc, spec: EditSpec): CommandResult => {
  const r = run(doc, spec);
  expect(refusalText(r)).toBeUndefined();
  expect(r.ok).toBe(true);
  return r;
};
const froms = (d: EditDoc) => d.source.rows.map((r) => r.from?.value);
const line = (d: EditDoc, i: number) => {
  const r = d.source.rows[i];
  const ls = d.text.lastIndexOf('\n', r.range[0]) + 1;
  return d.text.slice(ls, d.text.indexOf('\n', r.range[1]));
};

describe('insert', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('the new row becomes layer INDEX; the old layer reads it through -1; absolute references are renumbered', () => {
    const r = ok(doc, { type: 'insert', at: 2, row: '[-1, 1, Conv, [96, 1, 1]]' });
    expect(froms(r.doc)).toEqual([-1, -1, -1, -1, -1, -1, [-1, 3], -1, [4, 7]]);
    expect(r.mapping).toEqual([0, 1, 3, 4, 5, 6, 7, 8]);
    expect(r.added).toEqual([2]);
    expect(r.parse).toBe('incremental');
    expect(r.history).toBe(true);
  });
  it('writes the row in its neighbours style (indentation, trailing comma) and changes only the lines it must', () => {
    const r = ok(doc, { type: 'insert', at: 2, row: '[-1, 1, Conv, [96, 1, 1]]' });
    expect(r.doc.text).toBe(
      SMALL.replace('    [-1, 3, C3, [128]],\n', '    [-1, 1, Conv, [96, 1, 1]],\n    [-1, 3, C3, [128]],\n')
        .replace('[[-1, 2], 1, Concat', '[[-1, 3], 1, Concat')
        .replace('[[3, 6], 1, Detect', '[[4, 7], 1, Detect')
        // layer-number comments follow their rows
        .replace('# 3-P3/8', '# 4-P3/8')
        .replace('# 6\n', '# 7\n'),
    );
  });
  it('at the end of the backbone, at the start of the head, and at the very end', () => {
    const a = ok(doc, { type: 'insert', at: 4, row: '[-1, 1, SPPF, [256, 5]]', section: 'backbone' });
    expect(a.doc.source.rows[4].section).toBe('backbone');
    expect(a.doc.text).toContain('    [-1, 1, Conv, [256, 3, 2]], # 3-P3/8\n    [-1, 1, SPPF, [256, 5]],\n  ]');
    const b = ok(doc, { type: 'insert', at: 4, row: '[-1, 1, SPPF, [256, 5]]' });
    expect(b.doc.source.rows[4].section).toBe('head');
    expect(b.doc.text).toContain('head: [\n    [-1, 1, SPPF, [256, 5]],\n    [-1, 1, Conv, [128, 1, 1]],');
    const c = ok(doc, { type: 'insert', at: 8, row: '[-1, 1, Conv, [8, 1, 1]]' });
    expect(c.doc.text).toContain('# Detect\n    [-1, 1, Conv, [8, 1, 1]],\n  ]');
  });
  it('refuses what is not one row, or a position that does not exist, without throwing', () => {
    for (const [at, row] of [
      [2, '[-1, 1, Conv'],
      [2, '-1, 1, Conv, [1]'],
      [2, '[-1, 1, Conv, [1]], [-1, 1, Conv, [2]]'],
      [2, '[-1, 1, Conv, [1]] # c'],
      [99, '[-1, 1, Conv, [1]]'],
      [-1, '[-1, 1, Conv, [1]]'],
    ] as const) {
      const r = run(doc, { type: 'insert', at, row });
      expect(r.ok, row).toBe(false);
      expect(refusalText(r)).toMatch(/row|position|insert|YAML/);
      expect(r.doc).toBe(doc);
      expect(r.history).toBe(false);
    }
  });
});

describe('delete', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('removes the row with its line and comment; references after it are renumbered', () => {
    const r = ok(doc, { type: 'delete', layers: [1] });
    expect(r.doc.text).not.toContain('# 1-P2/4');
    expect(froms(r.doc)).toEqual([-1, -1, -1, -1, [-1, 1], -1, [2, 5]]);
    expect(r.mapping).toEqual([0, null, 1, 2, 3, 4, 5, 6]);
  });
  it('a layer others read by absolute reference: the reference becomes a marker and an error naming the deleted layer', () => {
    const r = ok(doc, { type: 'delete', layers: [2] });
    expect(line(r.doc, 4)).toBe('    [[-1, deleted_2_C3], 1, Concat, [1]], # cat backbone P2');
    const a = analyzeDoc(r.doc);
    const d = a.diagnostics.filter((x) => x.code === 'from-deleted-layer');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', layer: 4, file: 'small.yaml', line: 18 });
    expect(inWords(d[0]).message).toContain('layer 4 read layer 2 (C3), which was deleted');
    expect(a.diagnostics.filter((x) => x.code === 'bad-from')).toEqual([]);
  });
  it('-2 and below keep their layer; a -1 reads whatever row is now above', () => {
    const d = openDoc(SMALL.replace('[[-1, 2], 1, Concat', '[[-1, -3], 1, Concat'));
    const r = ok(d, { type: 'delete', layers: [3] });
    // the Concat (was 5) is now 4; -3 pointed at layer 2, still layer 2: -2 now
    expect(froms(r.doc)[4]).toEqual([-1, -2]);
    const r2 = ok(d, { type: 'delete', layers: [2] });
    expect(froms(r2.doc)[4]).toEqual([-1, 'deleted_2_C3']);
  });
  it('several layers at once; every layer is refused when one does not exist', () => {
    const r = ok(doc, { type: 'delete', layers: [4, 0] });
    expect(r.mapping).toEqual([null, 0, 1, 2, null, 3, 4, 5]);
    expect(refusalText(run(doc, { type: 'delete', layers: [1, 8] }))).toMatch(
      /no layer 8 \(the model has 8 layers, 0-7\)/,
    );
  });
});

describe('move', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('TO is the index after the move; its comment goes with it; references follow their layers', () => {
    const r = ok(doc, { type: 'move', from: 1, to: 2 });
    expect(r.mapping).toEqual([0, 2, 1, 3, 4, 5, 6, 7]);
    expect(line(r.doc, 2)).toBe('    [-1, 1, Conv, [128, 3, 2]], # 2-P2/4');
    expect(froms(r.doc)[5]).toEqual([-1, 1]);
  });
  it('across the backbone/head boundary', () => {
    const r = ok(doc, { type: 'move', from: 3, to: 4 });
    expect(r.doc.source.rows[4].section).toBe('head');
    expect(r.doc.source.rows.filter((x) => x.section === 'backbone')).toHaveLength(3);
    expect(froms(r.doc)[7]).toEqual([4, 6]);
    // at index 4 it follows the head's first row; back to the end of the backbone needs the section said
    expect(line(r.doc, 3)).toBe('    [-1, 1, Conv, [128, 1, 1]],');
    expect(ok(r.doc, { type: 'move', from: 4, to: 3 }).doc.source.rows[3].section).toBe('head');
    const back = ok(r.doc, { type: 'move', from: 4, to: 3, section: 'backbone' });
    expect(back.doc.text).toBe(SMALL);
  });
  it('a reference that would point forward is kept (absolute) and reported, not rewired', () => {
    const r = ok(doc, { type: 'move', from: 7, to: 0 });
    expect(froms(r.doc)[0]).toEqual([4, 7]);
    expect(analyzeDoc(r.doc).diagnostics.some((d) => d.code === 'from-forward')).toBe(true);
  });
  it('moving to where it is changes nothing and does not enter history', () => {
    const r = ok(doc, { type: 'move', from: 2, to: 2 });
    expect(r.doc).toBe(doc);
    expect(r.history).toBe(false);
  });
});

describe('comment lines above a row', () => {
  const COMMENTED = SMALL.replace(
    '    [-1, 3, C3, [128]],\n',
    '    # my attention block\n    # (two lines)\n    [-1, 3, C3, [128]],\n',
  );
  const doc = openDoc(COMMENTED, 'commented.yaml');
  it('go with a deleted row; a section heading above the first row stays', () => {
    const r = ok(doc, { type: 'delete', layers: [2] });
    expect(r.doc.text).not.toContain('my attention block');
    expect(r.doc.text).not.toContain('(two lines)');
    const first = ok(doc, { type: 'delete', layers: [0] });
    expect(first.doc.text).toContain(
      '  # [from, number, module, args]\n  [\n    [-1, 1, Conv, [128, 3, 2]], # 0-P2/4\n',
    );
  });
  it('move with their row and land above it; undoing by moving back restores the text', () => {
    const r = ok(doc, { type: 'move', from: 2, to: 0 });
    expect(r.doc.text).toContain(
      '  [\n    # my attention block\n    # (two lines)\n    [-1, 3, C3, [128]],\n    [-1, 1, Conv, [64, 6, 2, 2]], # 1-P1/2\n',
    );
    expect(r.doc.text.match(/my attention block/g)).toHaveLength(1);
    const back = ok(r.doc, { type: 'move', from: 0, to: 2 });
    expect(back.doc.text).toBe(COMMENTED);
  });
  it('a row inserted before a commented row goes above its comment', () => {
    const r = ok(doc, { type: 'insert', at: 2, row: '[-1, 1, Conv, [128, 1, 1]]' });
    expect(r.doc.text).toContain(
      '    [-1, 1, Conv, [128, 1, 1]],\n    # my attention block\n    # (two lines)\n    [-1, 3, C3, [128]],\n',
    );
  });
});

describe('duplicate', () => {
  it('a copy right after it, with no comment; relative -2 and below keep their layer', () => {
    const doc = openDoc(SMALL.replace('[[-1, 2], 1, Concat', '[[-1, -3], 1, Concat'));
    const r = ok(doc, { type: 'duplicate', layer: 5 });
    expect(line(r.doc, 6)).toBe('    [[-1, -4], 1, Concat, [1]],');
    expect(r.added).toEqual([6]);
    expect(froms(r.doc)[8]).toEqual([3, 7]);
  });
});

describe('change module', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('keeps the arguments that still fit: Conv [64, 6, 2, 2] -> DWConv [64, 6, 2] (no padding argument)', () => {
    const r = ok(doc, { type: 'setModule', layer: 0, module: 'DWConv' });
    expect(line(r.doc, 0)).toBe('    [-1, 1, DWConv, [64, 6, 2]], # 0-P1/2');
  });
  it('C3 [256, False] -> C3_Res2Block keeps both; -> Conv keeps the channels only', () => {
    expect(line(ok(doc, { type: 'setModule', layer: 6, module: 'C3_Res2Block' }).doc, 6)).toBe(
      '    [-1, 3, C3_Res2Block, [256, False]], # 6',
    );
    expect(line(ok(doc, { type: 'setModule', layer: 6, module: 'Conv' }).doc, 6)).toBe('    [-1, 3, Conv, [256]], # 6');
  });
  it('the output channels match by role (Bottle2neck calls them planes); defaults fill the gaps before a kept argument', () => {
    expect(line(ok(doc, { type: 'setModule', layer: 1, module: 'Bottle2neck' }).doc, 1)).toBe(
      '    [-1, 1, Bottle2neck, [128]], # 1-P2/4',
    );
    expect(line(ok(doc, { type: 'setModule', layer: 1, module: 'GhostConv' }).doc, 1)).toBe(
      '    [-1, 1, GhostConv, [128, 3, 2]], # 1-P2/4',
    );
  });
  it('unknown modules are refused with a suggestion', () => {
    expect(refusalText(run(doc, { type: 'setModule', layer: 1, module: 'Cnv' }))).toBe(
      "unknown module 'Cnv'; did you mean Conv?",
    );
  });
  it('replace every layer of one module', () => {
    const r = ok(doc, { type: 'replaceModule', from: 'C3', to: 'C3x' });
    expect(r.doc.text).toBe(SMALL.replaceAll(' C3, ', ' C3x, '));
    expect(refusalText(run(doc, { type: 'replaceModule', from: 'C2f', to: 'C3' }))).toBe("no layer uses module 'C2f'");
  });
});

describe('arguments, repeats, from', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('edit one argument, append one, or write them all', () => {
    expect(line(ok(doc, { type: 'setArg', layer: 1, index: 1, value: '5' }).doc, 1)).toBe(
      '    [-1, 1, Conv, [128, 5, 2]], # 1-P2/4',
    );
    expect(line(ok(doc, { type: 'setArg', layer: 2, index: 1, value: 'False' }).doc, 2)).toBe(
      '    [-1, 3, C3, [128, False]],',
    );
    expect(line(ok(doc, { type: 'setArgs', layer: 1, args: ['32', '1'] }).doc, 1)).toBe(
      '    [-1, 1, Conv, [32, 1]], # 1-P2/4',
    );
    expect(run(doc, { type: 'setArg', layer: 2, index: 3, value: '1' }).ok).toBe(false);
    expect(run(doc, { type: 'setArg', layer: 2, index: 0, value: '[1' }).ok).toBe(false);
  });
  it('repeats', () => {
    expect(line(ok(doc, { type: 'setRepeats', layer: 2, n: 9 }).doc, 2)).toBe('    [-1, 9, C3, [128]],');
    expect(run(doc, { type: 'setRepeats', layer: 2, n: 0 }).ok).toBe(false);
  });
  it('rewire: add, remove and reorder inputs; out-of-range inputs are refused', () => {
    expect(line(ok(doc, { type: 'setFrom', layer: 5, from: [-1, 2, 0] }).doc, 5)).toBe(
      '    [[-1, 2, 0], 1, Concat, [1]], # cat backbone P2',
    );
    expect(line(ok(doc, { type: 'setFrom', layer: 7, from: [6, 3] }).doc, 7)).toBe(
      '    [[6, 3], 1, Detect, [nc, anchors]], # Detect',
    );
    expect(refusalText(run(doc, { type: 'setFrom', layer: 5, from: [-1, 5] }))).toMatch(/5 is out of range/);
    expect(run(doc, { type: 'setFrom', layer: 5, from: [] }).ok).toBe(false);
  });
  it('rewire one input at a time: add, remove, reorder', () => {
    expect(line(ok(doc, { type: 'addInput', layer: 5, ref: 0 }).doc, 5)).toBe(
      '    [[-1, 2, 0], 1, Concat, [1]], # cat backbone P2',
    );
    expect(line(ok(doc, { type: 'addInput', layer: 5, ref: 1, position: 0 }).doc, 5)).toBe(
      '    [[1, -1, 2], 1, Concat, [1]], # cat backbone P2',
    );
    expect(line(ok(doc, { type: 'removeInput', layer: 7, position: 0 }).doc, 7)).toBe(
      '    [[6], 1, Detect, [nc, anchors]], # Detect',
    );
    expect(line(ok(doc, { type: 'reorderInput', layer: 5, from: 1, to: 0 }).doc, 5)).toBe(
      '    [[2, -1], 1, Concat, [1]], # cat backbone P2',
    );
    expect(line(ok(doc, { type: 'addInput', layer: 4, ref: 2 }).doc, 4)).toBe('    [[-1, 2], 1, Conv, [128, 1, 1]],');
    expect(refusalText(run(doc, { type: 'removeInput', layer: 4, position: 0 }))).toMatch(/at least one/);
    expect(refusalText(run(doc, { type: 'removeInput', layer: 5, position: 2 }))).toMatch(/input 2 does not exist/);
    expect(refusalText(run(doc, { type: 'addInput', layer: 5, ref: 9 }))).toMatch(/9 is out of range/);
  });
});

describe('header', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  it('nc, depth and width keep their comments', () => {
    const r = ok(doc, { type: 'setHeader', key: 'nc', value: '20' });
    expect(r.doc.text).toBe(SMALL.replace('nc: 80 # classes', 'nc: 20 # classes'));
    expect(r.parse).toBe('incremental');
  });
  it('a scale sets depth_multiple and width_multiple as YOLOv5 writes them', () => {
    const r = ok(doc, { type: 'scale', scale: 'm' });
    expect(r.doc.text).toBe(
      SMALL.replace('depth_multiple: 0.33', 'depth_multiple: 0.67').replace(
        'width_multiple: 0.50',
        'width_multiple: 0.75',
      ),
    );
  });
  it('activation is added after the last header line, and removed again', () => {
    const r = ok(doc, { type: 'setHeader', key: 'activation', value: 'nn.LeakyReLU(0.1)' });
    expect(r.doc.text).toBe(SMALL.replace('# P4/16\n', '# P4/16\nactivation: nn.LeakyReLU(0.1)\n'));
    expect(analyzeDoc(r.doc).defaultAct).toEqual({ type: 'LeakyReLU', alpha: 0.1 });
    expect(ok(r.doc, { type: 'setHeader', key: 'activation', value: null }).doc.text).toBe(SMALL);
  });
  it('anchors: block levels keep their line comments; a count replaces them on the key line', () => {
    const r = ok(doc, { type: 'setHeader', key: 'anchors', value: '[[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]' });
    expect(r.doc.text).toBe(
      SMALL.replace('[10, 13, 16, 30, 33, 23] # P3/8', '[1, 2, 3, 4, 5, 6] # P3/8').replace(
        '[30, 61, 62, 45, 59, 119]',
        '[7, 8, 9, 10, 11, 12]',
      ),
    );
    const c = ok(doc, { type: 'setHeader', key: 'anchors', value: '3' });
    expect(c.doc.text).toBe(
      SMALL.replace(
        'anchors:\n  - [10, 13, 16, 30, 33, 23] # P3/8\n  - [30, 61, 62, 45, 59, 119] # P4/16\n',
        'anchors: 3\n',
      ),
    );
    expect(c.doc.source.header.anchors?.value).toBe(3);
  });
  it('values that are not YAML are refused', () => {
    expect(run(doc, { type: 'setHeader', key: 'nc', value: '[1, 2' }).ok).toBe(false);
    expect(run(doc, { type: 'setHeader', key: 'nc', value: '' }).ok).toBe(false);
  });
});

describe('other layouts', () => {
  /** YOLOv5 v5/v6-era style: the first row on the bracket's line, the closing bracket after the last row. */
  const OLD = `${HEADER}backbone:
  [[-1, 1, Conv, [64, 6, 2, 2]],  # 0-P1/2
   [-1, 1, Conv, [128, 3, 2]],  # 1-P2/4
   [-1, 3, C3, [128]],
  ]
head:
  [[-1, 1, Conv, [128, 1, 1]],
   [[-1, 1], 1, Concat, [1]],
   [[2, 4], 1, Detect, [nc, anchors]]]  # Detect
`;
  const doc = openDoc(OLD, 'old.yaml');
  it('insert before the first row keeps it on the bracket line style', () => {
    const r = ok(doc, { type: 'insert', at: 0, row: '[-1, 1, Conv, [32, 3, 1]]' });
    expect(r.doc.text).toContain('  [[-1, 1, Conv, [32, 3, 1]],\n   [-1, 1, Conv, [64, 6, 2, 2]],  # 1-P1/2\n');
  });
  it('delete the first row pulls the next onto the bracket line; insert after a last row closed by the bracket', () => {
    const r = ok(doc, { type: 'delete', layers: [0] });
    expect(r.doc.text).toContain('backbone:\n  [[-1, 1, Conv, [128, 3, 2]],  # 0-P2/4\n   [-1, 3, C3, [128]],\n');
    const a = ok(doc, { type: 'insert', at: 6, row: '[-1, 1, Conv, [8, 1, 1]]' });
    expect(a.doc.text).toContain('   [[2, 4], 1, Detect, [nc, anchors]],\n   [-1, 1, Conv, [8, 1, 1]]]  # Detect\n');
  });
  it('block sequences (- [...]) and CRLF line endings', () => {
    const BLOCK =
      `${HEADER}backbone:\n  - [-1, 1, Conv, [64, 6, 2, 2]] # 0\n  - [-1, 1, Conv, [128, 3, 2]]\nhead:\n  - [[-1, 0], 1, Concat, [1]]\n  - [[0, 2], 1, Detect, [nc, anchors]]\n`.replaceAll(
        '\n',
        '\r\n',
      );
    const d = openDoc(BLOCK, 'block.yaml');
    const r = ok(d, { type: 'insert', at: 1, row: '[-1, 1, Conv, [96, 3, 1]]' });
    expect(r.doc.text).toBe(
      BLOCK.replace(
        '  - [-1, 1, Conv, [128, 3, 2]]\r\n',
        '  - [-1, 1, Conv, [96, 3, 1]]\r\n  - [-1, 1, Conv, [128, 3, 2]]\r\n',
      )
        .replace('[[-1, 0], 1', '[[-1, 0], 1')
        .replace('[[0, 2], 1, Detect', '[[0, 3], 1, Detect'),
    );
    const m = ok(d, { type: 'move', from: 0, to: 1 });
    expect(m.doc.text).toContain('  - [-1, 1, Conv, [128, 3, 2]]\r\n  - [-1, 1, Conv, [64, 6, 2, 2]] # 1\r\nhead:');
  });
  it('rows sharing a line', () => {
    const ONE = `${HEADER}backbone: [[-1, 1, Conv, [64, 6, 2, 2]], [-1, 1, Conv, [128, 3, 2]]]\nhead: [[[-1, 0], 1, Concat, [1]], [[0, 2], 1, Detect, [nc, anchors]]]\n`;
    const d = openDoc(ONE);
    expect(ok(d, { type: 'delete', layers: [1] }).doc.text).toContain('backbone: [[-1, 1, Conv, [64, 6, 2, 2]]]\n');
    expect(ok(d, { type: 'insert', at: 1, row: '[-1, 1, Conv, [8]]' }).doc.text).toContain(
      'backbone: [[-1, 1, Conv, [64, 6, 2, 2]], [-1, 1, Conv, [8]], [-1, 1, Conv, [128, 3, 2]]]\n',
    );
  });
  it('an empty head gets its first row', () => {
    const d = openDoc(`${HEADER}backbone:\n  - [-1, 1, Conv, [64, 6, 2, 2]]\nhead: []\n`);
    const r = ok(d, { type: 'insert', at: 1, row: '[[-1], 1, Detect, [nc, anchors]]' });
    expect(r.doc.text).toContain('head: [[[-1], 1, Detect, [nc, anchors]]]\n');
  });
});

describe('documents that do not parse', () => {
  it('every command refuses with the file and line, and never throws', () => {
    const doc = openDoc('nc: 80\nbackbone: [[-1, 1, Conv, [64]]\nhead: [\n', 'broken.yaml');
    const specs: EditSpec[] = [
      { type: 'insert', at: 0, row: '[-1, 1, Conv, [1]]' },
      { type: 'delete', layers: [0] },
      { type: 'setHeader', key: 'nc', value: '1' },
      { type: 'scale', scale: 's' },
    ];
    for (const s of specs) {
      const r = run(doc, s);
      expect(r.ok).toBe(false);
      expect(refusalText(r)).toMatch(/^broken\.yaml:\d+: the YAML cannot be read/);
    }
  });
});

describe('formatRow', () => {
  it('writes rows as the shipped configs do', () => {
    expect(formatRow({ from: [-1, 6], module: 'Concat', args: [1] })).toBe('[[-1, 6], 1, Concat, [1]]');
    expect(formatRow({ from: -1, n: 3, module: 'nn.Upsample', args: [null, 2, 'nearest'] })).toBe(
      '[-1, 3, nn.Upsample, [None, 2, "nearest"]]',
    );
    expect(formatRow({ from: [17, 20, 23], module: 'Detect', args: ['nc', 'anchors'] })).toBe(
      '[[17, 20, 23], 1, Detect, [nc, anchors]]',
    );
  });
});

describe('typing in the YAML pane (editText)', () => {
  const doc = openDoc(SMALL, 'small.yaml');
  const at = (needle: string) => SMALL.indexOf(needle);
  it('a change inside a row reads only that row again', () => {
    const p = at('[128, 3, 2]') + 1;
    const r = ok(doc, { type: 'editText', changes: [{ from: p, to: p + 3, insert: '96' }] });
    expect(line(r.doc, 1)).toBe('    [-1, 1, Conv, [96, 3, 2]], # 1-P2/4');
    expect(r.parse).toBe('incremental');
    expect(r.mapping).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
  it('any other change is parsed whole and always applies, even when it breaks the YAML (the text is the state)', () => {
    const p = at('    [-1, 3, C3, [128]],\n');
    const del = ok(doc, {
      type: 'editText',
      changes: [{ from: p, to: p + '    [-1, 3, C3, [128]],\n'.length, insert: '' }],
    });
    expect(del.parse).toBe('full');
    expect(del.mapping).toEqual([0, 1, null, 2, 3, 4, 5, 6]);
    const broken = ok(doc, {
      type: 'editText',
      changes: [{ from: at('head: ['), to: at('head: [') + 7, insert: 'head: [[' }],
    });
    expect(broken.doc.source.diagnostics.some((d) => d.code === 'yaml-syntax')).toBe(true);
    const fixed = ok(broken.doc, {
      type: 'editText',
      changes: [{ from: at('head: ['), to: at('head: [') + 8, insert: 'head: [' }],
    });
    expect(fixed.doc.text).toBe(SMALL);
  });
  it('changes outside the text are refused', () => {
    expect(run(doc, { type: 'editText', changes: [{ from: 5, to: 99999, insert: '' }] }).ok).toBe(false);
  });
});
