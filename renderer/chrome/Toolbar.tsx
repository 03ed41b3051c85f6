/**
 * The toolbar: file, edit and export commands, the panel toggles, input size and language. Every button
 * has an icon, an accessible name and a tooltip with its shortcut; when the window is too narrow for the
 * labels (1280 px and less in English), the buttons show their icons only, so nothing wraps or overlaps.
 */
import { FamilyScale } from '../panels/FamilyScale.tsx';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  Code2,
  FilePlus2,
  FolderOpen,
  Focus,
  GitCompareArrows,
  Image,
  Keyboard,
  LayoutGrid,
  Map as MapIcon,
  PackageOpen,
  PanelLeft,
  Play,
  Redo2,
  Save,
  SaveAll,
  SlidersHorizontal,
  TriangleAlert,
  Undo2,
  type LucideIcon,
} from 'lucide-react';
import { editorStore, useEditor } from '../store/editor.ts';
import { useLang, useT, type Lang, type MessageKey } from '../i18n.ts';
import { exportGraph, runMenuCommand } from '../commands.ts';
import { CompareMenu } from '../compare/CompareMenu.tsx';
import type { MenuCommand } from '../host/index.ts';
import { withKey } from './shortcuts.ts';
import { isShown, PANELS, useView, type PanelId } from './view-store.ts';
import { PANEL_COMMAND } from './panel-commands.ts';
import './chrome.css';

export const PANEL_ICON: Record<PanelId, LucideIcon> = {
  palette: PanelLeft,
  yaml: Code2,
  inspector: SlidersHorizontal,
  problems: TriangleAlert,
  run: Play,
};
const PANEL_LABEL: Record<PanelId, MessageKey> = {
  palette: 'palette',
  yaml: 'yaml',
  inspector: 'inspector',
  problems: 'problems',
  run: 'run',
};

/** A toolbar button: icon and label (the label hides when the toolbar is compact); name and tooltip always. */
export function ToolButton({
  icon: Icon,
  label,
  command,
  onClick,
  disabled,
  pressed,
  title,
  secondary,
  children,
}: {
  icon: LucideIcon;
  label: string;
  command?: MenuCommand;
  onClick?(): void;
  disabled?: boolean;
  pressed?: boolean;
  title?: string;
  /** Shown as an icon only as soon as the toolbar is short of room. */
  secondary?: boolean;
  children?: ReactNode;
}) {
  return (
    <button
      className={secondary ? 'tool secondary' : 'tool'}
      aria-label={label}
      title={title ?? (command ? withKey(label, command) : label)}
      disabled={disabled}
      aria-pressed={pressed}
      onClick={onClick ?? (command ? () => runMenuCommand(command) : undefined)}
    >
      <Icon size={16} aria-hidden className="tool-icon" />
      <span className="tool-label">{children ?? label}</span>
    </button>
  );
}

function PanelToggles() {
  const t = useT();
  const shown = useView(useShallow((s) => PANELS.map((p) => isShown(s, p))));
  const focus = useView((s) => s.focus);
  const minimap = useView((s) => s.minimap);
  return (
    <span className="tool-group panel-toggles" role="group" aria-label={t('panels')}>
      {PANELS.map((p, k) => (
        <button
          key={p}
          className="tool icon-only"
          aria-label={t(PANEL_LABEL[p])}
          title={withKey(t(PANEL_LABEL[p]), PANEL_COMMAND[p])}
          aria-pressed={shown[k]}
          onClick={() => runMenuCommand(PANEL_COMMAND[p])}
        >
          {(() => {
            const Icon = PANEL_ICON[p];
            return <Icon size={16} aria-hidden />;
          })()}
        </button>
      ))}
      <button
        className="tool icon-only"
        aria-label={t('minimapTitle')}
        title={withKey(t('minimapTitle'), 'toggleMinimap')}
        aria-pressed={minimap}
        onClick={() => runMenuCommand('toggleMinimap')}
      >
        <MapIcon size={16} aria-hidden />
      </button>
      <button
        className="tool icon-only"
        aria-label={t('focusCanvas')}
        title={withKey(t('focusCanvas'), 'focusCanvas')}
        aria-pressed={focus}
        onClick={() => runMenuCommand('focusCanvas')}
      >
        <Focus size={16} aria-hidden />
      </button>
    </span>
  );
}

/**
 * How compact the toolbar must be to fit: 0 every label, 1 the secondary buttons as icons, 2 icons only.
 * Measured, so it holds for any language and file name: the width each level needed is remembered and a
 * wider window tries the roomier level again.
 */
function useCompact(ref: React.RefObject<HTMLElement | null>, deps: unknown[]) {
  const [level, setLevel] = useState(0);
  const needed = useRef<number[]>([]);
  // a change of labels (language, file) measures again from the labelled toolbar
  useLayoutEffect(() => {
    needed.current = [];
    setLevel(0);
  }, deps);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => {
      needed.current[level] = el.scrollWidth;
      if (el.scrollWidth > el.clientWidth + 1 && level < 2) setLevel(level + 1);
      else if (level > 0 && el.clientWidth >= (needed.current[level - 1] ?? Infinity)) setLevel(level - 1);
    };
    check();
    // the toolbar's parts change size after it was measured too (the model's family and scale, fonts)
    const ro = new ResizeObserver(check);
    ro.observe(el);
    for (const c of el.children) ro.observe(c);
    return () => ro.disconnect();
  }, [ref, level]);
  return level;
}

