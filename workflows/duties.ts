// The one duty loop every family runs: sleep until the earliest duty falls due
// or the workflow's state changes, fire what is due, repeat. The workflow only
// says what is due (a pure function of its state) and how to fire it; the loop
// owns the timer (the shape of the samples' updatable timer). Deterministic.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { shouldContinueAsNew } from './shared';

/** A timed duty (reminder, chase, order, phase close...): fires once at `at`, remembered by `key`. */
export interface Duty {
  key: string;
  /** Epoch milliseconds; 0 (or any past instant) means "now". */
  at: number;
}

export interface DutyLoop<D extends Duty> {
  /** The duties of the current state, fired or not (the loop skips the fired ones). */
  due(): D[];
  fire(duty: D): Promise<void>;
  /**
   * Of the other duties due now, those that fire together with `next`, concurrently: notices that
   * change nothing the others read (a catch-up's chases of every unit go out in one round trip,
   * not one workflow task each). Without it, one duty at a time.
   */
  together?(next: D, dueNow: D[]): D[];
  /** Keys of the duties already fired (carried across continue-as-new). */
  fired: Set<string>;
  /** Moves on every state change (the workflow's revision): the loop re-reads `due()` then. */
  revision(): number;
  /** True once the workflow has nothing left to wait for. */
  finished(): boolean;
  /** Continues as new with the state to carry; called when Temporal suggests it, once every handler has finished. */
  continueAsNew(): Promise<never>;
}

/**
 * Runs until `finished()`. Fires the earliest due duty, then looks again: a
 * fired duty may change what else is due (a published ranking ends the
 * report chases). Returns once every handler has finished.
 */
export async function runDuties<D extends Duty>(loop: DutyLoop<D>): Promise<void> {
  for (;;) {
    if (loop.finished()) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      if (!loop.finished()) await loop.continueAsNew();
      continue;
    }
    const pending = loop
      .due()
      .filter((d) => !loop.fired.has(d.key))
      .sort((a, b) => a.at - b.at);
    const next = pending[0];
    if (next && next.at <= Date.now()) {
      const batch = [next, ...(loop.together?.(next, pending.slice(1).filter((d) => d.at <= Date.now())) ?? [])];
      for (const d of batch) loop.fired.add(d.key);
      await Promise.all(batch.map((d) => loop.fire(d)));
      continue;
    }
    const seen = loop.revision();
    const changed = () => loop.revision() !== seen || loop.finished();
    if (next) await condition(changed, Math.max(next.at - Date.now(), 1));
    else await condition(changed);
  }
  await condition(allHandlersFinished);
}
