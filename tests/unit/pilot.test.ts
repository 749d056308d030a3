/**
 * The pure pieces of the pilot family (第十一条 (五)–(七), 第十三条): the order of
 * steps, the upward report's addressees, the monthly dispatch and its chase,
 * the time limit's reminder and overdue notice, the obligations and the policy.
 */
import { renderPilotNotice } from '../../activities/pilotTexts';
import { addRepeated, deadlineAfter, defaultPolicy, formatShanghai, Policy, subtractDuration } from '../../common/policy';
import { pilotDuties } from '../../workflows/pilot/duties';
import type { PilotCarried } from '../../workflows/pilot/messages';
import { pilotObligations } from '../../workflows/pilot/obligations';
import { nextState, refusal, upwardRefusal } from '../../workflows/pilot/state';

const p = defaultPolicy.pilot;
const START = '2026-03-31T02:00:00.000Z'; // 10:00 on 31 March, Shanghai: monthly repetitions keep the 31st where a month has one
const DUE = '2026-09-30T09:00:00.000Z';
const WF = 'pilot:x';

const running = (extra: Partial<PilotCarried> = {}): PilotCarried => ({
  state: 'RUNNING',
  startedAt: START,
  plan: { leaderId: 'dept-health-leader', goals: '目标', dueAt: DUE, resultsUse: '推广' },
  dispatches: [],
  progress: [],
  rejections: 0,
  fired: [],
  revision: 0,
  ...extra,
});

describe('pilot state machine', () => {
  it('a pilot won: progress and plan changes while running, then acceptance, then the upward report', () => {
    expect(refusal('RUNNING', 'reportProgress')).toBeUndefined();
    expect(refusal('RUNNING', 'revisePlan')).toBeUndefined();
    expect(refusal('RUNNING', 'acceptance')).toContain('需处于“已申请验收”');
    expect(refusal('RUNNING', 'reportUpward')).toBeDefined();
    expect(nextState('RUNNING', 'requestAcceptance')).toBe('ACCEPTANCE_REQUESTED');
    expect(refusal('ACCEPTANCE_REQUESTED', 'reportProgress')).toBeDefined();
    expect(nextState('ACCEPTANCE_REQUESTED', 'acceptance', false)).toBe('RUNNING');
    expect(nextState('ACCEPTANCE_REQUESTED', 'acceptance')).toBe('ACCEPTED');
    expect(refusal('ACCEPTED', 'reportUpward')).toBeUndefined();
    expect(nextState('ACCEPTED', 'reportUpward')).toBe('REPORTED');
    expect(refusal('REPORTED', 'reportUpward')).toBe('试点已上报推广，不能再上报推广');
  });

  it('an experience (第十三条) can only be reported upward', () => {
    expect(refusal('PROPOSED', 'reportUpward')).toBeUndefined();
    for (const step of ['reportProgress', 'revisePlan', 'requestAcceptance', 'acceptance'] as const) expect(refusal('PROPOSED', step)).toBeDefined();
  });

  it('第十三条: a city-wide experience goes to both the central and the provincial office', () => {
    expect(upwardRefusal([], false)).toBeDefined();
    expect(upwardRefusal(['PROVINCIAL'], false)).toBeUndefined();
    expect(upwardRefusal(['PROVINCIAL'], true)).toContain('第十三条');
    expect(upwardRefusal(['CENTRAL', 'PROVINCIAL'], true)).toBeUndefined();
  });
});

describe('pilot duties', () => {
  it('第十一条（六）: the k-th dispatch falls k months after registration, on the same day where the month has it', () => {
    const first = pilotDuties(running(), p, defaultPolicy.calendar).find((d) => d.key === 'dispatch-1')!;
    expect(new Date(first.at).toISOString()).toBe('2026-04-30T02:00:00.000Z'); // 30 April: April has no 31st
    const third = pilotDuties(running({ dispatches: [{ at: '', dueAt: '' }, { at: '', dueAt: '' }] }), p, defaultPolicy.calendar).find((d) => d.key === 'dispatch-3')!;
    expect(new Date(third.at).toISOString()).toBe('2026-06-30T02:00:00.000Z');
    expect(third.dispatch).toEqual({ at: addRepeated(new Date(START), p.dispatchEvery, 3).toISOString(), dueAt: deadlineAfter(addRepeated(new Date(START), p.dispatchEvery, 3), p.progressDueAfter, defaultPolicy.calendar).at });
    expect(third.notice.explanation.offset).toBe('每1个月（第3次调度）');
  });

  it('an unanswered dispatch is chased once at its due date; an answered one is not', () => {
    const dispatch = { at: '2026-04-30T02:00:00.000Z', dueAt: '2026-05-10T02:00:00.000Z' };
    const chase = pilotDuties(running({ dispatches: [dispatch] }), p, defaultPolicy.calendar).find((d) => d.key === 'progress-chase-1')!;
    expect(new Date(chase.at).toISOString()).toBe(dispatch.dueAt);
    expect(chase.notice.kind).toBe('PROGRESS_CHASE');
    const answered = running({ dispatches: [dispatch], progress: [{ dispatch: 1, at: '2026-05-02T00:00:00.000Z', note: '进展' }] });
    expect(pilotDuties(answered, p, defaultPolicy.calendar).map((d) => d.key)).not.toContain('progress-chase-1');
  });

  it('第十一条（五）: a reminder before the time limit and an overdue notice at it, keyed by the limit (a revised plan is reminded again)', () => {
    const keys = pilotDuties(running(), p, defaultPolicy.calendar).map((d) => [d.key, new Date(d.at).toISOString()]);
    expect(keys).toContainEqual([`reminder:${DUE}`, subtractDuration(new Date(DUE), p.remindBefore).toISOString()]);
    expect(keys).toContainEqual([`overdue:${DUE}`, DUE]);
  });

  it('nothing is due once acceptance is asked for, nor for an experience', () => {
    expect(pilotDuties(running({ state: 'ACCEPTANCE_REQUESTED' }), p, defaultPolicy.calendar)).toEqual([]);
    expect(pilotDuties({ ...running(), state: 'PROPOSED', plan: undefined }, p, defaultPolicy.calendar)).toEqual([]);
  });
});

