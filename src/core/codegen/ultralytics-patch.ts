/**
 * The patch for an `ultralytics` checkout (`git apply ultralytics-8.3.253.patch`): a new file
 * ultralytics/nn/modules/architect.py with the generated classes, and a minimal change to ultralytics/nn/tasks.py
 * that imports them (tasks.py's globals are where parse_model finds a row's module) and adds them to parse_model's
 * module sets: `base_modules` (c1 and c2 resolved like Conv) and, for those that take the row's repeats,
 * `repeat_modules`.
 *
 * Ultralytics is AGPL: the only lines of it here are the context the hunks need (the end of tasks.py's module
 * import, and the last member of each set with the lines that close it). They are the same from 8.3.2xx to at
 * least 8.4.8, so the patch applies to later releases as long as parse_model's module sets end as they do here.
 */
import { isIdentifier } from '../names.ts';
import { fileDiff, newFileDiff, type Hunk, type ModuleRegistration } from './patch.ts';
import { msg } from '../messages/index.ts';
import { CodegenError } from './pyprint.ts';

export const ULTRALYTICS_MODULES_FILE = 'ultralytics/nn/modules/architect.py';
export const ULTRALYTICS_RELEASE = '8.3.253';

/** Where the hunks go in release 8.3.253's ultralytics/nn/tasks.py (commit d73ffc6773cb). */
const TASKS = {
  /** the end of `from ultralytics.nn.modules import (...)`, then the next import: ours goes between */
  importAt: {
    line: 70,
    before: ['    v10Detect,', ')'],
    after: 'from ultralytics.utils import DEFAULT_CFG_DICT, LOGGER, YAML, colorstr, emojis',
  },
  /** the last member of base_modules and what closes it */
  baseAt: {
    line: 1555,
    last: '            A2C2f,',
    after: ['        }', '    )', "    repeat_modules = frozenset(  # modules with 'repeat' arguments"],
  },
  /** the last member of repeat_modules and what closes it */
  repeatAt: {
    line: 1574,
    last: '            A2C2f,',
    after: [
      '        }',
      '    )',
      '    for i, (f, n, m, args) in enumerate(d["backbone"] + d["head"]):  # from, number, module, args',
    ],
  },
};

/** The change to ultralytics/nn/tasks.py: import the classes, add them to parse_model's module sets. */
export function tasksPyDiff(classes: string[], registrations: ModuleRegistration[]): string {
  for (const n of classes) if (!isIdentifier(n)) throw new CodegenError(msg('codegen.bad-class', { name: n }));
  const member = (n: string) => `+            ${n},  # YOLO Architect`;
  const hunks: Hunk[] = [
    {
      start: TASKS.importAt.line,
      lines: [
        ...TASKS.importAt.before.map((l) => ` ${l}`),
        `+from ultralytics.nn.modules.architect import ${classes.join(', ')}  # YOLO Architect`,
        ` ${TASKS.importAt.after}`,
      ],
    },
  ];
  const base = registrations.filter((r) => r.parse !== 'passthrough').map((r) => r.name);
  if (base.length)
    hunks.push({
      start: TASKS.baseAt.line,
      lines: [` ${TASKS.baseAt.last}`, ...base.map(member), ...TASKS.baseAt.after.map((l) => ` ${l}`)],
    });
  const repeat = registrations.filter((r) => r.parse === 'channelsRepeat').map((r) => r.name);
  if (repeat.length)
    hunks.push({
      start: TASKS.repeatAt.line,
      lines: [` ${TASKS.repeatAt.last}`, ...repeat.map(member), ...TASKS.repeatAt.after.map((l) => ` ${l}`)],
    });
  return fileDiff('ultralytics/nn/tasks.py', hunks);
}

/** The whole patch: a short note (git apply skips it), the new file, the change to tasks.py. */
export function ultralyticsPatch(modulesFile: string, classes: string[], registrations: ModuleRegistration[]): string {
  const note = [
    `YOLO Architect: adds ${classes.join(', ')} to Ultralytics ${ULTRALYTICS_RELEASE} (commit d73ffc6773cb; also later`,
    'releases whose parse_model module sets end as that one does).',
    'In an ultralytics checkout of that version, unpatched: git apply THIS.patch',
    '(to replace an earlier export: git apply -R THE-EARLIER.patch, then apply this one).',
    `New file ${ULTRALYTICS_MODULES_FILE}; ultralytics/nn/tasks.py imports it and registers the modules in parse_model.`,
    '',
  ].join('\n');
  return `${note}\n${newFileDiff(ULTRALYTICS_MODULES_FILE, modulesFile)}${tasksPyDiff(classes, registrations)}`;
}
