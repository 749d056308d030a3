/**
 * The 六个一 cycle's pure rules (第六条): ranking and ties, the annual 50%
 * figure, the three-in-a-row commitment speech, the quarter's attendees, the
 * reproducible inspection draw, scoring explanations and team ratings.
 */
import {
  annualFigure,
  briefingAttendees,
  DEFAULT_INDICATORS,
  drawTargets,
  lastInARow,
  monthStart,
  mostImproved,
  previousMonth,
  rankTeams,
  rankUnits,
  scoreUnit,
  speakers,
  type CycleUnit,
  type UnitFacts,
  type UnitScore,
} from '../../workflows/cycle/state';
import { CyclePolicy, defaultCyclePolicy } from '../../common/policy/cycle';
import { isCitySpecialGroup, type OrgUnit } from '../../common/org';
import { periodWinners, type RankingHistory } from '../../workflows/cycle/briefing';
import type { Ranking } from '../../workflows/cycle/messages';
import { accountableUnit, cycleScope } from '../../workflows/cycle/scope';

const score = (unitId: string, total: number, extra: Record<string, number> = {}): UnitScore => ({
  unitId,
  unitName: unitId,
  kind: 'DISTRICT',
  total,
  items: Object.entries(extra).map(([code, value]) => ({ code, name: code, weight: 10, bonus: false, value, facts: '', rule: '' })),
});

