/**
 * 第十条 of the monthly cycle, as pure rules: (二) departments carrying reform tasks scored on their own
 * indicator set from the versioned policy and ranked apart from districts and groups, turned off or limited
 * by the policy; (一) mutual inspections (互督互查) between peers of one kind, never of oneself, recorded by
 * the peer. Pure: no services.
 */
import { renderBriefingHtml, renderCycleNotice, type BriefingContext } from '../../activities/cycleTexts';
import { InspectionBody } from '../../api/schemas/cycles';
import { CyclePolicy, defaultCyclePolicy } from '../../common/policy/cycle';
import type { OrgUnit } from '../../common/org';
import { composeBriefing, rankMonth } from '../../workflows/cycle/briefing';
import type { Inspection } from '../../workflows/cycle/messages';
import { cycleScope } from '../../workflows/cycle/scope';
import { DEFAULT_INDICATORS, departmentIndicators, departmentsOf, drawTargets, mutualInspectionRefusal, mutualOf, type CycleUnit } from '../../workflows/cycle/state';

const org: OrgUnit[] = [
  { id: 'district-a', name: '甲区', kind: 'DISTRICT', parentId: null },
  { id: 'district-b', name: '乙区', kind: 'DISTRICT', parentId: null },
  { id: 'district-a-t1', name: '甲区一镇', kind: 'TOWNSHIP', parentId: 'district-a' },
  { id: 'sg-1', name: '经济组', kind: 'SPECIAL_GROUP', parentId: null },
  { id: 'sg-2', name: '民生组', kind: 'SPECIAL_GROUP', parentId: null },
  { id: 'dept-x', name: '市发改委', kind: 'DEPARTMENT', parentId: null },
  { id: 'dept-y', name: '市财政局', kind: 'DEPARTMENT', parentId: null },
  { id: 'dept-idle', name: '市档案馆', kind: 'DEPARTMENT', parentId: null },
];
const name = (id: string) => org.find((u) => u.id === id)?.name ?? id;

const inspection = (unitId: string, issues: number, signed: boolean, peerUnitId?: string): Inspection => ({
  id: `m:${unitId}:${peerUnitId ?? 'ro'}`,
  unitId,
  teamName: peerUnitId ? '互督组' : '第一督查组',
  leaderId: peerUnitId ? `${peerUnitId}-director` : 'ro-supervisor',
  ...(peerUnitId ? { peerUnitId } : {}),
  reformOfficeIds: [],
  departmentIds: [],
  issues: Array.from({ length: issues }, (_, n) => ({ title: `问题${n + 1}`, area: 'BASIC_WORK' as const })),
  createdBy: 'x',
  createdAt: '2027-05-03T00:00:00.000Z',
  ...(signed ? { unitSignedAt: '2027-05-04T00:00:00.000Z', leaderSignedAt: '2027-05-04T00:00:00.000Z' } : {}),
});

