/**
 * The command line as a person runs it: whole-process times (start to exit) of `yolo-architect --help` and
 * `summary yolov5x6.yaml`, beside Node's own start (`node -e 0`, the floor under any Node command) and, where
 * this machine has PyTorch and a YOLOv5 v7.0 checkout (YOLOV5_DIR; never part of the project), PyTorch's own
 * build of the same model (`Model('models/hub/yolov5x6.yaml')`, which is what our summary replaces). Every case
 * once per round, interleaved, so a change of load hits them alike; medians, the load average at both ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildCli, bundleIsFresh } from '../scripts/build-cli.mjs';
import { PROJECT_DIR } from '../src/testing/reference.ts';
import { median, type BenchResult } from './util.ts';

const ROUNDS = 15;
const PYTORCH_ROUNDS = 5;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

interface Case {
  name: string;
  cmd: string;
  args: string[];
  cwd?: string;
  rounds: number;
  times: number[];
}

function once(c: Case): number {
  const t0 = performance.now();
  const r = spawnSync(c.cmd, c.args, {
    cwd: c.cwd ?? PROJECT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`${c.name}: exit ${r.status ?? r.signal}\n${String(r.stderr).slice(0, 2000) || r.error?.message}`);
  return ms;
}

/** PyTorch and the YOLOv5 source, when this machine has them (the PyTorch column is optional). */
function pytorchCase(): Case | string {
  const dir = process.env.YOLOV5_DIR;
  if (!dir) return 'set YOLOV5_DIR to a YOLOv5 v7.0 checkout (outside the project) to time PyTorch beside it';
  if (!existsSync(join(dir, 'models', 'yolo.py'))) return `YOLOV5_DIR=${dir} has no models/yolo.py`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  if (probe.status !== 0) return `${PYTHON} cannot import torch`;
  return {
    name: "PyTorch: YOLOv5's Model('yolov5x6.yaml'), whole process",
    cmd: PYTHON,
    args: ['-c', "from models.yolo import Model; Model('models/hub/yolov5x6.yaml')"],
    cwd: dir,
    rounds: PYTORCH_ROUNDS,
    times: [],
  };
}

export async function run(): Promise<BenchResult[]> {
  if (!bundleIsFresh()) await buildCli();
  const bin = join(PROJECT_DIR, 'bin', 'yolo-architect.mjs');
  const node = process.execPath;
  const config = join(PROJECT_DIR, 'configs', 'yolov5x6.yaml');
  const floor: Case = {
    name: 'node -e 0 (Node.js starting and exiting)',
    cmd: node,
    args: ['-e', '0'],
    rounds: ROUNDS,
    times: [],
  };
  const help: Case = { name: 'yolo-architect --help', cmd: node, args: [bin, '--help'], rounds: ROUNDS, times: [] };
  const summary: Case = {
    name: 'yolo-architect summary yolov5x6.yaml',
    cmd: node,
    args: [bin, 'summary', config],
    rounds: ROUNDS,
    times: [],
  };
  const torch = pytorchCase();
  const cases = [floor, help, summary, ...(typeof torch === 'string' ? [] : [torch])];
  const load0 = os.loadavg()[0];
  for (const c of cases) once(c); // warm the file cache
  for (let r = 0; r < ROUNDS; r++) for (const c of cases) if (r < c.rounds) c.times.push(once(c));
  const load1 = os.loadavg()[0];
  const load = `load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${os.cpus().length} cores`;
  const out: BenchResult[] = cases.map((c) => ({
    name: c.name,
    median: median(c.times),
    unit: 'ms',
    runs: c.times.length,
    note: `min ${Math.min(...c.times).toFixed(0)} ms${c === summary || c === help ? `, ${(median(c.times) - median(floor.times)).toFixed(0)} ms above node -e 0` : ''}`,
  }));
  if (typeof torch === 'string') out.push({ name: `PyTorch: skipped (${torch})`, median: NaN, unit: 'ms', runs: 0 });
  else
    out.push({
      name: "ratio of medians PyTorch's build / summary yolov5x6",
      median: median(torch.times) / median(summary.times),
      unit: 'x' as 'ms',
      runs: torch.times.length,
      note: load,
    });
  out[out.length - 1].note ??= load;
  return out;
}
