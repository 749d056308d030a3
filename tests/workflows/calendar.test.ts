/**
 * Deadlines at hard calendar points, on the time-skipping server with the real
 * policy (第五条: 催办单 three weeks after the 交办单, the municipal document
 * due one calendar month after it; the cycle's month, counted from its 1st, is
 * in tests/workflows/cycle.test.ts). Each test first moves the
 * test server's clock to a chosen Shanghai calendar point (the next one after
 * the clock's current time), then asserts the exact Shanghai dates the notices
 * print and the instants the duties fire at. A deadline is a date: it ends at
 * 24:00 of its Shanghai day, whatever minute the document was registered
 * (common/policy/calendar.ts). The years these points fall in have no holidays
 * in the seed calendar, so no date here moves; a new calendar published while
 * a document runs moves its pending deadlines (the last test).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerDocument } from '../../api/documentArrival';
import { deadlineOn, defaultCalendarPolicy, formatShanghai, shanghaiDate, type CalendarPolicy } from '../../common/policy';
import { calendarChangedSignal } from '../../workflows/calendar';
import { seed } from '../../prisma/seed';
import * as m from '../../workflows/document/messages';
import { uniqueDocNumber, type TestDeps } from '../support/deps';
import { eventually } from '../support/eventually';
import { isLeapYear, nextShanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { startTimeSkippingWorker, type TimeSkippingHarness, terminateQuietly } from '../support/timeSkipping';

const MINUTE = 60_000;

describe('deadlines at hard calendar points (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
    await seed(deps.db);
  });

  afterAll(() => harness?.close());

  const notices = (subjectId: string, kind: string) => deps.db.notice.findMany({ where: { subjectId, kind }, orderBy: { createdAt: 'asc' } });

  /**
   * A provincial document arriving at `at`: the 交办单 names the deadline; the
   * 催办单 and the 责令书 fire at their instants, not a minute early. Returns
   * the Shanghai dates the notices printed.
   */
  async function arriveAt(at: Date) {
    await sleepUntil(env, at);
    const docNumber = uniqueDocNumber('鲁改发');
    const { document } = await registerDocument(deps.db, env.client, {
      level: 'PROVINCIAL',
      title: `日历测试 ${docNumber}`,
      docNumber,
      issuedAt: at.toISOString(),
      leadUnitId: 'dept-health',
      participantUnitIds: [],
    });
    const handle = env.client.workflow.getHandle(document.workflowId);
    const view = await handle.query(m.stateQuery);
    const [assignment] = await eventually(() => notices(document.id, 'ASSIGNMENT'), (n) => n.length === 1);
    const chaseAt = new Date(view.draftDueAt!).getTime();
    const orderAt = new Date(view.dueAt!).getTime();

    await sleepUntil(env, chaseAt - MINUTE);
    await handle.query(m.stateQuery);
    expect(await notices(document.id, 'CHASE')).toHaveLength(0);
    await sleepUntil(env, chaseAt + MINUTE);
    expect(await eventually(() => notices(document.id, 'CHASE'), (n) => n.length === 1)).toHaveLength(1);

    await sleepUntil(env, orderAt - MINUTE);
    await handle.query(m.stateQuery);
    expect(await notices(document.id, 'ORDER')).toHaveLength(0);
    await sleepUntil(env, orderAt + MINUTE);
    const [order] = await eventually(() => notices(document.id, 'ORDER'), (n) => n.length === 1);
    await terminateQuietly(env, document.workflowId);
    return {
      assignedAt: formatShanghai(view.assignedAt!),
      chase: formatShanghai(view.draftDueAt!),
      deadline: formatShanghai(view.dueAt!),
      assignmentTitle: assignment.title,
      orderBody: order.body,
    };
  }

  it('31 January in a common year: the month ends on 28 February', async () => {
    const at = nextShanghai(await env.currentTimeMs(), '01-31T09:00', { leap: false });
    const y = shanghaiYear(at);
    const d = await arriveAt(at);
    expect(d.assignedAt).toBe(`${y}年1月31日 09:00`);
    expect(d.chase).toBe(`${y}年2月21日 24:00`);
    expect(d.deadline).toBe(`${y}年2月28日 24:00`);
    expect(d.assignmentTitle).toContain(`（${y}年2月28日 24:00前出台）`);
    expect(d.orderBody).toContain(`交办期限（${y}年2月28日 24:00）已过`);
  });

  it('31 January in a leap year: the month ends on 29 February', async () => {
    const at = nextShanghai(await env.currentTimeMs(), '01-31T09:00', { leap: true });
    const y = shanghaiYear(at);
    expect(isLeapYear(y)).toBe(true);
    const d = await arriveAt(at);
    expect(d.chase).toBe(`${y}年2月21日 24:00`);
    expect(d.deadline).toBe(`${y}年2月29日 24:00`);
    expect(d.assignmentTitle).toContain(`（${y}年2月29日 24:00前出台）`);
  });

  it('the 31st of a 31-day month: due on the last day of the next, shorter month', async () => {
    const at = nextShanghai(await env.currentTimeMs(), '03-31T10:00');
    const y = shanghaiYear(at);
    const d = await arriveAt(at);
    expect(d.chase).toBe(`${y}年4月21日 24:00`);
    expect(d.deadline).toBe(`${y}年4月30日 24:00`);
  });

  it('31 December: the deadline is in the next year', async () => {
    const at = nextShanghai(await env.currentTimeMs(), '12-31T10:00');
    const y = shanghaiYear(at);
    const d = await arriveAt(at);
    expect(d.chase).toBe(`${y + 1}年1月21日 24:00`);
    expect(d.deadline).toBe(`${y + 1}年1月31日 24:00`);
  });

  it("23:30 on a month's last day counts from that Shanghai day, not the next; the deadline is the day's end, not 23:30", async () => {
    const at = nextShanghai(await env.currentTimeMs(), '04-30T23:30');
    const y = shanghaiYear(at);
    const d = await arriveAt(at);
    expect(d.assignedAt).toBe(`${y}年4月30日 23:30`);
    expect(d.chase).toBe(`${y}年5月21日 24:00`);
    expect(d.deadline).toBe(`${y}年5月30日 24:00`);
  });

  it("00:30 on the 1st (still the previous day in UTC) counts the month in Shanghai's calendar", async () => {
    const at = nextShanghai(await env.currentTimeMs(), '03-01T00:30');
    const y = shanghaiYear(at);
    const d = await arriveAt(at);
    expect(d.assignedAt).toBe(`${y}年3月1日 00:30`);
    expect(d.chase).toBe(`${y}年3月22日 24:00`);
    // In UTC this is 28/29 February 16:30: a month counted in UTC would end on 29 March.
    expect(d.deadline).toBe(`${y}年4月1日 24:00`);
  });

  it('a calendar published while a document runs moves its pending deadlines by a signal, recorded; the duties follow', async () => {
    const at = nextShanghai(await env.currentTimeMs(), '03-10T10:00');
    await sleepUntil(env, at);
    const docNumber = uniqueDocNumber('鲁改发');
    const { document } = await registerDocument(deps.db, env.client, {
      level: 'PROVINCIAL',
      title: `日历更新 ${docNumber}`,
      docNumber,
      issuedAt: at.toISOString().slice(0, 10),
      leadUnitId: 'dept-health',
      participantUnitIds: [],
    });
    const handle = env.client.workflow.getHandle(document.workflowId);
    const before = await handle.query(m.stateQuery);
    // The office publishes a calendar whose holiday covers the issuance deadline's day (and only that day).
    const day = shanghaiDate(before.dueAt!);
    const year = day.slice(0, 4);
    const published: CalendarPolicy = {
      ...defaultCalendarPolicy,
      version: `test-${docNumber}`,
      years: { ...defaultCalendarPolicy.years, [year]: { holidays: [{ name: '测试假日', from: day, to: day }], workdays: [] } },
    };
    const expected = deadlineOn(published, day);
    expect(expected.shift).toMatch(/^.+为测试假日假期，顺延至下一个工作日.+$/);
    await handle.signal(calendarChangedSignal, { calendar: published });
    await handle.signal(calendarChangedSignal, { calendar: published }); // a repeat changes nothing
    const after = await eventually(() => handle.query(m.stateQuery), (v) => v.dueAt !== before.dueAt);
    expect(after.dueAt).toBe(expected.at);
    expect(after.draftDueAt).toBe(before.draftDueAt); // its day is a working day in both calendars
    const events = await eventually(
      () => deps.db.workflowEvent.findMany({ where: { subjectId: document.id, step: { startsWith: 'calendarChanged' } } }),
      (e) => e.length === 1,
    );
    expect(events[0].step).toBe(`calendarChanged:${published.version}`);
    expect(events[0].data).toEqual({ from: defaultCalendarPolicy.version, to: published.version, moved: [{ deadline: 'issuance', from: before.dueAt, to: expected.at }] });

    // The 责令书 waits for the new deadline: nothing at the old one.
    await sleepUntil(env, new Date(before.dueAt!).getTime() + MINUTE);
    await handle.query(m.stateQuery);
    expect(await notices(document.id, 'ORDER')).toHaveLength(0);
    await sleepUntil(env, new Date(expected.at).getTime() + MINUTE);
    const [order] = await eventually(() => notices(document.id, 'ORDER'), (n) => n.length === 1);
    expect(order.body).toContain(`交办期限（${formatShanghai(expected.at)}）已过`);
    await terminateQuietly(env, document.workflowId);
  });
});
