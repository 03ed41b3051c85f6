// Export for Ultralytics: the YAML named for the scale, and for the seed's and users' modules a patch that adds
// their classes to an ultralytics checkout and registers them in parse_model's module sets.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMessage } from '../messages/index.ts';
import { describe, expect, it } from 'vitest';
import { defaultLibrary } from '../custom/defaults.ts';
import { parseModuleLibrary } from '../custom/library.ts';
import { analyze } from '../propagate.ts';
import { parseModelText } from '../document.ts';
import { statements, tokenize } from '../../testing/pycheck.ts';
import { PROJECT_DIR } from '../../testing/reference-paths.ts';
import { exportForUltralytics } from './export.ts';
import { ULTRALYTICS_MODULES_FILE } from './ultralytics-patch.ts';

const template = readFileSync(join(PROJECT_DIR, 'configs/ultralytics/yolo11.yaml'), 'utf8');
/** YOLO11 with the seed's C3_Res2Block in the head (layer 16). */
const withRes2 = template.replace(/- \[-1, 2, C3k2, \[256, False\]\]/, '- [-1, 2, C3_Res2Block, [256]]');

/** A patch's files: path -> hunks (header counts checked against their lines). */
function parsePatch(patch: string) {
  const files = new Map<string, { start: number; lines: string[] }[]>();
  const lines = patch.split('\n');
  expect(lines.pop()).toBe('');
  let file: { start: number; lines: string[] }[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const d = /^diff --git a\/(\S+) b\/(\S+)$/.exec(lines[i]);
    if (d) files.set(d[2], (file = []));
    const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i]);
    if (!h || !file) continue;
    const body: string[] = [];
    while (i + 1 < lines.length && /^[ +-]/.test(lines[i + 1])) body.push(lines[++i]);
    expect(body.filter((l) => !l.startsWith('+')).length).toBe(Number(h[2]));
    expect(body.filter((l) => !l.startsWith('-')).length).toBe(Number(h[4]));
    file.push({ start: Number(h[1]), lines: body });
  }
  return files;
}