describe('第十条（二）: departments carrying reform tasks', () => {
  it('the month covers only the departments carrying tasks, as units of their own kind', () => {
    const { units } = cycleScope(org, new Set(['dept-x', 'dept-y', 'district-a']));
    expect(units.filter((u) => u.kind === 'DEPARTMENT').map((u) => u.id)).toEqual(['dept-x', 'dept-y']);
    // A district stays a district whatever the set says; without the set no department is in the month.
    expect(units.find((u) => u.id === 'district-a')?.kind).toBe('DISTRICT');
    expect(cycleScope(org).units.some((u) => u.kind === 'DEPARTMENT')).toBe(false);
  });

  it('the policy turns the extension on by default, can turn it off or limit the inspections; a version stored before takes the default', () => {
    const { departments: _d, mutualInspection: _m, ...older } = defaultCyclePolicy;
    const parsed = CyclePolicy.parse(older);
    expect(parsed.departments.enabled).toBe(true);
    expect(parsed.departments.inspect).toBe(0);
    expect(parsed.mutualInspection).toEqual({ expected: 0 });
    // An input recorded before the values existed (a running cycle's, whose recorded setup has no departments) runs without them.
    expect(departmentsOf(older as never).enabled).toBe(false);
    expect(mutualOf(older as never)).toEqual({ expected: 0 });
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, departments: { ...defaultCyclePolicy.departments, enabled: false } }).success).toBe(true);
    const dup = [...defaultCyclePolicy.departments.indicators, defaultCyclePolicy.departments.indicators[0]];
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, departments: { ...defaultCyclePolicy.departments, indicators: dup } }).success).toBe(false);
    expect(CyclePolicy.safeParse({ ...defaultCyclePolicy, departments: { ...defaultCyclePolicy.departments, indicators: [] } }).success).toBe(false);
  });

  it('inspects every department, or a reproducible sample of policy size that leaves the districts’ and groups’ draw unchanged', () => {
    const units: CycleUnit[] = cycleScope(org, new Set(['dept-x', 'dept-y'])).units;
    expect(drawTargets(units, { mode: 'ALL' }, 's')).toEqual(['dept-x', 'dept-y', 'district-a', 'district-b', 'sg-1', 'sg-2']);
    const one = drawTargets(units, { mode: 'ALL' }, 's', 1);
    expect(one.filter((id) => id.startsWith('dept-'))).toHaveLength(1);
    expect(drawTargets(units, { mode: 'ALL' }, 's', 1)).toEqual(one);
    const sample = { mode: 'SAMPLE', districts: 1, specialGroups: 1 } as const;
    const withoutDepartments = drawTargets(units.filter((u) => u.kind !== 'DEPARTMENT'), sample, 'seed-7');
    expect(drawTargets(units, sample, 'seed-7', 1).filter((id) => !id.startsWith('dept-'))).toEqual(withoutDepartments);
  });

  it('scores departments on their own indicator set and ranks them apart from districts; speeches stay the districts’ and groups’', () => {
    const policy = defaultCyclePolicy;
    const units = cycleScope(org, new Set(['dept-x', 'dept-y'])).units;
    const indicators = [...DEFAULT_INDICATORS, ...departmentIndicators(policy.departments.indicators)];
    const none = { documents: { due: 0, onTime: 0 }, ledger: { due: 0, closed: 0 } };
    const facts = {
      ...Object.fromEntries(units.map((u) => [u.id, none])),
      // 市发改委 led two documents due this month, one delivered late; 市财政局 closed its one ledger task.
      'dept-x': { documents: { due: 2, onTime: 1 }, ledger: { due: 0, closed: 0 } },
      'dept-y': { documents: { due: 0, onTime: 0 }, ledger: { due: 1, closed: 1 } },
    };
    const at = '2027-05-01T00:00:00.000Z';
    const { ranking } = rankMonth({
      month: '2027-05',
      state: {
        units,
        subunits: [],
        indicators,
        reportDueAt: at,
        reports: units.map((u) => ({ unitId: u.id, submittedBy: 'x', submittedAt: at, onTime: true, summary: '', items: [] })),
        inspections: [inspection('dept-y', 2, true), inspection('dept-x', 5, false)],
        entries: [],
        ratings: [],
      },
      facts,
      names: {},
      history: {},
      rankedAt: '2027-05-25T00:00:00.000Z',
      quarter: false,
      policy,
    });
    expect(ranking.districts.map((u) => u.unitId).sort()).toEqual(['district-a', 'district-b']);
    expect(ranking.districts.every((u) => u.kind === 'DISTRICT')).toBe(true);
    const d = ranking.departments!;
    expect(d.map((u) => [u.unitId, u.rank, u.total])).toEqual([
      ['dept-y', 1, 10 + 40 + 35 + 13], // two signed issues cost 2 × 1
      ['dept-x', 2, 10 + 20 + 35 + 15], // a late 交办 halves the documents' points; an unsigned list does not count
    ]);
    // Their own items only: no inspectors' score, no bonus, no district checkpoint.
    expect(d[0].items.map((i) => i.code)).toEqual(policy.departments.indicators.map((i) => i.code));
    expect(d[1].items.find((i) => i.code === 'DEPT_DOCUMENTS_ON_TIME')!.facts).toBe('本月到期文件办理义务2项，按期完成1项');
    expect(ranking.departmentTieRule).toContain('牵头文件按期办理');
    for (const id of ['dept-x', 'dept-y']) {
      expect(ranking.speakers.typical).not.toContain(id);
      expect(ranking.speakers.commitment).not.toContain(id);
      expect(ranking.annual[id].figure).toBeUndefined(); // 第六条（三）(1) is the districts' only
    }
    // The briefing shows the departments' own table; the notice lists their ranking after the groups'.
    const b = composeBriefing({ units, reports: [], inspections: [] }, ranking, policy, name);
    const html = renderBriefingHtml({
      ...ranking,
      year: 2027,
      month: 5,
      unitNames: Object.fromEntries(org.map((u) => [u.id, u.name])),
      improved: [],
      highlights: b.highlights,
      problems: b.problems,
      reportsMissing: [],
      meetingAt: b.meetingAt,
      nextMonth: [],
      annualWeight: 0.5,
      areas: b.areas,
      opinions: [],
      promotionMeetings: [],
      evaluations: [],
    } satisfies BriefingContext);
    expect(html).toContain('承担改革任务的市直部门');
    expect(html.indexOf('市财政局')).toBeLessThan(html.indexOf('市发改委', html.indexOf('承担改革任务的市直部门')));
    const notice = renderCycleNotice('BRIEFING', {
      year: 2027,
      month: 5,
      ranking: { districts: [], specialGroups: [], departments: d.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })) },
      briefingUrl: '/x',
    });
    expect(notice.body).toContain('市直部门排名（第十条（二））');
  });
});

