/** `yolo-architect modules`: the libraries a config is read with, their problems, and a module tried alone. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../testing/cli.ts';

describe('yolo-architect modules', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("lists the default library, the user's and the model's modules, and tries one alone with every node's shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-mods-'));
    writeFileSync(
      join(dir, 'user.yaml'),
      'SEConv:\n  description: a conv then SE\n  args: [c1, c2, k=3]\n  body:\n    - {id: c, op: Conv, args: [c1, c2, k], in: x}\n    - {id: y, op: SE, args: [c2, c2]}\n',
    );
    writeFileSync(join(dir, 'm.yaml'), 'nc: 1\n');
    writeFileSync(
      join(dir, 'm.modules.yaml'),
      'Twice:\n  description: x + x\n  args: [c1, c2]\n  body: [{id: y, op: add, in: [x, x]}]\n',
    );
    vi.stubEnv('YOLO_ARCHITECT_MODULES', join(dir, 'user.yaml'));
    const r = await runCli([
      'modules',
      join(dir, 'm.yaml'),
      '--try',
      'SEConv',
      '--c1',
      '16',
      '--hw',
      '32',
      '--args',
      '64',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SE +default +\(c1, c2, r=16\)/m);
    expect(r.out).toMatch(
      new RegExp(`^SEConv +${join(dir, 'user.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +\\(c1, c2, k=3\\)`, 'm'),
    );
    expect(r.out).toMatch(/^Twice +.*m\.modules\.yaml/m);
    // Conv(16, 64, 3) + BN, then SE(64): fc1 64 -> 8 (max(64 // 16, 8)), fc2 8 -> 64, with biases
    const params = 16 * 64 * 9 + 2 * 64 + (64 * 8 + 8) + (8 * 64 + 64);
    expect(r.out).toContain(`[-1, 1, SEConv, [64]] at 16 x 32 x 32: ${params.toLocaleString('en-US')} parameters`);
    expect(r.out).toMatch(/^ {2}c +64 x 32 x 32$/m);
  });

  it('reports library problems with file and line (exit 1), and an unknown module to try is a usage error (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-mods-'));
    writeFileSync(join(dir, 'user.yaml'), 'Bad:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Nope}]\n');
    vi.stubEnv('YOLO_ARCHITECT_MODULES', join(dir, 'user.yaml'));
    const r = await runCli(['modules']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'user.yaml')}:4:22: error: Bad: node 'y' uses unknown op 'Nope'`);
    const u = await runCli(['modules', '--try', 'Frob']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/no module named 'Frob'/);
  });
});
