/**
 * The editor's panels around the canvas, resizable and collapsible (react-resizable-panels):
 *
 *   palette | canvas              | YAML
 *           | ------------------  | ---------
 *           | problems | run      | inspector
 *
 * Which panels are open lives in the view store (one-key toggles, the menu, the toolbar, focus mode); a
 * panel dragged shut closes there too. Sizes are kept per user by each group (localStorage). Closed panels
 * stay mounted at size 0, so nothing in them (the run panel's result, the YAML pane's scroll) is lost.
 */
import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  Group,
  Panel,
  Separator,
  useDefaultLayout,
  usePanelRef,
  type Layout,
  type LayoutChangedMeta,
  type PanelImperativeHandle,
} from 'react-resizable-panels';
import { X } from 'lucide-react';
import { isShown, LAYOUT_KEY_PREFIX, useView, type PanelId } from './view-store.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { withKey } from './shortcuts.ts';
import { PANEL_COMMAND } from './panel-commands.ts';

export interface WorkspaceSlots {
  palette: ReactNode;
  canvas: ReactNode;
  yaml: ReactNode;
  inspector: ReactNode;
  problems: ReactNode;
  run: ReactNode;
}

const TITLE: Record<PanelId, MessageKey> = {
  palette: 'palette',
  yaml: 'yaml',
  inspector: 'inspector',
  problems: 'problems',
  run: 'run',
};

const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));

/**
 * First-run sizes in pixels, by window size, so the canvas has most of the window: at 1600x1000 about half
 * of it with every panel open (the rest of the time the user's own sizes, kept per group, apply).
 */
export function defaultSizes(width: number, height: number) {
  return {
    palette: clamp(width * 0.13, 170, 210),
    side: clamp(width * 0.21, 300, 340),
    bottom: clamp(height * 0.17, 130, 170),
  };
}

type Refs = Record<'palette' | 'side' | 'yaml' | 'inspector' | 'bottom' | 'problems' | 'run', PanelRef>;
type PanelRef = RefObject<PanelImperativeHandle | null>;

/** Collapse or expand a panel to match what the view store wants. */
function useFollow(ref: PanelRef, want: boolean) {
  useEffect(() => {
    const p = ref.current;
    if (!p) return;
    if (want && p.isCollapsed()) p.expand();
    else if (!want && !p.isCollapsed()) p.collapse();
  }, [ref, want]);
}

/** After the user dragged a separator: the panels now shut are closed in the view store, the ones now open opened. */
function shownFromPanels(r: Refs): Record<PanelId, boolean> {
  const open = (x: PanelRef) => !(x.current?.isCollapsed() ?? false);
  const side = open(r.side);
  const bottom = open(r.bottom);
  return {
    palette: open(r.palette),
    yaml: side && open(r.yaml),
    inspector: side && open(r.inspector),
    problems: bottom && open(r.problems),
    run: bottom && open(r.run),
  };
}

/** A group's sizes, kept in localStorage under yolo-architect.layout.<group>, and user drags told to the view store. */
function useGroupLayout(group: string, refs: Refs) {
  const kept = useDefaultLayout({ id: `${LAYOUT_KEY_PREFIX}.${group}`, storage: globalThis.localStorage });
  return {
    defaultLayout: kept.defaultLayout,
    onLayoutChanged: (layout: Layout, meta: LayoutChangedMeta) => {
      kept.onLayoutChanged(layout, meta);
      if (meta.isUserInteraction) useView.getState().setShown(shownFromPanels(refs));
    },
  };
}

/** One panel's frame: its content and a Hide button in the corner of its title bar. */
function Frame({ id, children }: { id: PanelId; children: ReactNode }) {
  const t = useT();
  const name = `${t('hidePanel')} ${t(TITLE[id])}`;
  return (
    <div className={`panel-frame panel-${id}`} data-panel={id}>
      {children}
      <button
        className="panel-hide"
        aria-label={name}
        title={withKey(name, PANEL_COMMAND[id])}
        onClick={() => useView.getState().setOpen(id, false)}
      >
        <X size={14} aria-hidden />
      </button>
    </div>
  );
}

const Handle = ({ id }: { id: string }) => <Separator className="panel-separator" id={id} />;

