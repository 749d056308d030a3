// The timed duties of a quarter of seeking pilots (第十一条(一)–(四)), as data:
// the second and third months open, the quarter ends (the bulletin falls due),
// and one reminder before and one chase after every open obligation's
// deadline, each under the policy of the unit that owes it (第二十一条). Pure:
// the workflow fires them with the one duty loop (workflows/duties.ts).
import { addDuration, subtractDuration } from '../../common/policy/duration';
import type { PilotSeekingPolicy } from '../../common/policy/pilotSeeking';
import type { Duty } from '../duties';
import type { SeekingCarried } from './messages';
import { seekingOwed } from './obligations';
import { monthStartOf, quarterEnd } from './state';

export interface SeekingDuty extends Duty {
  kind: 'OPEN_MONTH' | 'QUARTER_END' | 'REMINDER' | 'CHASE';
  /** The obligation reminded or chased (its name in seekingOwed). */
  owed?: string;
}

/** `pOf(unitId)`: the policy of the unit that owes an obligation (the office's is the city's). */
export function seekingDuties(s: SeekingCarried, quarter: string, pOf: (unitId: string) => PilotSeekingPolicy): SeekingDuty[] {
  const out: SeekingDuty[] = [];
  if (s.phase === 'CLOSED') return out;
  if (s.phase === 'COLLECTING') {
    if (s.months < 3) out.push({ key: `month-${s.months + 1}`, at: Date.parse(monthStartOf(quarter, s.months + 1)), kind: 'OPEN_MONTH' });
    else out.push({ key: 'quarter-end', at: Date.parse(quarterEnd(quarter)), kind: 'QUARTER_END' });
  }
  for (const o of seekingOwed(s, quarter)) {
    if (o.status !== 'OPEN') continue;
    const p = pOf(o.unitId);
    const due = new Date(o.dueAt);
    const reminder = subtractDuration(due, p.remindBefore).getTime();
    if (reminder > Date.parse(o.openedAt)) out.push({ key: `${o.name}:reminder`, at: reminder, kind: 'REMINDER', owed: o.name });
    out.push({ key: `${o.name}:chase`, at: addDuration(due, p.chaseAfter).getTime(), kind: 'CHASE', owed: o.name });
  }
  return out;
}
