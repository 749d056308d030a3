// What a year of standing duties owes, and who owes it: the propaganda
// department each medium's weekly piece (第十五条(一)), the reform office the
// December brochure (第十五条(二)) and the university class (第十七条(二)).
// Pure: the workflow records these, and its duties remind and chase the open ones.
import type { Obligation } from '../../common/obligations';
import { PROPAGANDA_ID, REFORM_OFFICE_ID } from '../../common/org';
import type { DutiesCarried } from './messages';

export function dutiesObligations(s: DutiesCarried, workflowId: string): Obligation[] {
  const out: Obligation[] = [];
  const closed = s.phase === 'CLOSED';
  for (const w of s.weeks) {
    for (const m of s.media) {
      const mine = s.pieces.filter((p) => p.mediumId === m.id && p.week === w.monday);
      const first = [...mine].sort((a, b) => a.at.localeCompare(b.at))[0];
      out.push({
        key: `${workflowId}:week-${w.monday}:${m.id}`,
        title: `${m.name}刊播“深化改革惠民生”稿件（${w.monday}当周）`,
        rule: '第十五条（一）',
        unitId: PROPAGANDA_ID,
        dueAt: w.dueAt,
        ...(first
          ? { status: 'DONE' as const, reason: first.at <= w.dueAt ? `已刊播${mine.length}篇` : `已刊播${mine.length}篇（逾期报送）`, closedAt: first.at }
          : // A week past its chase can no longer be met: it leaves the to-do lists, recorded as missed (a piece reported late still closes it as done).
            w.chasedAt || closed
            ? { status: 'CANCELLED' as const, reason: '当周未报送刊播稿件，已催办，记为未完成' }
            : { status: 'OPEN' as const }),
      });
    }
  }
  const b = s.brochure;
  if (b.remindedAt || b.distribution) {
    out.push({
      key: `${workflowId}:brochure`,
      title: '12月份集中发放创新改革经验宣传册',
      rule: '第十五条（二）',
      unitId: REFORM_OFFICE_ID,
      dueAt: b.dueAt,
      ...(b.distribution ? { status: 'DONE' as const, reason: `已发放${b.distribution.copies}册`, closedAt: b.distribution.at } : closed ? { status: 'CANCELLED' as const, reason: '年度已结束，未发放（记为未完成）' } : { status: 'OPEN' as const }),
    });
  }
  const t = s.training;
  out.push({
    key: `${workflowId}:training`,
    title: '赴国内知名高校举办全面深化改革专题培训班',
    rule: '第十七条（二）',
    unitId: REFORM_OFFICE_ID,
    dueAt: t.dueAt,
    ...(t.held ? { status: 'DONE' as const, reason: `已在${t.plan?.university ?? ''}举办`, closedAt: t.held.at } : closed ? { status: 'CANCELLED' as const, reason: '年度已结束，未举办（记为未完成）' } : { status: 'OPEN' as const }),
  });
  return out;
}
