// One workflow per year runs the standing duties of 第十五条(一)(二) and
// 第十七条(二): every medium carries at least one "深化改革惠民生" piece a week
// (the propaganda department reports them; a week's missing media are chased
// after its report deadline and recorded as missed), the city distributes the
// innovation-experience brochure once each December (reminded at December's
// start with the year's selected experiences, chased when December passes
// without it), and the reform office holds one class at a well-known
// university each year (reminded in the autumn, chased when the year ends
// without it) besides its regular trainings. The weeks, reminders and chases
// run on the one duty loop (workflows/duties.ts); dates come from the policy.
import { condition, continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DutiesNoticeKind } from '../../activities/dutiesTexts';
import { dutiesWorkflowId } from '../../common/ids';
import { PROPAGANDA_ID, REFORM_OFFICE_ID } from '../../common/org';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { chaseAt, standingDuties, type StandingDuty } from './duties';
import {
  distributeBrochureUpdate,
  dutiesQuery,
  dutiesReadyUpdate,
  planTrainingUpdate,
  regularTrainingUpdate,
  reportPiecesUpdate,
  trainingHeldUpdate,
  type Actor,
  type DutiesCarried,
  type DutiesInput,
  type DutiesView,
} from './messages';
import { dutiesObligations } from './obligations';
import { dayOfYear, mondayOf, PHASE_LABELS, shanghaiDay, startOfDay, weekReportDue, weeksOfYear, yearlyDue, type Piece } from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const { recordChange, sendDutiesNotice, dutiesExperiences, resolveDutiesPolicy } = activities;

