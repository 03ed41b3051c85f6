/**
 * The module libraries a config is read with: the default library (SE, CBAM, CoordAtt), then the user's
 * modules.yaml ($YOLO_ARCHITECT_MODULES, or $XDG_CONFIG_HOME/yolo-architect/modules.yaml, default
 * ~/.config/yolo-architect/modules.yaml), then NAME.modules.yaml beside NAME.yaml (later ones win).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  defaultLibrary,
  loadLibraryChain,
  msg,
  type Diagnostic,
  type LibrarySource,
  type ModuleLibrary,
  type Registry,
} from '../core/index.ts';

export function userModulesPath(): string {
  if (process.env.YOLO_ARCHITECT_MODULES) return process.env.YOLO_ARCHITECT_MODULES;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'yolo-architect', 'modules.yaml');
}

/** NAME.modules.yaml beside NAME.yaml (or NAME.yml). */
export function besideModulesPath(configPath: string): string {
  return join(dirname(configPath), `${basename(configPath).replace(/\.(ya?ml|pt)$/i, '')}.modules.yaml`);
}

/**
 * The libraries a config is read with, and their registry. `defaultLibrary: 'if-user-libraries'` leaves the
 * default library out where there is no other (no library at all then: `libraries` is empty).
 */
export function loadLibraries(
  configPath: string | undefined,
  opts: { defaultLibrary?: 'always' | 'if-user-libraries' } = {},
): {
  registry: Registry;
  libraries: ModuleLibrary[];
  diagnostics: Diagnostic[];
} {
  const sources: LibrarySource[] = [];
  const unreadable: ModuleLibrary[] = [];
  for (const p of [userModulesPath(), ...(configPath ? [besideModulesPath(configPath)] : [])]) {
    if (!existsSync(p)) continue;
    try {
      sources.push({ file: p, text: readFileSync(p, 'utf8') });
    } catch (e) {
      unreadable.push({
        file: p,
        specs: [],
        defs: [],
        diagnostics: [
          {
            code: 'module-library',
            severity: 'error',
            message: msg('cannot-read-library', { error: (e as Error).message }),
            file: p,
            line: 1,
            column: 1,
          },
        ],
      });
    }
  }
  const lean = opts.defaultLibrary === 'if-user-libraries' && !sources.length && !unreadable.length;
  const chain = loadLibraryChain(sources, lean ? [] : [defaultLibrary()]);
  return {
    ...chain,
    libraries: [...chain.libraries, ...unreadable],
    diagnostics: [...chain.diagnostics, ...unreadable.flatMap((l) => l.diagnostics)],
  };
}
