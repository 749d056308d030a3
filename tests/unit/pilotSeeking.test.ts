/**
 * Seeking pilots (第十一条(一)–(四)), the pure parts: the quarter's calendar,
 * what is owed and by whom, the duties (each unit under its own policy), the
 * bulletin's figures and text, and the policy section.
 */
import { defaultPolicy, Policy } from '../../common/policy';
import { deadlineAfter } from '../../common/policy/calendar';
import { addDuration, subtractDuration } from '../../common/policy/duration';
import { defaultPilotSeekingPolicy, PilotSeekingPolicy } from '../../common/policy/pilotSeeking';
import { seekingDuties } from '../../workflows/pilotSeeking/duties';
import type { SeekingCarried } from '../../workflows/pilotSeeking/messages';
import { seekingObligations, seekingOwed } from '../../workflows/pilotSeeking/obligations';
import { bulletinLines, composeBulletin, monthStartOf, nextQuarter, previousQuarter, quarterEnd, quarterOf, type ContactReport, type LedgerRow } from '../../workflows/pilotSeeking/state';

const Q = '2031-Q4';
const p = defaultPilotSeekingPolicy;
const cal = defaultPolicy.calendar;
const due = (k: number, q = p) => deadlineAfter(monthStartOf(Q, k), q.reportDueAfter, cal).at;

function state(over: Partial<SeekingCarried> = {}): SeekingCarried {
  return {
    phase: 'COLLECTING',
    startedAt: monthStartOf(Q, 1),
    setup: { units: ['district-a', 'dept-b'], names: { 'district-a': '甲区', 'dept-b': '乙局' } },
    leadsDueAt: deadlineAfter(monthStartOf(Q, 1), p.leadsWithin, cal).at,
    leads: [],
    months: 1,
    reportsDueAt: { '1:district-a': due(1), '1:dept-b': due(1) },
    reports: [],
    rows: [],
    seq: 0,
    fired: [],
    revision: 0,
    ...over,
  };
}
const report = (unitId: string, month: number, late = false): ContactReport => ({ unitId, month, contacts: '国家发展改革委', learned: '新试点', requests: '申请纳入', by: `${unitId}-liaison`, at: monthStartOf(Q, month), late });
const row = (unitId: string, title: string, over: Partial<LedgerRow> = {}): LedgerRow => ({ id: `${Q}-R${title.length}`, unitId, title, level: 'CENTRAL', source: '国家部委', participantUnitIds: [], progress: '对接中', status: 'OPEN', openedIn: Q, updatedAt: monthStartOf(Q, 1), ...over });

describe('the quarter (Asia/Shanghai)', () => {
  it('months start on their 1st at 00:00 Shanghai; the fourth is the next year\'s January', () => {
    expect(monthStartOf(Q, 1)).toBe('2031-09-30T16:00:00.000Z');
    expect(monthStartOf(Q, 3)).toBe('2031-11-30T16:00:00.000Z');
    expect(quarterEnd(Q)).toBe('2031-12-31T16:00:00.000Z');
    expect(quarterOf(new Date('2031-12-31T15:59:59.999Z'))).toBe(Q);
    expect(quarterOf(new Date('2031-12-31T16:00:00.000Z'))).toBe('2032-Q1');
    expect(previousQuarter('2032-Q1')).toBe(Q);
    expect(nextQuarter(Q)).toBe('2032-Q1');
  });
});

describe('what a quarter owes (第十一条(一)(二)(四))', () => {
  it('the office owes the leads; each unit each opened month\'s report; a filed one is done, late or not', () => {
    const s = state({ months: 2, reportsDueAt: { '1:district-a': due(1), '1:dept-b': due(1), '2:district-a': due(2), '2:dept-b': due(2) }, reports: [report('district-a', 1), report('dept-b', 1, true)] });
    const owed = Object.fromEntries(seekingOwed(s, Q).map((o) => [o.name, [o.status, o.reason, o.unitId]]));
    expect(owed).toEqual({
      leads: ['OPEN', undefined, 'reform-office'],
      'report-1:district-a': ['DONE', '已报送', 'district-a'],
      'report-1:dept-b': ['DONE', '已逾期报送', 'dept-b'],
      'report-2:district-a': ['OPEN', undefined, 'district-a'],
      'report-2:dept-b': ['OPEN', undefined, 'dept-b'],
    });
    expect(seekingObligations(s, Q, 'wf').map((o) => o.key)).toContain('wf:report-2:dept-b');
  });

  it('after the bulletin what was never done is cancelled and the bulletin done', () => {
    const s = state({ phase: 'CLOSED', leadsIssuedAt: monthStartOf(Q, 1), bulletinDueAt: quarterEnd(Q), bulletin: { text: 'x', by: 'ro-deputy', at: quarterEnd(Q) } });
    const owed = Object.fromEntries(seekingOwed(s, Q).map((o) => [o.name, o.status]));
    expect(owed).toEqual({ leads: 'DONE', 'report-1:district-a': 'CANCELLED', 'report-1:dept-b': 'CANCELLED', bulletin: 'DONE' });
  });
});