export async function standingDutiesWorkflow(input: DutiesInput): Promise<DutiesView> {
  const { year } = input;
  const p = input.policy.duties;
  const cal = () => input.policy.calendar;
  const workflowId = workflowInfo().workflowId;
  const weeks = weeksOfYear(year);
  const weekDue = (monday: string) => weekReportDue(monday, p.weeklyReportDay, cal());
  /** The year closes once its last week's chase and the yearly chases are past. */
  const closingAt = (lastWeekDue: string, brochureDue: string, trainingDue: string) => new Date(Math.max(chaseAt(lastWeekDue, p), chaseAt(brochureDue, p), chaseAt(trainingDue, p))).toISOString();

  const s: DutiesCarried = input.carried ?? initial();
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): DutiesCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  let startRecorded = !!input.carried;

  function initial(): DutiesCarried {
    const brochureDue = yearlyDue(year, p.brochure.dueBy, cal());
    const trainingDue = yearlyDue(year, p.training.dueBy, cal());
    return {
      phase: 'RUNNING',
      // The year's clocks start on 1 January, whenever the workflow is started (a catch-up keeps its dates).
      startedAt: startOfDay(`${year}-01-01`),
      media: p.media.map((m) => ({ ...m })),
      weeks: [],
      pieces: [],
      brochure: { remindAt: startOfDay(dayOfYear(year, p.brochure.remindOn)), dueAt: brochureDue, experiences: [] },
      training: { remindAt: startOfDay(dayOfYear(year, p.training.remindOn)), dueAt: trainingDue },
      trainings: [],
      closesAt: closingAt(weekDue(weeks[weeks.length - 1]), brochureDue, trainingDue),
      seq: 0,
      fired: [],
      revision: 0,
    };
  }

  const view = (): DutiesView => {
    const { fired: _f, seq: _s, ...rest } = carried();
    return { ...rest, year, policyVersion: input.policy.version };
  };

  /** Records the state as the next revision, with the step that led to it. Call where the state changed, before any await. */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    const obligations = dutiesObligations(s, workflowId);
    const due = obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.phase], DubanDueAt: due ? [new Date(due)] : [] });
    return recordChange({
      family: 'duties',
      workflowId,
      subjectId: String(year),
      revision: revisions.next(),
      at: new Date().toISOString(),
      duties: JSON.parse(JSON.stringify({ phase: s.phase, startedAt: s.startedAt, media: s.media, weeks: s.weeks, pieces: s.pieces, brochure: s.brochure, training: s.training, trainings: s.trainings, closesAt: s.closesAt, closedAt: s.closedAt })) as DutiesRecord,
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    });
  }

  function notify(kind: DutiesNoticeKind, step: string, extra: { week?: string; missed?: string[] } = {}): Promise<unknown> {
    const w = extra.week ? s.weeks.find((x) => x.monday === extra.week) : undefined;
    const explanation =
      kind === 'WEEK_CHASE'
        ? { rule: '第十五条（一）', startEvent: `${extra.week}当周开始`, startedAt: startOfDay(extra.week!), offset: `次周第${p.weeklyReportDay}天内报送`, dueAt: w!.dueAt }
        : kind.startsWith('BROCHURE')
          ? { rule: '第十五条（二）', startEvent: '12月份开始', startedAt: s.brochure.remindAt, offset: `${p.brochure.dueBy.replace('-', '月')}日前`, dueAt: s.brochure.dueAt }
          : { rule: '第十七条（二）', startEvent: `${year}年开始`, startedAt: s.startedAt, offset: `${p.training.dueBy.replace('-', '月')}日前`, dueAt: s.training.dueAt };
    return sendDutiesNotice({
      year,
      workflowId,
      kind,
      step,
      unitIds: kind === 'WEEK_CHASE' ? [PROPAGANDA_ID] : [REFORM_OFFICE_ID],
      week: extra.week,
      missed: extra.missed?.map((id) => s.media.find((m) => m.id === id)?.name ?? id),
      experiences: kind.startsWith('BROCHURE') ? s.brochure.experiences.map((e) => e.title) : undefined,
      plan: kind.startsWith('TRAINING') && s.training.plan ? `${s.training.plan.university}《${s.training.plan.title}》（${s.training.plan.startsOn}至${s.training.plan.endsOn}）` : undefined,
      explanation,
    });
  }

  const today = () => shanghaiDay(Date.now());
  function running(): void {
    if (!startRecorded) throw new Error('本年度常态化工作正在启动，请稍后再试');
    if (s.phase !== 'RUNNING') throw new Error(`${year}年度常态化工作${PHASE_LABELS[s.phase]}，不能办理`);
  }
  function inYear(date: string, what: string): void {
    if (!date.startsWith(`${year}-`)) throw new Error(`${what}须在${year}年内`);
    if (date > today()) throw new Error(`${what}（${date}）尚未到来`);
  }

  // ---- steps (updates) -------------------------------------------------------

  setHandler(dutiesQuery, view);
  setHandler(dutiesReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  // 第十五条(一): the propaganda department reports the pieces the media carried (late reports are taken and marked late).
  setHandler(
    reportPiecesUpdate,
    async (a) => {
      const at = new Date().toISOString();
      const added: Piece[] = a.pieces.map((x) => {
        s.seq += 1;
        return { id: `P-${s.seq}`, mediumId: x.mediumId, title: x.title, publishedOn: x.publishedOn, week: mondayOf(x.publishedOn), ...(x.link ? { link: x.link } : {}), ...(x.issue ? { issue: x.issue } : {}), by: a.actor.officialId, at };
      });
      s.pieces.push(...added);
      await record({ step: 'reportPieces', actor: a.actor, data: { pieces: added.map((x) => ({ id: x.id, mediumId: x.mediumId, week: x.week })) } });
      return view();
    },
    {
      validator: (a) => {
        running();
        if (a.pieces.length === 0) throw new Error('请至少报送一篇稿件');
        for (const x of a.pieces) {
          const medium = s.media.find((m) => m.id === x.mediumId);
          if (!medium) throw new Error(`“${x.mediumId}”不在本年度媒体名单中`);
          if (x.publishedOn > today()) throw new Error(`刊播日期（${x.publishedOn}）尚未到来`);
          // 第十五条(一) 每周: a piece counts for the week it was published in, one of this year's weeks.
          if (!weeks.includes(mondayOf(x.publishedOn))) throw new Error(`刊播日期（${x.publishedOn}）不在${year}年度的周次内（每周自周一起算，以周一所在年度为准）`);
          if (s.pieces.some((q) => q.mediumId === x.mediumId && q.publishedOn === x.publishedOn && q.title === x.title)) throw new Error(`${medium.name}${x.publishedOn}《${x.title}》已报送`);
        }
      },
    },
  );

  // 第十五条(二): the December distribution of the brochure, once a year.
  setHandler(
    distributeBrochureUpdate,
    async (a) => {
      s.brochure.distribution = { on: a.distributedOn, copies: a.copies, places: [...a.places], ...(a.note ? { note: a.note } : {}), by: a.actor.officialId, at: new Date().toISOString() };
      await record({ step: 'distributeBrochure', actor: a.actor, data: { on: a.distributedOn, copies: a.copies } });
      return view();
    },
    {
      validator: (a) => {
        running();
        if (s.brochure.distribution) throw new Error(`${year}年度宣传册已于${s.brochure.distribution.on}发放`);
        if (!a.distributedOn.startsWith(`${year}-12-`)) throw new Error(`宣传册须于${year}年12月份集中发放（第十五条（二））`);
        inYear(a.distributedOn, '发放日期');
      },
    },
  );

  // 第十七条(二): the year's university class, planned (and re-planned until held).
  setHandler(
    planTrainingUpdate,
    async (a) => {
      s.training.plan = { university: a.university, title: a.title, startsOn: a.startsOn, endsOn: a.endsOn, participantUnitIds: [...a.participantUnitIds], by: a.actor.officialId, at: new Date().toISOString() };
      await record({ step: 'planTraining', actor: a.actor, data: { university: a.university, startsOn: a.startsOn } });
      return view();
    },
    {
      validator: (a) => {
        running();
        if (s.training.held) throw new Error(`${year}年度高校专题培训班已举办`);
        if (!a.startsOn.startsWith(`${year}-`) || !a.endsOn.startsWith(`${year}-`)) throw new Error(`培训班须在${year}年内举办`);
        if (a.endsOn < a.startsOn) throw new Error('培训班结束日期早于开班日期');
      },
    },
  );

  setHandler(
    trainingHeldUpdate,
    async (a) => {
      s.training.held = { attendees: a.attendees, ...(a.note ? { note: a.note } : {}), by: a.actor.officialId, at: new Date().toISOString() };
      await record({ step: 'holdTraining', actor: a.actor, data: { attendees: a.attendees } });
      return view();
    },
    {
      validator: (_a) => {
        running();
        if (s.training.held) throw new Error(`${year}年度高校专题培训班已举办`);
        if (!s.training.plan) throw new Error('尚未登记高校专题培训班计划');
        if (s.training.plan.startsOn > today()) throw new Error(`培训班${s.training.plan.startsOn}开班，尚未举办`);
      },
    },
  );

  // 第十七条(二) 定期组织专题培训: the office's other trainings, recorded as they are held.
  setHandler(
    regularTrainingUpdate,
    async (a) => {
      s.seq += 1;
      const id = `T-${s.seq}`;
      s.trainings.push({ id, title: a.title, heldOn: a.heldOn, participantUnitIds: [...a.participantUnitIds], ...(a.note ? { note: a.note } : {}), by: a.actor.officialId, at: new Date().toISOString() });
      await record({ step: 'recordTraining', actor: a.actor, data: { id, title: a.title, heldOn: a.heldOn } });
      return view();
    },
    {
      validator: (a) => {
        running();
        inYear(a.heldOn, '培训日期');
        if (s.trainings.some((t) => t.title === a.title && t.heldOn === a.heldOn)) throw new Error(`${a.heldOn}《${a.title}》已登记`);
      },
    },
  );

  // ---- start -----------------------------------------------------------------

  // A new calendar moves the deadlines not yet reached: the begun weeks' reports, the brochure's, the class's, and with them the year's close.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      for (const w of s.weeks) if (!w.chasedAt) w.dueAt = pending(w.dueAt, now, () => weekDue(w.monday), `week-${w.monday}`, moved)!;
      if (!s.brochure.distribution) s.brochure.dueAt = pending(s.brochure.dueAt, now, () => yearlyDue(year, p.brochure.dueBy, cal()), 'brochure', moved)!;
      if (!s.training.held) s.training.dueAt = pending(s.training.dueAt, now, () => yearlyDue(year, p.training.dueBy, cal()), 'training', moved)!;
      const last = weeks[weeks.length - 1];
      const lastDue = s.weeks.find((w) => w.monday === last)?.dueAt ?? weekDue(last);
      if (Date.parse(s.closesAt) > now) s.closesAt = closingAt(lastDue, s.brochure.dueAt, s.training.dueAt);
      return moved;
    },
    (event) => record(event),
  );

  function openWeek(monday: string): void {
    s.weeks.push({ monday, dueAt: weekDue(monday), missed: [] });
  }

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['duties'], DubanUnits: [REFORM_OFFICE_ID, PROPAGANDA_ID] });
    // A year started after its first Monday (by hand, a catch-up) begins its past weeks at once; their chases follow.
    for (const monday of weeks) if (Date.parse(startOfDay(monday)) <= Date.now()) openWeek(monday);
    await record({ step: 'start', data: { weeks: s.weeks.length } });
    startRecorded = true;
  }

  // ---- timed duties ------------------------------------------------------------

  await runDuties<StandingDuty>({
    due: () => standingDuties(s, weeks, p),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'CLOSED',
    continueAsNew: () => continueAsNew<typeof standingDutiesWorkflow>({ ...input, carried: carried() }),
    // A week's chase reads only that week's pieces and writes only that week: a catch-up's overdue weeks are chased in one round.
    together: (next, dueNow) => (next.kind === 'WEEK_CHASE' ? dueNow.filter((d) => d.kind === 'WEEK_CHASE') : []),
    async fire(d) {
      switch (d.kind) {
        case 'OPEN_WEEK':
          openWeek(d.week!);
          return record({ step: `week-${d.week}` });
        case 'WEEK_CHASE': {
          // 第十五条(一): a medium with no piece reported by the deadline is recorded as missed and chased.
          const w = s.weeks.find((x) => x.monday === d.week)!;
          w.chasedAt = new Date().toISOString();
          w.missed = s.media.filter((m) => !s.pieces.some((x) => x.mediumId === m.id && x.week === w.monday)).map((m) => m.id);
          const recorded = record({ step: `week-${w.monday}:chase`, data: { missed: w.missed } });
          if (w.missed.length) await notify('WEEK_CHASE', d.key, { week: w.monday, missed: w.missed });
          return recorded;
        }
        case 'BROCHURE_REMINDER': {
          // 第十五条(二): the brochure presents the year's selected innovation experiences (the selection family's records).
          const experiences = await dutiesExperiences(year);
          s.brochure.experiences = experiences;
          s.brochure.remindedAt = new Date().toISOString();
          const recorded = record({ step: 'brochure:reminder', data: { experiences: experiences.length } });
          await notify('BROCHURE_REMINDER', d.key);
          return recorded;
        }
        case 'BROCHURE_CHASE':
          s.brochure.chasedAt = new Date().toISOString();
          await record({ step: d.key });
          await notify('BROCHURE_CHASE', d.key);
          return;
        case 'TRAINING_REMINDER':
          s.training.remindedAt = new Date().toISOString();
          await record({ step: d.key });
          await notify('TRAINING_REMINDER', d.key);
          return;
        case 'TRAINING_CHASE':
          s.training.chasedAt = new Date().toISOString();
          await record({ step: d.key });
          await notify('TRAINING_CHASE', d.key);
          return;
        case 'YEAR_CLOSE':
          s.phase = 'CLOSED';
          s.closedAt = new Date().toISOString();
          return record({ step: 'yearClose' });
      }
    },
  });
  return view();
}

/** What the recorder writes of a year (activities/records/duties.ts). */
export type DutiesRecord = Pick<DutiesCarried, 'phase' | 'startedAt' | 'media' | 'weeks' | 'pieces' | 'brochure' | 'training' | 'trainings' | 'closesAt' | 'closedAt'>;

/**
 * What the yearly Schedule starts (worker/schedules.ts): this year's workflow
 * under its business id ("duties:2027"), with the city's policy in force; a
 * year already started by hand, or finished, is left alone.
 */
export async function standingDutiesScheduleWorkflow(): Promise<{ year: number; started: boolean }> {
  const year = Number(shanghaiDay(scheduledAt()).slice(0, 4));
  const policy = await resolveDutiesPolicy();
  return { year, started: await startPeriodOnce(standingDutiesWorkflow, dutiesWorkflowId(year), { version: 1, year, policy }) };
}