describe('Export for Ultralytics', () => {
  it('a model of its own modules only: the YAML as it is, nothing else', () => {
    const r = exportForUltralytics('yolo11n', template, [defaultLibrary()]);
    expect(r.errors).toEqual([]);
    expect(r.files).toEqual([{ path: 'yolo11n.yaml', text: template }]);
  });

  it("with the seed's C3_Res2Block in a YOLO11 head: a new architect.py and tasks.py registering both classes", () => {
    const r = exportForUltralytics('yolo11n-res2', withRes2, [defaultLibrary()]);
    expect(r.errors).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(['yolo11n-res2.yaml', 'ultralytics-8.3.253.patch']);
    expect(r.classes).toEqual(['Bottle2neck', 'C3_Res2Block']);
    const files = parsePatch(r.files[1].text);
    expect([...files.keys()]).toEqual([ULTRALYTICS_MODULES_FILE, 'ultralytics/nn/tasks.py']);
    const py = files
      .get(ULTRALYTICS_MODULES_FILE)![0]
      .lines.map((l) => l.slice(1))
      .join('\n');
    // Ultralytics' own Conv is imported, the two classes are defined, and the file reads as Python
    expect(py).toContain('from ultralytics.nn.modules.conv import Conv');
    expect(
      statements(py)
        .filter((s) => /^class /.test(s.text))
        .map((s) => /^class (\w+)/.exec(s.text)![1]),
    ).toEqual(['Bottle2neck', 'C3_Res2Block']);
    expect(() => tokenize(py)).not.toThrow();
    const tasks = files.get('ultralytics/nn/tasks.py')!;
    const added = tasks.map((h) => h.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim()));
    expect(added).toEqual([
      ['from ultralytics.nn.modules.architect import Bottle2neck, C3_Res2Block  # YOLO Architect'],
      ['Bottle2neck,  # YOLO Architect', 'C3_Res2Block,  # YOLO Architect'],
      ['C3_Res2Block,  # YOLO Architect'],
    ]);
    // only additions, and the context is module names and the lines that close parse_model's sets
    expect(tasks.every((h) => h.lines.every((l) => !l.startsWith('-')))).toBe(true);
  });

  it('the patch applies with plain git apply to a file with the same context at the same places', () => {
    const r = exportForUltralytics('yolo11n-res2', withRes2, [defaultLibrary()]);
    const tasks = parsePatch(r.files[1].text).get('ultralytics/nn/tasks.py')!;
    // a stand-in for tasks.py: filler lines, and each hunk's context lines where the hunk says they are
    const text: string[] = Array.from({ length: 1700 }, (_, k) => `# line ${k + 1}`);
    for (const h of tasks) {
      let at = h.start - 1;
      for (const l of h.lines) if (!l.startsWith('+')) text[at++] = l.slice(1);
    }
    const dir = mkdtempSync(join(tmpdir(), 'ya-ultra-patch-'));
    mkdirSync(join(dir, 'ultralytics/nn/modules'), { recursive: true });
    writeFileSync(join(dir, 'ultralytics/nn/tasks.py'), `${text.join('\n')}\n`);
    writeFileSync(join(dir, 'x.patch'), r.files[1].text);
    const git = spawnSync('git', ['apply', 'x.patch'], { cwd: dir, encoding: 'utf8' });
    expect(git.stderr).toBe('');
    expect(git.status).toBe(0);
    const patched = readFileSync(join(dir, 'ultralytics/nn/tasks.py'), 'utf8');
    expect(patched).toContain('from ultralytics.nn.modules.architect import Bottle2neck, C3_Res2Block');
    expect(readFileSync(join(dir, ULTRALYTICS_MODULES_FILE), 'utf8')).toContain('class C3_Res2Block(nn.Module):');
  });

  it('names the YAML for the scale chosen, so that Ultralytics builds the figures shown', () => {
    const r = exportForUltralytics('yolo11n', template, [], { scale: 's' });
    expect(r.files.map((f) => f.path)).toEqual(['yolo11s.yaml']);
    const a = analyze(parseModelText(template, r.files[0].path));
    expect([a.scale?.name, a.params]).toEqual(['s', 9458752]);
    // a name without a place for the scale: written as it is, with a note
    const other = exportForUltralytics('mynet', template, [], { scale: 'm' });
    expect(other.files.map((f) => f.path)).toEqual(['mynet.yaml']);
    expect(other.notes.join('\n')).toMatch(/Ultralytics takes the scale from the file name and builds 'n'/);
  });

  it("refuses a module named as one of tasks.py's own names, writing nothing", () => {
    const lib = parseModuleLibrary(
      'Detector:\n  description: d\n  args: [c1, c2]\n  body:\n    - {id: y, op: Conv, args: [c1, c2, 3]}\n',
      'net.modules.yaml',
      () => true,
    );
    const text = template.replace(/- \[-1, 2, C3k2, \[256, False\]\]/, '- [-1, 1, Detector, [256]]');
    const ok = exportForUltralytics('net', text, [lib]);
    expect(ok.errors).toEqual([]);
    expect(ok.files.map((f) => f.path)).toEqual(['net.yaml', 'ultralytics-8.3.253.patch', 'net.modules.yaml']);
    const clash = parseModuleLibrary(
      'DetectionModel:\n  description: d\n  args: [c1, c2]\n  body:\n    - {id: y, op: Conv, args: [c1, c2, 3]}\n',
      'net.modules.yaml',
      () => true,
    );
    const refused = exportForUltralytics('net', text.replace('Detector', 'DetectionModel'), [clash]);
    expect(refused.files).toEqual([]);
    expect(refused.errors.map((m) => formatMessage(m))).toEqual([
      "DetectionModel: Ultralytics' tasks.py already has a 'DetectionModel'; rename the module",
    ]);
  });
});
