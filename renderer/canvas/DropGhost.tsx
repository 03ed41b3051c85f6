/** While a module is dragged over the canvas: its target highlighted, and a ghost saying what a drop will do. */
import { ViewportLayer } from './ViewportLayer.tsx';
import type { Ghost } from './use-palette-drop.ts';

/** The highlighted target, in the flow's coordinates (moves and zooms with the graph). */
export function DropHighlight({ ghost }: { ghost: Ghost | null }) {
  if (!ghost) return null;
  const t = ghost.target;
  return (
    <ViewportLayer>
      {t.kind === 'edge' ? (
        <svg className="drop-edge" style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }} aria-hidden>
          <path d={t.path} />
        </svg>
      ) : t.rect ? (
        <div
          className={`drop-target ${t.kind}`}
          style={{
            position: 'absolute',
            left: t.rect.x - 4,
            top: t.rect.y - 4,
            width: t.rect.width + 8,
            height: t.rect.height + 8,
          }}
          aria-hidden
        />
      ) : null}
    </ViewportLayer>
  );
}

/** The ghost beside the pointer (screen coordinates within the canvas). */
export function DropLabel({ ghost }: { ghost: Ghost | null }) {
  if (!ghost) return null;
  return (
    <div className={`drop-ghost ${ghost.target.kind}`} role="status" style={{ left: ghost.x + 18, top: ghost.y + 14 }}>
      {ghost.text}
    </div>
  );
}
