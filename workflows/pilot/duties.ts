// The timed duties of a pilot (第十一条 (五)(六)), as data: the monthly dispatch of
// its tasks, a 催报单 when a dispatch's progress report is late, a reminder
// before its time limit and an overdue notice at it. Pure: the workflow fires
// them (workflows/duties.ts), the unit tests read them.
import type { PilotNoticeKind } from '../../activities/pilotTexts';
import { deadlineAfter, describeDeadline, type CalendarPolicy } from '../../common/policy/calendar';
import { addRepeated, describeDuration, subtractDuration } from '../../common/policy/duration';
import type { PilotPolicy } from '../../common/policy/pilot';
import type { Duty } from '../duties';
import type { PilotCarried } from './messages';

export interface PilotNotice {
  kind: PilotNoticeKind;
  step: string;
  explanation: { startEvent: string; startedAt: string; offset: string; dueAt?: string };
  /** The dispatch it belongs to. */
  dispatch?: number;
}

export interface PilotDuty extends Duty {
  notice: PilotNotice;
  /** A dispatch: the pilot records it with its report's due date. */
  dispatch?: { at: string; dueAt: string };
}

/** When the `k`-th monthly dispatch goes out (k = 1, 2, …). */
export const dispatchAt = (s: Pick<PilotCarried, 'startedAt'>, p: PilotPolicy, k: number): Date => addRepeated(new Date(s.startedAt), p.dispatchEvery, k);

/** When the `k`-th dispatch's progress report is due: a date on the calendar. */
export const progressDueAt = (s: Pick<PilotCarried, 'startedAt'>, p: PilotPolicy, k: number, cal: CalendarPolicy): Date => new Date(deadlineAfter(dispatchAt(s, p, k), p.progressDueAfter, cal).at);

export const answered = (s: Pick<PilotCarried, 'progress'>, k: number): boolean => s.progress.some((r) => r.dispatch === k);

export function pilotDuties(s: PilotCarried, p: PilotPolicy, cal: CalendarPolicy): PilotDuty[] {
  if (s.state !== 'RUNNING' || !s.plan) return [];
  const out: PilotDuty[] = [];
  const started = { startEvent: '试点登记立项', startedAt: s.startedAt };
  // 第十一条（六）: the next monthly dispatch.
  const k = s.dispatches.length + 1;
  out.push({
    key: `dispatch-${k}`,
    at: dispatchAt(s, p, k).getTime(),
    dispatch: { at: dispatchAt(s, p, k).toISOString(), dueAt: progressDueAt(s, p, k, cal).toISOString() },
    notice: { kind: 'DISPATCH', step: `dispatch-${k}`, dispatch: k, explanation: { ...started, offset: `每${describeDuration(p.dispatchEvery)}（第${k}次调度）`, dueAt: progressDueAt(s, p, k, cal).toISOString() } },
  });
  // The latest dispatch unanswered by its due date → one 催报单.
  const last = s.dispatches.length;
  if (last > 0 && !answered(s, last)) {
    const d = s.dispatches[last - 1];
    out.push({
      key: `progress-chase-${last}`,
      at: new Date(d.dueAt).getTime(),
      notice: { kind: 'PROGRESS_CHASE', step: `progress-chase-${last}`, dispatch: last, explanation: { startEvent: `第${last}次试点任务调度`, startedAt: d.at, offset: describeDeadline(p.progressDueAfter), dueAt: d.dueAt } },
    });
  }
  // 第十一条（五）: the time limit. Keyed by it, so a revised plan's new limit is reminded again.
  const due = s.plan.dueAt;
  out.push({
    key: `reminder:${due}`,
    at: subtractDuration(new Date(due), p.remindBefore).getTime(),
    notice: { kind: 'REMINDER', step: `reminder:${due}`, explanation: { ...started, offset: `试点时限（提前${describeDuration(p.remindBefore)}提醒）`, dueAt: due } },
  });
  out.push({
    key: `overdue:${due}`,
    at: new Date(due).getTime(),
    notice: { kind: 'OVERDUE', step: `overdue:${due}`, explanation: { ...started, offset: '试点时限', dueAt: due } },
  });
  return out;
}
