/**
 * What an administrator reads after weeks of workflow time, on the
 * time-skipping server with the real policy (第五条: 提示单 at once, 交办单,
 * 催办单 at three weeks, 责令书 at one month), real activities, PostgreSQL and
 * the SMTP sink: one timeline from prompt to order with the right actors, and
 * the overdue board by the server's clock.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import type { TimelineEvent } from '../../api/admin/timeline';
import type { OverdueItem } from '../../api/admin/overdue';
import { buildTimeline } from '../../api/admin/timeline';
import { createApp } from '../../api/app';
import { seed } from '../../prisma/seed';
import * as m from '../../workflows/document/messages';
import { startTimeSkippingWorker, type TimeSkippingHarness } from '../support/timeSkipping';
import { sleepUntil } from '../support/testClock';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { chainWorkflow, pokeUpdate } from '../support/fixtures/chainWorkflow';

const DAY = 24 * 3600 * 1000;

describe('admin views after time skips (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;
  let app: Express;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
    await seed(deps.db);
    // "Overdue" is judged by the test server's clock, which the test moves.
    app = createApp({ db: deps.db, client: env.client, now: async () => new Date(await env.currentTimeMs()) });
    for (const who of ['ro-director', 'dept-health-liaison', 'dept-health-head', 'district-zhangdian-director']) tokens[who] = await tokenFor(deps.db, who);
  });

  afterAll(() => harness?.close());

  it('reads prompt → assign → chase → order as one timeline, with actors and rules; the board shows what is overdue', async () => {
    // A CENTRAL document: 提示单 at once (第五条（一）).
    const central = uniqueDocNumber('中改办发');
    const c = await request(app)
      .post('/api/documents')
      .set(auth('ro-director'))
      .send({ level: 'CENTRAL', title: '关于加强改革督察工作的意见', docNumber: central, issuedAt: new Date(await env.currentTimeMs()).toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] });
    expect(c.status).toBe(201);
    const centralWf: string = c.body.document.workflowId;
    const centralHandle = env.client.workflow.getHandle(centralWf);
    await centralHandle.query(m.stateQuery);
    await env.sleep('2 days');

    // Its PROVINCIAL document, issued as it arrives: 交办单, due within one month (第五条（二）).
    const provincial = uniqueDocNumber('鲁改办发');
    const provincialIssuedAt = new Date(await env.currentTimeMs()).toISOString();
    const p = await request(app)
      .post('/api/documents')
      .set(auth('ro-director'))
      .send({ level: 'PROVINCIAL', title: '贯彻落实〈关于加强改革督察工作的意见〉的实施方案', docNumber: provincial, issuedAt: provincialIssuedAt, leadUnitId: 'dept-health', implementsDocNumber: central });
    expect(p.status).toBe(201);
    const provincialWf: string = p.body.document.workflowId;
    const handle = env.client.workflow.getHandle(provincialWf);
    await handle.query(m.stateQuery);
    expect((await centralHandle.query(m.stateQuery)).state).toBe('LINKED');

    await env.sleep('1 day');
    const ack = await request(app)
      .post(`/api/documents/${encodeURIComponent(provincial)}/acknowledge`)
      .set(auth('dept-health-liaison'))
      .set('Idempotency-Key', `ts-ack-${Date.now()}`)
      .send({ note: '收到，抓紧起草' });
    expect(ack.status).toBe(200);

    // Nobody drafts: past the three weeks' date → 催办单 (第五条（三）); past the month's date → 责令书.
    // (Both are dates on the calendar: a holiday may move them, so the test reads them.)
    const assigned = await handle.query(m.stateQuery);
    await sleepUntil(env, Date.parse(assigned.draftDueAt!) + 3_600_000);
    await handle.query(m.stateQuery);

    // The board mid-way: the ledger (第一时间) and the draft are overdue (red), the supporting document is not yet.
    const mid = await request(app).get('/api/admin/overdue?withinDays=30').set(auth('ro-director'));
    expect(mid.status).toBe(200);
    const midItems: OverdueItem[] = mid.body.items.filter((i: OverdueItem) => i.workflowId === provincialWf);
    expect(midItems.map((i) => [i.title, i.light]).sort()).toEqual([
      ['出台市级配套文件并印发到区县', 'GREEN'],
      ['报送上会文件初稿', 'RED'],
      ['签收交办单并建立台账', 'RED'],
    ]);

    await sleepUntil(env, Date.parse(assigned.dueAt!) + 3_600_000);
    await handle.query(m.stateQuery);
    const now = await env.currentTimeMs();

    // ---- the timeline, read from the CENTRAL document --------------------------
    const res = await request(app).get(`/api/admin/workflows/${encodeURIComponent(centralWf)}/timeline?brief=true`).set(auth('ro-director'));
    expect(res.status).toBe(200);
    expect(res.body.related).toEqual([{ workflowId: provincialWf, reference: provincial, title: expect.any(String) }]);
    const events: TimelineEvent[] = res.body.events;
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const notice = (kind: string) => events.findIndex((e) => e.kind === 'notice' && e.data?.noticeKind === kind);
    const prompt = notice('PROMPT');
    const linked = events.findIndex((e) => e.kind === 'signal' && e.workflowId === centralWf);
    const assignment = notice('ASSIGNMENT');
    const acknowledged = events.findIndex((e) => e.kind === 'update' && e.data?.update === 'acknowledge');
    const chase = notice('CHASE');
    const order = notice('ORDER');
    expect([prompt, linked, assignment, acknowledged, chase, order].every((i) => i >= 0)).toBe(true);
    expect(prompt).toBeLessThan(linked);
    expect(linked).toBeLessThan(assignment);
    expect(assignment).toBeLessThan(acknowledged);
    expect(acknowledged).toBeLessThan(chase);
    expect(chase).toBeLessThan(order);
    expect(events.filter((e) => e.kind === 'notice' && e.data?.noticeKind === 'CHASE')).toHaveLength(1);

    // Right actors: the liaison acknowledged; the system chased and ordered, under 第五条.
    const liaison = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-liaison' } });
    const head = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-head' } });
    expect(events[acknowledged].actor).toMatchObject({ officialId: 'dept-health-liaison', name: liaison.name, unitName: '市卫生健康委' });
    expect(events[acknowledged].title).toBe(`【关联文件 ${provincial}】${liaison.name}（市卫生健康委）签收`);
    expect(events[acknowledged].data?.request).toMatchObject({ status: 200 });
    expect(events[prompt].workflowId).toBe(centralWf);
    expect(events[prompt].title).toMatch(/^发出【提示单】/);
    for (const i of [chase, order]) {
      expect(events[i]).toMatchObject({ workflowId: provincialWf, actor: { name: '系统' }, rule: '第五条' });
    }
    // Why the department was chased: the rule, start event and period, and who got it.
    expect(events[chase].title).toContain('【催办单】');
    expect(events[chase].detail).toContain('依据第五条：省级改革文件到市');
    expect(events[chase].detail).toContain('3周');
    expect(events[chase].detail).toContain(liaison.name);
    expect(events[order].detail).toContain(head.name);
    // At the times the rules say, on the workflow clock.
    // (The assignment is dated when the provincial workflow started.)
    const assignedAt = Date.parse(events.find((e) => e.kind === 'started' && e.workflowId === provincialWf)!.at);
    expect(Date.parse(events[chase].at) - assignedAt).toBeGreaterThanOrEqual(21 * DAY);
    expect(Date.parse(events[chase].at) - assignedAt).toBeLessThan(22 * DAY);
    // The month counts from the provincial document's issuance, a moment before its registration.
    expect(Date.parse(events[order].at) - Date.parse(provincialIssuedAt)).toBeGreaterThanOrEqual(28 * DAY);
    // A timer fired right before the chase: the deadline, not a person, triggered it.
    expect(events.slice(acknowledged, chase).some((e) => e.kind === 'timer-fired' && e.workflowId === provincialWf)).toBe(true);

    // ---- the overdue board after the skip ----------------------------------------
    const board = await request(app).get('/api/admin/overdue?withinDays=3').set(auth('ro-director'));
    expect(board.status).toBe(200);
    expect(Date.parse(board.body.now)).toBeGreaterThanOrEqual(now - 60_000);
    const mine: OverdueItem[] = board.body.items.filter((i: OverdueItem) => i.workflowId === provincialWf && i.rule === '第五条');
    expect(mine.map((i) => i.title)).toEqual(['报送上会文件初稿', '出台市级配套文件并印发到区县']);
    // 第四条（二）: the ledger, due "第一时间", is overdue too.
    expect(board.body.items.filter((i: OverdueItem) => i.workflowId === provincialWf && i.rule === '第四条').map((i: OverdueItem) => [i.title, i.light])).toEqual([['签收交办单并建立台账', 'RED']]);
    for (const item of mine) {
      expect(item).toMatchObject({
        family: 'document',
        familyTitle: '上级改革文件办理流程',
        rule: '第五条',
        light: 'RED',
        overdue: true,
        unit: { id: 'dept-health', name: '市卫生健康委' },
        official: { id: 'dept-health-liaison', name: liaison.name, byDefault: true },
        subject: { reference: provincial },
      });
      expect(item.daysOverdue).toBeGreaterThanOrEqual(0);
    }
    // The draft has been overdue since its date: the days between the three weeks and the month (7 in February, 9 or 10 otherwise).
    expect(mine[0].daysOverdue).toBeGreaterThanOrEqual(Math.floor((Date.parse(assigned.dueAt!) - Date.parse(assigned.draftDueAt!)) / 86_400_000));
    expect(board.body.counts.red).toBeGreaterThanOrEqual(2);

    // The lead department sees its own board; another unit's official is refused it.
    const own = await request(app).get('/api/admin/overdue?withinDays=3').set(auth('dept-health-head'));
    expect(own.body.items.map((i: OverdueItem) => i.workflowId)).toContain(provincialWf);
    expect((await request(app).get('/api/admin/overdue?unit=dept-health').set(auth('district-zhangdian-director'))).status).toBe(403);
    const theirs = await request(app).get('/api/admin/overdue?withinDays=3').set(auth('district-zhangdian-director'));
    expect(theirs.body.items.map((i: OverdueItem) => i.workflowId)).not.toContain(provincialWf);

    // Once the draft is in, its obligation leaves the board.
    await request(app)
      .post(`/api/documents/${encodeURIComponent(provincial)}/ledger`)
      .set(auth('dept-health-liaison'))
      .send({ leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [{ title: '起草实施方案', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: provincialIssuedAt }] })
      .expect(200);
    await request(app).post(`/api/documents/${encodeURIComponent(provincial)}/draft`).set(auth('dept-health-liaison')).send({}).expect(200);
    const after = await request(app).get('/api/admin/overdue?withinDays=3').set(auth('ro-director'));
    expect(after.body.items.filter((i: OverdueItem) => i.workflowId === provincialWf).map((i: OverdueItem) => i.title)).toEqual(['出台市级配套文件并印发到区县']);
  });

  it('stitches continue-as-new runs into one timeline, with update callers and activity retries', async () => {
    const taskQueue = `timeline-chain-${Date.now()}`;
    let calls = 0;
    const chainWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../support/fixtures/chainWorkflow'),
      activities: {
        async flaky(label: string) {
          // The first call fails: Temporal retries it; the timeline shows the attempts and the reason.
          calls += 1;
          if (calls === 1) throw new Error('数据库暂时不可用');
          return label;
        },
      },
    });
    const workflowId = `chain-${Date.now()}`;
    await chainWorker.runUntil(async () => {
      const handle = await env.client.workflow.start(chainWorkflow, { taskQueue, workflowId, args: [3] });
      await handle.executeUpdate(pokeUpdate, { args: [{ actor: { officialId: 'ro-deputy', unitId: 'reform-office' }, note: '请继续' }] });
      await env.client.workflow.getHandle(workflowId).result();
    });

    const t = await buildTimeline({ db: deps.db, client: env.client, temporalUiUrl: 'http://ui.test' }, workflowId);
    expect(t.runs).toHaveLength(3);
    expect(t.runs.map((r) => r.status)).toEqual(['已延续为新运行', '已延续为新运行', '流程办结']);
    expect(new Set(t.runs.map((r) => r.runId)).size).toBe(3);
    const kinds = t.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'continued-as-new')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'started')).toHaveLength(1);
    expect(kinds[kinds.length - 1]).toBe('closed');
    // Unregistered names still read as Chinese, generically.
    const poke = t.events.find((e) => e.kind === 'update')!;
    const deputy = await deps.db.official.findUniqueOrThrow({ where: { id: 'ro-deputy' } });
    expect(poke.actor).toMatchObject({ officialId: 'ro-deputy', name: deputy.name, unitName: '市委改革办' });
    expect(poke.title).toBe(`${deputy.name}（市委改革办）办理“poke”`);
    const activities = t.events.filter((e) => e.kind === 'activity');
    expect(activities).toHaveLength(3);
    expect(activities[0].data).toMatchObject({ activityType: 'flaky', attempts: 2 });
    // (The time-skipping server does not keep the last failure; the dev-server test checks its text.)
    expect(activities[0].detail).toMatch(/^第 2 次尝试成功（此前失败：.+）$/);
    expect(activities[0].minor).toBeUndefined();
    expect(activities[1].minor).toBe(true);
    expect(t.events.filter((e) => e.kind === 'timer-fired')).toHaveLength(3);
    // In order across runs.
    const times = t.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(t.events.findIndex((e) => e.kind === 'continued-as-new')).toBeGreaterThan(t.events.findIndex((e) => e.kind === 'timer-fired'));
  });
});
