/** Editing speed: one command (splice + keeping the parse up to date) plus re-propagation, on the largest shipped config. */
import { readFileSync } from 'node:fs';
import type { EditSpec } from '../src/core/index.ts';
import { loadCore } from './core-bundle.ts';
import { configPathFor } from '../src/testing/reference.ts';
import { measure, type BenchResult } from './util.ts';

export async function run(): Promise<BenchResult[]> {
  const { analyze, analyzeDoc, clearBuildCache, command, openDoc, parseModelText } = await loadCore();
  const out: BenchResult[] = [];
  const name = 'yolov5x6';
  const path = configPathFor(name);
  const text = readFileSync(path, 'utf8');
  const doc = openDoc(text, path);
  analyzeDoc(doc); // the editor has the current model's layers cached
  const runs = 300;
  // a new row text every run (so no cached row parse helps)
  let k = 0;
  const insertSpec = (): EditSpec => ({
    type: 'insert',
    at: 3,
    row: `[-1, 1, Conv, [${8 * (1 + (k++ % 5000))}, 1, 1]]`,
  });
  out.push(
    await measure(`${name}: insert Conv at layer 3 (command only)`, () => command(insertSpec()).perform(doc), { runs }),
  );
  out.push(
    await measure(
      `${name}: insert Conv at layer 3 + re-propagation`,
      () => analyzeDoc(command(insertSpec()).perform(doc).doc),
      { runs },
    ),
  );
  const cases: [string, EditSpec][] = [
    ['delete layer 5', { type: 'delete', layers: [5] }],
    ['move layer 10 to 4', { type: 'move', from: 10, to: 4 }],
    ['set nc', { type: 'setHeader', key: 'nc', value: '20' }],
    ['replace C3 with C3_Res2Block', { type: 'replaceModule', from: 'C3', to: 'C3_Res2Block' }],
  ];
  for (const [label, spec] of cases) {
    const c = command(spec);
    out.push(await measure(`${name}: ${label} (command only)`, () => c.perform(doc), { runs }));
    out.push(await measure(`${name}: ${label} + re-propagation`, () => analyzeDoc(c.perform(doc).doc), { runs }));
  }
  // a new value every run: the layers reading the edited one miss the build cache
  out.push(
    await measure(
      `${name}: new channels for layer 1 (command only)`,
      () => command({ type: 'setArg', layer: 1, index: 0, value: String(8 * (2 + (k++ % 5000))) }).perform(doc),
      { runs },
    ),
  );
  out.push(
    await measure(
      `${name}: new channels for layer 1 + re-propagation (layers reading it uncached)`,
      () =>
        analyzeDoc(
          command({ type: 'setArg', layer: 1, index: 0, value: String(8 * (2 + (k++ % 5000))) }).perform(doc).doc,
        ),
      {
        runs,
      },
    ),
  );
  // worst case: nothing cached (e.g. the first edit after opening a file)
  out.push(
    await measure(
      `${name}: insert Conv at layer 3 + re-propagation, cold build cache`,
      () => {
        clearBuildCache();
        analyzeDoc(command(insertSpec()).perform(doc).doc);
      },
      { runs },
    ),
  );
  const edited = command(insertSpec()).perform(doc).doc.text;
  out.push(
    await measure(
      `${name}: full re-parse + propagation (what a command avoids)`,
      () => analyze(parseModelText(edited, path)),
      { runs },
    ),
  );
  return out;
}
