// One workflow per year runs the innovation items of 第十二条 (激励探索创新):
// the reform office's January notice → districts and city departments submit
// their items (提报) → each special group reviews the items of its field, the
// review signed by the group's leader → the reform office reviews what the
// groups passed (复审) → the director approves (审定) → a bulletin tells every
// submitter the outcome (简报反馈) → the approved items are tracked month by
// month: each implementing unit reports its progress (一月一汇总) and the office
// comments (一月一点评), until the year ends. Durations come from the policy.
import { condition, continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ExplorationNoticeKind } from '../../activities/explorationTexts';
import { explorationWorkflowId } from '../../common/ids';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { explorationTimed, roundDue, type ExplorationTimed } from './duties';
import {
  adjustItemsUpdate,
  approveItemsUpdate,
  closePhaseUpdate,
  commentRoundUpdate,
  explorationQuery,
  explorationReadyUpdate,
  groupReviewUpdate,
  officeReviewUpdate,
  reportProgressUpdate,
  submitItemUpdate,
  type Actor,
  type Decision,
  type ExplorationCarried,
  type ExplorationInput,
  type ExplorationView,
} from './messages';
import { explorationObligations, explorationOwed } from './obligations';
import { adjustmentRefusal, approvedItems, noticeItems, PHASE_LABELS, reviewRefusal, trackedIn, unitsTrackedIn, type ExplorationItem, type ExplorationPhase, type Review } from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const { recordChange, sendExplorationNotice, explorationSetup, resolveExplorationPolicy } = activities;

const RULE = '第十二条';

