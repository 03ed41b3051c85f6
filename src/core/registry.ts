/** Looking modules up by the name a config gives them (`Conv`, `nn.Upsample`). */
import { bare, type ModuleDef } from './graph.ts';
import { BUILTIN_MODULES } from './modules/index.ts';

let serials = 0;

export class Registry {
  private readonly byName = new Map<string, ModuleDef>();
  /** Modules added on top of the built-ins (module libraries), in order. */
  private readonly added: ModuleDef[] = [];
  constructor(readonly builtins: readonly ModuleDef[] = BUILTIN_MODULES) {
    for (const d of builtins) this.byName.set(bare(d.name), d);
  }
  add(def: ModuleDef) {
    this.byName.set(bare(def.name), def);
    this.added.push(def);
  }
  /** Changes whenever a module is added: what a cached build was made with. */
  get version(): string {
    return `${this.serial}.${this.added.length}`;
  }
  private readonly serial = ++serials;
  private readonly rebased = new Map<readonly ModuleDef[], Registry>();
  /** The same added modules over another family's built-ins (one registry per family, kept). */
  rebase(builtins: readonly ModuleDef[]): Registry {
    if (builtins === this.builtins) return this;
    let r = this.rebased.get(builtins);
    if (!r || r.added.length !== this.added.length) {
      r = new Registry(builtins);
      for (const d of this.added) r.add(d);
      this.rebased.set(builtins, r);
    }
    return r;
  }
  /** The module a config's name resolves to, with or without `nn.` / `torch.nn.`. */
  get(name: string): ModuleDef | undefined {
    return this.byName.get(bare(name));
  }
  all(): ModuleDef[] {
    return [...this.byName.values()];
  }
  /** Names of the built-ins the model family does not ship (the seed's modules). */
  generated(): string[] {
    return this.all()
      .filter((d) => d.generated)
      .map((d) => d.name);
  }
  /** The known name closest to `name`, for "did you mean" messages. */
  suggest(name: string): string | undefined {
    const target = bare(name).toLowerCase();
    let best: string | undefined;
    let bestD = Infinity;
    for (const d of this.byName.values()) {
      const dist = editDistance(target, bare(d.name).toLowerCase());
      if (dist < bestD) [best, bestD] = [d.name, dist];
    }
    return bestD <= Math.max(2, target.length / 3) ? best : undefined;
  }
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

export const defaultRegistry = new Registry();
