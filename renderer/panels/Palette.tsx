/** Every module a config can use, searchable, with its one-line description and family colour. */
import { useMemo, useState } from 'react';
import { defaultRegistry, type ModuleDef } from '../../src/core/index.ts';
import { familyColor } from '../canvas/families.ts';
import { editorStore } from '../store/editor.ts';
import { insertModuleAt } from '../edits.ts';

/** Keyboard/double-click insertion: after the selected layer, else at the end. */
function insertFromPalette(name: string) {
  const s = editorStore.getState();
  if (s.screen !== 'editor') return;
  insertModuleAt(name, s.selected !== null ? s.selected + 1 : s.analysis.layers.length);
}
import { useT } from '../i18n.ts';

export function paletteModules(query: string, defs: ModuleDef[] = defaultRegistry.all()): ModuleDef[] {
  const q = query.trim().toLowerCase();
  return defs
    .filter((d) => !d.internal)
    .filter((d) => !q || d.name.toLowerCase().includes(q) || d.description.toLowerCase().includes(q) || d.family.includes(q));
}

export function Palette() {
  const t = useT();
  const [query, setQuery] = useState('');
  const defs = useMemo(() => paletteModules(query), [query]);
  return (
    <section className="pane palette" aria-label={t('palette')}>
      <h2 className="pane-title">{t('palette')}</h2>
      <input className="search" type="search" placeholder={t('searchModules')} aria-label={t('searchModules')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="module-list">
        {defs.map((d) => (
          <li
            key={d.name}
            className="module-item"
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData('application/x-yolo-module', d.name);
              e.dataTransfer.effectAllowed = 'copy';
            }}
            title={d.description}
            aria-label={d.name}
            tabIndex={0}
            onDoubleClick={() => insertFromPalette(d.name)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') insertFromPalette(d.name);
            }}
          >
            <span className="swatch" style={{ background: familyColor(d.family) }} />
            <span className="module-name">{d.name}</span>
            <span className="module-desc">{d.description}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
