/**
 * The canvas's context menus (right click, the menu key, Shift+F10): on a layer, on an edge and on the
 * empty canvas. Each entry runs the same gesture function (renderer/edits.ts) as the canvas, the keyboard
 * and the toolbar. "Replace with…" and "Insert…" open a searchable module list in place.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useT, type MessageKey } from '../i18n.ts';
import { editorStore, shownAnalysis, useEditor } from '../store/editor.ts';
import { paletteModules } from '../panels/Palette.tsx';
import { categoryColor } from '../../src/core/index.ts';

export type MenuTarget =
  | { kind: 'node'; layer: number }
  | { kind: 'edge'; source: number; target: number; position: number }
  | { kind: 'pane' };

export interface MenuState {
  target: MenuTarget;
  /** Where it opens, in px from the canvas's top-left. */
  x: number;
  y: number;
}

export interface MenuItem {
  key: MessageKey;
  /** The keyboard shortcut shown beside it. */
  keys?: string;
  /** Opens the module list; run() then gets the module picked. */
  pick?: boolean;
  checked?: boolean;
  disabled?: boolean;
  run(module?: string): void;
}

/** A searchable list of the modules a config can use (the palette's, by the same search). */
function ModulePicker({ onPick, onCancel }: { onPick(name: string): void; onCancel(): void }) {
  const t = useT();
  const registry = useEditor((s) => s.registry);
  const [q, setQ] = useState('');
  const [k, setK] = useState(0);
  // names that start with the query first, then names that hold it, then descriptions that do
  const list = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const rank = (name: string) => {
      const n = name.toLowerCase();
      return n.startsWith(needle) ? 0 : n.includes(needle) ? 1 : 2;
    };
    return paletteModules(q, registry.all())
      .map((d, k) => ({ d, k, r: rank(d.name) }))
      .sort((a, b) => a.r - b.r || a.k - b.k)
      .map((x) => x.d)
      .slice(0, 60);
  }, [q, registry]);
  return (
    <div className="module-picker">
      <input
        autoFocus
        type="search"
        aria-label={t('searchModule')}
        placeholder={t('searchModule')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setK(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setK((x) => Math.min(x + 1, list.length - 1));
          else if (e.key === 'ArrowUp') setK((x) => Math.max(x - 1, 0));
          else if (e.key === 'Enter' && list[k]) onPick(list[k].name);
          else if (e.key === 'Escape') onCancel();
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      <ul role="listbox" aria-label={t('searchModule')}>
        {list.map((d, j) => (
          <li
            key={d.name}
            role="option"
            aria-selected={j === k}
            className={j === k ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(d.name);
            }}
          >
            <span className="swatch" style={{ background: categoryColor(d.category) }} />
            {d.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ContextMenu({ menu, items, onClose }: { menu: MenuState; items: MenuItem[]; onClose(): void }) {
  const t = useT();
  const [picking, setPicking] = useState<MenuItem | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!picking) ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [picking]);
  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as globalThis.Node)) onClose();
    };
    window.addEventListener('mousedown', away, true);
    return () => window.removeEventListener('mousedown', away, true);
  }, [onClose]);
  const title =
    menu.target.kind === 'node'
      ? `${t('layer')} ${menu.target.layer} ${shownAnalysis(editorStore.getState()).layers[menu.target.layer]?.module ?? ''}`
      : menu.target.kind === 'edge'
        ? `${menu.target.source < 0 ? t('image') : menu.target.source} → ${menu.target.target}`
        : t('canvas');
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (picking) return;
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
    else if (e.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else if (e.key === 'Home') buttons[0]?.focus();
    else if (e.key === 'End') buttons[buttons.length - 1]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={`${t('contextMenu')}: ${title}`}
      style={{ left: menu.x, top: menu.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="context-title">{title}</div>
      {picking ? (
        <ModulePicker
          onPick={(name) => {
            onClose();
            picking.run(name);
          }}
          onCancel={() => setPicking(null)}
        />
      ) : (
        items.map((it) => (
          <button
            key={it.key}
            role={it.checked === undefined ? 'menuitem' : 'menuitemradio'}
            aria-checked={it.checked}
            disabled={it.disabled}
            onClick={() => {
              if (it.pick) setPicking(it);
              else {
                onClose();
                it.run();
              }
            }}
          >
            <span className="menu-label">
              {it.checked !== undefined && <span className={`menu-check${it.checked ? ' on' : ''}`} aria-hidden />}
              {t(it.key)}
            </span>
            {it.keys && <kbd>{it.keys}</kbd>}
          </button>
        ))
      )}
    </div>
  );
}
