/**
 * 第二十一条 as pure rules: a duty runs under the policy of the unit that owes
 * it. The helper that picks a unit's policy from a workflow's input, and the
 * cycle's and rollout's timed duties with one unit on its own policy.
 */
import { defaultPolicy, type Policy } from '../../common/policy';
import { addDuration, subtractDuration } from '../../common/policy/duration';
import { pickUnitPolicies, unitPolicy } from '../../common/policy/scope';
import { renderRolloutNotice } from '../../activities/innovationTexts';
import { cycleDuties } from '../../workflows/cycle/duties';
import type { CycleState } from '../../workflows/cycle/messages';
import { cycleObligations } from '../../workflows/cycle/obligations';
import { reportDueOf } from '../../workflows/cycle/state';
import { rolloutTimed } from '../../workflows/innovation/duties';
import type { RolloutCarried } from '../../workflows/innovation/messages';
import type { Duty } from '../../workflows/innovation/state';

const own: Policy = {
  ...defaultPolicy,
  scope: 'd2',
  version: 'd2-own',
  cycle: { ...defaultPolicy.cycle, reportDueAfter: { days: 8 }, remindBefore: [{ days: 2 }], chaseAfter: [{ days: 1 }] },
  innovation: { ...defaultPolicy.innovation, rollout: { ...defaultPolicy.innovation.rollout, districtPlanWithin: { months: 2 }, maxChases: 1 } },
};
const input = { policy: defaultPolicy, unitPolicies: { d2: own } };

describe('unitPolicy: the policy of the unit that owes a duty', () => {
  it("is the unit's own version where it has one, else the workflow's (city) policy", () => {
    expect(unitPolicy(input, 'd2').version).toBe('d2-own');
    expect(unitPolicy(input, 'd1')).toBe(defaultPolicy);
    expect(unitPolicy(input, undefined)).toBe(defaultPolicy);
    // Inputs from before 第二十一条 ran carry no unit policies.
    expect(unitPolicy({ policy: defaultPolicy }, 'd2')).toBe(defaultPolicy);
    // A unit id that names an Object property is still just an id.
    expect(unitPolicy(input, 'constructor')).toBe(defaultPolicy);
  });

  it('hands a child workflow the versions of its own units only', () => {
    expect(pickUnitPolicies(input.unitPolicies, ['d1', 'd2', 'lead'])).toEqual({ d2: own });
    expect(pickUnitPolicies(undefined, ['d2'])).toEqual({});
  });
});

