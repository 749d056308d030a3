// The timed duties of the yearly innovation items (第十二条), as data: the
// call's close, the group review's close once every group has signed, the
// next month's tracking round, the year's end, and reminders before and
// chases after every open obligation's deadline. Pure: the workflow fires
// them with the one duty loop (workflows/duties.ts).
import { deadlineAfter, type CalendarPolicy } from '../../common/policy/calendar';
import { addRepeated, subtractDuration } from '../../common/policy/duration';
import type { ExplorationPolicy } from '../../common/policy/exploration';
import type { Duty } from '../duties';
import type { ExplorationCarried } from './messages';
import { explorationOwed } from './obligations';
import { groupSigned, reviewingGroups } from './state';

export interface ExplorationTimed extends Duty {
  kind: 'CLOSE_CALL' | 'CALL_REMINDER' | 'CLOSE_GROUP_REVIEW' | 'OPEN_ROUND' | 'CLOSE_YEAR' | 'REMINDER' | 'CHASE';
  /** The obligation reminded or chased (its name in explorationOwed). */
  owed?: string;
  /** The chase count it reaches. */
  chase?: number;
}

/** When round `round` of the monthly tracking is due, counted from the approval (the office's comment: a date on the calendar). */
export function roundDue(approvedAt: string, p: ExplorationPolicy, round: number, cal: CalendarPolicy): { reportsDueAt: string; commentDueAt: string } {
  const reports = addRepeated(new Date(approvedAt), p.reportEvery, round);
  return { reportsDueAt: reports.toISOString(), commentDueAt: deadlineAfter(reports, p.commentWithin, cal).at };
}

/** `endsAt`: tracking ends with the year; `closeRequested`: the office closed the current phase early. */
export function explorationTimed(s: ExplorationCarried, p: ExplorationPolicy, endsAt: string, closeRequested: boolean, cal: CalendarPolicy): ExplorationTimed[] {
  const out: ExplorationTimed[] = [];
  if (s.phase === 'CLOSED') return out;
  const now = (phase: keyof ExplorationCarried['phases']) => (closeRequested ? 0 : new Date(s.phases[phase]!.dueAt!).getTime());
  if (s.phase === 'CALL') {
    out.push({ key: 'close-CALL', at: now('CALL'), kind: 'CLOSE_CALL' });
    // One reminder to every unit that has not submitted yet; the call closes at its deadline (no chase).
    const { startedAt, dueAt } = s.phases.CALL!;
    p.remindBefore.forEach((before, i) => {
      const at = subtractDuration(new Date(dueAt!), before).getTime();
      if (at > new Date(startedAt).getTime()) out.push({ key: `call:reminder-${i}`, at, kind: 'CALL_REMINDER' });
    });
  }
  if (s.phase === 'GROUP_REVIEW') {
    // The phase moves on once every group has signed, or when the office closes it; at its deadline the late groups are chased.
    const all = reviewingGroups(s.items).every((g) => groupSigned(s.items, g));
    if (all || closeRequested) out.push({ key: 'close-GROUP_REVIEW', at: 0, kind: 'CLOSE_GROUP_REVIEW' });
  }
  if (s.phase === 'TRACKING') {
    const last = s.rounds[s.rounds.length - 1];
    const next = roundDue(s.approvedAt!, p, s.rounds.length + 1, cal);
    // Round k+1 opens when round k's reports fall due, as long as it falls within the year.
    if (last && next.reportsDueAt <= endsAt) out.push({ key: `round-${s.rounds.length + 1}`, at: new Date(last.reportsDueAt).getTime(), kind: 'OPEN_ROUND' });
    else {
      const end = Math.max(new Date(endsAt).getTime(), last ? new Date(last.commentDueAt).getTime() : 0);
      out.push({ key: 'close-year', at: end, kind: 'CLOSE_YEAR' });
    }
  }
  for (const o of explorationOwed(s)) {
    if (o.status !== 'OPEN' || o.name.startsWith('submit:')) continue;
    const due = new Date(o.dueAt);
    p.remindBefore.forEach((before, i) => {
      const at = subtractDuration(due, before).getTime();
      if (at > new Date(o.openedAt).getTime()) out.push({ key: `${o.name}:reminder-${i}`, at, kind: 'REMINDER', owed: o.name });
    });
    const n = (s.chases[o.name] ?? 0) + 1;
    if (n <= p.maxChases) out.push({ key: `${o.name}:chase-${n}`, at: addRepeated(due, p.chaseEvery, n - 1).getTime(), kind: 'CHASE', owed: o.name, chase: n });
  }
  return out;
}
