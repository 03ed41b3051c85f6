/**
 * What the module editor and the palette do with libraries: start a new module or edit one, save it into
 * the user's modules.yaml or the model's NAME.modules.yaml (through the Host), delete it, and Export for
 * YOLOv5 or Ultralytics. The libraries themselves are read by src/core (loadLibraryChain); nothing here parses YAML.
 */
import {
  exportForUltralytics,
  diagnosticText,
  errorMessage,
  exportForYolov5,
  joinMessages,
  loadLibraryChain,
  msg,
  moduleYaml,
  newModuleSpec,
  removeLibraryEntry,
  replaceModule,
  setLibraryEntry,
  type ModuleSpec,
  type Diagnostic,
  type ExportFile,
  type FamilyId,
  type LibrarySource,
  type Message,
  type Registry,
} from '../../src/core/index.ts';
import { getHost } from '../host/index.ts';
import { editorStore } from '../store/editor.ts';
import { libraryStore, librarySources, type LibraryKind } from './library.ts';
import { moduleEditorStore } from './module-editor.ts';

/** NAME.modules.yaml for the open model NAME.yaml. */
export const modelLibraryName = (file: string) => `${file.replace(/\.(ya?ml|pt)$/i, '')}.modules.yaml`;

/** Which library (and entry) a module comes from: the last one defining it wins, as when reading. */
export function moduleOrigin(name: string): { kind: LibraryKind | 'default'; spec: ModuleSpec } | null {
  const s = libraryStore.getState();
  const kinds: (LibraryKind | 'default')[] = [
    'default',
    ...(s.user.text.trim() ? ['user' as const] : []),
    ...(s.model && s.model.text.trim() ? ['model' as const] : []),
  ];
  for (let k = s.libraries.length - 1; k >= 0; k--) {
    const spec = s.libraries[k].specs.find((x) => x.name === name);
    if (spec) return { kind: kinds[k] ?? 'user', spec };
  }
  return null;
}

function libraryText(kind: LibraryKind): string {
  const s = libraryStore.getState();
  return kind === 'user' ? s.user.text : (s.model?.text ?? '');
}

/** The libraries with the draft `spec` written into its target: a registry for trials, and the draft's problems. */
export function draftLibraries(
  spec: ModuleSpec,
  target: LibraryKind,
  original: string | null,
): { registry: Registry; diagnostics: Diagnostic[]; text: string | null; error?: Message } {
  const s = libraryStore.getState();
  let text: string;
  try {
    text = setLibraryEntry(libraryText(target), spec, original ?? spec.name);
  } catch (e) {
    // the target library has a problem of its own (or a name clash): try the module alone
    const alone = loadLibraryChain(
      [...librarySources(s), { file: `${spec.name}.modules.yaml`, text: moduleYaml(spec) }],
      s.libraries.slice(0, 1),
    );
    return {
      registry: alone.registry,
      diagnostics: alone.libraries[alone.libraries.length - 1].diagnostics,
      text: null,
      error: errorMessage(e),
    };
  }
  const user: LibrarySource = target === 'user' ? { ...s.user, text } : s.user;
  const model: LibrarySource | null =
    target === 'model' ? { file: s.model?.file ?? modelLibraryName(editorStore.getState().file.name), text } : s.model;
  const chain = loadLibraryChain(
    [user, ...(model ? [model] : [])].filter((x) => x.text.trim()),
    s.libraries.slice(0, 1),
  );
  const file = target === 'user' ? user.file : model!.file;
  const mine = chain.libraries.find((l) => l.file === file);
  return {
    registry: chain.registry,
    diagnostics: (mine?.diagnostics ?? []).filter(
      (d) => diagnosticText(d).startsWith(`${spec.name}:`) || !diagnosticText(d).includes(':'),
    ),
    text,
  };
}

/** Open the module editor on a new module (in the user's library, or the model's when it has one on disk). */
export function newModule() {
  const e = editorStore.getState();
  const taken = new Set(e.registry.all().map((d) => d.name));
  let name = 'MyBlock';
  for (let k = 2; taken.has(name); k++) name = `MyBlock${k}`;
  const target: LibraryKind = libraryStore.getState().model ? 'model' : 'user';
  moduleEditorStore.getState().start({ spec: newModuleSpec(name), original: null, target });
}

