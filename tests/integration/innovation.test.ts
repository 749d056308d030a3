/**
 * Innovation experiences (第十四条) through the HTTP API on the real Temporal
 * dev server, PostgreSQL and SMTP sink, as a new user would drive them: a
 * half-year selection (candidates, mutual vote, public vote without a token,
 * opinions, the director's submission, the main city leaders' agreement) ends
 * with 10 running rollouts; one rollout is walked to acceptance (with the
 * districts' own meetings and the per-unit verdicts); the half-yearly schedule.
 * Refusals: 400 (body), 403 (wrong unit), 409 (impossible step).
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { mailSmsChannel } from '../../activities/sms';
import { createApp } from '../../api/app';
import { defaultPolicy } from '../../common/policy';
import { TASK_QUEUE } from '../../common/taskQueues';
import { rolloutWorkflowId, selectionWorkflowId } from '../../workflows/innovation/ids';
import { rolloutWorkflow } from '../../workflows/innovation/rollout';
import { SELECTION_SCHEDULE_ID } from '../../worker/schedules';
import { createScheduleUnderTest } from '../support/schedules';
import { rolloutInput, settle } from '../support/scenarios';
import { mailTo } from '../support/mailbox';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { tokenFor, type TestDeps } from '../support/deps';
import { nextSmsCode, smsCodes } from '../support/loginMail';

// At worker cache 0 (the forced-replay stage, beside the 200-run records test) every step replays the whole
// selection: a half year driven through the API then takes minutes.
jest.setTimeout(600_000);

const sp = defaultPolicy.innovation.selection;
const VOTE_SECRET = 'test-vote-secret-0123456789abcdef0123';
const DISTRICTS = ['district-zhangdian', 'district-zichuan', 'district-boshan', 'district-linzi', 'district-zhoucun', 'district-huantai', 'district-gaoqing', 'district-yiyuan', 'district-hightech', 'district-econdev', 'district-wenchanghu'];
const LEADS = ['dept-health', 'dept-education'];


describe('innovation API (dev server)', () => {
  let deps: TestDeps;
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const half = '2026-H2';
  const base = `/api/innovation/selections/${half}`;
  let rolloutIds: string[] = [];
  /** A citizen asks for the code and reads it from the development SMS channel (the mail sink). */
  const voteCode = async (phone: string) => {
    const before = await smsCodes(phone);
    expect((await request(app).post(`/api/public/innovation/selections/${half}/codes`).send({ phone })).status).toBe(202);
    return nextSmsCode(phone, before);
  };

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    // Eleven districts' steps against one rollout arrive here within seconds, not over the weeks they take in
    // life: the per-workflow flood limit (api/rateLimits.ts) is raised for this walk-through.
    app = createApp({ db: deps.db, client, rateLimits: { perWorkflow: 1000 }, sms: mailSmsChannel(deps.mailer), voteSecret: VOTE_SECRET });
    const people = [
      'ro-director',
      'city-secretary',
      'ro-deputy',
      'city-deputy-secretary',
      'sg-economy-liaison',
      'dept-finance-liaison',
      ...LEADS.map((d) => `${d}-liaison`),
      ...DISTRICTS.flatMap((d) => [`${d}-deputy`, `${d}-director`]),
    ];
    for (const who of people) tokens[who] = await tokenFor(deps.db, who);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    // The rollouts run for months: end them so the dev server is left quiet.
    for (const id of rolloutIds) await client.workflow.getHandle(rolloutWorkflowId(id)).terminate('test done').catch(() => undefined);
    await harness?.close();
  });

  it('a half-year selection driven through the API ends with 10 running rollouts once the main city leaders agree', async () => {
    // Only administrators start a selection; the half year is validated.
    expect((await request(app).post('/api/innovation/selections').set(auth('dept-finance-liaison')).send({ half })).status).toBe(403);
    expect((await request(app).post('/api/innovation/selections').set(auth('ro-director')).send({ half: '2026-H3' })).status).toBe(400);
    const started = await request(app).post('/api/innovation/selections').set(auth('ro-director')).send({ half });
    expect(started.status).toBe(201);
    expect(started.body.workflowId).toBe(selectionWorkflowId(half));
    await eventually(() => deps.db.innovationSelection.findUnique({ where: { id: half } }), (s) => s?.phase === 'CALL');
    // Starting again finds the running selection.
    expect((await request(app).post('/api/innovation/selections').set(auth('ro-director')).send({ half })).status).toBe(200);

    // Candidates: every district and one special group (12 ≥ 10).
    const submit = (who: string, i: number) =>
      request(app)
        .post(`${base}/candidates`)
        .set(auth(who))
        .send({ title: `创新经验${i}`, summary: '经验做法、成效和可推广性的简要说明', material: [{ name: '经验材料', url: 'https://example.cn/m.pdf' }], leadUnitId: LEADS[i % 2], leaderInChargeId: 'city-deputy-secretary' });
    expect((await submit('dept-finance-liaison', 0)).status).toBe(403); // departments do not submit
    expect((await request(app).post(`${base}/candidates`).set(auth('district-zhangdian-deputy')).send({ title: '' })).status).toBe(400);
    const bad = await request(app).post(`${base}/candidates`).set(auth('district-zhangdian-deputy')).send({ title: '经验', summary: '经验做法和成效的简介', material: [{ name: 'm' }], leadUnitId: 'district-linzi' });
    expect(bad.status).toBe(400);
    const candidates: Record<string, string> = {};
    for (const [i, who] of [...DISTRICTS.map((d) => `${d}-deputy`), 'sg-economy-liaison'].entries()) {
      const res = await submit(who, i);
      expect(res.status).toBe(201);
      candidates[res.body.candidate.unitId] = res.body.candidate.id;
    }
    expect(Object.keys(candidates)).toHaveLength(12);

    // Voting before the round opens → 409; the administrator closes the call early.
    expect((await request(app).post(`${base}/votes`).set(auth('district-linzi-director')).send({ candidateIds: [candidates['district-zhangdian']] })).status).toBe(409);
    expect((await request(app).post(`${base}/close-round`).set(auth('ro-director')).send({ phase: 'MUTUAL_VOTE' })).status).toBe(409);
    const closed = await request(app).post(`${base}/close-round`).set(auth('ro-director')).send({ phase: 'CALL', note: '征集完毕' });
    expect(closed.status).toBe(200);
    expect(closed.body.phase).toBe('MUTUAL_VOTE');

    // Mutual vote: a unit voting for its own → 403; once per unit per round → 409; departments → 403.
    expect((await request(app).post(`${base}/votes`).set(auth('district-linzi-director')).send({ candidateIds: [candidates['district-linzi']] })).status).toBe(403);
    expect((await request(app).post(`${base}/votes`).set(auth('dept-finance-liaison')).send({ candidateIds: [candidates['district-linzi']] })).status).toBe(403);
    const others = (u: string) => Object.entries(candidates).filter(([unit]) => unit !== u).map(([, id]) => id);
    for (const d of DISTRICTS) {
      const res = await request(app).post(`${base}/votes`).set(auth(`${d}-director`)).send({ candidateIds: others(d).slice(0, 5) });
      expect(res.status).toBe(201);
    }
    expect((await request(app).post(`${base}/votes`).set(auth('district-linzi-deputy')).send({ candidateIds: [candidates['district-zhangdian']] })).status).toBe(409);
    const ballots = await deps.db.innovationBallot.count({ where: { selectionId: half, round: 'MUTUAL' } });
    expect(ballots).toBe(DISTRICTS.length);
    // The unit's voting obligation is met.
    expect(await deps.db.obligation.findUnique({ where: { key: `${selectionWorkflowId(half)}:vote-MUTUAL:district-linzi` } })).toMatchObject({ status: 'DONE' });

    const second = await request(app).post(`${base}/close-round`).set(auth('ro-director')).send({ phase: 'MUTUAL_VOTE' });
    expect(second.status).toBe(200);
    expect(second.body.phase).toBe('SECOND_VOTE');
    expect(second.body.rounds.MUTUAL.ballots.MUTUAL).toBe(DISTRICTS.length);
    const shortlisted = (second.body.candidates as Array<{ id: string; shortlistRank: number | null; mutualVotes: number }>).filter((c) => c.shortlistRank !== null);
    expect(shortlisted).toHaveLength(Math.min(12, sp.shortlistSize));

    // Second round: districts and departments; special groups may not.
    expect((await request(app).post(`${base}/votes`).set(auth('sg-economy-liaison')).send({ candidateIds: [candidates['district-linzi']] })).status).toBe(403);
    expect((await request(app).post(`${base}/votes`).set(auth('dept-finance-liaison')).send({ candidateIds: others('dept-finance').slice(0, 3) })).status).toBe(201);

    // The public vote needs no token, only the code sent to the phone; one vote per phone per round; ordered by
    // the public vote (forged voters, keys and address budgets: tests/integration/publicVote.test.ts).
    const pub = `/api/public/innovation/selections/${half}`;
    const view = await request(app).get(pub);
    expect(view.status).toBe(200);
    expect(view.body.open).toBe(true);
    expect(view.body.candidates).toHaveLength(12);
    const order = [candidates['sg-economy'], candidates['district-wenchanghu'], candidates['district-econdev']];
    let phone = 13900000000;
    for (const [i, id] of order.entries()) {
      for (let k = 0; k < 3 - i + 1; k++) {
        phone += 1;
        const res = await request(app).post(`${pub}/votes`).send({ phone: String(phone), code: await voteCode(String(phone)), candidateIds: [id] });
        expect(res.status).toBe(201);
      }
    }
    const again = await request(app).post(`${pub}/votes`).send({ phone: String(phone), code: await voteCode(String(phone)), candidateIds: [order[0]] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('只能投一次');
    expect((await request(app).post(`${pub}/votes`).send({ phone: '12', code: '123456', candidateIds: [order[0]] })).status).toBe(400);
    const stored = await deps.db.innovationBallot.findMany({ where: { selectionId: half, round: 'PUBLIC' } });
    expect(stored.every((b) => !b.voterKey.includes('139'))).toBe(true); // only the HMAC is stored

    const opinions = await request(app).post(`${base}/close-round`).set(auth('ro-director')).send({ phase: 'SECOND_VOTE' });
    expect(opinions.body.phase).toBe('OPINIONS');
    const finalists = (opinions.body.candidates as Array<{ id: string; finalRank: number | null; leadUnitId: string; publicVotes: number }>)
      .filter((c) => c.finalRank !== null)
      .sort((a, b) => a.finalRank! - b.finalRank!);
    expect(finalists).toHaveLength(sp.selectedCount);
    expect(finalists.slice(0, 3).map((c) => c.id)).toEqual(order);
    expect(opinions.body.rounds.SECOND.ballots).toMatchObject({ SECOND: 1, PUBLIC: 9 });

    // Opinions: an unrelated department → 403; approving before the opinions are in → 409.
    expect((await request(app).post(`${base}/opinions`).set(auth('dept-finance-liaison')).send({ candidateId: finalists[0].id, agree: true })).status).toBe(403);
    const early = { opinionDocNumber: '淄改办发〔2026〕20号', opinionTitle: '关于推广2026年下半年创新改革经验的实施意见' };
    expect((await request(app).post(`${base}/approve`).set(auth('ro-director')).send(early)).status).toBe(409);
    for (const c of finalists) {
      expect((await request(app).post(`${base}/opinions`).set(auth(`${c.leadUnitId}-liaison`)).send({ candidateId: c.id, agree: true, comment: '同意牵头推广' })).status).toBe(200);
      expect((await request(app).post(`${base}/opinions`).set(auth('city-deputy-secretary')).send({ candidateId: c.id, agree: true })).status).toBe(200);
    }
    await eventually(() => deps.db.innovationSelection.findUniqueOrThrow({ where: { id: half } }), (s) => s.phase === 'APPROVAL');

    // Only the director reviews and submits the list (第十四条); an administrator who is not the director → 403.
    expect((await request(app).post(`${base}/approve`).set(auth('ro-deputy')).send(early)).status).toBe(403);
    const submitted = await request(app).post(`${base}/approve`).set(auth('ro-director')).send(early);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ phase: 'LEADERS', submittedBy: 'ro-director', rollouts: [] });
    // The main city leaders agree: not the director (403), not a malformed answer (400); not before submission (409, checked in the workflow test).
    expect((await request(app).post(`${base}/agreement`).set(auth('ro-director')).send({ agree: true })).status).toBe(403);
    expect((await request(app).post(`${base}/agreement`).set(auth('city-secretary')).send({ agree: 'yes' })).status).toBe(400);
    const approved = await request(app).post(`${base}/agreement`).set(auth('city-secretary')).send({ agree: true, comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body.phase).toBe('APPROVED');
    expect(approved.body.agreements).toEqual([expect.objectContaining({ by: 'city-secretary', agree: true })]);
    rolloutIds = (approved.body.rollouts as Array<{ id: string }>).map((r) => r.id);
    const rows = await eventually(() => deps.db.innovationRollout.findMany({ where: { selectionId: half } }), (r) => r.length === sp.selectedCount);
    expect(rows).toHaveLength(sp.selectedCount);
    rolloutIds = rows.map((r) => r.id).sort();
    for (const id of rolloutIds) {
      const d = await client.workflow.getHandle(rolloutWorkflowId(id)).describe();
      expect(d.status.name).toBe('RUNNING');
    }
    // The result went out by e-mail.
    const published = (ms: Array<{ subject: string }>) => ms.some((x) => x.subject === '【公布】2026年下半年创新改革经验推广名单');
    expect(published(await eventually(() => mailTo('district-zhangdian-director@zibo.example.cn'), published))).toBe(true);
    // Starting the finished half year again answers that selection as its workflow ended it.
    await eventually(() => client.workflow.getHandle(selectionWorkflowId(half)).describe(), (d) => d.status.name === 'COMPLETED');
    const finished = await request(app).post('/api/innovation/selections').set(auth('ro-director')).send({ half });
    expect(finished.status).toBe(200);
    expect(finished.body.selection).toMatchObject({ selectionId: half, phase: 'APPROVED' });
  });

  it('one rollout walked to acceptance through the API, with its per-district board', async () => {
    const id = rolloutIds[0];
    expect(id).toBeTruthy();
    const row = await deps.db.innovationRollout.findUniqueOrThrow({ where: { id } });
    const leadWho = `${row.leadUnitId}-liaison`;
    const otherLead = `${LEADS.find((l) => l !== row.leadUnitId)}-liaison`;
    const step = (who: string, path: string, body: object, key?: string) => {
      const r = request(app).post(`/api/innovation/rollouts/${id}/${path}`).set(auth(who));
      return (key ? r.set('Idempotency-Key', key) : r).send(body);
    };

    expect((await step(otherLead, 'lead-plan', { title: '实施方案' })).status).toBe(403);
    expect((await step(leadWho, 'lead-plan/approval', { approved: true })).status).toBe(403); // the leader approves, not the department
    expect((await step('city-deputy-secretary', 'lead-plan/approval', { approved: true })).status).toBe(409); // nothing submitted yet
    expect((await step(leadWho, 'lead-plan', { docNumber: '淄卫发〔2026〕8号', title: '推广实施方案' }, `plan-${id}`)).status).toBe(200);
    // The same Idempotency-Key again is the same update: no second submission, no 409.
    expect((await step(leadWho, 'lead-plan', { docNumber: '淄卫发〔2026〕8号', title: '推广实施方案' }, `plan-${id}`)).status).toBe(200);
    expect((await step('city-deputy-secretary', 'lead-plan/approval', { approved: true })).status).toBe(200);
    // A meeting is entered once held: a date still to come → 409.
    expect((await step(leadWho, 'meeting', { heldAt: new Date(Date.now() + 86_400_000).toISOString() })).status).toBe(409);
    expect((await step(leadWho, 'meeting', { heldAt: new Date().toISOString(), place: '市民中心' })).status).toBe(200);
    // Each district's own meeting, on the city's timeline: only that district (or the office) enters it.
    expect((await step(`${DISTRICTS[0]}-deputy`, 'district-meeting', { districtId: DISTRICTS[1], heldAt: new Date().toISOString() })).status).toBe(403);
    for (const d of DISTRICTS) expect((await step(`${d}-deputy`, 'district-meeting', { heldAt: new Date().toISOString(), place: `${d}会议室` })).status).toBe(200);

    for (const d of DISTRICTS) {
      if (d === DISTRICTS[0]) {
        expect((await step(`${d}-deputy`, 'district-plan', { districtId: DISTRICTS[1], opinionTitle: '意见', planTitle: '方案' })).status).toBe(403);
      }
      expect((await step(`${d}-deputy`, 'district-plan', { opinionTitle: `${d}实施意见`, planTitle: `${d}实施方案` })).status).toBe(200);
      if (d === DISTRICTS[0]) expect((await step(`${d}-deputy`, 'district-plan/approval', { approved: true })).status).toBe(403); // the director approves
      expect((await step(`${d}-director`, 'district-plan/approval', { approved: true })).status).toBe(200);
      if (row.townshipApplies) {
        if (d === DISTRICTS[0]) {
          expect((await step(`${d}-deputy`, 'townships', { townshipIds: [`${d}-t1`] })).status).toBe(409); // 第十四条: at least 2
          expect((await step(`${d}-deputy`, 'townships', { townshipIds: [`${d}-t1`, `${DISTRICTS[1]}-t1`] })).status).toBe(400); // not its townships
        }
        expect((await step(`${d}-deputy`, 'townships', { townshipIds: [`${d}-t1`, `${d}-t2`] })).status).toBe(200);
      }
    }

    // Consolidation: a problem → a rectification plan from that district.
    const problems = await step('ro-director', 'problems', { problems: [{ unitId: DISTRICTS[2], description: '宣传发动不够充分' }] });
    expect(problems.status).toBe(200);
    const duty = (problems.body.board.districts as Array<{ unitId: string; items: Array<{ name: string; kind: string }> }>)
      .find((r) => r.unitId === DISTRICTS[2])!
      .items.find((i) => i.kind === 'RECTIFICATION')!;
    expect((await step(`${DISTRICTS[3]}-deputy`, 'rectification', { dutyName: duty.name, plan: '整改方案' })).status).toBe(403);
    expect((await step(`${DISTRICTS[2]}-deputy`, 'rectification', { dutyName: duty.name, plan: '加强宣传，限期整改' })).status).toBe(200);

    // Acceptance: the lead department and every district report; then the reform office's summary.
    expect((await step('ro-director', 'summary', { title: '验收总结' })).status).toBe(400); // no verdicts
    expect((await step('ro-director', 'summary', { title: '验收总结', verdicts: [] })).status).toBe(409); // reports missing, before their deadline
    expect((await step(leadWho, 'acceptance-report', { report: '牵头部门验收报告' })).status).toBe(200);
    for (const d of DISTRICTS) expect((await step(`${d}-deputy`, 'acceptance-report', { report: `${d}验收报告` })).status).toBe(200);
    const board = await request(app).get(`/api/innovation/rollouts/${id}/board`).set(auth('ro-director'));
    expect(board.status).toBe(200);
    expect(board.body.board.districts).toHaveLength(DISTRICTS.length);
    for (const r of board.body.board.districts) {
      expect(r.late).toBe(0);
      expect(r.open).toBe(0);
    }
    // The verdicts: one per reporting unit (the lead department and every district), one district failing.
    const verdicts = [row.leadUnitId, ...DISTRICTS].map((unitId) => ({ unitId, passed: unitId !== DISTRICTS[4], comment: unitId === DISTRICTS[4] ? '推广成效不明显' : undefined }));
    expect((await step('ro-director', 'summary', { title: '验收总结', verdicts: [...verdicts, { unitId: 'dept-finance', passed: true }] })).status).toBe(400); // not in the rollout
    expect((await step('ro-director', 'summary', { title: '验收总结', verdicts: verdicts.slice(1) })).status).toBe(409); // the lead department's verdict missing
    const summary = await step('ro-director', 'summary', { docNumber: '淄改办字〔2027〕2号', title: '创新改革经验推广验收总结', verdicts });
    expect(summary.status).toBe(200);
    expect(summary.body.state).toBe('ACCEPTED');
    const verdictOf = (unitId: string) =>
      (summary.body.board.districts as Array<{ unitId: string; items: Array<{ kind: string; verdict?: string }> }>).find((r) => r.unitId === unitId)!.items.find((i) => i.kind === 'ACCEPTANCE_REPORT')!.verdict;
    expect([verdictOf(DISTRICTS[0]), verdictOf(DISTRICTS[4])]).toEqual(['PASSED', 'FAILED']);
    // Sent to the director and circulated city-wide: a department outside the rollout receives it too.
    const circulated = (ms: Array<{ subject: string }>) => ms.some((x) => x.subject === `【验收通报】${row.title}`);
    expect(circulated(await eventually(() => mailTo('dept-finance-liaison@zibo.example.cn'), circulated))).toBe(true);
    expect(circulated(await mailTo('ro-director@zibo.example.cn'))).toBe(true);
    expect((await step(leadWho, 'meeting', { heldAt: new Date().toISOString() })).status).toBe(409);
    await eventually(() => client.workflow.getHandle(rolloutWorkflowId(id)).describe(), (d) => d.status.name === 'COMPLETED');

    // What happened is in the database: one event per step (the repeated idempotent submission is one), no open obligations, the start notice e-mailed.
    const events = await deps.db.workflowEvent.findMany({ where: { family: 'rollout', subjectId: id } });
    expect(events.filter((e) => e.step === 'submitLeadPlan')).toHaveLength(1);
    expect(events.filter((e) => e.step === 'approveDistrictPlan')).toHaveLength(DISTRICTS.length);
    expect(await deps.db.obligation.count({ where: { subjectId: id, status: 'OPEN' } })).toBe(0);
    const start = await deps.db.notice.findUniqueOrThrow({ where: { key: `${rolloutWorkflowId(id)}:start` }, include: { recipients: true } });
    expect(start.status).toBe('SENT');
    const mails = await mailTo(`${DISTRICTS[5]}-director@zibo.example.cn`);
    expect(mails.some((x) => x.subject === start.title)).toBe(true);
    const list = await request(app).get(`/api/innovation/rollouts?selectionId=${half}`).set(auth('ro-director'));
    expect(list.body.items.find((x: { id: string }) => x.id === id).state).toBe('ACCEPTED');
  });

  /** A rollout started as the approval starts one (not through a half year's selection). */
  async function startRollout(tag: string, selectionId: string) {
    const rolloutId = `${tag}${Date.now() % 1_000_000}`;
    const handle = await client.workflow.start(rolloutWorkflow, { taskQueue: TASK_QUEUE, workflowId: rolloutWorkflowId(rolloutId), args: [rolloutInput(rolloutId, DISTRICTS.slice(0, 3), false, selectionId)] });
    rolloutIds.push(rolloutId);
    await eventually(() => deps.db.innovationRollout.findUnique({ where: { id: rolloutId } }), (r) => !!r);
    await settle(handle);
    return rolloutId;
  }

  it('a rectification duty not yet on the recorded board is refused, not open to any official', async () => {
    const id = await startRollout('R', `rect-${Date.now()}`);
    const step = (who: string, path: string, body: object) => request(app).post(`/api/innovation/rollouts/${id}/${path}`).set(auth(who)).send(body);
    const problems = await step('ro-director', 'problems', { problems: [{ unitId: DISTRICTS[2], description: '宣传发动不够充分' }] });
    expect(problems.status).toBe(200);
    await settle(client.workflow.getHandle(rolloutWorkflowId(id)));
    const row = await deps.db.innovationRollout.findUniqueOrThrow({ where: { id } });
    const duties = (row.board as { duties: Array<{ name: string; kind: string }> }).duties;
    const duty = duties.find((d) => d.kind === 'RECTIFICATION')!;
    // The record lags the workflow (the duty exists in the workflow, not yet on the board the API reads):
    // simulated by taking the duty off the stored board.
    await deps.db.innovationRollout.update({ where: { id }, data: { board: { ...(row.board as object), duties: duties.filter((d) => d !== duty) } } });
    const early = await step(`${DISTRICTS[3]}-deputy`, 'rectification', { dutyName: duty.name, plan: '别的区县代为整改' });
    await deps.db.innovationRollout.update({ where: { id }, data: { board: row.board as object } });
    console.log(`[rectification] another district's plan for a duty not yet recorded: ${early.status}`);
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('NOT_FOUND');
    expect((await step(`${DISTRICTS[3]}-deputy`, 'rectification', { dutyName: duty.name, plan: '别的区县代为整改' })).status).toBe(403);
    expect((await step(`${DISTRICTS[2]}-deputy`, 'rectification', { dutyName: duty.name, plan: '加强宣传，限期整改' })).status).toBe(200);
  });

  it('the half-yearly schedule starts the selection at 00:00 on 1 January and 1 July, Asia/Shanghai (第十四条)', async () => {
    // What the worker creates as it starts (ensureSchedules), under an id of its own (tests/support/schedules.ts);
    // not triggered here: the half year it would start is today's (the starter itself: tests/workflows/innovation.test.ts).
    const handle = await createScheduleUnderTest(client, SELECTION_SCHEDULE_ID);
    try {
      const d = await handle.describe();
      expect(d.spec.timezone).toBe('Asia/Shanghai');
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'selectionScheduleWorkflow' });
      expect(d.info.nextActionTimes.length).toBeGreaterThan(1);
      for (const t of d.info.nextActionTimes) {
        const local = new Date(t.getTime() + 8 * 3600_000);
        expect([local.getUTCMonth() + 1 === 1 || local.getUTCMonth() + 1 === 7, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([true, 1, 0, 0]);
      }
    } finally {
      await handle.delete();
    }
  });

  it('lists rollouts a page at a time (limit and cursor)', async () => {
    const selectionId = `paged-${Date.now()}`;
    const ids = [await startRollout('P', selectionId), await startRollout('Q', selectionId), await startRollout('S', selectionId)].sort();
    const get = (q: string) => request(app).get(`/api/innovation/rollouts?selectionId=${selectionId}&${q}`).set(auth('ro-director'));
    const first = await get('limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((x: { id: string }) => x.id)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((x: { id: string }) => x.id)).toEqual(ids.slice(2));
    expect(second.body.nextCursor).toBeNull();
    console.log(`[pagination] rollouts: pages of ${first.body.items.length} and ${second.body.items.length}, then no cursor`);
    expect((await get('limit=201')).status).toBe(400);
  });
});

