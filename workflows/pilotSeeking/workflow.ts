// One workflow per quarter runs the seeking of pilots of 第十一条(一)–(四):
// the reform office sorts the pilot leads the centre and the province plan and
// issues them to the units that take charge (试点线索交办), every district and
// department reports its 对接 with the national and provincial bodies each
// month (一月一对接), each keeps its ledger of pilots sought (争取台账: lead unit,
// participants, responsible leader, progress), and after the quarter the office
// reports on it all in a bulletin (季度通报). A ledger row still open at the
// quarter's end is read by the next quarter's workflow when it starts: the
// ledger is the unit's standing record. A pilot won is registered by the office
// in the pilot family (第十一条(五)–(七)). Durations come from the policy; a
// unit's report runs under its own (第二十一条).
import { condition, continueAsNew, currentUpdateInfo, getExternalWorkflowHandle, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SeekingNoticeKind } from '../../activities/pilotSeekingTexts';
import { pilotSeekingWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline, type DeadlineSpec } from '../../common/policy/calendar';
import { unitPolicy } from '../../common/policy/scope';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { seekingDuties, type SeekingDuty } from './duties';
import {
  addRowUpdate,
  contactReportUpdate,
  issueBulletinUpdate,
  issueLeadsUpdate,
  rowsHandedOverSignal,
  seekingQuery,
  seekingReadyUpdate,
  updateRowUpdate,
  type Actor,
  type SeekingCarried,
  type SeekingInput,
  type SeekingView,
} from './messages';
import { seekingObligations, seekingOwed } from './obligations';
import { bulletinLines, composeBulletin, monthStartOf, nextQuarter, PHASE_LABELS, quarterEnd, quarterStart, quarterOf, reported, type LedgerRow, type SeekingPhase } from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const { recordChange, sendSeekingNotice, pilotSeekingSetup, resolveSeekingPolicies } = activities;

