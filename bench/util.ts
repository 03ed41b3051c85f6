/** Benchmark helpers: medians over repeated runs, printed as a table. */
export interface BenchResult {
  name: string;
  median: number;
  unit: 'ms';
  runs: number;
  note?: string;
}

export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  opts: { runs?: number; warmup?: number; note?: string } = {},
): Promise<BenchResult> {
  const runs = opts.runs ?? 50;
  for (let i = 0; i < (opts.warmup ?? 5); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { name, median: median(times), unit: 'ms', runs, note: opts.note };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function printResults(title: string, rs: BenchResult[]) {
  console.log(`\n${title}`);
  for (const r of rs)
    console.log(
      `  ${r.name.padEnd(58)} ${r.median.toFixed(3).padStart(10)} ${r.unit}  (median of ${r.runs})${r.note ? `  ${r.note}` : ''}`,
    );
}
