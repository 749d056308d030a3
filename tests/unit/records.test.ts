/**
 * The pure pieces of the record path and the duties: revisions and the
 * obligation diff (workflows/records.ts), each family's obligations and timed
 * duties as data (workflows/<family>/obligations.ts, duties.ts), and the
 * cycle's briefing composition (workflows/cycle/briefing.ts).
 */
import type { Obligation } from '../../common/obligations';
import { defaultPolicy } from '../../common/policy';
import { addDuration, formatShanghai } from '../../common/policy/duration';
import { composeBriefing, composePublicity, historyMonths } from '../../workflows/cycle/briefing';
import { cycleDuties } from '../../workflows/cycle/duties';
import type { CycleState, Ranking } from '../../workflows/cycle/messages';
import { cycleObligations } from '../../workflows/cycle/obligations';
import { rankUnits, type RankedUnit } from '../../workflows/cycle/state';
import { documentDuties } from '../../workflows/document/duties';
import type { CarriedState } from '../../workflows/document/messages';
import { documentObligations } from '../../workflows/document/obligations';
import { rolloutTimed, selectionTimed } from '../../workflows/innovation/duties';
import type { RolloutCarried, SelectionCarried } from '../../workflows/innovation/messages';
import { leadersAnswer, rolloutObligations, selectionObligations } from '../../workflows/innovation/obligations';
import type { Duty } from '../../workflows/innovation/state';
import { Revisions } from '../../workflows/records';

const o = (key: string, status: Obligation['status'] = 'OPEN'): Obligation => ({ key, title: key, rule: '第五条', unitId: 'u', dueAt: '2027-01-01T00:00:00.000Z', status });

describe('Revisions', () => {
  it('numbers changes from the carried revision', () => {
    const r = new Revisions(7);
    expect(r.revision).toBe(7);
    expect(r.next()).toBe(8);
    expect(r.next()).toBe(9);
    expect(r.revision).toBe(9);
  });

  it("sends all obligations first (complete), then only what changed; one that disappears while open is superseded", () => {
    const r = new Revisions();
    expect(r.obligations([o('a'), o('b')])).toEqual({ rows: [o('a'), o('b')], complete: true });
    expect(r.obligations([o('a'), o('b')])).toEqual({ rows: [], complete: false });
    expect(r.obligations([o('a', 'DONE'), o('b')]).rows).toEqual([o('a', 'DONE')]);
    const gone = r.obligations([o('a', 'DONE')]).rows;
    expect(gone).toEqual([{ ...o('b'), status: 'SUPERSEDED', reason: expect.any(String) }]);
    // Listed again later: sent again.
    expect(r.obligations([o('a', 'DONE'), o('b')]).rows).toEqual([o('b')]);
    // A closed one that disappears stays as it was closed.
    expect(r.obligations([o('b')]).rows).toEqual([]);
  });
});

