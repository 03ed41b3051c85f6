/**
 * The module editor's loop: one gesture (a command over the module's description), the libraries read again
 * with the draft, and the module tried alone (params, shapes of every node): what each keystroke costs.
 */
import type { ModuleSpec } from '../src/core/index.ts';
import { loadCore } from './core-bundle.ts';
import { measure, type BenchResult } from './util.ts';

export async function run(): Promise<BenchResult[]> {
  const { defaultLibrary, loadLibraryChain, moduleCommand, moduleYaml, setLibraryEntry, tryModule, defaultRegistry } =
    await loadCore();
  const out: BenchResult[] = [];
  // the seed's blocks as data: C3_Res2Block over Bottle2neck, the largest custom module we have
  const specs = [defaultRegistry.get('Bottle2neck')!.spec!, defaultRegistry.get('C3_Res2Block')!.spec!].map((s) => ({
    ...s,
    name: `My${s.name}`,
    body: JSON.parse(JSON.stringify(s.body).replaceAll('"Bottle2neck"', '"MyBottle2neck"')),
  })) as ModuleSpec[];
  const user = specs.reduce((text, s) => setLibraryEntry(text, s), '');
  const runs = 200;
  let k = 0;
  const gesture = () =>
    moduleCommand({ type: 'setInfo', key: 'description', value: `edited ${k++}` }).perform(specs[1]);
  out.push(await measure('module editor: one gesture (command only)', gesture, { runs }));
  const draft = (spec: ModuleSpec) =>
    loadLibraryChain([{ file: 'modules.yaml', text: setLibraryEntry(user, spec) }], [defaultLibrary()]);
  out.push(await measure('module editor: gesture + draft libraries read again', () => draft(gesture().spec), { runs }));
  out.push(
    await measure(
      'module editor: gesture + draft + trial (MyC3_Res2Block, n=3, 128 ch at 80x80)',
      () => {
        const spec = gesture().spec;
        tryModule(spec.name, draft(spec).registry, { c1: 128, hw: 80, rowArgs: '128', n: 3, spec });
      },
      { runs },
    ),
  );
  out.push(
    await measure('module editor: the module as YAML (the text view)', () => moduleYaml(gesture().spec), { runs }),
  );
  return out;
}
