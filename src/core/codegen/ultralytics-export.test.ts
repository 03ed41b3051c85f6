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
import { paramCount, Readback, stateShapes } from '../../testing/readback.ts';
import { buildLayer } from '../propagate.ts';
import { registryWith } from '../custom/library.ts';
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

  it("a learned parameter (param) is written as an nn.Parameter of the shape and init declared, named as in the core's state_dict", () => {
    // A2C2f's residual gamma, in a user's own block: the core's 'gamma' [c2] read as [c2, 1, 1]
    const lib = parseModuleLibrary(
      `ScaledConv:
  description: A Conv whose output is scaled per channel by a learned gamma and added to the input.
  args: [c1, c2, k=3, g0=0.01]
  body:
    - {id: a, op: Conv, args: [c1, c2, k, 1], in: x, name: cv}
    - {id: gm, op: param, args: [[c2, 1, 1], [c2], g0], name: gamma}
    - {id: s, op: param, args: [[1, 1, 1]], name: "scale_{k}"}
    - {id: b, op: mul, in: [gm, a, s]}
    - {id: y, op: add, in: [x, b]}
`,
      'net.modules.yaml',
      () => true,
    );
    expect(lib.diagnostics).toEqual([]);
    const text = template.replace(/- \[-1, 2, C3k2, \[256, False\]\]/, '- [-1, 1, ScaledConv, [256]]');
    const r = exportForUltralytics('net', text, [lib]);
    expect(r.errors).toEqual([]);
    const py = parsePatch(r.files[1].text)
      .get(ULTRALYTICS_MODULES_FILE)![0]
      .lines.map((l) => l.slice(1))
      .join('\n');
    expect(py).toContain('self.gamma = nn.Parameter(torch.full((c2,), g0, dtype=torch.float32))');
    expect(py).toContain("setattr(self, f'scale_{k}', nn.Parameter(torch.full((1, 1, 1), 0.0, dtype=torch.float32)))");
    expect(py).toMatch(/= self\.gamma\.view\(1, \*\[c2, 1, 1\]\)$/m);
    expect(() => tokenize(py)).not.toThrow();
    // read back: the same state_dict names, shapes and parameter count as the core's, the same output shape
    const reg = registryWith(lib);
    const rb = new Readback(py, reg);
    for (const args of [
      [64, 64],
      [32, 32, 1, 0.5],
    ]) {
      const tree = rb.build('ScaledConv', args);
      const core = buildLayer(reg.get('ScaledConv')!, args, 1, [[args[0], 16, 16]], {
        mode: 'graph',
        defaultAct: { type: 'SiLU' },
        registry: reg,
      });
      expect(core.error).toBeUndefined();
      expect(stateShapes(tree)).toEqual(stateShapes(core.root!));
      expect(paramCount(tree)).toBe(paramCount(core.root!));
      expect(stateShapes(tree).gamma).toEqual([args[1]]);
      expect(rb.forward(tree, [args[0], 16, 16])).toEqual(core.out.shape);
    }
    // the runtime starts the parameter where the description says, as PyTorch's torch.full does
    const gamma = buildLayer(reg.get('ScaledConv')!, [8, 8, 3, 0.25], 1, [[8, 4, 4]], {
      mode: 'graph',
      defaultAct: { type: 'SiLU' },
      registry: reg,
    }).root!.tensors.find((t) => t.name === 'gamma');
    expect(gamma).toEqual({ name: 'gamma', shape: [8], kind: 'param', init: 0.25 });
  });

  it('a learned parameter repeated, in a container, or viewed in a shape of another size is refused', () => {
    const lib = (node: string) =>
      parseModuleLibrary(
        `P:\n  description: d\n  args: [c1, c2]\n  body:\n    - {id: a, op: Conv, args: [c1, c2, 1], in: x, name: cv}\n    - ${node}\n    - {id: y, op: mul, in: [a, p]}\n`,
        'net.modules.yaml',
        () => true,
      );
    const text = template.replace(/- \[-1, 2, C3k2, \[256, False\]\]/, '- [-1, 1, P, [256]]');
    const said = (node: string) => exportForUltralytics('net', text, [lib(node)]).errors.map((m) => formatMessage(m));
    expect(said('{id: p, op: param, args: [[c2, 1, 1]], name: g, repeat: 2}')).toEqual([
      "P: 'g': a learned parameter (param) is an attribute of the module itself: it cannot be repeated or kept in a container",
    ]);
    expect(said('{id: p, op: param, args: [[c2, 1, 1]], name: gs.0}')).toEqual([
      "P: 'gs.0': a learned parameter (param) is an attribute of the module itself: it cannot be repeated or kept in a container",
    ]);
    const a = analyze(parseModelText(text.replace('[-1, 1, P, [256]]', '[-1, 1, Q, [256]]'), 'net.yaml'), {
      registry: registryWith(
        parseModuleLibrary(
          'Q:\n  description: d\n  args: [c1, c2]\n  body:\n    - {id: p, op: param, args: [[c2, 1, 1], [c2, 2]], name: g}\n    - {id: y, op: mul, in: [x, p]}\n',
          'q.modules.yaml',
          () => true,
        ),
      ),
    });
    expect(a.diagnostics.map((d) => formatMessage(d.message)).join('\n')).toMatch(
      /layer 16 Q: 'p': a learned parameter of shape \[64, 1, 1\] is stored as \[64, 2\], which holds a different number of values/,
    );
    // init is what every element starts at: a finite number, or the runtime and the export would disagree
    for (const [init, got] of [
      ["'half'", "'half'"],
      ['[1, 2]', '[1, 2]'],
    ]) {
      const b = analyze(parseModelText(text.replace('[-1, 1, P, [256]]', '[-1, 1, R, [256]]'), 'net.yaml'), {
        registry: registryWith(
          parseModuleLibrary(
            `R:\n  description: d\n  args: [c1, c2]\n  body:\n    - {id: p, op: param, args: [[c2, 1, 1], null, ${init}], name: g}\n    - {id: y, op: mul, in: [x, p]}\n`,
            'r.modules.yaml',
            () => true,
          ),
        ),
      });
      expect(b.diagnostics.map((d) => formatMessage(d.message)).join('\n')).toContain(
        `param's argument 'init' must be a number, got ${got}`,
      );
    }
  });
});
