/**
 * Every module a config can use, searchable, with its one-line description and category colour: YOLOv5's
 * modules, the default library (SE, CBAM, CoordAtt), the user's modules and the model's own; custom ones
 * open in the module editor.
 */
import { useMemo, useState } from 'react';
import { CATEGORIES, categoryColor, defaultRegistry, inLang, type ModuleDef } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { insertModuleAt } from '../edits.ts';
import { useLang, useT, type MessageKey } from '../i18n.ts';
import { MODULE_MIME, setDraggedModule } from '../canvas/drag-module.ts';
import { useLibrary } from '../modules/library.ts';
import { deleteModule, editModule, moduleOrigin, newModule } from '../modules/actions.ts';

/** Keyboard/double-click insertion: after the selected layer, else at the end. */
function insertFromPalette(name: string) {
  const s = editorStore.getState();
  if (s.screen !== 'editor') return;
  insertModuleAt(name, s.selected !== null ? s.selected + 1 : s.analysis.layers.length);
}

/** Public modules whose name, category or description (in any language: 瓶颈 finds the bottlenecks) has the query. */
export function paletteModules(query: string, defs: ModuleDef[] = defaultRegistry.all()): ModuleDef[] {
  const q = query.trim().toLowerCase();
  const has = (t: string) => t.toLowerCase().includes(q);
  return defs
    .filter((d) => !d.internal)
    .filter(
      (d) =>
        !q ||
        has(d.name) ||
        d.category.includes(q) ||
        [d.description, ...Object.values(d.descriptions ?? {})].some(has) ||
        Object.values(CATEGORIES[d.category]?.label ?? {}).some(has),
    );
}

type Group = 'model' | 'user' | 'default' | 'builtin';
const GROUP_LABEL: Record<Group, MessageKey> = {
  model: 'modelModules',
  user: 'myModules',
  default: 'libraryModules',
  builtin: 'builtinModules',
};

export function Palette() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const [query, setQuery] = useState('');
  // the open model's family's modules (YOLOv5's or Ultralytics') and the module libraries
  const registry = useEditor((s) => s.analysis.registry);
  const family = useEditor((s) => s.analysis.family);
  const libraries = useLibrary((s) => s.libraries);
  const model = useLibrary((s) => s.model);
  const groups = useMemo(() => {
    const out: Record<Group, ModuleDef[]> = { model: [], user: [], default: [], builtin: [] };
    for (const d of paletteModules(query, registry.all())) out[moduleOrigin(d.name)?.kind ?? 'builtin'].push(d);
    return (['model', 'user', 'default', 'builtin'] as Group[]).map((g) => [g, out[g]] as const);
  }, [query, registry, libraries]);
  return (
    <section className="pane palette" aria-label={t('palette')}>
      <h2 className="pane-title">{t('palette')}</h2>
      <input
        className="search"
        type="search"
        placeholder={t('searchModules')}
        aria-label={t('searchModules')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <button className="new-module" onClick={newModule}>
        {t('newModule')}
      </button>
      <ul className="module-list">
        {groups.map(([g, defs]) =>
          defs.length === 0 ? null : (
            <li
              key={g}
              className="palette-section"
              role="group"
              aria-label={g === 'builtin' ? `${family.name} ${t('modulesOf')}` : t(GROUP_LABEL[g])}
            >
              <div className="palette-group">
                {g === 'builtin' ? `${family.name} ${t('modulesOf')}` : t(GROUP_LABEL[g])}
              </div>
              <ul className="module-list">
                {defs.map((d) => (
                  <li
                    key={d.name}
                    className="module-item"
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(MODULE_MIME, d.name);
                      e.dataTransfer.effectAllowed = 'copy';
                      setDraggedModule(d.name);
                    }}
                    onDragEnd={() => setDraggedModule(null)}
                    title={inLang(d.description, d.descriptions, lang)}
                    aria-label={d.name}
                    tabIndex={0}
                    onDoubleClick={() => insertFromPalette(d.name)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') insertFromPalette(d.name);
                    }}
                  >
                    <span className="swatch" style={{ background: categoryColor(d.category) }} />
                    <span className="module-name">{d.name}</span>
                    <span className="module-desc">{inLang(d.description, d.descriptions, lang)}</span>
                    {g !== 'builtin' && (
                      <span className="module-actions">
                        <button
                          className="link"
                          onClick={() => editModule(d.name)}
                          aria-label={`${t(g === 'default' ? 'copyModule' : 'editModule')} ${d.name}`}
                          title={g === 'default' ? t('copyModuleHint') : undefined}
                        >
                          {t(g === 'default' ? 'copyModule' : 'editModule')}
                        </button>
                        {g !== 'default' && (
                          <button
                            className="link"
                            aria-label={`${t('deleteModule')} ${d.name}`}
                            onClick={() => {
                              if (
                                globalThis.confirm?.(
                                  `Delete ${d.name} from ${g === 'user' ? 'your modules' : model?.file}?`,
                                )
                              )
                                void deleteModule(d.name);
                            }}
                          >
                            {t('deleteModule')}
                          </button>
                        )}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
