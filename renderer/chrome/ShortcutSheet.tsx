/** The keyboard shortcut sheet (`?`): every shortcut of renderer/chrome/shortcuts.ts, by group. */
import { useT, type MessageKey } from '../i18n.ts';
import { keyText, SHORTCUTS, type ShortcutGroup } from './shortcuts.ts';
import { useView } from './view-store.ts';
import { Modal } from './Modal.tsx';

const GROUPS: [ShortcutGroup, MessageKey][] = [
  ['file', 'groupFile'],
  ['edit', 'groupEdit'],
  ['view', 'groupView'],
  ['run', 'groupRun'],
  ['canvas', 'groupCanvas'],
];

export function ShortcutSheet() {
  const t = useT();
  return (
    <Modal label={t('shortcuts')} onClose={() => useView.getState().setSheet(false)} className="shortcut-sheet">
      <div className="sheet-groups">
        {GROUPS.map(([g, title]) => (
          <section key={g} className="sheet-group" aria-label={t(title)}>
            <h3>{t(title)}</h3>
            <dl>
              {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                <div className="sheet-row" key={s.label}>
                  <dt>{t(s.label)}</dt>
                  <dd>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="hint"> / </span>}
                        <kbd>{keyText(k)}</kbd>
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="hint">{t('keysWhileTyping')}</p>
    </Modal>
  );
}