/** The end of the year in Asia/Shanghai (24:00 on 31 December). */
export function yearEnd(year: string): string {
  return new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`).toISOString();
}

export async function explorationWorkflow(input: ExplorationInput): Promise<ExplorationView> {
  const p = input.policy.exploration;
  const workflowId = workflowInfo().workflowId;
  const endsAt = yearEnd(input.year);
  const s: ExplorationCarried = input.carried ?? {
    phase: 'CALL',
    phases: {},
    // Filled by the start block below: every handler is registered before the first await, so a
    // step or the ready update arriving with the start is never refused for want of a handler.
    setup: { submitters: [], groups: [] },
    items: [],
    seq: 0,
    rounds: [],
    chases: {},
    fired: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): ExplorationCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  let closeRequested = false;
  /** The phase whose opening is recorded: an early close answers once the next phase is. */
  let recordedPhase = s.phase;
  let recordedRevision = s.revision;
  /** Set once the year's start is recorded (a continued run started long ago). */
  let startRecorded = !!input.carried;

  const view = (): ExplorationView => {
    const { fired: _f, seq: _s, chases: _c, ...rest } = carried();
    return { ...rest, year: input.year, endsAt, policyVersion: input.policy.version };
  };

  /** Records the state as the next revision, with the step that led to it. Call where the state changed, before any await. */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    const phase = s.phase;
    const revision = revisions.next();
    upsertSearchAttributes({ DubanState: [phase] });
    return recordChange({
      family: 'exploration',
      workflowId,
      subjectId: input.year,
      revision,
      at: new Date().toISOString(),
      exploration: { phase: s.phase, phases: s.phases, items: JSON.parse(JSON.stringify(s.items)) as ExplorationItem[], rounds: s.rounds, approvedAt: s.approvedAt, closedAt: s.closedAt },
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(explorationObligations(s, workflowId)),
    }).then(() => {
      // Records may complete out of order: the phase of the newest one counts.
      if (revision > recordedRevision) [recordedRevision, recordedPhase] = [revision, phase];
    });
  }

  function notify(kind: ExplorationNoticeKind, step: string, extra: { owed?: string; round?: number; chase?: number; itemIds?: string[]; reason?: string } = {}): Promise<unknown> {
    const o = extra.owed ? explorationOwed(s).find((x) => x.name === extra.owed) : undefined;
    const phase = s.phases[s.phase];
    const round = s.rounds.find((r) => r.round === extra.round);
    return sendExplorationNotice({
      year: input.year,
      workflowId,
      kind,
      step,
      items: noticeItems(kind, s.items, extra.round, extra.itemIds),
      owed: o && { name: o.name, title: o.title, unitId: o.unitId, officialId: o.officialId, dueAt: o.dueAt },
      round: extra.round,
      reportsDueAt: round?.reportsDueAt,
      comment: round?.comment?.text,
      chase: extra.chase,
      reason: extra.reason,
      explanation: o
        ? { rule: RULE, startEvent: `${PHASE_LABELS[s.phase]}开始`, startedAt: o.openedAt, offset: describeDeadline(offsetOf(o.name)), dueAt: o.dueAt }
        : { rule: RULE, startEvent: `${PHASE_LABELS[s.phase]}开始`, startedAt: phase?.startedAt ?? new Date().toISOString(), offset: '即时', dueAt: phase?.dueAt },
    });
  }
  function offsetOf(name: string) {
    if (name.startsWith('submit:')) return p.submitWithin;
    if (name.startsWith('group-review:')) return p.groupReviewWithin;
    if (name === 'office-review') return p.officeReviewWithin;
    if (name === 'approval') return p.approvalWithin;
    if (name.startsWith('comment-')) return p.commentWithin;
    return p.reportEvery;
  }

  /** The phase's term (a date on the calendar from its start); tracking and closing have none. */
  const PHASE_TERM: Partial<Record<ExplorationPhase, 'submitWithin' | 'groupReviewWithin' | 'officeReviewWithin' | 'approvalWithin'>> = { CALL: 'submitWithin', GROUP_REVIEW: 'groupReviewWithin', OFFICE_REVIEW: 'officeReviewWithin', APPROVAL: 'approvalWithin' };
  const phaseDue = (phase: ExplorationPhase, startedAt: string): string | undefined => {
    const term = PHASE_TERM[phase];
    return term && deadlineAfter(startedAt, p[term], input.policy.calendar).at;
  };
  function open(phase: ExplorationPhase): void {
    const now = new Date().toISOString();
    s.phase = phase;
    s.phases[phase] = { startedAt: now, dueAt: phaseDue(phase, now) };
  }

  // A new calendar moves the deadlines not yet reached: the open phase's and the latest round's comment.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      const phase = s.phases[s.phase];
      if (phase?.dueAt) phase.dueAt = pending(phase.dueAt, now, () => phaseDue(s.phase, phase.startedAt)!, s.phase, moved);
      const last = s.rounds.at(-1);
      if (last && !last.comment) last.commentDueAt = pending(last.commentDueAt, now, () => roundDue(s.approvedAt!, p, last.round, input.policy.calendar).commentDueAt, `comment-${last.round}`, moved)!;
      return moved;
    },
    (event) => record(event),
  );

  function inPhase(phase: ExplorationPhase): void {
    if (!startRecorded) throw new Error('年度探索创新改革事项正在启动，请稍后再试');
    if (s.phase !== phase) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不是“${PHASE_LABELS[phase]}”`);
  }

  function decide(items: ExplorationItem[], decisions: Decision[], actor: Actor, set: (i: ExplorationItem, r: Review) => void): void {
    const at = new Date().toISOString();
    for (const d of decisions) set(items.find((i) => i.id === d.itemId)!, { passed: d.passed, comment: d.comment, by: actor.officialId, at });
  }

  /** Opens the next tracking round (第十二条(三) 一月一汇总): its reports and the office's comment. */
  function openRound(): void {
    const round = s.rounds.length + 1;
    s.rounds.push({ round, units: unitsTrackedIn(s.items, round), ...roundDue(s.approvedAt!, p, round, input.policy.calendar) });
  }

  // ---- steps (updates) -------------------------------------------------------

  setHandler(explorationQuery, view);
  setHandler(explorationReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  setHandler(
    submitItemUpdate,
    async (a) => {
      s.seq += 1;
      const item: ExplorationItem = { id: `I-${s.seq}`, unitId: a.actor.unitId, title: a.title, summary: a.summary, kind: a.kind, groupId: a.groupId, submittedBy: a.actor.officialId, submittedAt: new Date().toISOString(), progress: [] };
      s.items.push(item);
      await record({ step: 'submitItem', actor: a.actor, data: { itemId: item.id, title: a.title, kind: a.kind, groupId: a.groupId } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('CALL');
        // 第十二条(一): districts and the city departments submit.
        if (!s.setup.submitters.includes(a.actor.unitId)) throw new Error('只有区县和市直有关部门可以提报探索创新改革事项');
        if (!s.setup.groups.includes(a.groupId)) throw new Error(`“${a.groupId}”不是市专项小组`);
        const mine = s.items.filter((i) => i.unitId === a.actor.unitId).length;
        if (mine >= p.maxItemsPerUnit) throw new Error(`每个单位每年最多提报${p.maxItemsPerUnit}项`);
        if (s.items.some((i) => i.unitId === a.actor.unitId && i.title === a.title)) throw new Error('本单位已提报同名事项');
      },
    },
  );

  setHandler(
    groupReviewUpdate,
    async (a) => {
      decide(s.items, a.decisions, a.actor, (i, r) => (i.groupReview = r));
      await record({ step: 'groupReview', actor: a.actor, data: { groupId: a.groupId, decisions: a.decisions } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('GROUP_REVIEW');
        const mine = s.items.filter((i) => i.groupId === a.groupId);
        if (mine.length === 0) throw new Error('本专项小组没有需要初审的事项');
        if (mine.some((i) => i.groupReview)) throw new Error('本专项小组已审核签字');
        const why = reviewRefusal(mine, a.decisions, '本专项小组初审');
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    officeReviewUpdate,
    async (a) => {
      decide(s.items, a.decisions, a.actor, (i, r) => (i.officeReview = r));
      open('APPROVAL');
      const recorded = record({ step: 'officeReview', actor: a.actor, data: { decisions: a.decisions } });
      await notify('APPROVAL_REQUEST', 'approval-request');
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        inPhase('OFFICE_REVIEW');
        const why = reviewRefusal(s.items.filter((i) => i.groupReview?.passed), a.decisions, '复审');
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    approveItemsUpdate,
    async (a) => {
      decide(s.items, a.decisions, a.actor, (i, r) => (i.approval = r));
      s.approvedAt = new Date().toISOString();
      const approved = approvedItems(s.items).length > 0;
      if (approved) {
        open('TRACKING');
        openRound();
      } else {
        open('CLOSED');
        s.closedAt = s.approvedAt;
      }
      const recorded = record({ step: 'approveItems', actor: a.actor, data: { decisions: a.decisions } });
      // 第十二条(二): the outcome goes back to the districts and departments as a bulletin (简报).
      await notify('BULLETIN', 'bulletin');
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        inPhase('APPROVAL');
        const why = reviewRefusal(
          s.items.filter((i) => i.officeReview?.passed),
          a.decisions,
          '审定',
        );
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    reportProgressUpdate,
    async (a) => {
      const at = new Date().toISOString();
      for (const r of a.reports) s.items.find((i) => i.id === r.itemId)!.progress.push({ round: a.round, text: r.text, by: a.actor.officialId, at });
      await record({ step: 'reportProgress', actor: a.actor, data: { round: a.round, items: a.reports.map((r) => r.itemId) } });
      return view();
    },
    {
      validator: (a) => {
        inPhase('TRACKING');
        if (!s.rounds.some((r) => r.round === a.round)) throw new Error(`第${a.round}次月度汇总尚未开始`);
        const mine = s.items.filter((i) => i.unitId === a.actor.unitId && trackedIn(i, a.round));
        if (mine.length === 0) throw new Error(`本单位第${a.round}次月度汇总没有需报送进展的探索创新改革事项`);
        const done = mine.filter((i) => i.progress.some((x) => x.round === a.round));
        if (done.length === mine.length) throw new Error(`本单位已报送第${a.round}次月度进展`);
        const why = reviewRefusal(mine, a.reports, '本单位月度进展');
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    commentRoundUpdate,
    async (a) => {
      const r = s.rounds.find((x) => x.round === a.round)!;
      r.comment = { text: a.text, by: a.actor.officialId, at: new Date().toISOString() };
      const recorded = record({ step: 'commentRound', actor: a.actor, data: { round: a.round } });
      // 第十二条(三) 一月一点评: the comment goes to every implementing unit.
      await notify('COMMENT', `comment-${a.round}`, { round: a.round });
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'TRACKING' && s.phase !== 'CLOSED') inPhase('TRACKING');
        const r = s.rounds.find((x) => x.round === a.round);
        if (!r) throw new Error(`第${a.round}次月度汇总尚未开始`);
        if (r.comment) throw new Error(`第${a.round}次月度进展已点评`);
        if (Date.now() < new Date(r.reportsDueAt).getTime() && explorationOwed(s).some((o) => o.name.startsWith(`progress-${a.round}:`) && o.status === 'OPEN')) {
          throw new Error(`第${a.round}次月度进展尚未报齐，报送截止前不能点评`);
        }
      },
    },
  );

  // 第十二条(三) 定期对创新改革事项进行调整补充完善: items added during tracking owe reports from
  // the next round; a withdrawn item owes none from the current round on (the next, once reported).
  setHandler(
    adjustItemsUpdate,
    async (a) => {
      const current = s.rounds.length;
      const at = new Date().toISOString();
      const adjustment = (round: number) => ({ round, reason: a.reason, by: a.actor.officialId, at });
      const ids: string[] = [];
      for (const n of a.add) {
        s.seq += 1;
        const item: ExplorationItem = { id: `I-${s.seq}`, ...n, submittedBy: a.actor.officialId, submittedAt: at, approval: { passed: true, comment: a.reason, by: a.actor.officialId, at }, progress: [], added: adjustment(current + 1) };
        s.items.push(item);
        ids.push(item.id);
      }
      for (const id of a.withdraw) {
        const item = s.items.find((i) => i.id === id)!;
        const reported = item.progress.some((r) => r.round === current);
        item.withdrawn = adjustment(Math.max(item.added?.round ?? 1, reported ? current + 1 : current));
        ids.push(id);
      }
      const recorded = record({ step: 'adjustItems', actor: a.actor, data: { added: ids.slice(0, a.add.length), withdrawn: a.withdraw, reason: a.reason } });
      await notify('ADJUSTMENT', `adjustment-${revisions.revision}`, { itemIds: ids, round: current + 1, reason: a.reason });
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        inPhase('TRACKING');
        const why = adjustmentRefusal(s.items, s.setup, s.rounds.length, a.add, a.withdraw);
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    closePhaseUpdate,
    async (a) => {
      closeRequested = true;
      await record({ step: 'closePhase', actor: a.actor, data: { phase: a.phase, note: a.note } });
      await condition(() => recordedPhase !== a.phase);
      return view();
    },
    {
      validator: (a) => {
        if (a.phase !== 'CALL' && a.phase !== 'GROUP_REVIEW') throw new Error('只有提报和专项小组初审可以提前截止');
        inPhase(a.phase);
        if (closeRequested) throw new Error('本阶段正在截止');
      },
    },
  );

  // ---- start -----------------------------------------------------------------

  if (!input.carried) {
    s.setup = await explorationSetup();
    upsertSearchAttributes({ DubanFamily: ['exploration'], DubanUnits: [...s.setup.submitters, ...s.setup.groups] });
    open('CALL');
    const recorded = record({ step: 'start' });
    // 第十二条(一): the reform office's notice in January.
    await recorded;
    startRecorded = true;
    await notify('CALL', 'call');
  }

  // ---- timed duties ------------------------------------------------------------

  await runDuties<ExplorationTimed>({
    due: () => explorationTimed(s, p, endsAt, closeRequested, input.policy.calendar),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'CLOSED',
    continueAsNew: () => continueAsNew<typeof explorationWorkflow>({ ...input, carried: carried() }),
    async fire(t) {
      switch (t.kind) {
        case 'CLOSE_CALL': {
          closeRequested = false;
          if (s.items.length === 0) {
            open('CLOSED');
            s.closedAt = new Date().toISOString();
            await record({ step: 'closed', data: { reason: '提报期内没有提报事项' } });
            return;
          }
          open('GROUP_REVIEW');
          const recorded = record({ step: 'callClosed' });
          await notify('REVIEW_REQUEST', 'review-request');
          return recorded;
        }
        case 'CLOSE_GROUP_REVIEW': {
          closeRequested = false;
          if (!s.items.some((i) => i.groupReview?.passed)) {
            open('CLOSED');
            s.closedAt = new Date().toISOString();
            const recorded = record({ step: 'closed', data: { reason: '初审没有通过的事项' } });
            await notify('BULLETIN', 'bulletin');
            return recorded;
          }
          open('OFFICE_REVIEW');
          const recorded = record({ step: 'groupReviewClosed' });
          await notify('OFFICE_REVIEW_REQUEST', 'office-review-request');
          return recorded;
        }
        case 'OPEN_ROUND': {
          openRound();
          const recorded = record({ step: `round-${s.rounds.length}` });
          await notify('REPORT_REQUEST', `round-${s.rounds.length}`, { round: s.rounds.length });
          return recorded;
        }
        case 'CLOSE_YEAR':
          open('CLOSED');
          s.closedAt = new Date().toISOString();
          return record({ step: 'closed', data: { reason: '年度追踪结束' } });
        case 'CALL_REMINDER':
          await notify('CALL_REMINDER', t.key);
          return;
        case 'REMINDER':
          await notify('REMINDER', t.key, { owed: t.owed });
          return;
        case 'CHASE': {
          s.chases[t.owed!] = t.chase!;
          await notify('CHASE', t.key, { owed: t.owed, chase: t.chase });
          return;
        }
      }
    },
  });
  return view();
}

/**
 * What the January Schedule starts (worker/schedules.ts): this year's items
 * workflow under its business id ("exploration:2027"), with the policy in force;
 * a year already started by hand, or finished, is left alone.
 */
export async function explorationScheduleWorkflow(): Promise<{ year: string; started: boolean }> {
  const year = String(new Date(scheduledAt().getTime() + 8 * 3600_000).getUTCFullYear());
  const { policy } = await resolveExplorationPolicy();
  return { year, started: await startPeriodOnce(explorationWorkflow, explorationWorkflowId(year), { version: 1, year, policy }) };
}
