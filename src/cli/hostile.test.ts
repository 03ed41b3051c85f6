/**
 * The hostile corpus: files made to hang the reader or exhaust memory, each generated here (nothing large in
 * git). Every case runs the CLI as a user would and must end quickly with exit 1 and a clear diagnostic. Time
 * and memory are measured in this process; the bounds are safety limits with wide margins (the machine is
 * shared), far below "hangs for minutes" or "crashes out of memory", which is what these files did before.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../core/index.ts';
import { measured } from '../testing/bounds.ts';
import { runCli } from '../testing/cli.ts';
import { checkpointOf, emptyDictsPickle, modelWith, tupleKeysPickle } from '../testing/hostile-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'ya-hostile-'));
/** Measured bounds of every case, printed at the end (the closing note quotes them). */
const seen: string[] = [];
afterAll(() => {
  if (process.env.REPORT_BOUNDS) process.stdout.write(`\n${seen.join('\n')}\n`);
});

interface Case {
  name: string;
  /** Files to write (name -> text or bytes); the first is the one the command reads. */
  files: Record<string, string | Uint8Array>;
  /** The command and its options (the file's path is put after the command). */
  command?: string[];
  /** What the output must say: a diagnostic code (`[code]` or ` code:`) or a message. */
  says: RegExp;
  /** Safety bounds (defaults 5 s, 400 MiB). */
  ms?: number;
  mib?: number;
}

async function hostile(c: Case) {
  const sub = mkdtempSync(join(dir, 'case-'));
  for (const [name, content] of Object.entries(c.files)) writeFileSync(join(sub, name), content);
  const [command, ...options] = c.command ?? ['summary'];
  const path = join(sub, Object.keys(c.files)[0]);
  const m = await measured(() => runCli([command, path, ...options]));
  seen.push(
    `${c.name.padEnd(58)} exit ${m.value.code}  ${m.ms.toFixed(0).padStart(6)} ms  ${m.peakMiB.toFixed(0).padStart(5)} MiB`,
  );
  const output = `${m.value.out}\n${m.value.err}`;
  expect(m.value.code, output.slice(0, 2000)).toBe(1);
  expect(output).toMatch(c.says);
  expect(m.ms, 'time (ms)').toBeLessThan(c.ms ?? 5000);
  expect(m.peakMiB, 'peak memory growth (MiB)').toBeLessThan(c.mib ?? 400);
  return output;
}

/** A model whose row uses `module` from a library beside it. */
const withLibrary = (module: string, library: string, rowArgs = '16') => ({
  'm.yaml': modelWith([`[-1, 1, ${module}, [${rowArgs}]]`]),
  'm.modules.yaml': library,
});
const lib = (name: string, body: string, extra = '') =>
  `${name}:\n  description: hostile\n  args: [c1, c2]\n${extra}  body:\n${body}`;

describe('the expression language is bounded', () => {
  it('[1] * 10**9 in a row argument: a list too long, not 8 GB', () =>
    hostile({
      name: 'row argument [1] * 10**9',
      files: { 'm.yaml': modelWith(['[-1, 1, Conv, [16, 3, 2, None, 1, 1, "[1] * 10**9"]]']) },
      says: /\[bad-arg-expression\][\s\S]*|too long/,
    }));

  it('nested list multiplication', () =>
    hostile({
      name: 'row argument [[1] * 10**4] * 10**4',
      files: { 'm.yaml': modelWith(['[-1, 1, Conv, [16, 3, 2, None, 1, 1, "[[[1] * 10**4] * 10**4] * 10**4"]]']) },
      says: /elements is too long.*\[bad-arg-expression\]/,
    }));

  it('a list doubled through the vars of a module', () =>
    hostile({
      name: 'vars doubling a list 40 times',
      files: withLibrary(
        'Dbl',
        lib(
          'Dbl',
          '    - {id: y, op: pass}\n',
          `  vars:\n${Array.from({ length: 40 }, (_, k) => `    v${k + 1}: ${k ? `v${k} + v${k}` : '"[0, 0]"'}\n`).join('')}`,
        ),
      ),
      says: /too long.*\[custom-expression\]/,
    }));

  it('a huge range in a loop', () =>
    hostile({
      name: 'loop over range(10**9)',
      files: withLibrary(
        'Loop',
        lib('Loop', '    - for: {i: "range(10**9)"}\n      body:\n        - {id: a, op: pass}\n'),
      ),
      says: /a loop of 1000000000 steps is too long.*\[custom-expression\]/,
    }));
});