describe('ranking (第六条（三）)', () => {
  it('orders by total, highest first', () => {
    const r = rankUnits([score('b', 80), score('a', 90), score('c', 70)], []);
    expect(r.map((x) => [x.unitId, x.rank])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('breaks ties by the stated indicators in turn', () => {
    const r = rankUnits([score('a', 80, { REPORT_ON_TIME: 5, INSPECTION: 30 }), score('b', 80, { REPORT_ON_TIME: 10, INSPECTION: 20 })], ['REPORT_ON_TIME', 'INSPECTION']);
    expect(r.map((x) => [x.unitId, x.rank])).toEqual([['b', 1], ['a', 2]]);
    expect(r[0].tieNote).toContain('按比较项得分确定名次');
  });

  it('units equal on every compared item share the rank; the next rank is skipped (1, 1, 3)', () => {
    const r = rankUnits([score('c', 70), score('b', 80, { X: 1 }), score('a', 80, { X: 1 })], ['X']);
    expect(r.map((x) => [x.unitId, x.rank])).toEqual([['a', 1], ['b', 1], ['c', 3]]);
    expect(r[0].tieNote).toContain('并列第1名');
  });
});

describe('annual figure (第六条（三）(1): 50%)', () => {
  it('is the mean of the monthly totals × the weight', () => {
    expect(annualFigure([80, 90, 100], 0.5)).toEqual({ monthsCounted: 3, average: 90, figure: 45 });
    expect(annualFigure([85], 0.5).figure).toBe(42.5);
  });
});

describe('speakers (第六条（四）(1))', () => {
  const d = rankUnits([score('d1', 90), score('d2', 80), score('d3', 70)], []);
  const g = rankUnits([{ ...score('g1', 90), kind: 'SPECIAL_GROUP' }, { ...score('g2', 60), kind: 'SPECIAL_GROUP' }], []);

  it('first-ranked district and group give 典型发言; the last district gives 表态发言', () => {
    expect(speakers(d, g, [])).toEqual({ typical: ['d1', 'g1'], commitment: ['d3'] });
  });

  it('a group last three months in a row also gives 表态发言, not one last twice', () => {
    const hist = { '2026-09': ['g2'], '2026-10': ['g2'], '2026-11': ['g2'] };
    expect(lastInARow('2026-11', hist, 3)).toEqual(['g2']);
    expect(lastInARow('2026-11', { '2026-10': ['g2'], '2026-11': ['g2'] }, 3)).toEqual([]);
    expect(lastInARow('2026-11', { '2026-09': ['g2'], '2026-10': ['g1'], '2026-11': ['g2'] }, 3)).toEqual([]);
    // Across the year boundary.
    expect(lastInARow('2027-01', { '2026-11': ['g2'], '2026-12': ['g2'], '2027-01': ['g2'] }, 3)).toEqual(['g2']);
    expect(speakers(d, g, ['g2']).commitment).toEqual(['d3', 'g2']);
  });
});

describe('briefing attendees (第六条（四）(1))', () => {
  it('department leaders attend only in a quarter month', () => {
    const q = defaultCyclePolicy.quarterMonths;
    expect(briefingAttendees(11, q).map((g) => g.unitKind)).toEqual(['DISTRICT', 'SPECIAL_GROUP']);
    expect(briefingAttendees(12, q).map((g) => g.unitKind)).toEqual(['DISTRICT', 'SPECIAL_GROUP', 'DEPARTMENT']);
    expect(briefingAttendees(12, q)[2].roles).toEqual(['LEADER_IN_CHARGE']);
  });
});

describe('inspection draw (第六条（二）)', () => {
  const units: CycleUnit[] = [
    ...Array.from({ length: 11 }, (_, i) => ({ id: `district-${i}`, name: `d${i}`, kind: 'DISTRICT' as const })),
    ...Array.from({ length: 8 }, (_, i) => ({ id: `sg-${i}`, name: `g${i}`, kind: 'SPECIAL_GROUP' as const })),
  ];
  it('ALL inspects everyone', () => {
    expect(drawTargets(units, { mode: 'ALL' }, 'x')).toHaveLength(19);
  });
  it('a sample is reproducible from its seed and has the policy size', () => {
    const a = drawTargets(units, { mode: 'SAMPLE', districts: 3, specialGroups: 2 }, 'seed-1');
    expect(drawTargets([...units].reverse(), { mode: 'SAMPLE', districts: 3, specialGroups: 2 }, 'seed-1')).toEqual(a);
    expect(a.filter((id) => id.startsWith('district-'))).toHaveLength(3);
    expect(a.filter((id) => id.startsWith('sg-'))).toHaveLength(2);
    const others = ['seed-2', 'seed-3', 'seed-4'].map((s) => drawTargets(units, { mode: 'SAMPLE', districts: 3, specialGroups: 2 }, s).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
  });
});

describe('scoring explains itself', () => {
  const unit: CycleUnit = { id: 'district-x', name: '某区', kind: 'DISTRICT' };
  const facts: UnitFacts = { reportDueAt: '2026年11月6日 00:00', documents: { due: 4, onTime: 3 }, ledger: { due: 0, closed: 0 }, signedIssues: 2, unsignedInspections: 1 };
  const rules = { lateReportFactor: 0.5, issuePenalty: 1 };

  it('computes from facts, names the facts and the rule', () => {
    const s = scoreUnit(unit, DEFAULT_INDICATORS, facts, [], rules);
    const item = (c: string) => s.items.find((i) => i.code === c)!;
    expect(item('REPORT_ON_TIME').value).toBe(0);
    expect(item('REPORT_ON_TIME').facts).toContain('未报送');
    expect(item('DOCUMENTS_ON_TIME').value).toBe(15);
    expect(item('DOCUMENTS_ON_TIME').facts).toContain('4项');
    expect(item('LEDGER_CLOSED').value).toBe(20);
    expect(item('ISSUES').value).toBe(8);
    expect(item('ISSUES').facts).toContain('1份问题清单未经双方签字');
    expect(item('INSPECTION').facts).toContain('未评分');
    expect(s.total).toBe(43);
    expect(item('DOCUMENTS_ON_TIME').rule).toContain('系统自动计算');
  });

  it('an inspector score and an override with its reason', () => {
    const entries = [
      { id: '1', unitId: 'district-x', indicatorCode: 'INSPECTION', value: 35, override: false, enteredBy: 'ro-inspector', enteredAt: 'x' },
      { id: '2', unitId: 'district-x', indicatorCode: 'DOCUMENTS_ON_TIME', value: 20, override: true, reason: '延期经市领导批准', enteredBy: 'ro-director', enteredAt: 'y' },
    ];
    const s = scoreUnit(unit, DEFAULT_INDICATORS, { ...facts, report: { submittedAt: 'x', onTime: false } }, entries, rules);
    const item = (c: string) => s.items.find((i) => i.code === c)!;
    expect(item('INSPECTION').value).toBe(35);
    expect(item('REPORT_ON_TIME').value).toBe(5);
    expect(item('DOCUMENTS_ON_TIME')).toMatchObject({ value: 20, computed: 15, override: { reason: '延期经市领导批准' } });
    expect(item('DOCUMENTS_ON_TIME').facts).toContain('延期经市领导批准');
  });
});

describe('most improved and team ratings', () => {
  it('the largest climb over the previous month', () => {
    const r = rankUnits([score('a', 90), score('b', 80), score('c', 70)], []);
    expect(mostImproved(r, { a: 3, b: 3, c: 1 })).toEqual([{ unitId: 'a', from: 3, to: 1 }]);
    expect(mostImproved(r, {})).toEqual([]);
  });

  it('teams are ranked by the mean of the four criteria (第六条（三）(2))', () => {
    const r = (raterUnitId: string, teamName: string, v: number) => ({ raterId: raterUnitId, raterUnitId, teamName, fairMethod: v, fairOrder: v, thorough: v, clean: v, at: '' });
    const t = rankTeams([r('d1', '第一督查组', 8), r('d2', '第一督查组', 10), r('d1', '第二督查组', 9.5)]);
    expect(t.map((x) => [x.teamName, x.average, x.rank, x.raters])).toEqual([['第二督查组', 9.5, 1, 1], ['第一督查组', 9, 2, 2]]);
  });
});

describe('policy', () => {
  it('the defaults are valid and the report is due before scoring closes', () => {
    expect(CyclePolicy.parse(defaultCyclePolicy)).toEqual(defaultCyclePolicy);
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, reportDueAfter: { days: 30 } }).success).toBe(false);
  });
  it('"1+1+n" (第十条（一）) is optional by default; a version stored without it takes the default; bad values are refused', () => {
    const { jointInspection: _j, ...older } = defaultCyclePolicy;
    expect(CyclePolicy.parse(older).jointInspection).toEqual({ required: false, departments: 1 });
    expect(CyclePolicy.parse({ ...defaultCyclePolicy, jointInspection: { required: true, departments: 2 } }).jointInspection).toEqual({ required: true, departments: 2 });
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, jointInspection: { required: true, departments: 0 } }).success).toBe(false);
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, jointInspection: { required: true } }).success).toBe(false);
  });
});

