// What a quarter of seeking pilots owes, and who owes it (第十一条(一)–(四)): the
// reform office the quarter's leads and the bulletin, each district and
// department its 对接 report of every month. Pure: the workflow records these,
// and its duties remind and chase the open ones.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { SeekingCarried } from './messages';
import { monthStartOf, quarterEnd, reported } from './state';

/** An obligation with its name inside the workflow and when it became owed (reminders start after it). */
export interface Owed extends Omit<Obligation, 'key'> {
  name: string;
  openedAt: string;
}

export function seekingOwed(s: SeekingCarried, quarter: string): Owed[] {
  const out: Owed[] = [];
  const closed = s.phase === 'CLOSED';
  const pending = closed ? { status: 'CANCELLED' as const, reason: '季度已通报，未办理' } : { status: 'OPEN' as const };
  out.push({
    name: 'leads',
    title: '梳理并交办本季度试点线索',
    rule: '第十一条（二）',
    unitId: REFORM_OFFICE_ID,
    dueAt: s.leadsDueAt,
    openedAt: s.startedAt,
    ...(s.leadsIssuedAt ? { status: 'DONE', reason: `已交办${s.leads.length}条试点线索`, closedAt: s.leadsIssuedAt } : pending),
  });
  for (let k = 1; k <= s.months; k++) {
    for (const unitId of s.setup.units) {
      const r = s.reports.find((x) => x.unitId === unitId && x.month === k);
      out.push({
        name: `report-${k}:${unitId}`,
        title: `报送第${k}个月对接争取情况`,
        rule: '第十一条（一）',
        unitId,
        dueAt: s.reportsDueAt[`${k}:${unitId}`],
        openedAt: monthStartOf(quarter, k),
        ...(reported(s.reports, unitId, k) ? { status: 'DONE', reason: r!.late ? '已逾期报送' : '已报送', closedAt: r!.at } : pending),
      });
    }
  }
  if (s.bulletinDueAt) {
    out.push({
      name: 'bulletin',
      title: '季度通报争取试点情况',
      rule: '第十一条（四）',
      unitId: REFORM_OFFICE_ID,
      dueAt: s.bulletinDueAt,
      openedAt: quarterEnd(quarter),
      ...(s.bulletin ? { status: 'DONE', reason: '已印发季度简报', closedAt: s.bulletin.at } : pending),
    });
  }
  return out;
}

export function seekingObligations(s: SeekingCarried, quarter: string, workflowId: string): Obligation[] {
  return seekingOwed(s, quarter).map(({ name, openedAt: _openedAt, ...o }) => ({ key: `${workflowId}:${name}`, ...o }));
}