describe('the custom-module interpreter has one work budget per model build', () => {
  it('repeat of 10**9', () =>
    hostile({
      name: 'repeat: 10**9',
      files: withLibrary('Rep', lib('Rep', '    - {id: a, op: nn.Identity, repeat: "10**9"}\n')),
      says: /repeat of 'a' is 1,000,000,000; at most 1,000.*\[too-many-repeats\]/,
    }));

  for (const n of ['0', '-1', '0.5', '.inf'])
    it(`chunk into ${n} pieces`, () =>
      hostile({
        name: `chunk ${n}`,
        files: withLibrary('Ch', lib('Ch', `    - {id: a, op: chunk, args: [${n}]}\n`)),
        // (YAML's .inf is refused where the library is read)
        says: /chunk needs a whole number of chunks of at least 1.*\[custom-expression\]|not a finite number/,
      }));

  for (const n of ['0', '0.0001', '1e-300'])
    it(`split into pieces of ${n}`, () =>
      hostile({
        name: `split ${n}`,
        files: withLibrary('Sp', lib('Sp', `    - {id: a, op: split, args: [${n}]}\n`)),
        says: /split needs a (whole )?chunk size.*\[custom-expression\]/,
      }));

  it('nested loops multiplying', () =>
    hostile({
      name: 'loops of 10,000 inside loops of 10,000',
      files: withLibrary(
        'Nest',
        lib(
          'Nest',
          '    - for: {i: "range(10000)"}\n      body:\n        - for: {j: "range(10000)"}\n          body:\n            - {id: a, op: nn.Identity, name: m}\n',
        ),
      ),
      says: /module Nest: the model needs more than 500,000 steps.*\[work-budget\]/,
    }));

  it('nested modules multiplying, the message naming the module being built and the ones around it', () =>
    hostile({
      name: 'modules of 1,000 modules of 1,000 modules',
      files: withLibrary(
        'Top',
        [
          lib('Leaf', '    - for: {i: "range(1000)"}\n      body:\n        - {id: a, op: nn.Identity, name: m}\n'),
          lib(
            'Mid',
            '    - for: {i: "range(1000)"}\n      body:\n        - {id: a, op: Leaf, args: [c1, c2], name: m}\n',
          ),
          lib(
            'Top',
            '    - for: {i: "range(1000)"}\n      body:\n        - {id: a, op: Mid, args: [c1, c2], name: m}\n',
          ),
        ].join(''),
        '3',
      ),
      says: /module Leaf \(inside Mid inside Top\): the model needs more than 500,000 steps.*\[work-budget\]/,
    }));

  it('a module cycle across two libraries', async () => {
    const sub = mkdtempSync(join(dir, 'user-'));
    // the user's library: B is plain, A uses B; the model's library redefines B to use A
    writeFileSync(
      join(sub, 'modules.yaml'),
      lib('B', '    - {id: y, op: nn.Identity}\n') + lib('A', '    - {id: y, op: B, args: [c1, c2]}\n'),
    );
    vi.stubEnv('YOLO_ARCHITECT_MODULES', join(sub, 'modules.yaml'));
    try {
      await hostile({
        name: 'module cycle across two libraries',
        files: withLibrary('A', lib('B', '    - {id: y, op: A, args: [c1, c2]}\n'), '3'),
        says: /B: uses itself through B -> A -> B \(modules of .*m\.modules\.yaml and .*modules\.yaml\)/,
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('valid-looking YAML that multiplies work', () => {
  it('depth_multiple 100 times n 1000 on hundreds of rows', () =>
    hostile({
      name: 'depth_multiple 100, n 1000, 300 rows',
      files: {
        'm.yaml': modelWith(
          Array.from({ length: 300 }, () => '[-1, 1000, C3, [16]]'),
          'nc: 2\ndepth_multiple: 100\nwidth_multiple: 1.0\nanchors: 1\n',
        ),
      },
      says: /1000 repeats times depth_multiple 100 is 100000; at most 1000 after the depth multiple \[bad-repeats\]/,
    }));

  it('repeats within each row but too many in all', () =>
    hostile({
      name: 'n 1000 on 30 rows (30,000 repeats)',
      files: { 'm.yaml': modelWith(Array.from({ length: 30 }, () => '[-1, 1000, C3, [16]]')) },
      says: /repeat their modules 11,000 times in all .*at most 10,000 \[too-many-repeats\]/,
    }));

  it('a kernel of 10**9', () =>
    hostile({
      name: 'Conv kernel 10**9',
      files: { 'm.yaml': modelWith(['[-1, 1, Conv, [16, "10**9", 1]]']) },
      says: /1,000,000,000 is beyond any image .*\[bad-conv\]/,
    }));

  it('100,000 nested [', () =>
    hostile({
      name: '100,000 nested [',
      files: { 'm.yaml': `nc: 2\nbackbone: ${'['.repeat(100_000)}\n` },
      says: /nested more than 100 levels deep.*\[too-deep\]/,
    }));

  it('100,000 nested block sequences', () =>
    hostile({
      name: '100,000 nested - - -',
      files: { 'm.yaml': `nc: 2\nbackbone:\n  ${'- '.repeat(100_000)}x\n` },
      says: /nested more than 100 levels deep.*\[too-deep\]/,
    }));

  it('a billion laughs (aliases of aliases)', () =>
    hostile({
      name: 'billion laughs',
      files: {
        'm.yaml': `a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n${Array.from({ length: 9 }, (_, k) => `a${k + 1}: &a${k + 1} [${Array(10).fill(`*a${k}`).join(', ')}]`).join('\n')}\nnc: *a9\n`,
      },
      says: /\[yaml-too-large\]/,
    }));
});

describe('a checkpoint (.pt) is read within an object and a key-work budget', () => {
  it('20 MB of empty dicts', () =>
    hostile({
      name: '.pt: 20 MB of empty dicts',
      files: { 'm.pt': checkpointOf(emptyDictsPickle(20_000_000)) },
      says: /makes more than 2,000,000 values/,
      mib: 800,
    }));

  it('a large tuple key inserted again and again', () =>
    hostile({
      name: '.pt: a 9,999-part tuple key inserted 500,000 times',
      files: { 'm.pt': checkpointOf(tupleKeysPickle(9_999, 500_000)) },
      says: /dict keys take more than 50,000,000 characters of work/,
    }));
});

describe('run estimates its memory before allocating', () => {
  const image = join(dir, 'input.safetensors');

  it('16k channels: refused, naming the layer that needs the most', async () => {
    // an image input is not needed: the model is refused before any
    const out = await hostile({
      name: 'run: 16,384 channels',
      files: {
        'm.yaml': modelWith([
          '[-1, 1, Conv, [64, 3, 2]]',
          '[-1, 1, Conv, [16384, 3, 2]]',
          '[-1, 1, Conv, [16384, 3, 1]]',
        ]),
      },
      command: ['run', '--image', image, '--img', '64'],
      says: /needs about [\d.]+ GiB .* more than the 2\.0 GiB allowed; layer 2 Conv alone needs/,
    });
    expect(out).toContain('--max-memory');
  });

  it('1M channels', () =>
    hostile({
      name: 'run: 1,048,576 channels',
      files: { 'm.yaml': modelWith(['[-1, 1, Conv, [1048576, 3, 2]]', '[-1, 1, Conv, [1048576, 1, 1]]']) },
      command: ['run', '--image', image, '--img', '64'],
      says: /needs about [\d.]+ TiB .*layer 1 Conv alone needs/,
    }));

  it('--max-memory lowers (or raises) the limit', () =>
    hostile({
      name: 'run: a small model under --max-memory 1MiB',
      files: { 'm.yaml': modelWith(['[-1, 1, Conv, [64, 3, 2]]']) },
      command: ['run', '--image', image, '--img', '320', '--max-memory', '1MiB'],
      says: /more than the 1 MiB allowed; layer 0 Conv/,
    }));
});

describe('--limit NAME=N raises an analysis limit', () => {
  it('the same repeats pass with --limit totalRepeats, and a loop over the work budget with --limit work', async () => {
    const sub = mkdtempSync(join(dir, 'limit-'));
    const many = join(sub, 'many.yaml');
    writeFileSync(many, modelWith(Array.from({ length: 12 }, () => '[-1, 1000, C3, [16]]')));
    expect((await runCli(['summary', many])).code).toBe(1);
    const raised = await runCli(['summary', many, '--limit', 'totalRepeats=20000']);
    expect(raised.code, raised.out).toBe(0);
    const files = withLibrary(
      'Burn',
      lib('Burn', '    - for: {i: "range(9000)"}\n      body:\n        - {id: a, op: nn.Identity, name: m}\n'),
    );
    const rows = Array.from({ length: 20 }, () => '[-1, 1, Burn, [16]]');
    writeFileSync(join(sub, 'm.modules.yaml'), files['m.modules.yaml']);
    writeFileSync(join(sub, 'm.yaml'), modelWith(rows));
    const spent = await runCli(['summary', join(sub, 'm.yaml')]);
    expect(spent.code).toBe(1);
    expect(spent.out).toContain('[work-budget]');
    const more = await runCli(['summary', join(sub, 'm.yaml'), '--limit', 'work=2000000']);
    expect(more.code, more.out).toBe(0);
    // and in export, which analyses the same way
    expect((await runCli(['export', join(sub, 'm.yaml'), '--limit', 'work=2,000,000'])).code).toBe(0);
    for (const bad of ['work', 'work=0', 'listLength=5', 'work=-1'])
      expect((await runCli(['summary', many, '--limit', bad])).code, bad).toBe(2);
  });
});

it('the limits the corpus meets are the ones in LIMITS', () => {
  expect([LIMITS.work, LIMITS.repeats, LIMITS.totalRepeats, LIMITS.nesting, LIMITS.pickleValues]).toEqual([
    500_000, 1000, 10_000, 100, 2_000_000,
  ]);
});