describe('the cycle: a unit with its own report clock (第六条（一）, 第二十一条)', () => {
  const p = defaultPolicy.cycle;
  const start = '2027-04-30T16:00:00.000Z';
  const cityDue = addDuration(new Date(start), p.reportDueAfter).toISOString();
  const ownDue = addDuration(new Date(start), own.cycle.reportDueAfter).toISOString();
  const unit = (id: string, reportDueAt?: string) => ({ id, name: id, kind: 'DISTRICT' as const, ...(reportDueAt ? { reportDueAt } : {}) });
  const s: CycleState = {
    phase: 'COLLECTING',
    startedAt: start,
    reportDueAt: cityDue,
    scoringAt: addDuration(new Date(start), p.scoringCloseAfter).toISOString(),
    seed: 'x',
    units: [unit('d1'), unit('d2', ownDue), unit('d3')],
    subunits: [],
    indicators: [],
    targets: [],
    reports: [],
    inspections: [],
    entries: [],
    ratings: [],
    diagnoses: [],
    fired: [],
    seq: 0,
    revision: 1,
  };
  const pOf = (id: string) => unitPolicy(input, id).cycle;

  it("the city's units keep one shared duty; the unit on its own policy is reminded and chased at its own times", () => {
    const duties = cycleDuties(s, p, start, new Set(), pOf);
    const byKey = new Map(duties.map((d) => [d.key, d]));
    // The city's clock: the same keys as without any unit policy, naming d1 and d3 only.
    expect(byKey.get('report-reminder-0')!.notices.map((n) => n.unitId)).toEqual(['d1', 'd3']);
    expect(byKey.get('report-reminder-0')!.at).toBe(subtractDuration(new Date(cityDue), p.remindBefore[0]).getTime());
    expect(byKey.get('report-chase-1')!.notices.map((n) => n.unitId)).toEqual(['d1', 'd3']);
    // d2's own clock: its due date, its reminder and its single chase.
    expect(byKey.get('report-reminder-0:d2')!.at).toBe(subtractDuration(new Date(ownDue), { days: 2 }).getTime());
    expect(byKey.get('report-reminder-0:d2')!.notices).toEqual([expect.objectContaining({ unitId: 'd2', step: 'report-reminder-0:d2', context: { dueAt: ownDue } })]);
    expect(byKey.get('report-chase-0:d2')!.at).toBe(addDuration(new Date(ownDue), { days: 1 }).getTime());
    expect(byKey.has('report-chase-1:d2')).toBe(false);
    // Without unit policies (an input from before): everyone on the city's clock, as before.
    expect(cycleDuties({ ...s, units: [unit('d1'), unit('d2'), unit('d3')] }, p, start, new Set()).map((d) => d.key)).toEqual(['report-reminder-0', 'report-chase-0', 'report-chase-1', 'publish']);
  });

  it("once the unit has reported its own clock is gone; its obligation and due date are its own", () => {
    const reported = { ...s, reports: [{ unitId: 'd2', submittedBy: 'a', submittedAt: cityDue, dueAt: ownDue, onTime: true, summary: '', items: [] }] };
    expect(cycleDuties(reported, p, start, new Set(), pOf).some((d) => d.key.endsWith(':d2'))).toBe(false);
    expect(reportDueOf(s, 'd2')).toBe(ownDue);
    expect(reportDueOf(s, 'd1')).toBe(cityDue);
    const obligations = cycleObligations(s, 'cycle:2027-05', '2027-05', false).filter((o) => o.key.includes(':report:'));
    expect(obligations.map((o) => [o.unitId, o.dueAt])).toEqual([
      ['d1', cityDue],
      ['d2', ownDue],
      ['d3', cityDue],
    ]);
  });
});

describe('the rollout: a district on its own policy (第十四条, 第二十一条)', () => {
  const rp = defaultPolicy.innovation.rollout;
  const duty = (unitId: string, extra: Partial<Duty> = {}): Duty => ({ name: `district-plan:${unitId}`, kind: 'DISTRICT_PLAN', unitId, title: 'x', startEvent: 'x', startedAt: '2027-01-01T00:00:00.000Z', offset: '1个月', dueAt: '2027-02-01T00:00:00.000Z', chases: 0, ...extra });
  const rollout: RolloutCarried = { state: 'RUNNING', startedAt: '2027-01-01T00:00:00.000Z', duties: [duty('d1', { chases: 1 }), duty('d2', { chases: 1 })], fired: [], bulletins: 0, problemSeq: 0, revision: 0 };

  it("chases each duty up to its owner's limit", () => {
    const keys = rolloutTimed(rollout, rp, (id) => unitPolicy(input, id).innovation.rollout).map((t) => t.key);
    // d1 under the city's policy (4 chases) is chased again; d2's own policy allows one chase only.
    expect(rp.maxChases).toBeGreaterThan(1);
    expect(keys).toContain('district-plan:d1:chase-2');
    expect(keys.some((k) => k.startsWith('district-plan:d2:chase'))).toBe(false);
  });

  it('the start notice names the districts whose own terms differ', () => {
    const terms = { leadPlanWithin: '1周', meetingWithin: '2周', districtPlanWithin: '1个月', minTownships: 2, ownTerms: [{ unitId: 'd2', districtPlanWithin: '2个月', minTownships: 2 }] };
    const n = renderRolloutNotice('START', { title: '经验', leadUnitName: '牵头部门', opinion: { docNumber: '淄改发〔2027〕1号', title: '实施意见' }, terms, unitNames: { d2: '张店区' } });
    expect(n.body).toContain('按照区县实施细则（第二十一条）：张店区在2个月内报送实施意见和实施方案、至少选择2个镇办。');
    expect(renderRolloutNotice('START', { title: '经验', leadUnitName: '牵头部门', opinion: { docNumber: 'x', title: 'y' }, terms: { ...terms, ownTerms: undefined } }).body).not.toContain('第二十一条');
  });
});