describe('scope (第七条)', () => {
  const org: OrgUnit[] = [
    { id: 'd1', name: '张店区', kind: 'DISTRICT', parentId: null },
    { id: 'd1-t1', name: '张店区某街道', kind: 'TOWNSHIP', parentId: 'd1' },
    { id: 'd1-sg', name: '张店区经济体制改革专项小组', kind: 'SPECIAL_GROUP', parentId: 'd1' },
    // A district group placed under one of the district's townships is still the district's.
    { id: 'd1-t1-sg', name: '某街道改革小组', kind: 'SPECIAL_GROUP', parentId: 'd1-t1' },
    { id: 'sg-econ', name: '市经济体制改革专项小组', kind: 'SPECIAL_GROUP', parentId: null },
    { id: 'sg-lead', name: '市党建改革专项小组', kind: 'SPECIAL_GROUP', parentId: 'leading-group' },
    { id: 'leading-group', name: '市委深改组', kind: 'LEADERSHIP', parentId: null },
    { id: 'dept-ndrc', name: '市发展改革委', kind: 'DEPARTMENT', parentId: null },
    { id: 'stray-t', name: '无上级镇办', kind: 'TOWNSHIP', parentId: null },
  ];
  const byId = new Map(org.map((u) => [u.id, u]));

  it("a district's own special group is not one of the city's; a group under the leading group is", () => {
    expect(org.filter((u) => isCitySpecialGroup(u, byId)).map((u) => u.id)).toEqual(['sg-econ', 'sg-lead']);
  });
  it('ranks the districts and the city groups; their townships and own groups are reached through the district', () => {
    const { units, subunits } = cycleScope([...org].reverse());
    expect(units).toEqual([
      { id: 'd1', name: '张店区', kind: 'DISTRICT' },
      { id: 'sg-econ', name: '市经济体制改革专项小组', kind: 'SPECIAL_GROUP' },
      { id: 'sg-lead', name: '市党建改革专项小组', kind: 'SPECIAL_GROUP' },
    ]);
    expect(subunits.map((x) => [x.id, x.kind, x.districtId])).toEqual([
      ['d1-sg', 'DISTRICT_SPECIAL_GROUP', 'd1'],
      ['d1-t1', 'TOWNSHIP', 'd1'],
      ['d1-t1-sg', 'DISTRICT_SPECIAL_GROUP', 'd1'],
    ]);
    expect(accountableUnit('d1-t1', subunits)).toBe('d1');
    expect(accountableUnit('sg-econ', subunits)).toBe('sg-econ');
  });
});

