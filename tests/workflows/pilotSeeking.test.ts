/**
 * Seeking pilots (第十一条(一)–(四)) on the time-skipping server with the real
 * policy durations, the real activities, the run's PostgreSQL database and the
 * SMTP sink: a whole quarter — the leads issued late and chased, the monthly
 * 对接 reports reminded and chased only where missing (a department under its
 * own policy on its own dates, 第二十一条), the seeking ledger, the bulletin —
 * and the open ledger rows passing to the next quarter. The quarters lie
 * decades ahead of the clock, so no test depends on the day it runs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPolicy, type Policy } from '../../common/policy';
import { deadlineOn, shanghaiDate, type CalendarPolicy } from '../../common/policy/calendar';
import { defaultCalendarPolicy } from '../../common/policy/calendars';
import { addDuration, subtractDuration } from '../../common/policy/duration';
import { TASK_QUEUE } from '../../common/taskQueues';
import { pilotSeekingWorkflowId } from '../../common/ids';
import { calendarChangedSignal } from '../../workflows/calendar';
import * as m from '../../workflows/pilotSeeking/messages';
import { monthStartOf, nextQuarter, quarterEnd } from '../../workflows/pilotSeeking/state';
import { pilotSeekingWorkflow } from '../../workflows/pilotSeeking/workflow';
import type { TestDeps } from '../support/deps';
import { eventually } from '../support/eventually';
import { expectRecordsMatch } from '../support/records';
import { settle } from '../support/scenarios';
import { dueAfter, shanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { resultInRealTime, startTimeSkippingWorker, terminateQuietly, type TimeSkippingHarness } from '../support/timeSkipping';

const p = defaultPolicy.pilotSeeking;
const HOUR = 3600_000;
const office: m.Actor = { officialId: 'ro-deputy', unitId: 'reform-office' };
const zhangdian: m.Actor = { officialId: 'district-zhangdian-deputy', unitId: 'district-zhangdian' };
const health: m.Actor = { officialId: 'dept-health-liaison', unitId: 'dept-health' };
// 第二十一条: the health commission's own rules: its 对接 report by the 15th, reminded 2 days before, chased 2 days after.
const healthPolicy: Policy = { ...defaultPolicy, scope: 'dept-health', version: 'dept-health-test', pilotSeeking: { ...p, reportDueAfter: { days: 14 }, remindBefore: { days: 2 }, chaseAfter: { days: 2 } } };
const contact = { contacts: '国家卫生健康委体制改革司', learned: '拟开展紧密型医联体建设试点', requests: '申请纳入首批试点' };

jest.setTimeout(600_000);

describe('seeking pilots (time-skipping, 第十一条(一)–(四))', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  const noticeKeys = async (workflowId: string) => (await deps.db.notice.findMany({ where: { workflowId }, select: { key: true } })).map((n) => n.key.slice(workflowId.length + 1));
  const notice = async (workflowId: string, step: string) => {
    await eventually(async () => (await noticeKeys(workflowId)).includes(step));
    return deps.db.notice.findUniqueOrThrow({ where: { key: `${workflowId}:${step}` }, include: { recipients: true } });
  };
  const to = (n: { recipients: Array<{ officialId: string; role: string }> }) => n.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId);

  it('a quarter: leads chased then issued, reports reminded and chased where missing (a unit on its own dates), the ledger, the bulletin; open rows pass on', async () => {
    const year = shanghaiYear(await env.currentTimeMs()) + 40;
    const quarter = `${year}-Q2`;
    const workflowId = pilotSeekingWorkflowId(quarter);
    const start = new Date(monthStartOf(quarter, 1));
    expect(start.getTime()).toBe(shanghai(year, 4, 1).getTime());
    await sleepUntil(env, start);
    const h = await env.client.workflow.start(pilotSeekingWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, quarter, policy: defaultPolicy, unitPolicies: { 'dept-health': healthPolicy } }] });
    let v = await h.executeUpdate(m.seekingReadyUpdate);
    // 第十一条(二): the leads are due the policy's term after the quarter's first day.
    expect(v.leadsDueAt).toBe(dueAfter(start, p.leadsWithin).toISOString());
    // 第十一条(一), 第二十一条: each unit's report of the first month by its own policy.
    const cityDue = dueAfter(start, p.reportDueAfter);
    const healthDue = dueAfter(start, healthPolicy.pilotSeeking.reportDueAfter);
    expect(v.reportsDueAt['1:district-boshan']).toBe(cityDue.toISOString());
    expect(v.reportsDueAt['1:dept-health']).toBe(healthDue.toISOString());
    expect(v.setup.units).toEqual(expect.arrayContaining(['district-zhangdian', 'district-boshan', 'dept-health', 'dept-finance']));
    expect(v.setup.units).not.toContain('reform-office');

    // The district reports at once: it is never reminded nor chased for the first month.
    await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 1, ...contact }] });
    await expect(h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 1, ...contact }] })).rejects.toThrow();
    await expect(h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 2, ...contact }] })).rejects.toThrow();
    await expect(h.executeUpdate(m.contactReportUpdate, { args: [{ actor: office, month: 1, ...contact }] })).rejects.toThrow();

    // The office is late with its leads: reminded, then chased once.
    await sleepUntil(env, addDuration(new Date(v.leadsDueAt), p.chaseAfter).getTime() + HOUR);
    const leadsChase = await notice(workflowId, 'leads:chase');
    expect(to(leadsChase)).toEqual(expect.arrayContaining(['ro-director', 'ro-deputy']));
    expect(leadsChase.body).toContain('第十一条');
    expect(leadsChase.body).toContain('梳理并交办本季度试点线索');
    expect((await noticeKeys(workflowId)).filter((k) => k.startsWith('leads:'))).toEqual(expect.arrayContaining(['leads:reminder', 'leads:chase']));
    v = await h.executeUpdate(m.issueLeadsUpdate, {
      args: [{ actor: office, leads: [{ title: '紧密型城市医疗集团建设试点', level: 'CENTRAL', source: '国家卫生健康委', leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] }] }],
    });
    await expect(h.executeUpdate(m.issueLeadsUpdate, { args: [{ actor: office, leads: [{ title: 'x', level: 'CENTRAL', source: 'y', leadUnitId: 'dept-health', participantUnitIds: [] }] }] })).rejects.toThrow();
    const leadRow = v.rows.find((r) => r.leadId === 'L-1')!;
    expect(leadRow).toMatchObject({ unitId: 'dept-health', status: 'OPEN', participantUnitIds: ['dept-finance'] });
    const leadsNotice = await notice(workflowId, 'leads:dept-health');
    expect(leadsNotice.body).toContain('由你单位牵头');
    // It names the unit's next deadline: this month's report, under its own policy.
    expect(leadsNotice.dueAt?.toISOString()).toBe(healthDue.toISOString());
    expect(to(leadsNotice)).toContain('dept-health-liaison');
    expect((await notice(workflowId, 'leads:dept-finance')).body).toContain('由市卫生健康委牵头，你单位参与');
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:leads` } })).status).toBe('DONE');

    // The health commission's own deadline passes first: reminded and chased on its dates; the city's units not yet.
    await sleepUntil(env, addDuration(healthDue, healthPolicy.pilotSeeking.chaseAfter).getTime() + HOUR);
    await notice(workflowId, 'report-1:dept-health:chase');
    await settle(h);
    let keys = await noticeKeys(workflowId);
    expect(keys).toContain('report-1:dept-health:reminder');
    expect(subtractDuration(cityDue, p.remindBefore).getTime()).toBeGreaterThan(await env.currentTimeMs());
    expect(keys.filter((k) => k.startsWith('report-1:district-boshan'))).toEqual([]);
    v = await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: health, month: 1, ...contact }] });
    expect(v.reports.find((r) => r.unitId === 'dept-health')?.late).toBe(true);

    // The city's deadline: reminders and one chase to those still missing, none to who reported.
    await sleepUntil(env, addDuration(cityDue, p.chaseAfter).getTime() + HOUR);
    const boshanChase = await notice(workflowId, 'report-1:district-boshan:chase');
    expect(to(boshanChase)).toContain('district-boshan-deputy');
    expect(boshanChase.recipients.map((r) => r.officialId)).toContain('district-boshan-head');
    await settle(h);
    keys = await noticeKeys(workflowId);
    expect(keys).toContain('report-1:district-boshan:reminder');
    expect(keys.filter((k) => k.startsWith('report-1:district-zhangdian') || k.startsWith('report-1:dept-health:chase-'))).toEqual([]);
    expect(keys.filter((k) => k === 'report-1:dept-health:chase')).toHaveLength(1);

    // 第十一条(三): the ledger. The lead unit names the leader and wins it; the district seeks one of its own and drops another.
    await expect(h.executeUpdate(m.updateRowUpdate, { args: [{ actor: zhangdian, rowId: leadRow.id, progress: 'x' }] })).rejects.toThrow();
    await expect(h.executeUpdate(m.updateRowUpdate, { args: [{ actor: health, rowId: leadRow.id, progress: '已获批', outcome: 'WON' }] })).rejects.toThrow();
    await h.executeUpdate(m.updateRowUpdate, { args: [{ actor: health, rowId: leadRow.id, progress: '国家卫生健康委已批复我市为试点城市', leaderId: 'dept-health-leader', outcome: 'WON', note: '由市委改革办登记为改革试点' }] });
    v = await h.executeUpdate(m.addRowUpdate, { args: [{ actor: zhangdian, title: '数据要素市场化配置改革试点', level: 'PROVINCIAL', source: '省发展改革委', participantUnitIds: ['dept-bigdata'], leaderId: 'district-zhangdian-head', progress: '已提交申报材料' }] });
    const own = v.rows.find((r) => r.title === '数据要素市场化配置改革试点')!;
    v = await h.executeUpdate(m.addRowUpdate, { args: [{ actor: zhangdian, title: '城乡融合发展试验区', level: 'CENTRAL', source: '国家发展改革委', participantUnitIds: [], leaderId: 'district-zhangdian-head', progress: '初步对接' }] });
    const dropped = v.rows.find((r) => r.title === '城乡融合发展试验区')!;
    await expect(h.executeUpdate(m.updateRowUpdate, { args: [{ actor: zhangdian, rowId: dropped.id, progress: '不再申报', outcome: 'DROPPED' }] })).rejects.toThrow();
    await h.executeUpdate(m.updateRowUpdate, { args: [{ actor: zhangdian, rowId: dropped.id, progress: '不再申报', outcome: 'DROPPED', note: '不符合申报条件' }] });
    await expectRecordsMatch(deps.db, env.client, [workflowId]);

    // The second and third months open on their 1st; every unit owes again.
    await sleepUntil(env, new Date(monthStartOf(quarter, 3)).getTime() + HOUR);
    v = await h.query(m.seekingQuery);
    expect(v.months).toBe(3);
    expect(v.reportsDueAt['2:dept-health']).toBe(dueAfter(monthStartOf(quarter, 2), healthPolicy.pilotSeeking.reportDueAfter).toISOString());
    await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 2, ...contact }] });
    await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 3, ...contact }] });

    // The quarter ends: the bulletin is due; the ledger is closed to changes now.
    await sleepUntil(env, new Date(quarterEnd(quarter)).getTime() + HOUR);
    v = await h.query(m.seekingQuery);
    expect(v.phase).toBe('BULLETIN');
    expect(v.bulletinDueAt).toBe(dueAfter(quarterEnd(quarter), p.bulletinWithin).toISOString());
    await expect(h.executeUpdate(m.addRowUpdate, { args: [{ actor: zhangdian, title: '迟到的试点', level: 'CENTRAL', source: 'x', participantUnitIds: [], leaderId: 'district-zhangdian-head', progress: 'x' }] })).rejects.toThrow();
    // A late report is still taken.
    await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: health, month: 2, ...contact }] });

    // The next quarter starts on its first day, while this one awaits its bulletin: the rows stay here until it closes.
    const next = nextQuarter(quarter);
    const nextId = pilotSeekingWorkflowId(next);
    await sleepUntil(env, new Date(monthStartOf(next, 1)).getTime() + HOUR);
    const h2 = await env.client.workflow.start(pilotSeekingWorkflow, { taskQueue: TASK_QUEUE, workflowId: nextId, args: [{ version: 1, quarter: next, policy: defaultPolicy }] });
    expect((await h2.executeUpdate(m.seekingReadyUpdate)).rows).toEqual([]);

    // 第十一条(四): the bulletin, composed from the quarter's reports and ledgers, goes to every district and department.
    v = await h.executeUpdate(m.issueBulletinUpdate, { args: [{ actor: office, note: '请未报送的单位下季度按月报送。' }] });
    expect(v.phase).toBe('CLOSED');
    const text = v.bulletin!.text;
    // Its May report came after May's deadline (filed in June): late.
    expect(text).toContain('张店区：报送对接情况3次（5月逾期报送），在争取试点1项，放弃1项：城乡融合发展试验区。');
    expect(text).toContain('市卫生健康委：报送对接情况2次（4月、5月逾期报送），缺报6月，在争取试点0项，争取成功1项：紧密型城市医疗集团建设试点。');
    expect(text).toContain('博山区：报送对接情况0次，缺报4月、5月、6月，在争取试点0项。');
    const bulletin = await notice(workflowId, 'bulletin');
    expect(bulletin.body).toContain('第十一条（四）');
    expect(bulletin.body).toContain(text.split('\n')[0]);
    expect(to(bulletin)).toEqual(expect.arrayContaining(['district-boshan-deputy', 'dept-health-liaison']));
    const end = await resultInRealTime(env, h);
    expect(end.phase).toBe('CLOSED');
    expect(await deps.db.obligation.count({ where: { workflowId, status: 'OPEN' } })).toBe(0);
    expect(await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:report-3:district-boshan` } })).toMatchObject({ status: 'CANCELLED' });
    await expectRecordsMatch(deps.db, env.client, [workflowId]);

    // The ledger is the unit's standing record: as the quarter closes, its open row passes to the next quarter, which takes it over.
    const v2 = await eventually(() => h2.query(m.seekingQuery), (view) => view.rows.length > 0);
    expect(v2.rows.map((r) => r.id)).toContain(own.id);
    await eventually(() => deps.db.workflowEvent.findMany({ where: { workflowId: nextId, step: 'rowsHandedOver' }, select: { data: true } }), (es) => es.length === 1 && (es[0].data as { from: string }).from === quarter);
    expect(v2.rows.map((r) => r.id)).not.toContain(dropped.id);
    expect(v2.rows.map((r) => r.id)).not.toContain(leadRow.id);
    await h2.executeUpdate(m.updateRowUpdate, { args: [{ actor: zhangdian, rowId: own.id, progress: '省发展改革委已受理' }] });
    await eventually(async () => (await deps.db.pilotSeekingRow.findUniqueOrThrow({ where: { id: own.id } })).progress === '省发展改革委已受理');
    expect(await deps.db.pilotSeekingRow.findUniqueOrThrow({ where: { id: own.id } })).toMatchObject({ workflowId: nextId, quarter: next, openedIn: quarter, status: 'OPEN' });
    await expectRecordsMatch(deps.db, env.client, [workflowId, nextId]);
    await terminateQuietly(env, nextId);
  });

  it('a calendar published during the quarter moves the pending deadlines (the leads\', the unfiled reports\'), recorded once', async () => {
    const year = shanghaiYear(await env.currentTimeMs()) + 42;
    const quarter = `${year}-Q3`;
    const workflowId = pilotSeekingWorkflowId(quarter);
    await sleepUntil(env, new Date(monthStartOf(quarter, 1)));
    const h = await env.client.workflow.start(pilotSeekingWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, quarter, policy: defaultPolicy }] });
    const before = await h.executeUpdate(m.seekingReadyUpdate);
    await h.executeUpdate(m.contactReportUpdate, { args: [{ actor: zhangdian, month: 1, ...contact }] });
    // The office publishes a calendar whose holidays cover the leads' and the reports' due days.
    const leadsDay = shanghaiDate(before.leadsDueAt);
    const reportDay = shanghaiDate(before.reportsDueAt['1:district-boshan']);
    const published: CalendarPolicy = {
      ...defaultCalendarPolicy,
      version: `test-${quarter}`,
      years: { ...defaultCalendarPolicy.years, [String(year)]: { holidays: [{ name: '测试假日', from: leadsDay, to: leadsDay }, { name: '测试假日二', from: reportDay, to: reportDay }], workdays: [] } },
    };
    await h.signal(calendarChangedSignal, { calendar: published });
    await h.signal(calendarChangedSignal, { calendar: published }); // a repeat changes nothing
    const after = await eventually(() => h.query(m.seekingQuery), (v) => v.leadsDueAt !== before.leadsDueAt);
    expect(after.leadsDueAt).toBe(deadlineOn(published, leadsDay).at);
    expect(after.reportsDueAt['1:district-boshan']).toBe(deadlineOn(published, reportDay).at);
    expect(after.reportsDueAt['1:district-boshan']).not.toBe(before.reportsDueAt['1:district-boshan']);
    // A report already filed keeps its deadline.
    expect(after.reportsDueAt['1:district-zhangdian']).toBe(before.reportsDueAt['1:district-zhangdian']);
    const events = await eventually(() => deps.db.workflowEvent.findMany({ where: { workflowId, step: { startsWith: 'calendarChanged' } } }), (e) => e.length === 1);
    expect(events.map((e) => e.step)).toEqual([`calendarChanged:${published.version}`]);
    await expectRecordsMatch(deps.db, env.client, [workflowId]);
    await terminateQuietly(env, workflowId);
  });
});