/** Open the module editor on an existing module; a default-library module opens as a copy in the user's library. */
export function editModule(name: string) {
  const o = moduleOrigin(name);
  if (!o) return;
  if (o.kind === 'default')
    moduleEditorStore
      .getState()
      .start({ spec: { ...o.spec, name: `My${o.spec.name}` }, original: null, target: 'user' });
  else moduleEditorStore.getState().start({ spec: o.spec, original: o.spec.name, target: o.kind });
}

async function writeLibrary(kind: LibraryKind, text: string): Promise<boolean> {
  const host = getHost();
  const lib = libraryStore.getState();
  if (kind === 'user') {
    if (!(await host.saveUserModules(text))) return false;
    lib.setUser(text);
    return true;
  }
  const file = editorStore.getState().file;
  const name = lib.model?.file ?? modelLibraryName(file.name);
  // desktop: NAME.modules.yaml beside the model; a browser keeps it with the open model (Export for YOLOv5 writes it)
  if (file.path && host.saveModelModules && !(await host.saveModelModules(file.path, text))) return false;
  lib.setModel({ file: name, text });
  return true;
}

/**
 * Save the module being edited into its library. Refused, with the reasons shown, when the library would
 * not read it back cleanly. A renamed module is renamed in the open model too (one undo step there).
 */
export async function saveModule(): Promise<boolean> {
  const m = moduleEditorStore.getState();
  const draft = draftLibraries(m.spec, m.target, m.original);
  if (draft.error || draft.text === null) {
    m.setError(draft.error ?? msg('module.cannot-save'));
    return false;
  }
  const errors = draft.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    m.setError(msg('module.not-saved', { problems: joinMessages(errors.map((d) => d.message)) }));
    return false;
  }
  if (!(await writeLibrary(m.target, draft.text))) return false;
  const renamed = m.original && m.original !== m.spec.name ? m.original : null;
  m.markSaved(m.spec.name);
  const e = editorStore.getState();
  if (renamed && e.screen === 'editor' && e.analysis.layers.some((l) => l.module === renamed))
    e.perform(replaceModule(renamed, m.spec.name), 'palette');
  e.notify(
    m.target === 'user'
      ? msg('toast.module-saved-user', { name: m.spec.name })
      : msg('toast.module-saved-file', { name: m.spec.name, file: libraryStore.getState().model?.file ?? '' }),
  );
  return true;
}

/** Remove a module from its library (the default library's cannot be removed). */
export async function deleteModule(name: string): Promise<boolean> {
  const o = moduleOrigin(name);
  if (!o || o.kind === 'default') return false;
  return writeLibrary(o.kind, removeLibraryEntry(libraryText(o.kind), name));
}

/**
 * Export for YOLOv5: the model YAML, NAME.modules.yaml and the patches for each YOLOv5 release, computed
 * (nothing written yet: the export dialog shows them and writes where the user says).
 */
/**
 * The export of the open model for its framework: YOLOv5's (two patches) or Ultralytics' (the YAML named for the
 * chosen scale, one patch); `model` is the YAML's file name among `files`.
 */
export function prepareExport():
  { family: FamilyId; stem: string; model: string; files: ExportFile[]; notes: string[] } | { error: Message } {
  const e = editorStore.getState();
  const stem = e.file.name.replace(/\.(ya?ml|pt)$/i, '') || 'model';
  const errors = e.analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    return {
      error: msg('export.fix-first', { problem: errors[0].message, more: errors.length - 1 }),
    };
  const libraries = libraryStore.getState().libraries;
  const refused = (errors: Message[]) => ({ error: joinMessages(errors) });
  if (e.analysis.family.id === 'ultralytics') {
    const r = exportForUltralytics(stem, e.text, libraries, e.scale ? { scale: e.scale } : {});
    if (r.errors.length) return refused(r.errors);
    return { family: 'ultralytics', stem, model: r.files[0].path, files: r.files, notes: r.notes };
  }
  const r = exportForYolov5(stem, e.text, libraries);
  if (r.errors.length) return refused(r.errors);
  return { family: 'yolov5', stem, model: `${stem}.yaml`, files: r.files, notes: [] };
}
