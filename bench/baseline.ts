// The bare-Temporal baseline of the benchmarks: what the same dev server and
// worker settings do with no duban code at all. Bundled by its own worker
// (bench/baselineWorker.ts) on its own task queue, so it never shares slots with duban.
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const BASELINE_TASK_QUEUE = 'duban-bench-baseline';
/** What the baseline's worker process (bench/baselineWorker.ts) prints once polling, and for each activity it ran. */
export const BASELINE_READY = 'baseline worker polling';
export const BASELINE_NOOP = 'noop';

export interface BaselineActivities {
  noop(): Promise<void>;
}

/** The baseline's only activity: does nothing (a notice stored is duban's equivalent). */
export function createBaselineActivities(): BaselineActivities {
  return { noop: async () => undefined };
}

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/** B1: a start and one activity, then done — the least a document arrival could cost. */
export async function baselineArrival(): Promise<void> {
  await noop();
}

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const finishSignal = defineSignal('finish');

/** B2: stays open and answers updates that do nothing (the bare update round trip). */
export async function baselineUpdates(): Promise<void> {
  let done = false;
  setHandler(noopUpdate, (n) => n);
  setHandler(finishSignal, () => {
    done = true;
  });
  await condition(() => done);
}
