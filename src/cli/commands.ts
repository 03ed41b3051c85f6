/**
 * Every CLI command, once: the dispatcher, --help and the tests read this list (in --help's order). Each is its
 * usage line and a loader of its module, so listing them loads no command's code.
 */
import { PREDICT_DEFAULTS } from '../runtime/predict-defaults.ts';
import type { CliCommand } from './command.ts';

const { yolov5, ultralytics } = PREDICT_DEFAULTS;

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'summary',
    help: 'summary CONFIG [--img 640] [--scale s] [--json]   per-layer channels, shapes, parameters, GFLOPs',
    load: async () => (await import('./summary.ts')).summaryCommand,
  },
  {
    name: 'export',
    help: 'export CONFIG [--insert INDEX=ROW] [--delete INDEX] [--move FROM=TO] [--set KEY=VALUE] [--replace OLD=NEW] [--replace-at INDEX=MODULE] [--scale n|s|m|l|x] [--edit JSON] [-o OUT] [--yolov5 DIR [--allow-strings] [--force]] [--ultralytics DIR [--force]] [--limit NAME=N]   apply edits in order, write the YAML',
    load: async () => (await import('./export.ts')).exportCommand,
  },
  {
    name: 'run',
    // the IoU default follows the head (each family's predictor), the confidence default is the same for both
    help: `run CONFIG [--weights W.safetensors|W.pt] (--image IMG | --input T.safetensors) [--img 640] [--output OUT.safetensors] [--backend wasm|cpu] [--conf ${yolov5.conf}] [--iou ${yolov5.iou} YOLOv5, ${ultralytics.iou} Ultralytics] [--json] [--names a,b,c] [--rect] [--timing] [--transfer] [--seed 0] [--masks rle|polygon] [--max-memory 2GiB] [--limit NAME=N]`,
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'diff',
    help: 'diff A B [--img 640] [--json] [--changed]   layers matched, added, removed or changed; parameter, GFLOPs and shape differences',
    load: async () => (await import('./diff.ts')).diffCommand,
  },
  {
    name: 'modules',
    help: 'modules [CONFIG] [--try NAME [--c1 64] [--hw 80] [--args "64"]] [--json]   custom modules, their libraries and problems; try one alone',
    load: async () => (await import('./modules-command.ts')).modulesCommand,
  },
];
