// The timed duties of a superior meeting (第四条(一)), as data: reminders before
// the "第一时间" deadline to the bodies still owing, a chase at the deadline,
// then chases at the policy's interval until every body conveyed it or a newer
// superior meeting takes over. Pure: the workflow fires them with runDuties.
import type { MeetingNoticeKind } from '../../activities/meetingTexts';
import type { MeetingPolicy } from '../../common/policy/meeting';
import { describeDeadline } from '../../common/policy/calendar';
import { addRepeated, describeDuration, subtractDuration } from '../../common/policy/duration';
import type { Duty } from '../duties';
import type { MeetingCarried } from './messages';
import { pendingUnits } from './obligations';

export interface MeetingNotice {
  kind: MeetingNoticeKind;
  step: string;
  explanation: { startEvent: string; startedAt: string; offset: string; dueAt?: string };
  chase?: number;
}

export interface MeetingDuty extends Duty {
  notice: MeetingNotice;
  /** The chase count this duty brings the workflow to. */
  chases?: number;
}

export function meetingDuties(s: MeetingCarried, p: MeetingPolicy): MeetingDuty[] {
  if (s.state !== 'CONVEYING' || pendingUnits(s).length === 0) return [];
  const due = new Date(s.dueAt);
  const from = { startEvent: '上级深改领导小组会议登记', startedAt: s.registeredAt, dueAt: s.dueAt };
  const out: MeetingDuty[] = p.remindBefore.map((before, i) => ({
    key: `reminder-${i}`,
    at: subtractDuration(due, before).getTime(),
    notice: { kind: 'REMINDER', step: `reminder-${i}`, explanation: { ...from, offset: `${describeDeadline(p.conveyWithin)}（提前${describeDuration(before)}提醒）` } },
  }));
  // Never silence: at the deadline, then at every interval after it, until each body has conveyed it.
  const n = s.chases + 1;
  out.push({
    key: `chase-${n}`,
    at: addRepeated(due, p.chaseEvery, n - 1).getTime(),
    chases: n,
    notice: { kind: 'CHASE', step: `chase-${n}`, explanation: { ...from, offset: n === 1 ? describeDeadline(p.conveyWithin) : `逾期后每${describeDuration(p.chaseEvery)}（第${n}次）` }, chase: n },
  });
  return out;
}
