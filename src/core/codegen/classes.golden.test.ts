/**
 * The PyTorch class of every description the app ships (YOLOv5's built-ins, the default library, the
 * Ultralytics blocks), byte for byte (golden/classes.py): a change to the generator that changes what a
 * user's export contains shows here as a diff to read.
 */
import { describe, expect, it } from 'vitest';
import { defaultLibrary } from '../custom/defaults.ts';
import type { ModuleSpec } from '../custom/spec.ts';
import { defaultRegistry } from '../index.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';
import { ultralyticsBlocks } from '../ultralytics/blocks.ts';
import { generateClass } from './pytorch.ts';

const specs: ModuleSpec[] = [];
for (const d of [...BUILTIN_MODULES, ...defaultLibrary().defs, ...ultralyticsBlocks(() => true).defs])
  if (d.spec && !specs.some((s) => s.name === d.name)) specs.push(d.spec);
const generated = new Map(specs.map((s) => [s.name, s]));

describe('generated PyTorch classes', () => {
  it('every shipped description writes the same Python as before', async () => {
    expect(specs.length).toBeGreaterThan(50);
    const text = specs
      .map((s) => {
        try {
          return generateClass(s, { generated, lookup: (n) => defaultRegistry.get(n) }).code;
        } catch (e) {
          // torch.nn's own classes and Conv (autopad) are imported, never generated
          return `# ${s.name}: ${(e as Error).message}\n`;
        }
      })
      .join('\n\n');
    await expect(text).toMatchFileSnapshot('golden/classes.py');
  });
});