export async function pilotSeekingWorkflow(input: SeekingInput): Promise<SeekingView> {
  const { quarter } = input;
  const p = input.policy.pilotSeeking;
  // 第二十一条: a unit's report is due, reminded and chased under its own policy; the office's duties are the city's.
  const pOf = (unitId: string) => unitPolicy(input, unitId).pilotSeeking;
  const cal = () => input.policy.calendar;
  const workflowId = workflowInfo().workflowId;
  const startedAt = quarterStart(quarter);
  const s: SeekingCarried = input.carried ?? {
    phase: 'COLLECTING',
    // The quarter's clocks start on its first day, whenever the workflow is started (a catch-up keeps its dates).
    startedAt,
    // Filled by the start block below: every handler is registered before the first await.
    setup: { units: [], names: {} },
    leadsDueAt: deadlineAfter(startedAt, p.leadsWithin, input.policy.calendar).at,
    leads: [],
    months: 0,
    reportsDueAt: {},
    reports: [],
    rows: [],
    seq: 0,
    fired: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): SeekingCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  /** Set once the quarter's start is recorded (a continued run started long ago). */
  let startRecorded = !!input.carried;

  const view = (): SeekingView => {
    const { fired: _f, seq: _s, ...rest } = carried();
    return { ...rest, quarter, policyVersion: input.policy.version };
  };
  const reportDeadline = (unitId: string, k: number) => deadlineAfter(monthStartOf(quarter, k), pOf(unitId).reportDueAfter, cal()).at;
  const bulletinDeadline = () => deadlineAfter(quarterEnd(quarter), p.bulletinWithin, cal()).at;

  /** Records the state as the next revision, with the step that led to it. Call where the state changed, before any await. */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    const obligations = seekingObligations(s, quarter, workflowId);
    const due = obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.phase], DubanDueAt: due ? [new Date(due)] : [] });
    return recordChange({
      family: 'pilotSeeking',
      workflowId,
      subjectId: quarter,
      revision: revisions.next(),
      at: new Date().toISOString(),
      pilotSeeking: JSON.parse(
        JSON.stringify({ phase: s.phase, startedAt: s.startedAt, leadsDueAt: s.leadsDueAt, leadsIssuedAt: s.leadsIssuedAt, leads: s.leads, reports: s.reports, reportsDueAt: s.reportsDueAt, rows: s.rows, bulletinDueAt: s.bulletinDueAt, bulletin: s.bulletin, closedAt: s.closedAt }),
      ) as SeekingRecord,
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    });
  }

  /** The term an obligation's deadline was counted with, for the notice's explanation. */
  function termOf(name: string, unitId: string): DeadlineSpec {
    if (name === 'leads') return p.leadsWithin;
    if (name === 'bulletin') return p.bulletinWithin;
    return pOf(unitId).reportDueAfter;
  }

  function notify(kind: SeekingNoticeKind, step: string, unitIds: string[], extra: { owed?: string; leadIds?: string[]; createdBy?: string } = {}): Promise<unknown> {
    const o = extra.owed ? seekingOwed(s, quarter).find((x) => x.name === extra.owed) : undefined;
    const explanation = o
      ? { rule: o.rule, startEvent: o.name === 'bulletin' ? '季度结束' : o.name === 'leads' ? '季度开始' : '月度对接开始', startedAt: o.openedAt, offset: describeDeadline(termOf(o.name, o.unitId)), dueAt: o.dueAt }
      : kind === 'LEADS'
        ? // The leads are taken up at once; the notice names the unit's next deadline, this month's 对接 report.
          { rule: '第十一条（二）', startEvent: `第${s.months}个月对接争取开始`, startedAt: monthStartOf(quarter, s.months), offset: describeDeadline(pOf(unitIds[0]).reportDueAfter), dueAt: s.reportsDueAt[`${s.months}:${unitIds[0]}`] }
        : { rule: '第十一条（四）', startEvent: '季度结束', startedAt: quarterEnd(quarter), offset: describeDeadline(p.bulletinWithin), dueAt: s.bulletinDueAt };
    return sendSeekingNotice({
      quarter,
      workflowId,
      kind,
      step,
      unitIds,
      owed: o && { title: o.title, unitId: o.unitId, dueAt: o.dueAt },
      leads: s.leads.filter((l) => extra.leadIds?.includes(l.id)),
      bulletin: kind === 'BULLETIN' ? s.bulletin?.text : undefined,
      createdBy: extra.createdBy,
      explanation,
    });
  }

  /** Opens month `k` of the quarter: each unit's report deadline under its own policy. */
  function openMonth(k: number): void {
    s.months = k;
    for (const unitId of s.setup.units) s.reportsDueAt[`${k}:${unitId}`] = reportDeadline(unitId, k);
  }

  // A new calendar moves the deadlines not yet reached: the leads', the open reports', the bulletin's.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      if (!s.leadsIssuedAt) s.leadsDueAt = pending(s.leadsDueAt, now, () => deadlineAfter(startedAt, p.leadsWithin, cal()).at, 'leads', moved)!;
      for (const key of Object.keys(s.reportsDueAt)) {
        const [k, unitId] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
        if (!reported(s.reports, unitId, k)) s.reportsDueAt[key] = pending(s.reportsDueAt[key], now, () => reportDeadline(unitId, k), `report-${key}`, moved)!;
      }
      if (s.bulletinDueAt && !s.bulletin) s.bulletinDueAt = pending(s.bulletinDueAt, now, bulletinDeadline, 'bulletin', moved);
      return moved;
    },
    (event) => record(event),
  );

  function inPhase(...phases: SeekingPhase[]): void {
    if (!startRecorded) throw new Error('本季度争取试点工作正在启动，请稍后再试');
    if (!phases.includes(s.phase)) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不能办理（需处于“${phases.map((x) => PHASE_LABELS[x]).join('”或“')}”）`);
  }
  function aUnit(unitId: string): void {
    if (!s.setup.units.includes(unitId)) throw new Error('只有区县和市直有关部门参与争取试点');
  }
  function ownRow(a: { actor: Actor; rowId: string }): LedgerRow {
    const row = s.rows.find((r) => r.id === a.rowId);
    if (!row) throw new Error(`争取台账中没有“${a.rowId}”`);
    if (row.unitId !== a.actor.unitId) throw new Error('只能更新本单位争取台账');
    if (row.status !== 'OPEN') throw new Error('该试点已销号，不能再更新');
    return row;
  }
  const nextRowId = () => {
    s.seq += 1;
    return `${quarter}-R${s.seq}`;
  };

  // ---- steps (updates) -------------------------------------------------------

  setHandler(seekingQuery, view);
  setHandler(seekingReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  // 第十一条(二): the office issues the quarter's leads; each becomes a row of its lead unit's ledger.
  setHandler(
    issueLeadsUpdate,
    async (a) => {
      const at = new Date().toISOString();
      s.leadsIssuedAt = at;
      for (const l of a.leads) {
        const lead = { ...l, id: `L-${s.leads.length + 1}`, participantUnitIds: [...l.participantUnitIds] };
        s.leads.push(lead);
        s.rows.push({ id: nextRowId(), unitId: l.leadUnitId, title: l.title, level: l.level, source: l.source, participantUnitIds: [...l.participantUnitIds], progress: '市委改革办交办的试点线索', status: 'OPEN', leadId: lead.id, openedIn: quarter, updatedAt: at });
      }
      const recorded = record({ step: 'issueLeads', actor: a.actor, data: { leads: s.leads.map((l) => ({ id: l.id, title: l.title, leadUnitId: l.leadUnitId })) } });
      // Each unit concerned receives the leads it takes charge of or takes part in.
      const units = [...new Set(s.leads.flatMap((l) => [l.leadUnitId, ...l.participantUnitIds]))].sort();
      for (const unitId of units) {
        await notify('LEADS', `leads:${unitId}`, [unitId], { leadIds: s.leads.filter((l) => l.leadUnitId === unitId || l.participantUnitIds.includes(unitId)).map((l) => l.id), createdBy: a.actor.officialId });
      }
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        inPhase('COLLECTING');
        if (s.leadsIssuedAt) throw new Error('本季度试点线索已交办');
        if (a.leads.length === 0) throw new Error('请至少交办一条试点线索');
        for (const l of a.leads) {
          if (!s.setup.units.includes(l.leadUnitId)) throw new Error(`“${l.leadUnitId}”不是区县或市直有关部门，不能牵头`);
          const stray = l.participantUnitIds.filter((u: string) => !s.setup.units.includes(u) || u === l.leadUnitId);
          if (stray.length) throw new Error(`参与单位有误：${stray.join('、')}`);
        }
      },
    },
  );

  // 第十一条(一) 一月一对接: a unit's report of a month (late ones are still taken, and marked late).
  setHandler(
    contactReportUpdate,
    async (a) => {
      const at = new Date().toISOString();
      const late = at > s.reportsDueAt[`${a.month}:${a.actor.unitId}`];
      s.reports.push({ unitId: a.actor.unitId, month: a.month, contacts: a.contacts, learned: a.learned, requests: a.requests, by: a.actor.officialId, at, late });
      await record({ step: 'reportContact', actor: a.actor, data: { month: a.month, late } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('COLLECTING', 'BULLETIN');
        aUnit(a.actor.unitId);
        if (a.month < 1 || a.month > s.months) throw new Error(`本季度第${a.month}个月的对接争取情况尚未开始报送`);
        if (reported(s.reports, a.actor.unitId, a.month)) throw new Error(`本单位已报送第${a.month}个月对接争取情况`);
      },
    },
  );

  // 第十一条(三): a unit adds a pilot it seeks on its own to its ledger.
  setHandler(
    addRowUpdate,
    async (a) => {
      const id = nextRowId();
      s.rows.push({ id, unitId: a.actor.unitId, title: a.title, level: a.level, source: a.source, participantUnitIds: [...a.participantUnitIds], leaderId: a.leaderId, progress: a.progress, status: 'OPEN', openedIn: quarter, updatedAt: new Date().toISOString() });
      await record({ step: 'addRow', actor: a.actor, data: { rowId: id, title: a.title } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('COLLECTING');
        aUnit(a.actor.unitId);
        if (s.rows.some((r) => r.unitId === a.actor.unitId && r.status === 'OPEN' && r.title === a.title)) throw new Error('本单位争取台账已有同名试点');
        const stray = a.participantUnitIds.filter((u: string) => !s.setup.units.includes(u) || u === a.actor.unitId);
        if (stray.length) throw new Error(`参与单位有误：${stray.join('、')}`);
      },
    },
  );

  // 第十一条(三): progress, leader and participants; a row closes as won (the office registers the pilot) or dropped.
  setHandler(
    updateRowUpdate,
    async (a) => {
      const row = s.rows.find((r) => r.id === a.rowId)!;
      const at = new Date().toISOString();
      Object.assign(row, { progress: a.progress, updatedAt: at }, a.leaderId ? { leaderId: a.leaderId } : {}, a.participantUnitIds ? { participantUnitIds: [...a.participantUnitIds] } : {});
      if (a.outcome) Object.assign(row, { status: a.outcome, note: a.note, closedAt: at, closedIn: quarter });
      await record({ step: 'updateRow', actor: a.actor, data: { rowId: a.rowId, outcome: a.outcome, note: a.note } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('COLLECTING');
        const row = ownRow(a);
        if (a.outcome === 'DROPPED' && !a.note) throw new Error('放弃争取须说明理由');
        if (a.outcome === 'WON' && !(a.leaderId ?? row.leaderId)) throw new Error('争取成功的试点须明确责任领导');
        const stray = (a.participantUnitIds ?? []).filter((u: string) => !s.setup.units.includes(u) || u === row.unitId);
        if (stray.length) throw new Error(`参与单位有误：${stray.join('、')}`);
      },
    },
  );

  // 第十一条(四) 季度通报: the bulletin is composed from the quarter's reports and ledgers; the quarter closes.
  setHandler(
    issueBulletinUpdate,
    async (a) => {
      const lines = bulletinLines(quarter, s.setup.units, s.months, s.reports, s.rows);
      s.bulletin = { text: composeBulletin(quarter, lines, (id) => s.setup.names[id] ?? id, a.note), by: a.actor.officialId, at: new Date().toISOString() };
      s.phase = 'CLOSED';
      s.closedAt = s.bulletin.at;
      const recorded = record({ step: 'issueBulletin', actor: a.actor, data: { note: a.note } });
      await notify('BULLETIN', 'bulletin', s.setup.units, { createdBy: a.actor.officialId });
      await recorded;
      await handOver();
      return view();
    },
    { validator: (_a) => inPhase('BULLETIN') },
  );

  // 第十一条(三): the ledger is each unit's standing record. Its open rows pass from a quarter to the
  // next when the quarter closes: handed over by signal when the next quarter already runs (it
  // usually does: it starts on its first day, the bulletin comes after), else read at that quarter's
  // start from this one's final record. Until then the rows are this quarter's, and updated here.
  async function handOver(): Promise<void> {
    const rows = s.rows.filter((r) => r.status === 'OPEN');
    if (rows.length === 0) return;
    try {
      await getExternalWorkflowHandle(pilotSeekingWorkflowId(nextQuarter(quarter))).signal(rowsHandedOverSignal, { from: quarter, rows });
    } catch {
      // The next quarter is not running yet: its start reads these rows.
    }
  }
  setHandler(rowsHandedOverSignal, async ({ from, rows }) => {
    await condition(() => startRecorded);
    const taken = rows.filter((r) => !s.rows.some((x) => x.id === r.id));
    if (taken.length === 0) return;
    s.rows.push(...taken);
    await record({ step: 'rowsHandedOver', data: { from, rows: taken.map((r) => r.id) } });
  });

  // ---- start -----------------------------------------------------------------

  if (!input.carried) {
    const { setup, rows } = await pilotSeekingSetup(quarter);
    s.setup = setup;
    s.rows = [...rows, ...s.rows.filter((r) => !rows.some((x) => x.id === r.id))];
    upsertSearchAttributes({ DubanFamily: ['pilotSeeking'], DubanUnits: [REFORM_OFFICE_ID, ...setup.units] });
    openMonth(1);
    await record({ step: 'start', data: { carriedRows: rows.map((r) => r.id) } });
    startRecorded = true;
  }

  // ---- timed duties ------------------------------------------------------------

  const notice = (d: SeekingDuty) => d.kind === 'REMINDER' || d.kind === 'CHASE';

  await runDuties<SeekingDuty>({
    due: () => seekingDuties(s, quarter, (unitId) => (unitId === REFORM_OFFICE_ID ? p : pOf(unitId))),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'CLOSED',
    continueAsNew: () => continueAsNew<typeof pilotSeekingWorkflow>({ ...input, carried: carried() }),
    // Reminders and chases only send notices: those due at once (a quarter caught up late owes every
    // unit's report chase together) go out concurrently.
    together: (next, dueNow) => (notice(next) ? dueNow.filter(notice) : []),
    async fire(d) {
      switch (d.kind) {
        case 'OPEN_MONTH':
          openMonth(s.months + 1);
          return record({ step: `month-${s.months}` });
        case 'QUARTER_END':
          s.phase = 'BULLETIN';
          s.bulletinDueAt = bulletinDeadline();
          return record({ step: 'quarterEnd' });
        case 'REMINDER':
        case 'CHASE': {
          const o = seekingOwed(s, quarter).find((x) => x.name === d.owed)!;
          // A quarter started late (a catch-up) reaches its past reminders at once: a reminder of a deadline already passed says nothing the chase does not.
          if (d.kind === 'REMINDER' && Date.now() >= Date.parse(o.dueAt)) return;
          await notify(d.kind, d.key, [o.unitId], { owed: d.owed });
          return;
        }
      }
    },
  });
  return view();
}

/** What the recorder writes of a quarter (activities/records/pilotSeeking.ts). */
export type SeekingRecord = Pick<SeekingCarried, 'phase' | 'startedAt' | 'leadsDueAt' | 'leadsIssuedAt' | 'leads' | 'reports' | 'reportsDueAt' | 'rows' | 'bulletinDueAt' | 'bulletin' | 'closedAt'>;

/**
 * What the quarterly Schedule starts (worker/schedules.ts): this quarter's
 * workflow under its business id ("pilot-seeking:2027-Q1"), with the policies in
 * force; a quarter already started by hand, or finished, is left alone.
 */
export async function pilotSeekingScheduleWorkflow(): Promise<{ quarter: string; started: boolean }> {
  const quarter = quarterOf(scheduledAt());
  const { policy, unitPolicies } = await resolveSeekingPolicies();
  return { quarter, started: await startPeriodOnce(pilotSeekingWorkflow, pilotSeekingWorkflowId(quarter), { version: 1, quarter, policy, unitPolicies }) };
}
