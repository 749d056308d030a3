// A new working-day calendar reaches running workflows (the office publishes a
// year's holidays, or corrects one): one signal every family handles the same
// way. The workflow keeps the calendar in the policy it carries (so it survives
// continue-as-new) and recomputes its pending deadlines from their anchors; the
// signal is in the history and the recomputation is a recorded step.
import { defineSignal, setHandler } from '@temporalio/workflow';
import type { CalendarPolicy } from '../common/policy/calendar';

export const calendarChangedSignal = defineSignal<[{ calendar: CalendarPolicy }]>('calendarChanged');

/** A deadline that moved: what it is, from and to (ISO instants). */
export interface MovedDeadline {
  deadline: string;
  from: string;
  to: string;
}

/**
 * Installs the handler. `recompute` runs with the new calendar in place and
 * returns the deadlines it moved; `record` records the step with them (before
 * any await, as every state change), one step per version (its key names the
 * version), when any moved. The version already carried is ignored.
 */
export function handleCalendarChanges(
  policy: { calendar: CalendarPolicy },
  recompute: () => MovedDeadline[],
  record: (event: { step: string; data: Record<string, unknown> }) => Promise<void>,
): void {
  setHandler(calendarChangedSignal, async ({ calendar }) => {
    if (calendar.version === policy.calendar.version) return;
    const previous = policy.calendar.version;
    policy.calendar = calendar;
    const moved = recompute();
    // The signal is in the history either way; a step is recorded only where a deadline moved.
    if (moved.length) await record({ step: `calendarChanged:${calendar.version}`, data: { from: previous, to: calendar.version, moved } });
  });
}

/** The new value of a pending deadline: kept if already passed (its duties fired on the old calendar), else recomputed. */
export function pending(current: string | undefined, now: number, next: () => string, name: string, moved: MovedDeadline[]): string | undefined {
  if (!current || Date.parse(current) <= now) return current;
  const to = next();
  if (to !== current) moved.push({ deadline: name, from: current, to });
  return to;
}
