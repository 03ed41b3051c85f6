/**
 * Time and memory of one piece of work, measured in the test process, for safety limits on hostile input
 * (wide margins: these prove that work ends and memory stays bounded, they are not benchmarks).
 *
 * Memory is the growth of the process's peak resident set (getrusage's maxrss) over the resident set before
 * the work: an upper bound of what the work added at its peak (exact when the work sets a new peak, larger
 * when an earlier test in the same process peaked higher).
 */
export interface Measured<T> {
  value: T;
  ms: number;
  /** Growth of the peak resident set, MiB (an upper bound of the work's peak). */
  peakMiB: number;
}

export async function measured<T>(work: () => T | Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  return { value, ms, peakMiB: Math.max(0, peak - before) / 1024 ** 2 };
}

/** Every measurement of a run of tests, printed at the end for the record (REPORT_BOUNDS=1). */
export const boundsLog: { name: string; ms: number; peakMiB: number }[] = [];
