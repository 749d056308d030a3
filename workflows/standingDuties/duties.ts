// The timed duties of a year of standing duties, as data: each week begins,
// each week's missed pieces are chased once after the report deadline
// (第十五条(一)); the brochure is reminded at the start of December and chased
// when December passes without it (第十五条(二)); the university class is
// reminded in the autumn and chased when the year ends without it
// (第十七条(二)); then the year closes. Pure: the workflow fires them with the
// one duty loop (workflows/duties.ts).
import { addDuration } from '../../common/policy/duration';
import type { DutiesPolicy } from '../../common/policy/duties';
import type { Duty } from '../duties';
import type { DutiesCarried } from './messages';
import { startOfDay } from './state';

export interface StandingDuty extends Duty {
  kind: 'OPEN_WEEK' | 'WEEK_CHASE' | 'BROCHURE_REMINDER' | 'BROCHURE_CHASE' | 'TRAINING_REMINDER' | 'TRAINING_CHASE' | 'YEAR_CLOSE';
  /** The week (its Monday) a week duty is about. */
  week?: string;
}

export const chaseAt = (dueAt: string, p: DutiesPolicy) => addDuration(new Date(dueAt), p.chaseAfter).getTime();

/** `weeks`: every week of the year (state.ts → weeksOfYear). */
export function standingDuties(s: DutiesCarried, weeks: readonly string[], p: DutiesPolicy): StandingDuty[] {
  const out: StandingDuty[] = [];
  if (s.phase === 'CLOSED') return out;
  const next = weeks[s.weeks.length];
  if (next) out.push({ key: `week-${next}`, at: Date.parse(startOfDay(next)), kind: 'OPEN_WEEK', week: next });
  for (const w of s.weeks) if (!w.chasedAt) out.push({ key: `week-${w.monday}:chase`, at: chaseAt(w.dueAt, p), kind: 'WEEK_CHASE', week: w.monday });
  // Each fires once: the state says so too (not only the fired keys), so a continued run never repeats one.
  const b = s.brochure;
  if (!b.distribution) {
    if (!b.remindedAt) out.push({ key: 'brochure:reminder', at: Date.parse(b.remindAt), kind: 'BROCHURE_REMINDER' });
    if (!b.chasedAt) out.push({ key: 'brochure:chase', at: chaseAt(b.dueAt, p), kind: 'BROCHURE_CHASE' });
  }
  const t = s.training;
  if (!t.held) {
    if (!t.remindedAt) out.push({ key: 'training:reminder', at: Date.parse(t.remindAt), kind: 'TRAINING_REMINDER' });
    if (!t.chasedAt) out.push({ key: 'training:chase', at: chaseAt(t.dueAt, p), kind: 'TRAINING_CHASE' });
  }
  // The year closes once every week has begun and its chase, and the yearly chases, are past.
  if (!next) out.push({ key: 'year-close', at: Date.parse(s.closesAt), kind: 'YEAR_CLOSE' });
  return out;
}
