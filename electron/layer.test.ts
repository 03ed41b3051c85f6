import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer errors ESLint gives a file of `text` placed at `path` (not written: linted as if it were there). */
async function layerErrors(path: string, text: string): Promise<string[]> {
  const [r] = await eslint.lintText(text, { filePath: `${root}/${path}` });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the electron/ lint layer (eslint.config.js)', () => {
  it('refuses renderer code in electron/', async () => {
    const errors = await layerErrors(
      'electron/services/fixture.ts',
      "import { SHORTCUTS } from '../../renderer/chrome/shortcuts.ts';\nexport const n = SHORTCUTS.length;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('electron/ may import Node, Electron and the desktop contract');
  });

  it('refuses src internals (core, runtime, cli) in electron/', async () => {
    const errors = await layerErrors(
      'electron/fixture.ts',
      [
        "import { analyze } from '../src/core/index.ts';",
        "import { loadModel } from '../src/runtime/index.ts';",
        "import { main } from '../src/cli/main.ts';",
        'export const all = [analyze, loadModel, main];',
      ].join('\n'),
    );
    expect(errors).toHaveLength(3);
  });

  it('lets electron/ import the desktop contract, Node and Electron', async () => {
    const errors = await layerErrors(
      'electron/services/fixture.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { app } from 'electron';",
        "import { MENU_COMMANDS } from '../../src/desktop/contract.ts';",
        'export const all = [readFileSync, app, MENU_COMMANDS];',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
  });

  it('keeps the contract itself free of imports, and renderer/ free of electron/', async () => {
    expect(
      await layerErrors('src/desktop/fixture.ts', "import { x } from '../../renderer/host/types.ts';\nexport { x };\n"),
    ).not.toEqual([]);
    expect(
      await layerErrors('src/desktop/fixture.ts', "import { x } from '../core/index.ts';\nexport { x };\n"),
    ).not.toEqual([]);
    expect(
      await layerErrors(
        'renderer/host/fixture.ts',
        "import { CHANNELS } from '../../electron/api.ts';\nexport { CHANNELS };\n",
      ),
    ).not.toEqual([]);
  });

  it('the real electron/ and src/desktop/ sources pass it', async () => {
    const results = await eslint.lintFiles(['electron/**/*.ts', 'src/desktop/**/*.ts']);
    const layer = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(layer).toEqual([]);
  });
});
