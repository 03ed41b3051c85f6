import { describe, expect, it } from 'vitest';
import { defaultLibrary, parseModuleLibrary, registryWith } from '../index.ts';
import { exportForYolov5 } from './export.ts';
import { classifyExport, mergeModulesLibrary, planExport } from './overwrite.ts';

const userLib = () =>
  parseModuleLibrary(
    `SE:
  description: squeeze and excite
  args: [c1, c2]
  body: [{id: y, op: nn.Identity}]
Unused:
  description: not in the model
  args: [c1, c2]
  body: [{id: y, op: nn.Identity}]
`,
    'm.modules.yaml',
    (n) => !!registryWith(defaultLibrary()).get(n),
  );

const model = `nc: 80
depth_multiple: 0.33
width_multiple: 0.50
anchors:
  - [10,13, 16,30, 33,23]
backbone:
  [[-1, 1, Conv, [64, 6, 2, 2]],
   [-1, 1, SE, [64]],
  ]
head:
  [[[1], 1, Detect, [nc, anchors]],
  ]
`;

describe('an export set against the files already in its folder', () => {
  const exported = () => {
    const r = exportForYolov5('m', model, [defaultLibrary(), userLib()]);
    expect(r.errors).toEqual([]);
    return r.files;
  };

  it('nothing there: every file is new; the same text there: unchanged; anything else: changed', () => {
    const files = exported();
    expect(files.map((f) => f.path)).toEqual(['m.yaml', 'yolov5-v7.0.patch', 'yolov5-master.patch', 'm.modules.yaml']);
    expect(classifyExport(files, []).map((f) => f.state)).toEqual(['new', 'new', 'new', 'new']);
    expect(classifyExport(files, files).map((f) => f.state)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const existing = [
      { path: 'm.yaml', text: model.replace('nc: 80', 'nc: 3') },
      { path: 'yolov5-v7.0.patch', text: null }, // a link, a folder or a binary: never taken as the same
      { path: 'yolov5-master.patch', text: files[2].text },
    ];
    expect(classifyExport(files, existing)).toEqual([
      { path: 'm.yaml', state: 'changed' },
      { path: 'yolov5-v7.0.patch', state: 'changed' },
      { path: 'yolov5-master.patch', state: 'unchanged' },
      { path: 'm.modules.yaml', state: 'new' },
    ]);
  });

  it('a module library already there keeps its other modules and comments; only the exported entries are rewritten', () => {
    const files = exported();
    const mine = `# my modules, with notes
Unused:   # kept
  description: not in the model
  args: [c1, c2]
  body: [{id: y, op: nn.Identity}]
SE:
  description: an older SE
  args: [c1, c2]
  body: [{id: y, op: nn.Identity}]
`;
    const plan = planExport(files, [{ path: 'm.modules.yaml', text: mine }]);
    const lib = plan.find((f) => f.path === 'm.modules.yaml')!;
    expect(lib.state).toBe('changed');
    // the entries not exported are kept byte for byte
    expect(lib.text.startsWith(mine.slice(0, mine.indexOf('SE:')))).toBe(true);
    expect(lib.text).toContain('description: squeeze and excite');
    expect(lib.text).not.toContain('an older SE');
    const back = parseModuleLibrary(lib.text, 'm.modules.yaml');
    expect(back.diagnostics).toEqual([]);
    expect(back.specs.map((s) => s.name)).toEqual(['Unused', 'SE']);
    // merged once, the same export again changes nothing
    expect(classifyExport(files, [{ path: 'm.modules.yaml', text: lib.text }])).toContainEqual({
      path: 'm.modules.yaml',
      state: 'unchanged',
    });
    // a library without the module gets it added at the end
    const other = 'Other:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.Identity}]';
    const added = mergeModulesLibrary(other, files[3].text)!;
    expect(added.startsWith(`${other}\nSE:\n`)).toBe(true);
    expect(parseModuleLibrary(added, 'x.modules.yaml').specs.map((s) => s.name)).toEqual(['Other', 'SE']);
  });

  it('a file under the library’s name that is not a library is replaced whole (and so counts as changed)', () => {
    const files = exported();
    for (const text of ['- a list\n', 'a: [unclosed\n', '['.repeat(100_000), 'x'.repeat(2 * 1024 * 1024)]) {
      expect(mergeModulesLibrary(text, files[3].text)).toBeNull();
      const lib = planExport(files, [{ path: 'm.modules.yaml', text }]).find((f) => f.path === 'm.modules.yaml')!;
      expect(lib).toEqual({ ...files[3], state: 'changed' });
    }
    // an empty file: the export's library; only comments: they stay, byte for byte, the library after them
    expect(mergeModulesLibrary('', files[3].text)).toBe(files[3].text);
    expect(mergeModulesLibrary('# nothing yet', files[3].text)).toBe(`# nothing yet\n${files[3].text}`);
  });
});
