// One workflow per superior (central or provincial) leading-group meeting
// (第三条 第一议题, 第四条(一)): on registration every listed body is told to
// convey it "第一时间"; reminders and chases go to those that have not; each
// reform meeting a body records is judged — its first agenda item must convey
// the latest superior meeting, else the reform office is alerted. It runs until
// a newer superior meeting is registered and takes over. Durations come from the policy.
import { condition, continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { meetingDuties, type MeetingDuty, type MeetingNotice } from './duties';
import {
  meetingReadyUpdate,
  meetingStateQuery,
  recordMeetingUpdate,
  supersededSignal,
  type Actor,
  type BodyMeeting,
  type MeetingCarried,
  type MeetingView,
  type MeetingWorkflowInput,
  type RecordMeetingArgs,
} from './messages';
import { meetingObligations, pendingUnits } from './obligations';
import { TERMINAL } from './state';

const { recordChange, sendMeetingNotice } = activities;

export async function meetingWorkflow(input: MeetingWorkflowInput): Promise<MeetingView> {
  const p = input.policy.meeting;
  const workflowId = workflowInfo().workflowId;
  const registeredAt = new Date().toISOString();
  const s: MeetingCarried = input.carried ?? {
    state: 'CONVEYING',
    registeredAt,
    // 第四条(一): "第一时间" from the moment the office registers it (a late registration does not shorten it), a date on the calendar.
    dueAt: deadlineAfter(registeredAt, p.conveyWithin, input.policy.calendar).at,
    owing: input.unitIds.map((unitId) => ({ unitId })),
    meetings: [],
    chases: 0,
    fired: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  let startRecorded = !!input.carried;
  const carried = (): MeetingCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  const view = (): MeetingView => {
    const { fired: _f, ...rest } = carried();
    return { ...rest, superiorMeetingId: input.superiorMeetingId, title: input.title, policyVersion: input.policy.version };
  };

  /** Records the current state as the next revision; call where the state changed, before any await. */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, meetings: BodyMeeting[] = []): Promise<void> {
    const update = currentUpdateInfo();
    const obligations = meetingObligations(s, workflowId, input.title);
    const open = obligations.some((o) => o.status === 'OPEN');
    upsertSearchAttributes({ DubanState: [s.state], DubanDueAt: open ? [new Date(s.dueAt)] : [] });
    return recordChange({
      family: 'meeting',
      workflowId,
      subjectId: input.superiorMeetingId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      superior: { state: s.state, dueAt: s.dueAt, owing: s.owing.map((u) => ({ ...u })), supersededById: s.supersededBy?.id },
      meetings: meetings.map((m) => ({ ...m })),
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    });
  }

  function notify(n: MeetingNotice, unitIds: string[], meeting?: BodyMeeting) {
    return sendMeetingNotice({
      workflowId,
      superiorMeetingId: input.superiorMeetingId,
      kind: n.kind,
      step: n.step,
      explanation: { rule: n.kind === 'FIRST_ITEM_MISSED' ? '第三条' : '第四条', ...n.explanation },
      unitIds,
      chase: n.chase,
      meeting,
    });
  }

  setHandler(meetingStateQuery, view);
  setHandler(meetingReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  setHandler(supersededSignal, async (by) => {
    if (TERMINAL.has(s.state)) return;
    s.state = 'SUPERSEDED';
    s.supersededBy = by;
    await record({ step: 'superseded', data: { by } });
  });

  // A new calendar moves the deadline while bodies still owe their meeting.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      if (s.state === 'CONVEYING') s.dueAt = pending(s.dueAt, Date.now(), () => deadlineAfter(s.registeredAt, p.conveyWithin, input.policy.calendar).at, 'convey', moved)!;
      return moved;
    },
    (event) => record(event),
  );

  setHandler(
    recordMeetingUpdate,
    async (a: RecordMeetingArgs) => {
      // 第三条: the first agenda item conveys the latest superior meeting — this one.
      const conveyedLatest = a.conveys === input.superiorMeetingId;
      const m: BodyMeeting = { id: a.meetingId, unitId: a.unitId, kind: a.kind, title: a.title, heldAt: a.heldAt, firstItem: a.firstItem, conveys: a.conveys, conveyedLatest, recordedBy: a.actor.officialId };
      s.meetings.push(m);
      const owed = s.owing.find((u) => u.unitId === a.unitId && !u.conveyedAt);
      if (owed && conveyedLatest) {
        owed.conveyedAt = a.heldAt;
        owed.meetingId = a.meetingId;
        if (pendingUnits(s).length === 0 && s.state === 'CONVEYING') s.state = 'CONVEYED';
      }
      const recorded = record({ step: 'recordMeeting', actor: a.actor, data: { meetingId: a.meetingId, unitId: a.unitId, kind: a.kind, conveyedLatest } }, [m]);
      if (!conveyedLatest) {
        await notify(
          { kind: 'FIRST_ITEM_MISSED', step: `first-item:${a.meetingId}`, explanation: { startEvent: '改革会议召开', startedAt: a.heldAt, offset: '即时' } },
          [REFORM_OFFICE_ID],
          m,
        );
      }
      await recorded;
      return view();
    },
    {
      validator: (a: RecordMeetingArgs) => {
        if (TERMINAL.has(s.state)) throw new Error(`已登记更新的上级会议${s.supersededBy?.title ?? ''}，本次会议应对照该会议登记`);
        if (a.heldAt > new Date().toISOString()) throw new Error('会议尚未召开，召开后再登记');
        if (a.heldAt < input.heldAt) throw new Error(`会议召开于上级会议${input.title}之前，不能对照该会议登记`);
        if (s.meetings.some((m) => m.id === a.meetingId)) throw new Error(`会议 ${a.meetingId} 已登记`);
      },
    },
  );

  if (!input.carried) {
    // Temporal caps one search attribute value (2 KB by default): a meeting owed by most of the city lists
    // only the office here; its subject (api/families/meeting.ts) names every body, and timeline access reads both.
    const units = [REFORM_OFFICE_ID, ...input.unitIds];
    upsertSearchAttributes({ DubanFamily: ['meeting'], DubanLevel: [input.level], DubanUnits: JSON.stringify(units).length <= 1500 ? units : [REFORM_OFFICE_ID] });
    await record();
    startRecorded = true;
    // 第四条(一): every listed body is told at once, with its deadline — unless a newer meeting already took over.
    if (!TERMINAL.has(s.state)) await notify({ kind: 'CONVEY', step: 'convey', explanation: { startEvent: '上级深改领导小组会议登记', startedAt: s.registeredAt, offset: describeDeadline(p.conveyWithin, deadlineAfter(s.registeredAt, p.conveyWithin, input.policy.calendar)), dueAt: s.dueAt } }, input.unitIds);
  }

  await runDuties<MeetingDuty>({
    due: () => meetingDuties(s, p),
    fired,
    revision: () => revisions.revision,
    finished: () => TERMINAL.has(s.state),
    continueAsNew: () => continueAsNew<typeof meetingWorkflow>({ ...input, carried: carried() }),
    async fire(d) {
      if (d.chases) {
        s.chases = d.chases;
        await record({ step: d.key });
      }
      await notify(d.notice, pendingUnits(s));
    },
  });
  return view();
}
