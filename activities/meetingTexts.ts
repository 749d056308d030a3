// The Chinese text of each meeting notice (第三条 第一议题, 第四条(一)). Pure.
import { formatShanghai } from '../common/policy/duration';

export type MeetingNoticeKind = 'CONVEY' | 'REMINDER' | 'CHASE' | 'FIRST_ITEM_MISSED';

export interface MeetingNoticeContext {
  /** e.g. "中央全面深化改革委员会第十次会议". */
  superiorTitle: string;
  superiorHeldAt: string;
  dueAt: string;
  /** The bodies addressed (CONVEY, REMINDER, CHASE). */
  unitNames: string[];
  chase?: number;
  /** FIRST_ITEM_MISSED: the body's meeting and what its first item conveyed instead. */
  meeting?: { unitName: string; title: string; kindLabel: string; heldAt: string; firstItem: string; conveyedTitle?: string };
}

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export function renderMeetingNotice(kind: MeetingNoticeKind, c: MeetingNoticeContext): { title: string; body: string } {
  const superior = `${c.superiorTitle}（${formatShanghai(c.superiorHeldAt)}召开）`;
  const due = formatShanghai(c.dueAt);
  const units = c.unitNames.join('、');
  switch (kind) {
    case 'CONVEY':
      return {
        title: `【传达学习通知】${c.superiorTitle}（${due}前传达）`,
        body: `${units}：\n\n${superior}已经召开。请按照“第一议题”要求，于${due}前召开本单位改革会议（深改领导小组会议、改革专项小组会议或改革工作会议），第一议题传达学习会议精神，会后在系统中登记会议情况。${SIGNATURE}`,
      };
    case 'REMINDER':
      return {
        title: `【到期提醒】传达学习${c.superiorTitle}（${due}到期）`,
        body: `${units}：\n\n你单位尚未登记传达学习${superior}精神的会议，期限为${due}。请抓紧召开会议，第一议题传达学习。${SIGNATURE}`,
      };
    case 'CHASE':
      return {
        title: `【催办单】传达学习${c.superiorTitle}${(c.chase ?? 1) > 1 ? `（第${c.chase}次）` : ''}`,
        body: `${units}：\n\n${superior}精神应于${due}前“第一时间”传达学习，你单位至今未登记第一议题传达学习的会议。请立即召开会议传达学习，并在系统中登记。${SIGNATURE}`,
      };
    case 'FIRST_ITEM_MISSED': {
      const m = c.meeting!;
      const instead = m.conveyedTitle ? `传达的是${m.conveyedTitle}` : `为“${m.firstItem}”`;
      return {
        title: `【第一议题提示】${m.unitName}${m.title}未传达最新上级会议精神`,
        body: `市委改革办：\n\n${m.unitName}于${formatShanghai(m.heldAt)}召开的${m.title}（${m.kindLabel}），第一议题${instead}，未传达学习最新的上级深改领导小组会议——${superior}精神，不符合“第一议题”要求（第三条）。请予督促。${SIGNATURE}`,
      };
    }
  }
}
