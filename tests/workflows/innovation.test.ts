/**
 * Innovation experiences (第十四条) on the time-skipping server with the real
 * policy durations, the real activities, the run's PostgreSQL database and the
 * SMTP sink: a full selection with votes, and rollouts on time, late, idle,
 * with the township rule and the June acceptance date.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { castBallot, publicVoteKeys } from '../../api/innovationVoting';
import { defaultPolicy } from '../../common/policy';
import { addDuration, formatShanghai, type DurationSpec } from '../../common/policy/duration';
import { TASK_QUEUE } from '../../common/taskQueues';
import { rolloutWorkflowId, selectionWorkflowId, shanghaiHalf } from '../../workflows/innovation/ids';
import * as m from '../../workflows/innovation/messages';
import { rolloutWorkflow } from '../../workflows/innovation/rollout';
import { selectionScheduleWorkflow, selectionWorkflow } from '../../workflows/innovation/selection';
import { boardOf } from '../../workflows/innovation/state';
import { found } from '../support/eventually';
import { mailTo } from '../support/mailbox';
import { type TestDeps } from '../support/deps';
import { startTimeSkippingWorker, type TimeSkippingHarness, resultInRealTime, terminateQuietly } from '../support/timeSkipping';
import { dueAfter, nextShanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { admin as director, districtActor, districtDirector, lead, leader, rolloutInput } from '../support/scenarios';

// Ballots written directly (no SMS round trip): keyed as the API keys them.
const { voterKey } = publicVoteKeys('test-vote-secret-0123456789abcdef0123');

const policy = defaultPolicy;
const sp = policy.innovation.selection;
const rp = policy.innovation.rollout;
const HOUR = 3600_000;
const DISTRICTS = ['district-zhangdian', 'district-zichuan', 'district-boshan', 'district-linzi', 'district-zhoucun', 'district-huantai', 'district-gaoqing', 'district-yiyuan', 'district-hightech', 'district-econdev', 'district-wenchanghu'];
const SPECIAL_GROUPS = ['sg-economy', 'sg-democracy', 'sg-culture', 'sg-society', 'sg-party', 'sg-discipline', 'sg-rural', 'sg-soe'];
const DEPARTMENTS = ['dept-ndrc', 'dept-finance', 'dept-justice', 'dept-education', 'dept-health', 'dept-hrss'];

jest.setTimeout(300_000);

describe('innovation experiences (time-skipping, 第十四条)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;
  let seq = 0;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  const plus = (from: string | Date, d: DurationSpec, extraMs = 0) => new Date(addDuration(new Date(from), d).getTime() + extraMs);

  const notices = (subjectId: string, kind?: string) =>
    deps.db.notice.findMany({ where: { subjectId, ...(kind ? { kind } : {}) }, orderBy: { createdAt: 'asc' }, include: { recipients: true } });

  async function startRollout(districtIds: string[], townshipApplies = true, unitPolicies?: m.RolloutInput['unitPolicies']) {
    seq += 1;
    const rolloutId = `T${Date.now() % 1_000_000}-${seq}`;
    const input = { ...rolloutInput(rolloutId, districtIds, townshipApplies), ...(unitPolicies ? { unitPolicies } : {}) };
    const handle = await env.client.workflow.start(rolloutWorkflow, { taskQueue: TASK_QUEUE, workflowId: rolloutWorkflowId(rolloutId), args: [input] });
    const row = await found(() => deps.db.innovationRollout.findUnique({ where: { id: rolloutId } }), 'rollout row');
    return { handle, rolloutId, startedAt: row.startedAt.toISOString() };
  }

  it('the June acceptance date: reports due end of June, summary by 10 July; a missing report is chased after June 30', async () => {
    // A chosen calendar point: a rollout started on 15 November is first accepted at the end of June
    // (3 months later is February; 第十四条: reports at the end of June, the summary by 10 July).
    await sleepUntil(env, nextShanghai(await env.currentTimeMs(), '11-15T09:00'));
    const [a, b] = DISTRICTS;
    const { handle, rolloutId } = await startRollout([a, b], false);
    const view = await handle.query(m.rolloutQuery);
    const year = shanghaiYear(await env.currentTimeMs()) + 1;
    expect(view.acceptance.label).toBe(`${year}年上半年`);
    expect(formatShanghai(view.acceptance.reportDueAt)).toBe(`${year}年6月30日 23:59`);
    expect(formatShanghai(view.acceptance.summaryDueAt)).toBe(`${year}年7月10日 23:59`);
    // Everything else on time.
    await handle.executeUpdate(m.submitLeadPlanUpdate, { args: [{ actor: lead, title: '实施方案' }] });
    await handle.executeUpdate(m.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: lead, heldAt: new Date(await env.currentTimeMs()).toISOString() }] });
    for (const d of [a, b]) {
      await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: districtActor(d), districtId: d, heldAt: new Date(await env.currentTimeMs()).toISOString() }] });
      await handle.executeUpdate(m.submitDistrictPlanUpdate, { args: [{ actor: districtActor(d), districtId: d, opinionTitle: '实施意见', planTitle: '实施方案' }] });
      await handle.executeUpdate(m.approveDistrictPlanUpdate, { args: [{ actor: districtDirector(d), districtId: d, approved: true }] });
    }
    // The summary waits for the reports or their deadline.
    await expect(handle.executeUpdate(m.submitSummaryUpdate, { args: [{ actor: director, title: '验收总结', verdicts: [] }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    await sleepUntil(env, new Date(new Date(view.acceptance.reportDueAt).getTime() - 24 * HOUR));
    await handle.executeUpdate(m.submitAcceptanceReportUpdate, { args: [{ actor: lead, unitId: 'dept-health', report: '牵头部门验收报告' }] });
    await handle.executeUpdate(m.submitAcceptanceReportUpdate, { args: [{ actor: districtActor(a), unitId: a, report: '区县验收报告' }] });
    expect((await notices(rolloutId, 'CHASE')).length).toBe(0);

    await sleepUntil(env, new Date(new Date(view.acceptance.reportDueAt).getTime() + HOUR));
    const chases = await found(async () => {
      const n = await notices(rolloutId, 'CHASE');
      return n.length ? n : undefined;
    }, 'acceptance chase');
    expect(chases).toHaveLength(1);
    expect(chases[0].key).toBe(`${rolloutWorkflowId(rolloutId)}:acceptance-report:${b}:chase-1`);
    expect(chases[0].recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining([`${b}-director`, `${b}-deputy`]));

    // After the report deadline the summary may go ahead, with a verdict on every unit that reported (and on no other).
    const summary = (verdicts: m.SummaryArgs['verdicts']) => handle.executeUpdate(m.submitSummaryUpdate, { args: [{ actor: director, docNumber: '淄改办字〔2027〕1号', title: '验收总结', verdicts }] });
    await expect(summary([{ unitId: 'dept-health', passed: true }])).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(summary([{ unitId: 'dept-health', passed: true }, { unitId: a, passed: true }, { unitId: b, passed: true }])).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const done = await summary([
      { unitId: 'dept-health', passed: true },
      { unitId: a, passed: false, comment: '镇办推广不足' },
    ]);
    expect(done.state).toBe('ACCEPTED');
    // 第十四条: the office's verdict per unit, the unit that never reported shown so.
    const verdicts = boardOf(done.duties, [a, b], new Date(await env.currentTimeMs()));
    expect(verdicts.city[0].items.find((i) => i.kind === 'ACCEPTANCE_REPORT')?.verdict).toBe('PASSED');
    expect(verdicts.districts.map((r) => r.items.find((i) => i.kind === 'ACCEPTANCE_REPORT')?.verdict)).toEqual(['FAILED', 'NOT_REPORTED']);
    // The summary goes to the director and is circulated city-wide (every district, department and special group).
    const [circulated] = await notices(rolloutId, 'SUMMARY');
    const to = circulated.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId);
    expect(to).toEqual(expect.arrayContaining(['ro-director', `${DISTRICTS[10]}-director`, 'dept-finance-liaison', 'sg-economy-liaison']));
    expect(circulated.body).toContain('验收不合格（镇办推广不足）');
    expect(circulated.body).toContain('未报送验收报告');
    expect((await resultInRealTime(env, handle)).state).toBe('ACCEPTED');
    const row = await deps.db.innovationRollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(row.state).toBe('ACCEPTED');
    expect(row.reportDueAt?.toISOString()).toBe(view.acceptance.reportDueAt);
    expect(row.summaryDueAt?.toISOString()).toBe(view.acceptance.summaryDueAt);
    // The missing report stays visible as not done; nothing is left open.
    expect(await deps.db.obligation.count({ where: { subjectId: rolloutId, status: 'OPEN' } })).toBe(0);
    expect(await deps.db.obligation.findUniqueOrThrow({ where: { key: `${rolloutWorkflowId(rolloutId)}:acceptance-report:${b}` } })).toMatchObject({ status: 'CANCELLED' });
  });

  it('a full selection: candidates, mutual vote (no self-vote), shortlist, second and public vote (no repeat), 10 chosen by both votes, opinions, the director submits, the main leaders agree → 10 rollouts', async () => {
    const selectionId = `${2900 + (Date.now() % 50)}-H${1 + (Date.now() % 2)}`; // years no other test file uses
    const workflowId = selectionWorkflowId(selectionId);
    const handle = await env.client.workflow.start(selectionWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, selectionId, policy }] });
    await found(() => deps.db.innovationSelection.findUnique({ where: { id: selectionId } }), 'selection row');
    await found(async () => (await notices(selectionId, 'CALL')).length === 1, 'call notice');

    // Two candidates from every district (22 > the shortlist of 20).
    const ids: string[] = [];
    for (const d of DISTRICTS) {
      for (const k of [1, 2]) {
        const v = await handle.executeUpdate(m.submitCandidateUpdate, {
          args: [{ actor: districtActor(d), title: `${d}经验${k}`, summary: '经验做法和成效简介', material: [{ name: '经验材料', text: '……' }], leadUnitId: DEPARTMENTS[ids.length % DEPARTMENTS.length], townshipApplies: true }],
        });
        ids.push(v.candidates.at(-1)!.id);
      }
    }
    const candidates = await deps.db.innovationCandidate.findMany({ where: { selectionId } });
    expect(candidates).toHaveLength(22);
    const unitOf = (id: string) => candidates.find((c) => c.id === id)!.unitId;

    // Ballots outside the voting period are refused.
    await expect(castBallot(deps.db, { selectionId, public: false, voterKey: 'sg-economy', voterUnitId: 'sg-economy', voterKind: 'SPECIAL_GROUP', candidateIds: [ids[0]] })).rejects.toMatchObject({ code: 'CONFLICT' });

    const call = await deps.db.innovationSelection.findUniqueOrThrow({ where: { id: selectionId } });
    await sleepUntil(env, new Date(call.phaseDueAt!.getTime() + HOUR));
    await found(async () => (await handle.query(m.selectionQuery)).phase === 'MUTUAL_VOTE' && (await deps.db.innovationSelection.findUnique({ where: { id: selectionId } }))?.phase === 'MUTUAL_VOTE', 'mutual vote');
    // The call's reminder (before its deadline) went only to the units that had not submitted: the special groups.
    const [reminder] = await notices(selectionId, 'REMINDER');
    expect(reminder.key).toBe(`${workflowId}:CALL:reminder-0`);
    expect(new Set(reminder.recipients.map((r) => r.officialId.split('-').slice(0, 2).join('-')))).toEqual(new Set(SPECIAL_GROUPS));

    // Mutual vote: candidate i gets a distinct number of votes (the first ones most); the last two get none.
    const voters = [...DISTRICTS, ...SPECIAL_GROUPS].map((u) => ({ u, kind: u.startsWith('sg-') ? ('SPECIAL_GROUP' as const) : ('DISTRICT' as const) }));
    // A unit voting for its own experience is refused (第十四条).
    await expect(
      castBallot(deps.db, { selectionId, public: false, voterKey: DISTRICTS[0], voterUnitId: DISTRICTS[0], voterKind: 'DISTRICT', candidateIds: [ids[0]] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const [vi, { u, kind }] of voters.entries()) {
      const choice = ids.slice(0, 20).filter((id, i) => i < 20 - (vi % 5) && unitOf(id) !== u);
      await castBallot(deps.db, { selectionId, public: false, voterKey: u, voterUnitId: u, voterKind: kind, candidateIds: choice });
    }
    // One ballot per unit per round.
    await expect(
      castBallot(deps.db, { selectionId, public: false, voterKey: 'sg-economy', voterUnitId: 'sg-economy', voterKind: 'SPECIAL_GROUP', candidateIds: [ids[3]] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Departments do not vote in the mutual round.
    await expect(castBallot(deps.db, { selectionId, public: false, voterKey: 'dept-finance', voterUnitId: 'dept-finance', voterKind: 'DEPARTMENT', candidateIds: [ids[3]] })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const mutual = await deps.db.innovationSelection.findUniqueOrThrow({ where: { id: selectionId } });
    await sleepUntil(env, new Date(mutual.phaseDueAt!.getTime() + HOUR));
    // Everyone had voted: the mutual round's reminder had nobody to remind and was not sent.
    expect((await notices(selectionId, 'REMINDER')).map((n) => n.key)).toEqual([`${workflowId}:CALL:reminder-0`]);
    const second = await found(async () => {
      const v = await handle.query(m.selectionQuery);
      return v.phase === 'SECOND_VOTE' ? v : undefined;
    }, 'second vote');
    const shortlisted = second.candidates.filter((c) => c.shortlistRank !== undefined);
    expect(shortlisted).toHaveLength(sp.shortlistSize);
    expect(second.candidates.filter((c) => c.shortlistRank === undefined).map((c) => c.id).sort()).toEqual([ids[20], ids[21]].sort());
    expect(second.results[0]).toMatchObject({ round: 'MUTUAL', ballots: { MUTUAL: voters.length } });
    const mutualCounts = second.results[0].counts.MUTUAL;
    expect(Object.values(mutualCounts).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    // Rows carry the counts: explainable.
    expect((await deps.db.innovationCandidate.findUniqueOrThrow({ where: { id: ids[5] } })).mutualVotes).toBe(mutualCounts[ids[5]]);

    // Second vote: districts and departments, each for up to 10 shortlisted others.
    for (const u of [...DISTRICTS, ...DEPARTMENTS]) {
      const kind = u.startsWith('dept-') ? ('DEPARTMENT' as const) : ('DISTRICT' as const);
      const choice = shortlisted.map((c) => c.id).filter((id) => unitOf(id) !== u).slice(0, sp.secondVoteChoices);
      await castBallot(deps.db, { selectionId, public: false, voterKey: u, voterUnitId: u, voterKind: kind, candidateIds: choice });
    }
    // Public vote: candidate at shortlist position i gets i+1 public votes, except positions 18 and 19 tie (a tie rule case).
    const byRank = [...shortlisted].sort((x, y) => x.shortlistRank! - y.shortlistRank!);
    let phone = 13800000000;
    for (const [i, c] of byRank.entries()) {
      const n = i === 19 ? 19 : i + 1;
      for (let k = 0; k < n; k++) {
        phone += 1;
        await castBallot(deps.db, { selectionId, public: true, voterKey: voterKey(selectionId, String(phone)), ipHash: `ip-${k % 7}`, candidateIds: [c.id] });
      }
    }
    // The same phone again: refused.
    await expect(castBallot(deps.db, { selectionId, public: true, voterKey: voterKey(selectionId, String(phone)), candidateIds: [byRank[0].id] })).rejects.toMatchObject({ code: 'CONFLICT' });
    // A candidate not on the shortlist cannot get public votes.
    await expect(castBallot(deps.db, { selectionId, public: true, voterKey: voterKey(selectionId, '13999999999'), candidateIds: [ids[21]] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    await sleepUntil(env, new Date(new Date(second.phaseDueAt).getTime() + HOUR));
    const opinions = await found(async () => {
      const v = await handle.query(m.selectionQuery);
      return v.phase === 'OPINIONS' ? v : undefined;
    }, 'opinions');
    const finalists = opinions.candidates.filter((c) => c.finalRank !== undefined).sort((x, y) => x.finalRank! - y.finalRank!);
    expect(finalists).toHaveLength(sp.selectedCount);
    expect(opinions.results[1]).toMatchObject({ round: 'SECOND', ballots: { SECOND: DISTRICTS.length + DEPARTMENTS.length } });
    const publicBallots = byRank.reduce((n, _c, i) => n + (i === 19 ? 19 : i + 1), 0);
    expect(opinions.results[1].ballots.PUBLIC).toBe(publicBallots);
    // 第十四条: chosen by both votes combined — each its share of the round's ballots, weighted by the policy…
    const w = sp.finalCombination;
    const expected = (c: { secondVotes: number; publicVotes: number }) => w.officialWeight * (c.secondVotes / (DISTRICTS.length + DEPARTMENTS.length)) + w.publicWeight * (c.publicVotes / publicBallots);
    const shortlistNow = opinions.candidates.filter((c) => c.shortlistRank !== undefined);
    for (const c of shortlistNow) expect(c.combinedScore).toBeCloseTo(expected(c), 5);
    const lowestChosen = Math.min(...finalists.map((c) => c.combinedScore!));
    expect(shortlistNow.filter((c) => c.finalRank === undefined).every((c) => c.combinedScore! <= lowestChosen)).toBe(true);
    // …so the two public favourites (19 votes each), which no district or department voted for, are not chosen.
    const favourites = shortlistNow.filter((c) => c.publicVotes === 19);
    expect(favourites).toHaveLength(2);
    expect(favourites.every((c) => c.secondVotes === 0 && c.finalRank === undefined)).toBe(true);
    // …then ordered by the public vote.
    expect(finalists.every((c, i) => i === 0 || c.publicVotes <= finalists[i - 1].publicVotes)).toBe(true);
    expect(opinions.results[1].tieRule).toContain('加权合计');

    // Opinions from the lead department and the city leader in charge of every finalist → approval phase.
    for (const c of finalists) {
      await handle.executeUpdate(m.recordOpinionUpdate, { args: [{ actor: { officialId: `${c.leadUnitId}-leader`, unitId: c.leadUnitId }, candidateId: c.id, role: 'LEAD_DEPARTMENT', agree: true }] });
      await handle.executeUpdate(m.recordOpinionUpdate, { args: [{ actor: leader, candidateId: c.id, role: 'LEADER', agree: true, comment: '同意推广' }] });
    }
    await found(async () => (await handle.query(m.selectionQuery)).phase === 'APPROVAL', 'approval phase');
    const request = await found(async () => (await notices(selectionId, 'APPROVAL_REQUEST'))[0], 'approval request');
    expect(request.recipients.map((r) => r.officialId)).toEqual(['ro-director']);

    // 第十四条: the director reviews the list and submits it to the main city leaders (the heads of the leading group).
    const opinion = { opinionDocNumber: '淄改办发〔2026〕9号', opinionTitle: '关于推广创新改革经验的实施意见' };
    const submitted = await handle.executeUpdate(m.approveSelectionUpdate, { args: [{ actor: director, ...opinion }] });
    expect(submitted.phase).toBe('LEADERS');
    expect(submitted.rolloutIds).toHaveLength(0);
    const asked = await found(async () => (await notices(selectionId, 'LEADERS_REQUEST'))[0], 'request to the main leaders');
    expect(asked.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId)).toEqual(['city-secretary']);
    const secretary = { officialId: 'city-secretary', unitId: 'leading-group' };
    // Only a main leader answers; the mayor is not one in this organisation.
    await expect(handle.executeUpdate(m.agreeSelectionUpdate, { args: [{ actor: { officialId: 'city-mayor', unitId: 'leading-group' }, agree: true }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    // A disagreement returns the list to the director, who submits a revised list (without the last finalist).
    const returned = await handle.executeUpdate(m.agreeSelectionUpdate, { args: [{ actor: secretary, agree: false, comment: '请充实完善后再报' }] });
    expect(returned.phase).toBe('APPROVAL');
    const back = await found(async () => (await notices(selectionId, 'RETURNED'))[0], 'returned notice');
    expect(back.recipients.map((r) => r.officialId)).toEqual(['ro-director']);
    expect(back.body).toContain('请充实完善后再报');
    const revised = finalists.slice(0, sp.selectedCount - 1).map((c) => c.id);
    expect((await handle.executeUpdate(m.approveSelectionUpdate, { args: [{ actor: director, candidateIds: revised, ...opinion }] })).phase).toBe('LEADERS');
    // Their agreement starts the rollouts.
    const approved = await handle.executeUpdate(m.agreeSelectionUpdate, { args: [{ actor: secretary, agree: true, comment: '同意' }] });
    expect(approved.phase).toBe('APPROVED');
    expect(approved.approvedBy).toBe('city-secretary');
    expect(approved.rolloutIds).toHaveLength(revised.length);
    expect((await notices(selectionId, 'LEADERS_REQUEST')).map((n) => n.key)).toEqual([`${workflowId}:open-LEADERS-1`, `${workflowId}:open-LEADERS-2`]);
    await resultInRealTime(env, handle);
    // The 10 rollouts run as children that outlive the selection.
    const rows = await found(async () => {
      const r = await deps.db.innovationRollout.findMany({ where: { selectionId } });
      return r.length === revised.length ? r : undefined;
    }, 'the rollouts');
    expect(rows.map((r) => r.candidateId).sort()).toEqual([...revised].sort());
    const sel = await deps.db.innovationSelection.findUniqueOrThrow({ where: { id: selectionId } });
    expect(sel).toMatchObject({ phase: 'APPROVED', submittedBy: 'ro-director', approvedBy: 'city-secretary' });
    expect(sel.agreements).toEqual([expect.objectContaining({ by: 'city-secretary', agree: true })]);
    for (const id of approved.rolloutIds) {
      const d = await env.client.workflow.getHandle(rolloutWorkflowId(id)).describe();
      expect(d.status.name).toBe('RUNNING');
      expect(d.parentExecution?.workflowId).toBe(workflowId);
    }
    await found(async () => (await notices(selectionId, 'RESULT')).length === 1, 'result notice');
    // Quiet the children so the other tests' skipped months do not chase them.
    for (const id of approved.rolloutIds) await terminateQuietly(env, rolloutWorkflowId(id));
  });

  it("the half-yearly schedule's starter starts the half year's selection once; a finished one is never started again", async () => {
    // A chosen calendar point: 15 March is in the first half year.
    await sleepUntil(env, nextShanghai(await env.currentTimeMs(), '03-15T09:00'));
    const selectionId = shanghaiHalf(new Date(await env.currentTimeMs()));
    expect(selectionId).toMatch(/-H1$/);
    let n = 0;
    const fire = async () => resultInRealTime(env, await env.client.workflow.start(selectionScheduleWorkflow, { taskQueue: TASK_QUEUE, workflowId: `selection-schedule-${Date.now()}-${++n}` }));
    expect(await fire()).toEqual({ selectionId, started: true });
    const row = await found(() => deps.db.innovationSelection.findUnique({ where: { id: selectionId } }), 'scheduled selection row');
    expect(row).toMatchObject({ phase: 'CALL', workflowId: selectionWorkflowId(selectionId) });
    // Fired again while it runs, and again after it has finished: left alone.
    expect(await fire()).toEqual({ selectionId, started: false });
    await terminateQuietly(env, selectionWorkflowId(selectionId));
    expect(await fire()).toEqual({ selectionId, started: false });
    expect(await deps.db.notice.count({ where: { subjectId: selectionId, kind: 'CALL' } })).toBe(1);
  });

  it('a rollout on time: no chases, the board all green', async () => {
    const ds = DISTRICTS.slice(0, 3);
    const { handle, rolloutId, startedAt } = await startRollout(ds);
    await found(async () => (await notices(rolloutId, 'START')).length === 1, 'start notice');
    await env.sleep('2 days');
    await handle.executeUpdate(m.submitLeadPlanUpdate, { args: [{ actor: lead, docNumber: '淄卫发〔2026〕1号', title: '实施方案' }] });
    await handle.executeUpdate(m.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    await env.sleep('5 days');
    await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: lead, heldAt: new Date(await env.currentTimeMs()).toISOString(), place: '市委会议室' }] });
    for (const d of ds) {
      await handle.executeUpdate(m.submitDistrictPlanUpdate, { args: [{ actor: districtActor(d), districtId: d, opinionTitle: '实施意见', planTitle: '实施方案' }] });
      await handle.executeUpdate(m.approveDistrictPlanUpdate, { args: [{ actor: districtDirector(d), districtId: d, approved: true }] });
      await handle.executeUpdate(m.reportTownshipsUpdate, { args: [{ actor: districtActor(d), districtId: d, townshipIds: [`${d}-t1`, `${d}-t2`] }] });
      await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: districtActor(d), districtId: d, heldAt: new Date(await env.currentTimeMs()).toISOString() }] });
    }
    await sleepUntil(env, dueAfter(startedAt, rp.townshipWithin, HOUR));
    const v = await handle.query(m.rolloutQuery);
    expect(v.bulletins).toBeGreaterThanOrEqual(1);
    await found(async () => (await notices(rolloutId, 'BULLETIN')).length >= 1, 'bulletin');
    expect(await notices(rolloutId, 'CHASE')).toHaveLength(0);
    const board = boardOf(v.duties, ds, new Date(await env.currentTimeMs()));
    for (const row of board.districts) {
      expect(row.late).toBe(0);
      expect(row.items.filter((i) => i.kind !== 'ACCEPTANCE_REPORT').every((i) => i.status === 'DONE')).toBe(true);
    }
    await terminateQuietly(env, handle.workflowId);
  });

  it('deployment meetings count by the date held: a later date is refused; a district holds its own on the same timeline', async () => {
    const [d1, d2] = DISTRICTS.slice(8, 10);
    const { handle, rolloutId } = await startRollout([d1, d2], false);
    await handle.executeUpdate(m.submitLeadPlanUpdate, { args: [{ actor: lead, title: '实施方案' }] });
    const approvedAt = await env.currentTimeMs();
    const v0 = await handle.executeUpdate(m.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    const meetingDue = v0.duties.find((x) => x.name === 'meeting')!.dueAt;
    // 第十四条: each district's own meeting runs on the city's clock.
    expect(v0.duties.filter((x) => x.kind === 'DISTRICT_MEETING').map((x) => [x.unitId, x.dueAt])).toEqual([
      [d1, meetingDue],
      [d2, meetingDue],
    ]);
    // A meeting announced for next week cannot close the duty today.
    const nextWeek = new Date(approvedAt + 7 * 24 * HOUR).toISOString();
    const err = await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: lead, heldAt: nextWeek }] }).catch((e: unknown) => e);
    expect(((err as WorkflowUpdateFailedError).cause as Error).message).toContain('尚未召开');
    // Held on day 13, entered on day 16 (after the two weeks): on time, and the late entry's chase does not make it late.
    const heldAt = new Date(approvedAt + 13 * 24 * HOUR).toISOString();
    await sleepUntil(env, new Date(approvedAt + 16 * 24 * HOUR));
    await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: lead, heldAt, place: '市委会议室' }] });
    // District 1 held its meeting on day 15: late. District 2 none: chased.
    await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: districtActor(d1), districtId: d1, heldAt: new Date(approvedAt + 15 * 24 * HOUR).toISOString() }] });
    const v = await handle.query(m.rolloutQuery);
    const board = boardOf(v.duties, [d1, d2], new Date(await env.currentTimeMs()));
    expect(board.city.find((r) => r.unitId === 'dept-health')!.items.find((i) => i.name === 'meeting')).toMatchObject({ status: 'DONE', doneAt: heldAt });
    expect(board.districts.map((r) => r.items.find((i) => i.kind === 'DISTRICT_MEETING')!.status)).toEqual(['DONE_LATE', 'LATE']);
    await found(() => deps.db.notice.findUnique({ where: { key: `${rolloutWorkflowId(rolloutId)}:district-meeting:${d2}:chase-1` } }), 'district meeting chase');
    await terminateQuietly(env, handle.workflowId);
  });

  it('the lead department late by a day → exactly one chase', async () => {
    const { handle, rolloutId, startedAt } = await startRollout(DISTRICTS.slice(0, 2), false);
    const due = dueAfter(startedAt, rp.leadPlanWithin);
    await sleepUntil(env, new Date(due.getTime() + 24 * HOUR));
    const key = `${rolloutWorkflowId(rolloutId)}:lead-plan:chase-1`;
    const chase = await found(() => deps.db.notice.findUnique({ where: { key }, include: { recipients: true } }), 'lead plan chase');
    expect(chase.recipients.map((r) => r.officialId).sort()).toEqual(expect.arrayContaining(['dept-health-leader', 'dept-health-liaison']));
    await handle.executeUpdate(m.submitLeadPlanUpdate, { args: [{ actor: lead, title: '实施方案' }] });
    await handle.executeUpdate(m.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    // Well past the next chase time: still only one.
    await sleepUntil(env, plus(due, rp.chaseEvery, 2 * 24 * HOUR));
    await handle.query(m.rolloutQuery);
    const leadChases = (await notices(rolloutId, 'CHASE')).filter((n) => n.key.includes(':lead-plan:chase-'));
    expect(leadChases).toHaveLength(1);
    const v = await handle.query(m.rolloutQuery);
    expect(v.duties.find((d) => d.name === 'lead-plan')).toMatchObject({ chases: 1 });
    expect(boardOf(v.duties, [], new Date(await env.currentTimeMs())).city.find((r) => r.unitId === 'dept-health')!.items.find((i) => i.name === 'lead-plan')!.status).toBe('DONE_LATE');
    const mails = await mailTo('dept-health-liaison@zibo.example.cn');
    expect(mails.filter((mm) => mm.subject.includes('【催办单】') && mm.subject.includes(`推广经验${rolloutId}`))).toHaveLength(1);
    await terminateQuietly(env, handle.workflowId);
  });

  it('a district that never files is chased per policy (then the board stays red)', async () => {
    const [good, idle] = DISTRICTS.slice(3, 5);
    const { handle, rolloutId, startedAt } = await startRollout([good, idle], false);
    await handle.executeUpdate(m.submitLeadPlanUpdate, { args: [{ actor: lead, title: '实施方案' }] });
    await handle.executeUpdate(m.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: lead, heldAt: new Date(await env.currentTimeMs()).toISOString() }] });
    // Both districts held their deployment meetings: only the idle one's plan is chased.
    for (const d of [good, idle]) await handle.executeUpdate(m.recordMeetingUpdate, { args: [{ actor: districtActor(d), districtId: d, heldAt: new Date(await env.currentTimeMs()).toISOString() }] });
    await handle.executeUpdate(m.submitDistrictPlanUpdate, { args: [{ actor: districtActor(good), districtId: good, opinionTitle: '实施意见', planTitle: '实施方案' }] });
    await handle.executeUpdate(m.approveDistrictPlanUpdate, { args: [{ actor: districtDirector(good), districtId: good, approved: true }] });

    const due = dueAfter(startedAt, rp.districtPlanWithin);
    // Past every chase (at the deadline, then every chaseEvery, maxChases in all) and some more.
    let last = due;
    for (let k = 1; k < rp.maxChases; k++) last = addDuration(last, rp.chaseEvery);
    await sleepUntil(env, plus(last, rp.chaseEvery, HOUR));
    const name = `district-plan:${idle}`;
    const chases = await found(async () => {
      const n = (await notices(rolloutId, 'CHASE')).filter((x) => x.key.includes(`:${name}:chase-`));
      return n.length === rp.maxChases ? n : undefined;
    }, 'all chases');
    expect(chases.map((c) => c.key.split(':').at(-1))).toEqual(Array.from({ length: rp.maxChases }, (_x, i) => `chase-${i + 1}`));
    expect(chases[0].dueAt?.toISOString()).toBe(due.toISOString());
    // Escalation: from chase `escalateAfter` on, the district head and the reform office director are copied.
    const cc = chases[rp.escalateAfter - 1].recipients.filter((r) => r.role === 'CC').map((r) => r.officialId);
    expect(cc).toEqual(expect.arrayContaining([`${idle}-head`, 'ro-director']));
    expect(chases[0].recipients.filter((r) => r.role === 'TO').map((r) => r.officialId).sort()).toEqual([`${idle}-deputy`, `${idle}-director`]);
    // Shown late: on the board, in the Obligation table (overdue board) and in the mail sink.
    const row = await deps.db.innovationRollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const board = boardOf((row.board as unknown as { duties: m.RolloutView['duties'] }).duties, row.districtIds, new Date(await env.currentTimeMs()));
    expect(board.districts.find((r) => r.unitId === idle)!.items.find((i) => i.name === name)).toMatchObject({ status: 'LATE', chases: rp.maxChases });
    expect(board.districts.find((r) => r.unitId === good)!.late).toBe(0);
    const ob = await deps.db.obligation.findUniqueOrThrow({ where: { key: `${rolloutWorkflowId(rolloutId)}:${name}` } });
    expect(ob).toMatchObject({ status: 'OPEN', unitId: idle, family: 'rollout' });
    expect(ob.dueAt.getTime()).toBeLessThan(await env.currentTimeMs());
    // …and in the workflow history: one notice activity per chase.
    const history = await handle.fetchHistory();
    const chaseActivities = (history.events ?? []).filter((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      if (a?.activityType?.name !== 'sendRolloutNotice') return false;
      const arg = JSON.parse(Buffer.from(a.input!.payloads![0].data!).toString('utf8')) as { kind: string; step: string };
      return arg.kind === 'CHASE' && arg.step.startsWith(`${name}:chase-`);
    });
    expect(chaseActivities).toHaveLength(rp.maxChases);
    const mails = (await mailTo(`${idle}-director@zibo.example.cn`)).filter((mm) => mm.subject.includes(`推广经验${rolloutId}`) && mm.subject.includes('【催办单】'));
    expect(mails).toHaveLength(rp.maxChases);
    await terminateQuietly(env, handle.workflowId);
  });

  it("第二十一条: a district's own policy times its plan and its chases, nobody else's", async () => {
    const [own, other] = DISTRICTS.slice(5, 7);
    // The district's own implementing rules: two months for its plan, chased once only.
    const ownPolicy = { ...policy, scope: own, version: `${own}-own`, innovation: { ...policy.innovation, rollout: { ...rp, districtPlanWithin: { months: 2 }, maxChases: 1 } } };
    const { handle, rolloutId, startedAt } = await startRollout([own, other], false, { [own]: ownPolicy });
    const dueOf = async (name: string) => (await handle.query(m.rolloutQuery)).duties.find((d) => d.name === name)!;
    const ownDue = dueAfter(startedAt, { months: 2 });
    const otherDue = dueAfter(startedAt, rp.districtPlanWithin);
    expect(await dueOf(`district-plan:${own}`)).toMatchObject({ dueAt: ownDue.toISOString(), offset: '2个月' });
    expect(await dueOf(`district-plan:${other}`)).toMatchObject({ dueAt: otherDue.toISOString(), offset: '1个月' });
    expect((await dueOf('lead-plan')).dueAt).toBe(dueAfter(startedAt, rp.leadPlanWithin).toISOString());
    // The 实施意见 names the district's own term.
    const start = await found(async () => (await notices(rolloutId, 'START'))[0], 'start notice');
    const ownName = (await deps.db.unit.findUniqueOrThrow({ where: { id: own } })).name;
    expect(start.body).toContain(`按照区县实施细则（第二十一条）：${ownName}在2个月内报送实施意见和实施方案`);

    const chasesOf = async (d: string) => (await notices(rolloutId, 'CHASE')).filter((x) => x.key.includes(`:district-plan:${d}:chase-`));
    // Past the city's deadline: the other district is chased, the district with its own rules is not.
    await sleepUntil(env, new Date(otherDue.getTime() + HOUR));
    await found(async () => (await chasesOf(other)).length === 1, 'the other district chased');
    expect(await chasesOf(own)).toHaveLength(0);
    // Past its own deadline and two chase intervals more: chased exactly once, as its policy says.
    await sleepUntil(env, plus(plus(ownDue, rp.chaseEvery), rp.chaseEvery, HOUR));
    const ownChases = await found(async () => {
      const n = await chasesOf(own);
      return n.length ? n : undefined;
    }, 'own district chased');
    await handle.query(m.rolloutQuery);
    expect((await chasesOf(own)).map((c) => [c.key.split(':').at(-1), c.dueAt?.toISOString()])).toEqual([['chase-1', ownDue.toISOString()]]);
    expect(ownChases).toHaveLength(1);
    // …while the other district, under the city's policy, went on being chased.
    expect((await chasesOf(other)).length).toBeGreaterThan(1);
    await terminateQuietly(env, handle.workflowId);
  });

  it('continue-as-new: a rollout resumed from its carried state keeps its clocks and does not repeat notices', async () => {
    const { handle, rolloutId, startedAt } = await startRollout(DISTRICTS.slice(6, 7), false);
    const workflowId = rolloutWorkflowId(rolloutId);
    const due = dueAfter(startedAt, rp.leadPlanWithin);
    await sleepUntil(env, new Date(due.getTime() + HOUR));
    await found(() => deps.db.notice.findUnique({ where: { key: `${workflowId}:lead-plan:chase-1` } }), 'first chase');
    const before = await handle.query(m.rolloutQuery);
    await terminateQuietly(env, workflowId);
    // Every timed duty sends exactly one notice whose step is the alarm key: the fired set is the notice steps.
    const fired = (await deps.db.notice.findMany({ where: { workflowId } })).map((n) => n.key.slice(workflowId.length + 1)).filter((k) => k !== 'start');
    const carried: m.RolloutCarried = { state: before.state, startedAt: before.startedAt, duties: before.duties, fired, bulletins: before.bulletins, problemSeq: 0, revision: before.revision };
    const input: m.RolloutInput = { ...rolloutInput(rolloutId, DISTRICTS.slice(6, 7), false), carried };
    const resumed = await env.client.workflow.start(rolloutWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
    await sleepUntil(env, plus(due, rp.chaseEvery, HOUR));
    await found(() => deps.db.notice.findUnique({ where: { key: `${workflowId}:lead-plan:chase-2` } }), 'second chase');
    const v = await resumed.query(m.rolloutQuery);
    expect(v.startedAt).toBe(startedAt);
    expect(v.duties.find((d) => d.name === 'lead-plan')!.chases).toBe(2);
    expect(await deps.db.notice.count({ where: { workflowId, kind: 'START' } })).toBe(1);
    expect(await deps.db.notice.count({ where: { workflowId, key: { contains: ':lead-plan:chase-' } } })).toBe(2);
    await terminateQuietly(env, workflowId);
  });

  it('township rule: fewer than the policy minimum is refused; townships are then shown done', async () => {
    const [d] = DISTRICTS.slice(5, 6);
    const { handle, rolloutId } = await startRollout([d]);
    const err = await handle
      .executeUpdate(m.reportTownshipsUpdate, { args: [{ actor: districtActor(d), districtId: d, townshipIds: [`${d}-t1`] }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as Error).message).toContain(`至少在${rp.minTownships}个镇办`);
    const v = await handle.executeUpdate(m.reportTownshipsUpdate, { args: [{ actor: districtActor(d), districtId: d, townshipIds: [`${d}-t1`, `${d}-t2`] }] });
    expect(v.duties.find((x) => x.name === `township:${d}`)?.doneAt).toBeTruthy();
    const events = await deps.db.workflowEvent.findMany({ where: { subjectId: rolloutId, step: 'reportTownships' } });
    expect(events).toHaveLength(1);
    // Where township rollout does not apply, there is nothing to report.
    const other = await startRollout([d], false);
    await expect(other.handle.executeUpdate(m.reportTownshipsUpdate, { args: [{ actor: districtActor(d), districtId: d, townshipIds: [`${d}-t1`, `${d}-t2`] }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    await terminateQuietly(env, handle.workflowId);
    await terminateQuietly(env, other.handle.workflowId);
  });

  it("a rectification plan comes from the duty's unit (or the reform office), whatever the API let through", async () => {
    const ds = DISTRICTS.slice(6, 8);
    const { handle } = await startRollout(ds, false);
    const v = await handle.executeUpdate(m.recordProblemsUpdate, { args: [{ actor: director, problems: [{ unitId: ds[0], description: '推广进度滞后' }, { unitId: ds[1], description: '宣传不足' }] }] });
    const [first, second] = v.duties.filter((d) => d.kind === 'RECTIFICATION');
    const err = await handle.executeUpdate(m.submitRectificationUpdate, { args: [{ actor: districtActor(ds[1]), dutyName: first.name, plan: '代为整改' }] }).catch((e: unknown) => e);
    console.log(`[rectification] workflow validator, another unit's plan: ${err instanceof WorkflowUpdateFailedError ? `refused (${(err.cause as Error).message})` : 'accepted'}`);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as Error).message).toBe('只能报送本单位的整改方案');
    const own = await handle.executeUpdate(m.submitRectificationUpdate, { args: [{ actor: districtActor(ds[0]), dutyName: first.name, plan: '限期整改' }] });
    expect(own.duties.find((d) => d.name === first.name)?.doneAt).toBeTruthy();
    // The reform office's administrators may file for a unit (the API checks the role).
    const office = await handle.executeUpdate(m.submitRectificationUpdate, { args: [{ actor: director, dutyName: second.name, plan: '代为报送' }] });
    expect(office.duties.find((d) => d.name === second.name)?.doneAt).toBeTruthy();
    await terminateQuietly(env, handle.workflowId);
  });
});