describe('the duties (第二十一条: each unit under its own policy)', () => {
  it('reminds and chases only who still owes, a unit with its own policy at its own times; the next month opens at its 1st', () => {
    const own = { ...p, reportDueAfter: { days: 20 }, remindBefore: { days: 5 }, chaseAfter: { days: 2 } };
    const pOf = (u: string) => (u === 'dept-b' ? own : p);
    const s = state({ reportsDueAt: { '1:district-a': due(1), '1:dept-b': due(1, own) } });
    const at = (key: string) => seekingDuties(s, Q, pOf).find((d) => d.key === key)?.at;
    expect(at('month-2')).toBe(Date.parse(monthStartOf(Q, 2)));
    expect(at('report-1:district-a:reminder')).toBe(subtractDuration(new Date(due(1)), p.remindBefore).getTime());
    expect(at('report-1:district-a:chase')).toBe(addDuration(new Date(due(1)), p.chaseAfter).getTime());
    expect(at('report-1:dept-b:reminder')).toBe(subtractDuration(new Date(due(1, own)), own.remindBefore).getTime());
    expect(at('report-1:dept-b:chase')).toBe(addDuration(new Date(due(1, own)), own.chaseAfter).getTime());
    expect(due(1, own)).not.toBe(due(1));
    // The district reported: nothing more for it.
    const after = seekingDuties({ ...s, reports: [report('district-a', 1)] }, Q, pOf).map((d) => d.key);
    expect(after.filter((k) => k.includes('district-a'))).toEqual([]);
    expect(after).toContain('report-1:dept-b:chase');
  });

  it('the third month ends with the quarter; a closed quarter has no duties', () => {
    expect(seekingDuties(state({ months: 3 }), Q, () => p).find((d) => d.kind === 'QUARTER_END')?.at).toBe(Date.parse(quarterEnd(Q)));
    expect(seekingDuties(state({ phase: 'CLOSED' }), Q, () => p)).toEqual([]);
  });
});

describe('the quarterly bulletin (第十一条(四))', () => {
  const rows = [
    row('district-a', '数据要素市场化配置改革', { status: 'WON', closedIn: Q }),
    row('district-a', '城乡融合发展'),
    row('dept-b', '医保支付方式', { status: 'DROPPED', closedIn: Q, note: '不符合申报条件' }),
    row('dept-b', '老年助餐', { status: 'WON', closedIn: '2031-Q3' }),
  ];
  const reports = [report('district-a', 1), report('district-a', 2, true), report('district-a', 3), report('dept-b', 1)];

  it('counts per unit: reports filed, late and missing, rows sought, won and dropped in this quarter', () => {
    expect(bulletinLines(Q, ['district-a', 'dept-b'], 3, reports, rows)).toEqual([
      { unitId: 'dept-b', filed: [1], late: [], missing: [2, 3], seeking: 0, won: [], dropped: ['医保支付方式'] },
      { unitId: 'district-a', filed: [1, 2, 3], late: [2], missing: [], seeking: 1, won: ['数据要素市场化配置改革'], dropped: [] },
    ]);
  });

  it('says it in Chinese: the totals, then each unit by name, then the office\'s note', () => {
    const text = composeBulletin(Q, bulletinLines(Q, ['district-a', 'dept-b'], 3, reports, rows), (id) => ({ 'district-a': '甲区', 'dept-b': '乙局' })[id] ?? id, '请乙局补报。');
    expect(text.split('\n')).toEqual([
      '2031年第4季度，各区县、市直有关部门共报送对接争取情况4次，缺报2次；争取台账在争取试点1项，本季度争取成功1项，放弃1项。',
      '乙局：报送对接情况1次，缺报11月、12月，在争取试点0项，放弃1项：医保支付方式。',
      '甲区：报送对接情况3次（11月逾期报送），在争取试点1项，争取成功1项：数据要素市场化配置改革。',
      '市委改革办意见：请乙局补报。',
    ]);
  });
});

describe('the policy section', () => {
  it('is part of the policy with its defaults, and refuses a reminder counted back in months', () => {
    expect(Policy.parse(defaultPolicy).pilotSeeking).toEqual(defaultPilotSeekingPolicy);
    expect(PilotSeekingPolicy.safeParse({ ...p, remindBefore: { months: 1 } }).success).toBe(false);
    expect(PilotSeekingPolicy.safeParse({ ...p, extra: 1 }).success).toBe(false);
  });
});
