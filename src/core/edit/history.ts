/**
 * Undo and redo over performed commands. Entries keep the documents themselves (texts are immutable
 * strings, so this is cheap), so undo gives back the exact previous bytes, whatever the edit did.
 */
import type { Message } from '../messages/index.ts';
import type { Command, CommandOptions, CommandResult } from './commands.ts';
import { composeMaps, invertMap, type IndexMap } from './refs.ts';
import type { EditDoc } from './source.ts';

export interface HistoryEntry {
  label: Message;
  name: string;
  before: EditDoc;
  after: EditDoc;
  /** before -> after layer indices */
  mapping: IndexMap;
}

export interface HistoryStep {
  doc: EditDoc;
  /** Layer indices of the document left -> the document now shown. */
  mapping: IndexMap;
  label: Message;
}

export class History {
  private past: HistoryEntry[] = [];
  private future: HistoryEntry[] = [];
  constructor(
    private doc: EditDoc,
    readonly limit = 1000,
  ) {}

  get current(): EditDoc {
    return this.doc;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  /** Labels of the undo stack, oldest first. */
  get undoLabels(): Message[] {
    return this.past.map((e) => e.label);
  }

  /**
   * Perform a command on the current document; it enters the history when it changed the text.
   * `merge`: fold it into the last entry when that entry is the same kind of command and still the latest
   * (typing in the YAML pane: one undo step per burst, not per key). `registry`: the modules the edit can name.
   */
  perform(cmd: Command, options: { merge?: boolean } & CommandOptions = {}): CommandResult {
    const r = cmd.perform(this.doc, options.registry ? { registry: options.registry } : undefined);
    if (r.ok && r.history) this.record({ name: cmd.name, label: cmd.labelFor?.(this.doc) ?? cmd.label }, r, options);
    return r;
  }

  /** Record a result performed elsewhere (it must start from the current document). */
  record(cmd: Pick<Command, 'label' | 'name'>, r: CommandResult, options: { merge?: boolean } = {}) {
    if (!r.ok || !r.history) return;
    const last = this.past[this.past.length - 1];
    if (options.merge && last && last.name === cmd.name && last.after === this.doc && !this.future.length) {
      last.after = r.doc;
      last.mapping = composeMaps(last.mapping, r.mapping);
      this.doc = r.doc;
      return;
    }
    this.past.push({ label: cmd.label, name: cmd.name, before: this.doc, after: r.doc, mapping: r.mapping });
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
    this.doc = r.doc;
  }

  undo(): HistoryStep | null {
    const e = this.past.pop();
    if (!e) return null;
    this.future.push(e);
    this.doc = e.before;
    return { doc: e.before, mapping: invertMap(e.mapping, e.after.source.rows.length), label: e.label };
  }

  redo(): HistoryStep | null {
    const e = this.future.pop();
    if (!e) return null;
    this.past.push(e);
    this.doc = e.after;
    return { doc: e.after, mapping: e.mapping, label: e.label };
  }

  /** Replace the document without history (e.g. the file was reloaded); clears undo and redo. */
  reset(doc: EditDoc) {
    this.doc = doc;
    this.past = [];
    this.future = [];
  }
}