describe('第十条（一）: mutual inspection (互督互查)', () => {
  const units = cycleScope(org, new Set(['dept-x', 'dept-y'])).units;
  const refusal = (peerUnitId: string, accountableUnitId: string, actorUnitId = peerUnitId) => mutualInspectionRefusal({ peerUnitId, accountableUnitId, actorUnitId }, units, name);

  it('a peer district inspects a district, a city special group a group, recorded by the peer', () => {
    expect(refusal('district-b', 'district-a')).toBeUndefined();
    expect(refusal('sg-2', 'sg-1')).toBeUndefined();
  });

  it('refuses a unit inspecting itself (a township counts as its district), a peer of another kind, a department, and a recorder not of the peer', () => {
    expect(refusal('district-a', 'district-a')).toBe('互督互查不能由被督查单位自己开展：甲区不能督查本单位');
    expect(refusal('sg-1', 'district-a')).toBe('互督互查在同类单位之间开展：经济组与甲区不是同类单位');
    expect(refusal('dept-x', 'dept-y')).toBe('市发改委不是本月督导的区县或市专项小组，不能开展互督互查');
    expect(refusal('district-b', 'district-a', 'district-a')).toBe('只有乙区可以登记本单位开展的互督互查');
  });

  it('the API takes a mutual inspection without reform-office members, a top-down one not', () => {
    const base = { unitId: 'district-a', teamName: '互督组', leaderId: 'district-b-director', issues: [] };
    expect(InspectionBody.safeParse({ ...base, peerUnitId: 'district-b' }).success).toBe(true);
    const topDown = InspectionBody.safeParse(base);
    expect(topDown.success).toBe(false);
    expect(topDown.error!.issues.map((i) => i.path.join('.'))).toEqual(['reformOfficeIds']);
  });

  it('the briefing says which inspections were mutual and how many against the policy’s expectation', () => {
    const policy = { ...defaultCyclePolicy, mutualInspection: { expected: 3 } };
    const ranking = { rankedAt: '2027-05-25T00:00:00.000Z', districts: [], specialGroups: [], tieRule: '', speakers: { typical: [], commitment: [] }, improved: [], annual: {} };
    const b = composeBriefing({ units, reports: [], inspections: [inspection('district-a', 2, true, 'district-b'), inspection('sg-1', 0, false, 'sg-2'), inspection('district-b', 1, true)] }, ranking, policy, name);
    expect(b.mutual).toEqual({ lines: ['乙区督查甲区（互督组，问题清单已双方签字，2项问题）', '民生组督查经济组（互督组，问题清单未经双方签字，不计入排名）'], count: 2, expected: 3 });
    const html = renderBriefingHtml({ ...ranking, year: 2027, month: 5, unitNames: {}, improved: [], highlights: [], problems: [], reportsMissing: [], meetingAt: ranking.rankedAt, nextMonth: [], annualWeight: 0.5, areas: b.areas, opinions: [], promotionMeetings: [], evaluations: [], mutual: b.mutual });
    expect(html).toContain('以上督下与互督互查');
    expect(html).toContain('本月开展互督互查2次（按要求每月不少于3次，尚差1次）');
    // Optional by default and none recorded: no section.
    const quiet = composeBriefing({ units, reports: [], inspections: [] }, ranking, defaultCyclePolicy, name);
    expect(renderBriefingHtml({ ...ranking, year: 2027, month: 5, unitNames: {}, improved: [], highlights: [], problems: [], reportsMissing: [], meetingAt: ranking.rankedAt, nextMonth: [], annualWeight: 0.5, areas: quiet.areas, opinions: [], promotionMeetings: [], evaluations: [], mutual: quiet.mutual })).not.toContain('互督互查');
  });

  it('the issue list names the peer unit of a mutual inspection', () => {
    const n = renderCycleNotice('ISSUE_LIST', { year: 2027, month: 5, unitName: '甲区', teamName: '互督组', leaderName: '张三', peerName: '乙区', issues: [] });
    expect(n.body).toContain('乙区（互督互查）互督组（负责人：张三）');
  });
});
