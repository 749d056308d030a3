/**
 * The API of seeking pilots against the real Temporal dev server, PostgreSQL
 * and SMTP sink (第十一条(一)–(四)): who may start a quarter and take each
 * step, bad input (400 with details, nothing changed), a repeated request
 * (changes nothing), the workflow's refusals (409), and a quarter's steps —
 * the leads, a monthly report, the ledger — then a past quarter caught up to
 * its bulletin. The quarters are the clock's current and previous ones; no
 * assertion depends on where in its quarter the test runs.
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { pilotSeekingWorkflowId } from '../../common/ids';
import { PILOT_SEEKING_SCHEDULE_ID } from '../../worker/schedules';
import { createScheduleUnderTest, deleteScheduleUnderTest } from '../support/schedules';
import { parseQuarter, previousQuarter, quarterOf } from '../../workflows/pilotSeeking/state';
import { tokenFor, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { eventually } from '../support/eventually';
import { waitForMail } from '../support/mailbox';
import { expectRecordsMatch } from '../support/records';

jest.setTimeout(240_000);

describe('seeking pilots API (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const id of ['ro-director', 'dept-health-liaison', 'district-zhangdian-deputy', 'district-boshan-director']) tokens[id] = await tokenFor(deps.db, id);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await deleteScheduleUnderTest(client, PILOT_SEEKING_SCHEDULE_ID);
    await harness?.close();
  });

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });
  const post = (path: string, who: string, body: object, key?: string) => request(app).post(`/api${path}`).set({ ...as(who), ...(key ? { 'Idempotency-Key': key } : {}) }).send(body);
  const get = (path: string, who = 'ro-director') => request(app).get(`/api${path}`).set(as(who));
  const paths = (res: { body: { error: { details: Array<{ path: Array<string | number> }> } } }) => res.body.error.details.map((d) => d.path.join('.')).sort();
  const contact = { contacts: '省发展改革委体改处', learned: '拟开展要素市场化配置综合改革试点', requests: '申请纳入试点范围' };
  const lead = { title: '紧密型城市医疗集团建设试点', level: 'CENTRAL', source: '国家卫生健康委', leadUnitId: 'dept-health', participantUnitIds: ['district-zhangdian'] };
  const current = quarterOf(Date.now());

  it('the schedule fires at 00:00 on the first day of each quarter (Asia/Shanghai); trigger() starts the quarter once', async () => {
    // What the worker creates as it starts (ensureSchedules), under an id of its own (tests/support/schedules.ts).
    const handle = await createScheduleUnderTest(client, PILOT_SEEKING_SCHEDULE_ID);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.info.nextActionTimes.length).toBeGreaterThan(0);
    for (const t of d.info.nextActionTimes) {
      const local = new Date(t.getTime() + 8 * 3600_000);
      expect([local.getUTCMonth() % 3, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([0, 1, 0, 0]);
    }
    const before = quarterOf(Date.now());
    await handle.trigger();
    const row = await eventually(() => deps.db.pilotSeekingQuarter.findFirst({ where: { id: { in: [before, quarterOf(Date.now())] } } }), (r) => !!r, 60_000);
    expect(row?.phase).toBe('COLLECTING');
    // A second trigger leaves the running quarter alone.
    await handle.trigger();
    await new Promise((r) => setTimeout(r, 1500));
    let runs = 0;
    for await (const w of client.workflow.list({ query: `WorkflowId = '${pilotSeekingWorkflowId(row!.id)}'` })) runs += w.workflowId ? 1 : 0;
    expect(runs).toBe(1);
  });

  it('第十一条(一)–(三): the current quarter — who may, bad input, repeats, the leads, a report, the ledger', async () => {
    // Starting: administrators only; the previous, current or next quarter only.
    expect((await post('/pilot-seeking', 'dept-health-liaison', { quarter: current })).status).toBe(403);
    const bad = await post('/pilot-seeking', 'ro-director', { quarter: '2027-Q5' });
    expect([bad.status, paths(bad)]).toEqual([400, ['quarter']]);
    const far = await post('/pilot-seeking', 'ro-director', { quarter: '2000-Q1' });
    expect([far.status, paths(far)]).toEqual([400, ['quarter']]);
    expect(await deps.db.pilotSeekingQuarter.count({ where: { id: { in: ['2027-Q5', '2000-Q1'] } } })).toBe(0);
    // The schedule (above) started it; by hand it is found running (started here only if the quarter turned in between).
    const started = await post('/pilot-seeking', 'ro-director', { quarter: current });
    expect([started.status, started.body.started, started.body.pilotSeeking.phase]).toEqual(started.status === 201 ? [201, true, 'COLLECTING'] : [200, false, 'COLLECTING']);
    const again = await post('/pilot-seeking', 'ro-director', {});
    expect([again.status, again.body.started, again.body.quarter]).toEqual([200, false, current]);
    expect((await get('/pilot-seeking/2027-Q5')).status).toBe(400);
    // A quarter never started (not the next one: the browser walk starts it on the same server).
    expect((await get('/pilot-seeking/2001-Q2')).status).toBe(404);
    expect((await get('/pilot-seeking')).body.items.map((q: { id: string }) => q.id)).toContain(current);

    // 第十一条(二): the office issues the leads; nobody else; bad leads are refused whole.
    const q = `/pilot-seeking/${current}`;
    expect((await post(`${q}/leads`, 'district-zhangdian-deputy', { leads: [lead] })).status).toBe(403);
    const badLeads = await post(`${q}/leads`, 'ro-director', { leads: [{ ...lead, level: 'CITY', source: undefined }] });
    expect([badLeads.status, paths(badLeads)]).toEqual([400, ['leads.0.level', 'leads.0.source']]);
    const stray = await post(`${q}/leads`, 'ro-director', { leads: [{ ...lead, leadUnitId: 'reform-office' }] });
    expect([stray.status, stray.body.error.message]).toEqual([409, '“reform-office”不是区县或市直有关部门，不能牵头']);
    expect((await get(q)).body.leadsIssuedAt).toBeNull();
    const issued = await post(`${q}/leads`, 'ro-director', { leads: [lead] }, `leads-${current}`);
    expect([issued.status, issued.body.leads.length]).toEqual([200, 1]);
    const repeat = await post(`${q}/leads`, 'ro-director', { leads: [lead] }, `leads-${current}`);
    expect([repeat.status, repeat.body.leads.length]).toEqual([200, 1]);
    expect((await post(`${q}/leads`, 'ro-director', { leads: [lead] })).status).toBe(409);
    const leadRow = issued.body.rows.find((r: { leadId: string | null }) => r.leadId === 'L-1');
    expect(leadRow).toMatchObject({ unitId: 'dept-health', status: 'OPEN', participantUnitIds: ['district-zhangdian'] });
    // This quarter's leads (the browser walk issues the next quarter's to the same department).
    const mail = await waitForMail((x) => x.subject.includes('【试点线索交办】') && x.to.includes('dept-health-liaison@zibo.example.cn') && x.text.includes(`/pilot-seeking/${current}`));
    expect(mail.text).toContain('紧密型城市医疗集团建设试点');
    expect(mail.text).toContain('依据：第十一条（二）');

    // 第十一条(一): a district's report of the month; a repeat with its key changes nothing; a second is refused.
    const badReport = await post(`${q}/reports`, 'district-zhangdian-deputy', { month: 4, contacts: '' });
    expect([badReport.status, paths(badReport)]).toEqual([400, ['contacts', 'learned', 'month', 'requests']]);
    expect((await post(`${q}/reports`, 'ro-director', { month: 1, ...contact })).status).toBe(409);
    const filed = await post(`${q}/reports`, 'district-zhangdian-deputy', { month: 1, ...contact }, `report-${current}-1`);
    expect(filed.status).toBe(201);
    expect((await post(`${q}/reports`, 'district-zhangdian-deputy', { month: 1, ...contact }, `report-${current}-1`)).status).toBe(201);
    expect((await get(q)).body.reports.filter((r: { unitId: string }) => r.unitId === 'district-zhangdian')).toHaveLength(1);
    const twice = await post(`${q}/reports`, 'district-zhangdian-deputy', { month: 1, ...contact });
    expect([twice.status, twice.body.error.message]).toEqual([409, '本单位已报送第1个月对接争取情况']);

    // 第十一条(三): the ledger — a unit's own row (its leader one of its own officials), updates by its unit only.
    const row = { title: '数据要素市场化配置改革试点', level: 'PROVINCIAL', source: '省发展改革委', participantUnitIds: [], leaderId: 'dept-health-leader', progress: '已提交申报材料' };
    const notMine = await post(`${q}/rows`, 'district-zhangdian-deputy', row);
    expect([notMine.status, paths(notMine)]).toEqual([400, ['leaderId']]);
    const added = await post(`${q}/rows`, 'district-zhangdian-deputy', { ...row, leaderId: 'district-zhangdian-head' });
    expect(added.status).toBe(201);
    const own = added.body.rows.find((r: { title: string }) => r.title === row.title);
    expect(own).toMatchObject({ unitId: 'district-zhangdian', leaderId: 'district-zhangdian-head', status: 'OPEN', statusLabel: '争取中', openedIn: current });
    expect((await post(`${q}/rows/${own.id}`, 'dept-health-liaison', { progress: '改' })).status).toBe(403);
    expect((await post(`${q}/rows/${own.id}`, 'district-zhangdian-deputy', { progress: '不报', outcome: 'DROPPED' })).status).toBe(400);
    expect((await post(`${q}/rows/${current}-R99`, 'district-zhangdian-deputy', { progress: '改' })).status).toBe(404);
    const updated = await post(`${q}/rows/${own.id}`, 'district-zhangdian-deputy', { progress: '省发展改革委已受理' });
    expect(updated.body.rows.find((r: { id: string }) => r.id === own.id).progress).toBe('省发展改革委已受理');
    const noLeader = await post(`${q}/rows/${leadRow.id}`, 'dept-health-liaison', { progress: '已获批', outcome: 'WON' });
    expect([noLeader.status, noLeader.body.error.message]).toEqual([409, '争取成功的试点须明确责任领导']);
    const wonRow = await post(`${q}/rows/${leadRow.id}`, 'dept-health-liaison', { progress: '已获批', outcome: 'WON', leaderId: 'dept-health-leader', note: '待市委改革办登记' });
    expect(wonRow.body.rows.find((r: { id: string }) => r.id === leadRow.id)).toMatchObject({ status: 'WON', closedIn: current });
    expect((await post(`${q}/rows/${leadRow.id}`, 'dept-health-liaison', { progress: '再改' })).status).toBe(409);

    // The standing ledger, by unit and status.
    const ledger = await get('/pilot-seeking/ledger?unitId=district-zhangdian&status=OPEN', 'district-boshan-director');
    expect(ledger.body.items.map((r: { id: string }) => r.id)).toContain(own.id);
    expect((await get('/pilot-seeking/ledger?status=NOPE')).status).toBe(400);
    expect((await get('/pilot-seeking/ledger?limit=0')).status).toBe(400);
    // A page at a time: the pages follow one another without repeats or gaps (other files may add rows meanwhile).
    const ledgerOf = (query: string) => get(`/pilot-seeking/ledger?${query}`);
    const whole: string[] = (await ledgerOf('limit=500')).body.items.map((r: { id: string }) => r.id);
    expect(whole.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await ledgerOf(`limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.body.items).toHaveLength(1);
      paged.push(page.body.items[0].id);
      cursor = page.body.nextCursor;
    } while (cursor && paged.length < whole.length + 100);
    expect(cursor).toBeNull();
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged).toEqual(expect.arrayContaining(whole));

    // 第十一条(四): no bulletin before the quarter ends; and never by a unit.
    expect((await post(`${q}/bulletin`, 'district-zhangdian-deputy', {})).status).toBe(403);
    expect((await post(`${q}/bulletin`, 'ro-director', {})).status).toBe(409);
  });

  it('第十一条(四): a past quarter caught up — its months and end pass at once, a late report, the bulletin to every unit, then closed', async () => {
    const past = previousQuarter(current);
    const started = await post('/pilot-seeking', 'ro-director', { quarter: past });
    expect(started.status).toBe(201);
    const q = `/pilot-seeking/${past}`;
    const detail = await eventually(async () => (await get(q)).body, (b) => b.phase === 'BULLETIN', 120_000);
    expect(detail.phase).toBe('BULLETIN');
    expect((await post(`${q}/rows`, 'district-zhangdian-deputy', { title: 'x', level: 'CENTRAL', source: 'y', participantUnitIds: [], leaderId: 'district-zhangdian-head', progress: 'z' })).status).toBe(409);
    const late = await post(`${q}/reports`, 'district-zhangdian-deputy', { month: 3, ...contact });
    expect(late.body.reports.find((r: { unitId: string }) => r.unitId === 'district-zhangdian')).toMatchObject({ month: 3, late: true });

    const bulletin = await post(`${q}/bulletin`, 'ro-director', { note: '请各单位按月报送对接争取情况。' });
    expect([bulletin.status, bulletin.body.phase, bulletin.body.obligations]).toEqual([200, 'CLOSED', []]);
    const { year, q: n } = parseQuarter(past)!;
    const mail = await waitForMail((x) => x.subject === `【简报】${year}年第${n}季度争取试点工作情况通报` && x.to.includes('district-boshan-deputy@zibo.example.cn'));
    expect(mail.text).toContain('张店区：报送对接情况1次（');
    expect(mail.text).toContain('市委改革办意见：请各单位按月报送对接争取情况。');
    expect(mail.text).toContain('依据：第十一条（四）');
    expect((await post(`${q}/bulletin`, 'ro-director', {})).status).toBe(409);
    const restart = await post('/pilot-seeking', 'ro-director', { quarter: past });
    expect(restart.status).toBe(409);
  });
});