describe('document obligations and duties (第五条)', () => {
  const p = defaultPolicy.document;
  const assignedAt = '2027-01-31T01:00:00.000Z'; // 31 January, 09:00 Shanghai
  const base: CarriedState = {
    state: 'ASSIGNED',
    leadUnitId: 'dept-health',
    assignedAt,
    draftDueAt: addDuration(new Date(assignedAt), p.chaseAfter).toISOString(),
    dueAt: addDuration(new Date(assignedAt), p.assignmentDeadline).toISOString(),
    fired: [],
    followUps: 0,
    tasks: [],
    taskSeq: 0,
    revision: 3,
  };

  it('owes the draft and the municipal document; closes them with their own times and reasons', () => {
    expect(documentObligations(base, 'wf').map((x) => [x.key, x.status])).toEqual([
      ['wf:draft', 'OPEN'],
      ['wf:issuance', 'OPEN'],
    ]);
    const drafted = documentObligations({ ...base, state: 'DRAFT_SUBMITTED', draftSubmittedAt: '2027-02-10T00:00:00.000Z' }, 'wf');
    expect(drafted[0]).toMatchObject({ status: 'DONE', closedAt: '2027-02-10T00:00:00.000Z', reason: '已报送上会文件初稿' });
    const exempt = documentObligations({ ...base, state: 'EXEMPT', exemptReason: '省级文件直接适用' }, 'wf');
    expect(exempt.map((x) => x.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(exempt[0].reason).toContain('省级文件直接适用');
    const task = { id: 'wf:task-1', title: 't', unitId: 'dept-health', ownerId: 'x', dueAt: '2027-06-30T00:00:00.000Z', status: 'CLOSED' as const, closedAt: '2027-05-01T00:00:00.000Z' };
    const issued = documentObligations({ ...base, state: 'COMPLETED', draftSubmittedAt: '2027-02-10T00:00:00.000Z', issuedAt: '2027-02-20T00:00:00.000Z', tasks: [task] }, 'wf');
    expect(issued.map((x) => [x.key, x.status])).toEqual([
      ['wf:draft', 'DONE'],
      ['wf:issuance', 'DONE'],
      ['wf:wf:task-1', 'DONE'],
    ]);
  });

  it('the chase at three weeks, the order at the calendar month (28 February), then the follow-up', () => {
    const duties = documentDuties(base, p, 0);
    const at = (key: string) => formatShanghai(new Date(duties.find((d) => d.key === key)!.at));
    expect(at('chase')).toBe('2027年2月21日 09:00');
    expect(at('order')).toBe('2027年2月28日 09:00');
    expect(at('order-follow-up-1')).toBe('2027年3月7日 09:00');
    expect(duties.find((d) => d.key === 'order-follow-up-1')).toMatchObject({ followUps: 1, notices: [{ kind: 'ORDER_FOLLOW_UP', followUp: 1, escalate: false }] });
    // A submitted draft ends the chase; issuance ends the order; a terminal state ends everything.
    expect(documentDuties({ ...base, draftSubmittedAt: assignedAt }, p, 0).map((d) => d.key)).not.toContain('chase');
    expect(documentDuties({ ...base, state: 'EXEMPT' }, p, 0)).toEqual([]);
  });

  it('a CENTRAL document whose provincial one arrived is linked at once', () => {
    expect(documentDuties({ ...base, state: 'PROMPTED', assignedAt: undefined, linkedDocNumber: '鲁发〔2027〕1号' }, p, 0)).toEqual([{ key: 'linked', at: 0, notices: [], link: true }]);
  });

  it('after issuance the open ledger tasks are dispatched monthly', () => {
    const tasks = [
      { id: 'wf:task-1', title: 'a', unitId: 'u', ownerId: 'x', dueAt: '2027-06-30T00:00:00.000Z', status: 'OPEN' as const },
      { id: 'wf:task-2', title: 'b', unitId: 'u', ownerId: 'y', dueAt: '2027-06-30T00:00:00.000Z', status: 'CLOSED' as const },
    ];
    const s = { ...base, state: 'ISSUED' as const, draftSubmittedAt: assignedAt, issuedAt: '2027-03-31T02:00:00.000Z', tasks };
    const dispatch = documentDuties(s, p, 1).find((d) => d.key.startsWith('ledger-dispatch'))!;
    expect(dispatch.key).toBe('ledger-dispatch-2');
    expect(formatShanghai(new Date(dispatch.at))).toBe('2027年5月31日 10:00');
    expect(dispatch.notices.map((n) => n.task?.id)).toEqual(['wf:task-1']);
  });
});

describe('cycle obligations, duties and briefing (第六条)', () => {
  const p = defaultPolicy.cycle;
  const unit = (id: string, kind: 'DISTRICT' | 'SPECIAL_GROUP') => ({ id, name: id, kind });
  const s: CycleState = {
    phase: 'COLLECTING',
    startedAt: '2027-04-30T16:00:00.000Z',
    reportDueAt: '2027-05-05T16:00:00.000Z',
    scoringAt: '2027-05-25T16:00:00.000Z',
    seed: 'x',
    units: [unit('d1', 'DISTRICT'), unit('d2', 'DISTRICT'), unit('g1', 'SPECIAL_GROUP')],
    subunits: [],
    indicators: [],
    targets: ['d1'],
    reports: [{ unitId: 'd1', submittedBy: 'a', submittedAt: '2027-05-02T00:00:00.000Z', onTime: true, summary: '进展顺利', items: [] }],
    inspections: [],
    entries: [],
    ratings: [],
    diagnoses: [],
    fired: [],
    seq: 0,
    revision: 1,
  };

  it('reports owed until the ranking, then what is missing is cancelled', () => {
    const open = cycleObligations(s, 'cycle:2027-05', '2027-05', false);
    expect(open.filter((x) => x.key.includes(':report:')).map((x) => [x.unitId, x.status])).toEqual([
      ['d1', 'DONE'],
      ['d2', 'OPEN'],
      ['g1', 'OPEN'],
    ]);
    const ranked = cycleObligations({ ...s, phase: 'RANKED' }, 'cycle:2027-05', '2027-05', false);
    expect(ranked.filter((x) => x.key.includes(':report:')).map((x) => x.status)).toEqual(['DONE', 'CANCELLED', 'CANCELLED']);
    expect(ranked.find((x) => x.key.endsWith(':inspection:d1'))).toMatchObject({ status: 'CANCELLED' });
  });

  it('reminds and chases only the units that have not reported; publishes at the close, or at once when asked', () => {
    const duties = cycleDuties(s, p, s.startedAt, new Set());
    const reminder = duties.find((d) => d.key === 'report-reminder-0')!;
    expect(reminder.notices.map((n) => n.unitId)).toEqual(['d2', 'g1']);
    expect(formatShanghai(new Date(reminder.at))).toBe('2027年5月5日 00:00');
    expect(duties.find((d) => d.key === 'publish')!.at).toBe(new Date(s.scoringAt).getTime());
    expect(cycleDuties({ ...s, closeRequested: { by: 'x', at: s.startedAt } }, p, s.startedAt, new Set()).find((d) => d.key === 'publish')!.at).toBe(0);
    // Every diagnosis filed: the month is done.
    const filed = { ...s, phase: 'DIAGNOSIS' as const, diagnoses: [{ unitId: 'd2', visitAt: s.scoringAt, dueAt: s.scoringAt, filedAt: s.scoringAt }] };
    expect(cycleDuties(filed, p, s.startedAt, new Set())).toEqual([{ key: 'done', at: 0, notices: [], done: true }]);
    // An unfiled one is chased again after each fired chase.
    const unfiled = { ...filed, diagnoses: [{ unitId: 'd2', visitAt: s.scoringAt, dueAt: s.scoringAt }] };
    expect(cycleDuties(unfiled, p, s.startedAt, new Set(['diagnosis-chase-1:d2'])).map((d) => d.key)).toContain('diagnosis-chase-2:d2');
  });

  it('the briefing: the top-ranked, the late, the signed issues; the last-ranked district is visited', () => {
    const scored = (unitId: string, total: number): RankedUnit =>
      ({ unitId, unitName: unitId, kind: 'DISTRICT', total, items: [], rank: 0 }) as unknown as RankedUnit;
    const districts = rankUnits([scored('d1', 90), scored('d2', 70)], []);
    const ranking: Ranking = { rankedAt: '2027-05-26T00:00:00.000Z', districts, specialGroups: [], tieRule: '', speakers: { typical: ['d1'], commitment: ['d2'] }, improved: [], annual: { d1: { monthsCounted: 1, average: 90 }, d2: { monthsCounted: 1, average: 70 } } };
    const b = composeBriefing({ ...s, reports: [...s.reports, { ...s.reports[0], unitId: 'd2', onTime: false }] }, ranking, p, (id) => id);
    expect(b.diagnosisUnits).toEqual(['d2']);
    expect(b.highlights[0]).toBe('d1本月排名第一（90分）');
    expect(b.problems).toEqual(['d2逾期报送月度调度情况']);
    expect(b.reportsMissing).toEqual(['g1']);
    expect(b.visitAt).toBe(addDuration(new Date(ranking.rankedAt), p.diagnosisVisitAfter).toISOString());
    expect(composePublicity(s, ranking, '2027-06', {}, p, (id) => id)).toMatchObject({ top: ['d1'], winners: ['d1（上半年排名第一，1个月平均90分）'], material: ['d1：进展顺利'] });
    expect(historyMonths('2027-03', { ...p, specialGroupLastInARow: 3 })).toEqual(['2027-01', '2027-02']);
    expect(historyMonths('2027-01', { ...p, specialGroupLastInARow: 3 })).toEqual(['2026-12', '2026-11']);
  });
});

describe('innovation obligations and duties (第十四条)', () => {
  const rp = defaultPolicy.innovation.rollout;
  const sp = defaultPolicy.innovation.selection;
  const duty = (name: string, extra: Partial<Duty> = {}): Duty => ({ name, kind: 'DISTRICT_PLAN', unitId: 'd1', title: name, startEvent: 'x', startedAt: '2027-01-01T00:00:00.000Z', offset: '1个月', dueAt: '2027-02-01T00:00:00.000Z', chases: 0, ...extra });
  const rollout: RolloutCarried = { state: 'RUNNING', startedAt: '2027-01-01T00:00:00.000Z', duties: [duty('a'), duty('b', { doneAt: '2027-02-02T00:00:00.000Z' })], fired: [], bulletins: 0, problemSeq: 0, revision: 0 };

  it('a rollout owes its board: done late is done, and acceptance cancels what is left', () => {
    expect(rolloutObligations(rollout, 'wf', 'leader').map((x) => [x.key, x.status, x.reason])).toEqual([
      ['wf:a', 'OPEN', undefined],
      ['wf:b', 'DONE', '已逾期完成'],
    ]);
    expect(rolloutObligations({ ...rollout, state: 'ACCEPTED' }, 'wf', 'leader')[0]).toMatchObject({ status: 'CANCELLED' });
  });

  it('chases each open duty up to the limit, and sends the monthly bulletin', () => {
    const keys = rolloutTimed(rollout, rp).map((t) => t.key);
    expect(keys).toContain('a:chase-1');
    expect(keys).not.toContain('b:chase-1');
    expect(keys).toContain('bulletin-1');
    const exhausted = { ...rollout, duties: [duty('a', { chases: rp.maxChases })] };
    expect(rolloutTimed(exhausted, rp).some((t) => t.key.startsWith('a:chase'))).toBe(false);
    expect(rolloutTimed({ ...rollout, state: 'ACCEPTED' }, rp)).toEqual([]);
  });

  const selection: SelectionCarried = {
    phase: 'MUTUAL_VOTE',
    phaseStartedAt: '2027-01-10T00:00:00.000Z',
    phaseDueAt: '2027-01-20T00:00:00.000Z',
    phaseDue: { CALL: '2027-01-10T00:00:00.000Z', MUTUAL_VOTE: '2027-01-20T00:00:00.000Z' },
    candidates: [],
    seq: 0,
    results: [],
    votes: { MUTUAL: { dueAt: '2027-01-20T00:00:00.000Z', voters: ['d1', 'd2'], voted: ['d1'], closed: false } },
    participants: { directorId: 'ro-director' },
    fired: [],
    rolloutIds: [],
    revision: 0,
  };

  it('each voting unit owes a ballot until the round closes', () => {
    expect(selectionObligations(selection, 'wf', '2027-H1').map((x) => [x.key, x.status])).toEqual([
      ['wf:vote-MUTUAL:d1', 'DONE'],
      ['wf:vote-MUTUAL:d2', 'OPEN'],
    ]);
    const closed = { ...selection, votes: { MUTUAL: { ...selection.votes.MUTUAL!, closed: true } } };
    expect(selectionObligations(closed, 'wf', '2027-H1')[1]).toMatchObject({ status: 'CANCELLED' });
  });

  it('a phase closes at its deadline, or at once when asked; the rollouts start once every main leader agrees', () => {
    expect(selectionTimed(selection, sp, false).find((t) => t.close)!.at).toBe(new Date(selection.phaseDueAt).getTime());
    expect(selectionTimed(selection, sp, true).find((t) => t.close)!.at).toBe(0);
    const approval = { ...selection, phase: 'APPROVAL' as const };
    expect(selectionTimed(approval, sp, false).map((t) => t.key)).toContain('APPROVAL:chase');
    const at = '2027-01-02T00:00:00.000Z';
    const leaders = { ...selection, phase: 'LEADERS' as const, submissions: 1, participants: { mainLeaderIds: ['sec', 'mayor'] }, agreements: [{ by: 'sec', agree: true, at }] };
    expect(selectionTimed(leaders, sp, false).map((t) => t.key)).toContain('LEADERS:chase');
    expect(selectionTimed({ ...leaders, agreements: [...leaders.agreements, { by: 'mayor', agree: true, at }] }, sp, false)).toEqual([{ key: 'approve', at: 0, approve: true }]);
    // A list returned and submitted again has its own reminders and chase.
    expect(selectionTimed({ ...approval, submissions: 1 }, sp, false).map((t) => t.key)).toContain('APPROVAL-2:chase');
    expect(selectionTimed({ ...leaders, submissions: 2, agreements: [] }, sp, false).map((t) => t.key)).toContain('LEADERS-2:chase');
  });

  it('each main leader owes an answer to the submitted list; one disagreement returns it', () => {
    const at = '2027-01-02T00:00:00.000Z';
    const leaders = { ...selection, phase: 'LEADERS' as const, phaseDue: { APPROVAL: at, LEADERS: at }, participants: { mainLeaderIds: ['sec', 'mayor'] }, agreements: [{ by: 'sec', agree: true, at }] };
    const status = (s: SelectionCarried) => selectionObligations(s, 'wf', '2027-H1').filter((o) => /approval|agreement/.test(o.key)).map((o) => [o.key, o.status]);
    expect(status(leaders)).toEqual([
      ['wf:approval', 'DONE'],
      ['wf:agreement:sec', 'DONE'],
      ['wf:agreement:mayor', 'OPEN'],
    ]);
    expect(leadersAnswer(leaders)).toBeUndefined();
    const returned = { ...leaders, phase: 'APPROVAL' as const, agreements: [...leaders.agreements, { by: 'mayor', agree: false, at }] };
    expect(leadersAnswer(returned)).toBe('RETURNED');
    expect(status(returned)).toEqual([
      ['wf:approval', 'OPEN'],
      ['wf:agreement:sec', 'DONE'],
      ['wf:agreement:mayor', 'DONE'],
    ]);
  });
});
