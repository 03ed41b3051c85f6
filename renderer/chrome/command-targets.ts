/**
 * Commands a view carries out while it is on screen: the canvas zooms and fits itself, the run panel runs and
 * picks an image. The view provides its handlers while mounted; runMenuCommand reaches them here. A command
 * asked for while its view is not there yet (Run with the run panel closed) waits for it, once.
 */
import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../src/desktop/contract.ts';

type Handler = () => void;

const targets = new Map<MenuCommand, Handler>();
let waiting: MenuCommand | null = null;

/** Provide handlers (the latest provider of a command wins); returns the function that withdraws them. */
export function provideCommands(handlers: Partial<Record<MenuCommand, Handler>>): () => void {
  const mine = Object.entries(handlers) as [MenuCommand, Handler][];
  for (const [c, h] of mine) targets.set(c, h);
  if (waiting && handlers[waiting]) {
    const c = waiting;
    waiting = null;
    handlers[c]!();
  }
  return () => {
    for (const [c, h] of mine) if (targets.get(c) === h) targets.delete(c);
  };
}

/**
 * Carry out `c` by the view that provides it: true when one did. With `wait`, a command no view provides yet
 * is kept for the next view that provides it (replacing any command kept before).
 */
export function reachCommand(c: MenuCommand, opts: { wait?: boolean } = {}): boolean {
  const h = targets.get(c);
  if (h) {
    h();
    return true;
  }
  if (opts.wait) waiting = c;
  return false;
}

/** For tests: forget every provider and the waiting command. */
export function resetCommandTargets() {
  targets.clear();
  waiting = null;
}

/** A component provides these commands while it is mounted (the handlers may change on every render). */
export function useProvideCommands(handlers: Partial<Record<MenuCommand, Handler>>) {
  const latest = useRef(handlers);
  latest.current = handlers;
  const names = Object.keys(handlers).sort().join(' ');
  useEffect(() => {
    const stable = Object.fromEntries(
      names.split(' ').map((c) => [c, () => latest.current[c as MenuCommand]?.()]),
    ) as Partial<Record<MenuCommand, Handler>>;
    return provideCommands(stable);
  }, [names]);
}