export function Workspace(slots: WorkspaceSlots) {
  const shown = useView(
    useShallow((s) => ({
      palette: isShown(s, 'palette'),
      yaml: isShown(s, 'yaml'),
      inspector: isShown(s, 'inspector'),
      problems: isShown(s, 'problems'),
      run: isShown(s, 'run'),
    })),
  );
  const refs: Refs = {
    palette: usePanelRef(),
    side: usePanelRef(),
    yaml: usePanelRef(),
    inspector: usePanelRef(),
    bottom: usePanelRef(),
    problems: usePanelRef(),
    run: usePanelRef(),
  };
  const main = useGroupLayout('main', refs);
  const center = useGroupLayout('center', refs);
  const side = useGroupLayout('side', refs);
  const bottom = useGroupLayout('bottom', refs);

  const [sizes] = useState(() => defaultSizes(globalThis.innerWidth ?? 1600, globalThis.innerHeight ?? 1000));
  const sideShown = shown.yaml || shown.inspector;
  const bottomShown = shown.problems || shown.run;
  useFollow(refs.palette, shown.palette);
  useFollow(refs.side, sideShown);
  // inside a shown column, the panel not asked for gives its room to the other
  useFollow(refs.yaml, shown.yaml || !sideShown);
  useFollow(refs.inspector, shown.inspector || !sideShown);
  useFollow(refs.bottom, bottomShown);
  useFollow(refs.problems, shown.problems || !bottomShown);
  useFollow(refs.run, shown.run || !bottomShown);

  return (
    <Group
      id="workspace-main"
      className="workspace"
      orientation="horizontal"
      defaultLayout={main.defaultLayout}
      onLayoutChanged={main.onLayoutChanged}
    >
      <Panel
        id="palette"
        panelRef={refs.palette}
        collapsible
        collapsedSize={0}
        defaultSize={sizes.palette}
        minSize={160}
        maxSize={420}
        groupResizeBehavior="preserve-pixel-size"
        className="side-left"
      >
        <Frame id="palette">{slots.palette}</Frame>
      </Panel>
      <Handle id="sep-palette" />
      <Panel id="center" minSize={320}>
        <Group
          id="workspace-center"
          orientation="vertical"
          defaultLayout={center.defaultLayout}
          onLayoutChanged={center.onLayoutChanged}
        >
          <Panel id="canvas" minSize={160} className="main-column">
            {slots.canvas}
          </Panel>
          <Handle id="sep-bottom" />
          <Panel
            id="bottom"
            panelRef={refs.bottom}
            collapsible
            collapsedSize={0}
            defaultSize={sizes.bottom}
            minSize={100}
            maxSize="75%"
            groupResizeBehavior="preserve-pixel-size"
          >
            <Group
              id="workspace-bottom"
              className="bottom-panes"
              orientation="horizontal"
              defaultLayout={bottom.defaultLayout}
              onLayoutChanged={bottom.onLayoutChanged}
            >
              <Panel
                id="problems"
                panelRef={refs.problems}
                collapsible
                collapsedSize={0}
                defaultSize="40%"
                minSize={180}
              >
                <Frame id="problems">{slots.problems}</Frame>
              </Panel>
              <Handle id="sep-run" />
              <Panel id="run" panelRef={refs.run} collapsible collapsedSize={0} minSize={260}>
                <Frame id="run">{slots.run}</Frame>
              </Panel>
            </Group>
          </Panel>
        </Group>
      </Panel>
      <Handle id="sep-side" />
      <Panel
        id="side"
        panelRef={refs.side}
        collapsible
        collapsedSize={0}
        defaultSize={sizes.side}
        minSize={240}
        maxSize="60%"
        groupResizeBehavior="preserve-pixel-size"
        className="side-right"
      >
        <Group
          id="workspace-side"
          orientation="vertical"
          defaultLayout={side.defaultLayout}
          onLayoutChanged={side.onLayoutChanged}
        >
          <Panel id="yaml" panelRef={refs.yaml} collapsible collapsedSize={0} defaultSize="58%" minSize={100}>
            <Frame id="yaml">{slots.yaml}</Frame>
          </Panel>
          <Handle id="sep-inspector" />
          <Panel id="inspector" panelRef={refs.inspector} collapsible collapsedSize={0} minSize={120}>
            <Frame id="inspector">{slots.inspector}</Frame>
          </Panel>
        </Group>
      </Panel>
    </Group>
  );
}
