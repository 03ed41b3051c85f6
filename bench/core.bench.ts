/** Propagation speed: from a parsed document to every layer's numbers (runs on every edit). */
import { readFileSync } from 'node:fs';
import { loadCore } from './core-bundle.ts';
import { configPathFor } from '../src/testing/reference.ts';
import { measure, type BenchResult } from './util.ts';

export async function run(): Promise<BenchResult[]> {
  const { analyze, clearBuildCache, parseModelText } = await loadCore();
  const out: BenchResult[] = [];
  for (const name of ['yolov5x6', 'yolov5-p7']) {
    const path = configPathFor(name);
    const text = readFileSync(path, 'utf8');
    const src = parseModelText(text, path);
    out.push(await measure(`parse ${name}`, () => parseModelText(text, path), { runs: 200 }));
    out.push(
      await measure(
        `propagate ${name}, cold (no cached layers)`,
        () => {
          clearBuildCache();
          analyze(src);
        },
        { runs: 200 },
      ),
    );
    out.push(await measure(`propagate ${name}, warm (unchanged layers cached)`, () => analyze(src), { runs: 200 }));
  }
  return out;
}
