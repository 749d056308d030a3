/**
 * The meeting family on the time-skipping server with the real policy
 * durations (第四条(一): conveyed "第一时间", one week; 第三条: the first
 * agenda item conveys the latest superior meeting), the real activities, the
 * run's PostgreSQL database and the SMTP sink.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSuperiorMeeting } from '../../api/meetingArrival';
import { defaultPolicy } from '../../common/policy';
import { addRepeated, subtractDuration } from '../../common/policy/duration';
import * as m from '../../workflows/meeting/messages';
import { seed } from '../../prisma/seed';
import type { TestDeps } from '../support/deps';
import { eventually } from '../support/eventually';
import { dueAfter, sleepUntil } from '../support/testClock';
import { isolatedDatabase, type IsolatedDatabase } from '../support/isolatedDatabase';
import { startTimeSkippingWorker, terminateQuietly, type TimeSkippingHarness } from '../support/timeSkipping';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const p = defaultPolicy.meeting;
const UNITS = ['dept-health', 'district-zhangdian', 'sg-rural'];
const districtSecretary: m.Actor = { officialId: 'district-zhangdian-deputy', unitId: 'district-zhangdian' };

describe('superior meetings and the first agenda item (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;
  let database: IsolatedDatabase;
  // The latest superior meeting is the whole organisation's (第三条): this file's meetings live in a database
  // of their own, where another file's more recent meeting cannot take their place. Held long before the
  // wall clock, on days of their own.
  const base = Date.now() - (400 + Math.floor(Math.random() * 300)) * DAY;

  beforeAll(async () => {
    database = await isolatedDatabase('meeting', { migrated: true });
    harness = await startTimeSkippingWorker({ databaseUrl: database.url });
    ({ env, deps } = harness);
    await seed(deps.db);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.drop();
  });

  async function register(level: 'CENTRAL' | 'PROVINCIAL', day: number, title: string) {
    const { meeting, created } = await registerSuperiorMeeting(deps.db, env.client, { level, title, heldAt: new Date(base + day * DAY).toISOString(), unitIds: UNITS });
    expect(created).toBe(true);
    const handle = env.client.workflow.getHandle(meeting.workflowId);
    return { meeting, handle, view: await handle.executeUpdate(m.meetingReadyUpdate) };
  }
  const notices = (id: string) => deps.db.notice.findMany({ where: { subjectType: 'meeting', subjectId: id }, orderBy: { createdAt: 'asc' }, include: { recipients: { orderBy: { officialId: 'asc' } } } });
  const kinds = async (id: string) => (await notices(id)).map((n) => n.kind);
  /** A meeting held a minute ago on the workflow's clock. */
  const justHeld = async () => new Date((await env.currentTimeMs()) - 60_000).toISOString();
  const record = async (handle: ReturnType<typeof env.client.workflow.getHandle>, a: Partial<m.RecordMeetingArgs> & { unitId: string; conveys?: string }) =>
    handle.executeUpdate(m.recordMeetingUpdate, {
      args: [{ actor: districtSecretary, meetingId: `m-${Math.random().toString(36).slice(2)}`, kind: 'LEADING_GROUP', title: '深改委会议', heldAt: await justHeld(), firstItem: '传达学习上级深改会议精神', ...a }],
    });

  it('every listed body is told at once; a reminder before the week is out and chases after it go only to those still owing, until all have conveyed it', async () => {
    const { meeting, handle, view } = await register('CENTRAL', 0, '中央全面深化改革委员会第一次会议（测试）');
    const dueAt = dueAfter(view.registeredAt, p.conveyWithin);
    expect(view.dueAt).toBe(dueAt.toISOString());
    expect(await eventually(async () => (await kinds(meeting.id)).length === 1)).toBe(true);
    const [convey] = await notices(meeting.id);
    expect(convey.kind).toBe('CONVEY');
    expect(convey.rule).toBe('第四条');
    expect(convey.body).toContain('第一议题传达学习会议精神');
    expect(convey.recipients.map((r) => r.officialId)).toEqual(['dept-health-liaison', 'district-zhangdian-deputy', 'sg-rural-liaison']);

    // The department conveys it on day 2: it is done, and left out of every later notice.
    await env.sleep('2 days');
    const afterHealth = await record(handle, { unitId: 'dept-health', actor: { officialId: 'dept-health-liaison', unitId: 'dept-health' }, kind: 'DEPARTMENT', conveys: meeting.id });
    expect(afterHealth.owing.find((u) => u.unitId === 'dept-health')?.conveyedAt).toBeDefined();

    const reminderAt = subtractDuration(dueAt, p.remindBefore[0]);
    await sleepUntil(env, reminderAt.getTime() - HOUR);
    await handle.query(m.meetingStateQuery);
    expect(await kinds(meeting.id)).toEqual(['CONVEY']);
    await sleepUntil(env, reminderAt.getTime() + HOUR);
    expect(await eventually(async () => (await kinds(meeting.id)).includes('REMINDER'))).toBe(true);
    const reminder = (await notices(meeting.id)).find((n) => n.kind === 'REMINDER')!;
    expect(reminder.recipients.map((r) => r.officialId)).toEqual(['district-zhangdian-deputy', 'sg-rural-liaison']);

    await sleepUntil(env, dueAt.getTime() + HOUR);
    expect(await eventually(async () => (await kinds(meeting.id)).includes('CHASE'))).toBe(true);
    const chase = (await notices(meeting.id)).find((n) => n.kind === 'CHASE')!;
    expect(chase.title).toBe('【催办单】传达学习中央全面深化改革委员会第一次会议（测试）');
    expect(chase.recipients.map((r) => `${r.role}:${r.officialId}`)).toEqual(['TO:district-zhangdian-deputy', 'TO:district-zhangdian-head', 'CC:ro-director', 'TO:sg-rural-leader', 'TO:sg-rural-liaison']);

    // The district conveys it late; the special group is chased again a week after the deadline.
    await record(handle, { unitId: 'district-zhangdian', conveys: meeting.id });
    await sleepUntil(env, addRepeated(dueAt, p.chaseEvery, 1).getTime() + HOUR);
    expect(await eventually(async () => (await kinds(meeting.id)).filter((k) => k === 'CHASE').length === 2)).toBe(true);
    const second = (await notices(meeting.id)).filter((n) => n.kind === 'CHASE')[1];
    expect(second.title).toContain('（第2次）');
    expect(second.recipients.map((r) => r.officialId)).toEqual(['ro-director', 'sg-rural-leader', 'sg-rural-liaison']);

    const done = await record(handle, { unitId: 'sg-rural', actor: { officialId: 'sg-rural-liaison', unitId: 'sg-rural' }, kind: 'SPECIAL_GROUP', conveys: meeting.id });
    expect(done.state).toBe('CONVEYED');
    await sleepUntil(env, addRepeated(dueAt, p.chaseEvery, 3).getTime());
    await handle.query(m.meetingStateQuery);
    expect((await kinds(meeting.id)).filter((k) => k === 'CHASE')).toHaveLength(2); // nothing is owed any more
    const obligations = await eventually(
      () => deps.db.obligation.findMany({ where: { workflowId: meeting.workflowId }, orderBy: { unitId: 'asc' } }),
      (os) => os.length === 3 && os.every((o) => o.status === 'DONE'),
    );
    expect(obligations.map((o) => [o.unitId, o.status, o.reason?.endsWith('（逾期）')])).toEqual([
      ['dept-health', 'DONE', false],
      ['district-zhangdian', 'DONE', true],
      ['sg-rural', 'DONE', true],
    ]);
    // It stays the latest superior meeting, judging first agenda items, until a newer one is registered.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await terminateQuietly(env, meeting.workflowId);
  });

  it('a newer superior meeting takes over; a meeting whose first item did not convey it alerts the office, and leaves the duty open', async () => {
    const older = await register('CENTRAL', 10, '中央全面深化改革委员会第二次会议（测试）');
    const newer = await register('PROVINCIAL', 11, '省委全面深化改革委员会第二次会议（测试）');
    // The older meeting's duties pass to the newer one (第三条: the latest is conveyed).
    const taken = await eventually(() => older.handle.query(m.meetingStateQuery), (v) => v.state === 'SUPERSEDED');
    expect(taken.supersededBy).toEqual({ id: newer.meeting.id, title: newer.meeting.title });
    expect(await eventually(async () => (await older.handle.describe()).status.name === 'COMPLETED')).toBe(true);
    const superseded = await eventually(
      () => deps.db.obligation.findMany({ where: { workflowId: older.meeting.workflowId } }),
      (os) => os.length === 3 && os.every((o) => o.status === 'SUPERSEDED'),
    );
    expect(superseded[0].reason).toContain(newer.meeting.title);

    // Conveying the older one, or something else, is not conveying the latest: the office is alerted each time.
    const stale = await record(newer.handle, { unitId: 'district-zhangdian', title: '区委深改委第五次会议', conveys: older.meeting.id });
    expect(stale.meetings.at(-1)?.conveyedLatest).toBe(false);
    expect(stale.owing.find((u) => u.unitId === 'district-zhangdian')?.conveyedAt).toBeUndefined();
    await record(newer.handle, { unitId: 'district-zhangdian', kind: 'BRIEFING', title: '区改革督导情况通报会', firstItem: '通报本月改革督导情况' });
    const alerts = await eventually(
      async () => (await notices(newer.meeting.id)).filter((n) => n.kind === 'FIRST_ITEM_MISSED'),
      (a) => a.length === 2,
    );
    expect(alerts.map((a) => a.rule)).toEqual(['第三条', '第三条']);
    expect(alerts[0].body).toContain(`第一议题传达的是${older.meeting.title}`);
    expect(alerts[1].body).toContain('第一议题为“通报本月改革督导情况”');
    expect(alerts[0].recipients.map((r) => r.officialId)).toEqual(['ro-deputy', 'ro-director']);

    // Impossible records are refused before anything is recorded.
    const refused = async (a: Partial<m.RecordMeetingArgs>) => {
      const err = await record(newer.handle, { unitId: 'district-zhangdian', ...a }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause?.message;
    };
    expect(await refused({ heldAt: new Date((await env.currentTimeMs()) + DAY).toISOString() })).toBe('会议尚未召开，召开后再登记');
    expect(await refused({ heldAt: new Date(base + 10 * DAY).toISOString() })).toContain('之前');
    const before = await newer.handle.query(m.meetingStateQuery);
    expect(before.meetings).toHaveLength(2);

    const conveyed = await record(newer.handle, { unitId: 'district-zhangdian', conveys: newer.meeting.id });
    expect(conveyed.owing.find((u) => u.unitId === 'district-zhangdian')?.conveyedAt).toBeDefined();
    expect((await notices(newer.meeting.id)).filter((n) => n.kind === 'FIRST_ITEM_MISSED')).toHaveLength(2);
    await terminateQuietly(env, newer.meeting.workflowId);
  });
});