describe('pilot obligations', () => {
  const dispatch = { at: '2026-04-30T02:00:00.000Z', dueAt: '2026-05-10T02:00:00.000Z' };

  it('running: each dispatch is owed by the lead unit, and the completion by the time limit', () => {
    const o = pilotObligations(running({ dispatches: [dispatch] }), WF, 'dept-health');
    expect(o.map((x) => [x.key, x.status, x.unitId, x.dueAt])).toEqual([
      [`${WF}:progress-1`, 'OPEN', 'dept-health', dispatch.dueAt],
      [`${WF}:completion`, 'OPEN', 'dept-health', DUE],
    ]);
    expect(o.every((x) => x.rule === '第十一条')).toBe(true);
  });

  it('asking for acceptance closes the completion, cancels an unanswered dispatch and puts the acceptance on the reform office', () => {
    const o = pilotObligations(running({ state: 'ACCEPTANCE_REQUESTED', dispatches: [dispatch], acceptanceRequestedAt: '2026-06-01T00:00:00.000Z', acceptanceDueAt: '2026-07-01T00:00:00.000Z' }), WF, 'dept-health');
    expect(Object.fromEntries(o.map((x) => [x.key.slice(WF.length + 1), [x.status, x.unitId]]))).toEqual({
      'progress-1': ['CANCELLED', 'dept-health'],
      completion: ['DONE', 'dept-health'],
      acceptance: ['OPEN', 'reform-office'],
    });
  });

  it('accepted: the upward report is owed until made; a rejection returns the completion to the lead unit', () => {
    const accepted = running({ state: 'ACCEPTED', acceptanceRequestedAt: '2026-06-01T00:00:00.000Z', acceptanceDueAt: '2026-07-01T00:00:00.000Z', acceptedAt: '2026-06-10T00:00:00.000Z', upwardDueAt: '2026-06-25T00:00:00.000Z' });
    expect(pilotObligations(accepted, WF, 'dept-health').find((x) => x.key.endsWith(':upward'))).toMatchObject({ status: 'OPEN', unitId: 'reform-office', rule: '第十一条' });
    const reported = { ...accepted, state: 'REPORTED' as const, reportedAt: '2026-06-20T00:00:00.000Z' };
    expect(pilotObligations(reported, WF, 'dept-health').every((x) => x.status !== 'OPEN')).toBe(true);
    const rejected = running({ rejections: 1, acceptanceRequestedAt: '2026-06-01T00:00:00.000Z', acceptanceDueAt: '2026-07-01T00:00:00.000Z' });
    expect(Object.fromEntries(pilotObligations(rejected, WF, 'dept-health').map((x) => [x.key.slice(WF.length + 1), [x.status, x.reason]]))).toEqual({
      completion: ['OPEN', undefined],
      acceptance: ['DONE', '验收未通过，退回整改'],
    });
  });

  it('an experience (第十三条) owes only its upward report, by the reform office', () => {
    const o = pilotObligations({ ...running(), state: 'PROPOSED', plan: undefined, upwardDueAt: '2026-04-15T02:00:00.000Z' }, WF, 'district-zhangdian');
    expect(o).toEqual([{ key: `${WF}:upward`, title: '向上级改革办报告基层改革经验', rule: '第十三条', unitId: 'reform-office', dueAt: '2026-04-15T02:00:00.000Z', status: 'OPEN' }]);
  });
});

describe('pilot policy and texts', () => {
  it('the defaults validate; a reminder counted in months is refused', () => {
    expect(Policy.parse(defaultPolicy).pilot).toEqual(p);
    expect(() => Policy.parse({ ...defaultPolicy, pilot: { ...p, remindBefore: { months: 1 } } })).toThrow(/remindBefore/);
  });

  it('the dispatch names its round and the report due date; the upward report names whom it went to', () => {
    const d = renderPilotNotice('DISPATCH', { title: '无证明城市', leadUnitName: '市卫生健康委', dispatch: 2, dueAt: DUE });
    expect(d.title).toBe('【试点调度·第2次】无证明城市');
    expect(d.body).toContain(`请于${formatShanghai(DUE)}前在系统中报送本月试点进展`);
    const u = renderPilotNotice('UPWARD_REPORT', { title: '无证明城市', leadUnitName: '张店区', reportedTo: '中央改革办、省委改革办' });
    expect(u.body).toContain('报告中央改革办、省委改革办，争取列为上级改革试点');
  });
});
