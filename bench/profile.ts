/**
 * Where tfjs's time goes: one call profiled (tf.profile), kernel times summed by kernel, convolutions by
 * their filter size and stride (the op wrappers, name__op, hold their kernel's time too: kernels only).
 * Shared by `npm run bench -- runtime` (Node) and `npm run bench:web` (the page).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelRow {
  kernel: string;
  calls: number;
  ms: number;
}

export async function kernelProfile(fn: () => Promise<unknown>): Promise<KernelRow[]> {
  const p = await tf.profile(async () => void (await fn()));
  const by = new Map<string, { calls: number; ms: number }>();
  for (const k of p.kernels) {
    if (k.name.endsWith('__op')) continue;
    const f = k.inputShapes[1];
    const conv = /Conv2D|Conv2d/.test(k.name) && f && f.length === 4;
    const name = conv ? `${k.name} ${f[0]}x${f[1]}` : k.name;
    const e = by.get(name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += (await k.kernelTimeMs) as number;
    by.set(name, e);
  }
  return [...by].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
}

/**
 * onnxruntime's profile (Chrome trace events, as its profiler prints them) summed by operator: the nodes' kernel
 * times within the last model_run.
 */
export function ortProfileRows(text: string): KernelRow[] {
  type Ev = { cat?: string; name?: string; ts: number; dur: number; args?: { op_name?: string } };
  const events: Ev[] = [];
  // one event a line, each followed by a comma
  for (const line of text.split('\n')) {
    const t = line.trim().replace(/,$/, '');
    if (t.startsWith('{'))
      try {
        events.push(JSON.parse(t) as Ev);
      } catch {
        // not an event
      }
  }
  const run = events.filter((e) => e.name === 'model_run').at(-1);
  const by = new Map<string, KernelRow>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || !e.args?.op_name) continue;
    if (run && (e.ts < run.ts || e.ts > run.ts + run.dur)) continue;
    const r = by.get(e.args.op_name) ?? { kernel: e.args.op_name, calls: 0, ms: 0 };
    r.calls++;
    r.ms += e.dur / 1000;
    by.set(r.kernel, r);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

/** The rows as a table (the first `top`, then the total). */
export function printProfile(title: string, rows: KernelRow[], top = 12) {
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log(`\n${title}`);
  for (const r of rows.slice(0, top))
    console.log(
      `  ${r.kernel.padEnd(26)} ${String(r.calls).padStart(4)} calls ${r.ms.toFixed(1).padStart(8)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%`,
    );
  console.log(`  ${'all kernels'.padEnd(26)} ${''.padStart(10)} ${total.toFixed(1).padStart(8)} ms`);
}