describe('half-year and year winners (第六条（五）(2))', () => {
  const ranked = (unitId: string, kind: 'DISTRICT' | 'SPECIAL_GROUP', total: number) => ({ ...score(unitId, total), kind, rank: 0 });
  const ranking = (d: Array<[string, number]>, g: Array<[string, number]>): Ranking => ({
    rankedAt: '',
    districts: d.map(([id, t]) => ranked(id, 'DISTRICT', t)),
    specialGroups: g.map(([id, t]) => ranked(id, 'SPECIAL_GROUP', t)),
    tieRule: '',
    speakers: { typical: [], commitment: [] },
    improved: [],
    annual: {},
  });
  const row = (unitId: string, unitKind: 'DISTRICT' | 'SPECIAL_GROUP', total: number) => ({ unitId, unitKind, total, rank: 0 });
  // d1 led the first half; d2 leads the second half, d1 still the whole year. The groups tie in the second half.
  const history: RankingHistory = {
    '2027-01': [row('d1', 'DISTRICT', 100), row('d2', 'DISTRICT', 60), row('g1', 'SPECIAL_GROUP', 80), row('g2', 'SPECIAL_GROUP', 70)],
    '2027-06': [row('d1', 'DISTRICT', 100), row('d2', 'DISTRICT', 60), row('g1', 'SPECIAL_GROUP', 80), row('g2', 'SPECIAL_GROUP', 70)],
    '2027-07': [row('d1', 'DISTRICT', 70), row('d2', 'DISTRICT', 80), row('g1', 'SPECIAL_GROUP', 70), row('g2', 'SPECIAL_GROUP', 80)],
  };
  const p = { halfYearMonths: [6, 12] };

  it('June names the first half-year', () => {
    const june = { '2027-01': history['2027-01'] };
    expect(periodWinners(ranking([['d1', 100], ['d2', 60]], [['g1', 80], ['g2', 70]]), '2027-06', june, p)).toEqual([
      'd1（上半年排名第一，2个月平均100分）',
      'g1（上半年排名第一，2个月平均80分）',
    ]);
  });
  it('December names the second half-year and the whole year; equal means share the place', () => {
    expect(periodWinners(ranking([['d1', 70], ['d2', 80]], [['g1', 80], ['g2', 70]]), '2027-12', history, p)).toEqual([
      'd2（下半年排名第一，2个月平均80分）',
      'g1（下半年并列排名第一，2个月平均75分）',
      'g2（下半年并列排名第一，2个月平均75分）',
      'd1（全年排名第一，4个月平均85分）',
      'g1（全年排名第一，4个月平均77.5分）',
    ]);
  });
  it('other months name none; a policy naming only December names the year once', () => {
    expect(periodWinners(ranking([['d1', 70]], []), '2027-07', history, p)).toEqual([]);
    expect(periodWinners(ranking([['d1', 70]], []), '2027-12', history, { halfYearMonths: [12] })).toEqual(['d1（全年排名第一，4个月平均85分）']);
  });
});

describe('month arithmetic', () => {
  it('the previous month keeps four-digit years, across a year boundary too', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
    // A malformed year would make every date of the month undefined (a fuzzed "0740-11" did).
    expect(previousMonth('0740-01')).toBe('0739-12');
    expect(monthStart(previousMonth('0740-11')).toISOString()).toBe(monthStart('0740-10').toISOString());
  });
});