/**
 * The file name in full; only when the toolbar is at its most compact and still too narrow, cut in the middle
 * (its start and its ending with the extension stay: "demo-yolo…-shapes.yaml"), the whole name in the tooltip.
 */
export function FileNameText({ name }: { name: string }) {
  const cut = name.length > 16 ? name.length - 12 : 0;
  return (
    <span className="file-name-text">
      {cut > 0 && <span className="file-name-head">{name.slice(0, cut)}</span>}
      <span className="file-name-tail">{name.slice(cut)}</span>
    </span>
  );
}

export function Toolbar() {
  const t = useT();
  const file = useEditor((s) => s.file);
  const screen = useEditor((s) => s.screen);
  const dirty = useEditor((s) => s.text !== s.savedText);
  const canUndo = useEditor((s) => s.canUndo);
  const canRedo = useEditor((s) => s.canRedo);
  const imgsz = useEditor((s) => s.imgsz);
  // the export is for the open model's framework
  const ultralytics = useEditor((s) => s.screen === 'editor' && s.analysis.family.id === 'ultralytics');
  const { lang, setLang } = useLang();
  const ref = useRef<HTMLElement>(null);
  const level = useCompact(ref, [lang, file.name, screen]);
  const compact = level > 0;
  const start = screen === 'start';
  const labels = { backbone: t('backbone'), head: t('head'), image: t('image') };
  return (
    <header className={`toolbar compact-${level}`} role="toolbar" aria-label="toolbar" ref={ref}>
      <span className="brand" title="YOLO Architect">
        {compact ? 'YA' : 'YOLO Architect'}
      </span>
      {screen === 'editor' && (
        <span className="file-name" aria-label="file" title={file.path ?? file.name}>
          <FileNameText name={file.name} />
          {dirty && (
            <span className="dirty-dot" aria-label={t('unsaved')}>
              {' '}
              ●
            </span>
          )}
        </span>
      )}
      {screen === 'editor' && <FamilyScale />}
      <span className="spacer" />
      <span className="tool-group" role="group" aria-label={t('groupFile')}>
        <ToolButton icon={FilePlus2} label={t('new')} command="new" disabled={start} />
        <ToolButton icon={FolderOpen} label={t('open')} command="open" />
        <ToolButton icon={Save} label={t('save')} command="save" disabled={start} />
        <ToolButton icon={SaveAll} label={t('saveAs')} command="saveAs" disabled={start} />
      </span>
      <span className="sep" />
      <span className="tool-group" role="group" aria-label={t('groupEdit')}>
        <ToolButton icon={Undo2} label={t('undo')} command="undo" disabled={!canUndo} secondary />
        <ToolButton icon={Redo2} label={t('redo')} command="redo" disabled={!canRedo} secondary />
        <ToolButton
          icon={LayoutGrid}
          label={t('relayout')}
          secondary
          onClick={() => editorStore.getState().relayout()}
          disabled={start}
        />
        <CompareMenu disabled={start} icon={GitCompareArrows} />
      </span>
      <span className="sep" />
      <span className="tool-group export" role="group" aria-label={t('exportGraph')} title={t('exportGraph')}>
        <ToolButton
          icon={Image}
          label={`${t('exportGraph')} SVG`}
          secondary
          onClick={() => void exportGraph('svg', labels)}
          disabled={start}
        >
          {t('exportSvg')}
        </ToolButton>
        <ToolButton
          icon={Image}
          label={`${t('exportGraph')} PNG`}
          secondary
          onClick={() => void exportGraph('png', labels)}
          disabled={start}
        >
          {t('exportPng')}
        </ToolButton>
      </span>
      <ToolButton
        icon={PackageOpen}
        label={t(ultralytics ? 'exportUltralytics' : 'exportYolov5')}
        command="exportYolov5"
        disabled={start}
        title={
          ultralytics
            ? `${withKey(t('exportUltralytics'), 'exportYolov5')}: YAML + ultralytics-8.3.253.patch`
            : `${withKey(t('exportYolov5'), 'exportYolov5')}: YAML + yolov5-v7.0.patch + yolov5-master.patch`
        }
      />
      <span className="sep" />
      {!start && <PanelToggles />}
      <ToolButton icon={Keyboard} label={t('shortcuts')} command="shortcuts" secondary />
      <label className="imgsz" title={t('inputSize')}>
        <span className="tool-label secondary">{t('inputSize')}</span>
        <select
          value={imgsz}
          onChange={(e) => editorStore.getState().setImgsz(Number(e.target.value))}
          aria-label={t('inputSize')}
        >
          {[160, 256, 320, 416, 512, 640, 960, 1280].map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('language')}>
        <option value="en">{level > 1 ? 'EN' : 'English'}</option>
        <option value="zh">{level > 1 ? '中文' : '简体中文'}</option>
      </select>
    </header>
  );
}
