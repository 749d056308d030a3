// What a superior meeting's workflow owes (第四条(一)): each listed body holds a
// meeting whose first agenda item conveys it, within the policy's "第一时间".
// Pure: the workflow records it, the tests check it.
import type { Obligation } from '../../common/obligations';
import { formatShanghai } from '../../common/policy/duration';
import type { MeetingCarried } from './messages';

const RULE = '第四条';

export function meetingObligations(s: MeetingCarried, workflowId: string, title: string): Obligation[] {
  return s.owing.map((u) => ({
    key: `${workflowId}:convey:${u.unitId}`,
    title: `第一时间召开会议传达学习${title}`,
    rule: RULE,
    unitId: u.unitId,
    dueAt: s.dueAt,
    ...(u.conveyedAt
      ? { status: 'DONE' as const, reason: `已于${formatShanghai(u.conveyedAt)}召开会议，第一议题传达学习${u.conveyedAt > s.dueAt ? '（逾期）' : ''}`, closedAt: u.conveyedAt }
      : s.supersededBy
        ? { status: 'SUPERSEDED' as const, reason: `已登记更新的上级会议${s.supersededBy.title}，传达学习义务转入该会议` }
        : { status: 'OPEN' as const }),
  }));
}

/** The bodies that have not yet conveyed it. */
export const pendingUnits = (s: MeetingCarried): string[] => s.owing.filter((u) => !u.conveyedAt).map((u) => u.unitId);
