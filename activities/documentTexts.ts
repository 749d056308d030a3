// The Chinese text of each document notice (三单一书 and reminders). Pure.
import { formatShanghai } from '../common/policy/duration';

export type DocumentNoticeKind =
  | 'PROMPT'
  | 'ASSIGNMENT'
  | 'REMINDER'
  | 'CHASE'
  | 'ORDER'
  | 'ORDER_FOLLOW_UP'
  | 'LEDGER_DISPATCH'
  | 'MANUAL_CHASE'
  | 'LEAD_REQUEST'
  | 'LEAD_CHASE'
  | 'LEDGER_CHASE'
  | 'DISTRIBUTION'
  | 'DISTRIBUTION_CHASE';

export interface DocumentNoticeContext {
  docNumber: string;
  docTitle: string;
  leadUnitName: string;
  dueAt?: string;
  task?: { title: string; unitName: string; dueAt: string };
  note?: string;
  followUp?: number;
  /** What the deadline counts from and for how long (named in the 交办单). */
  from?: { startEvent: string; startedAt: string; offset: string };
  districtName?: string;
  /** A backlog: the notice was due before the document was registered. */
  late?: { dueSince: string; registeredAt: string };
}

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export function renderDocumentNotice(kind: DocumentNoticeKind, c: DocumentNoticeContext): { title: string; body: string } {
  const { title, body } = render(kind, c);
  // A backlog imported late: say that this notice was due long ago, and since when.
  const late = c.late ? `\n\n（本通知应于${formatShanghai(c.late.dueSince)}发出；该文件于${formatShanghai(c.late.registeredAt)}才登记入督办系统，现予补发，期限自${formatShanghai(c.late.dueSince)}起已届满。）` : '';
  return { title, body: body.replace(SIGNATURE, `${late}${SIGNATURE}`) };
}

function render(kind: DocumentNoticeKind, c: DocumentNoticeContext): { title: string; body: string } {
  const doc = `《${c.docTitle}》（${c.docNumber}）`;
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const note = c.note ? `\n\n附言：${c.note}` : '';
  // 第五条（三）: the 交办单 names what its month counts from (the superior document's issuance, or its receipt).
  const anchor = c.from ? `（自${c.from.startEvent}之时${formatShanghai(c.from.startedAt)}起${c.from.offset}内）` : '';
  switch (kind) {
    case 'PROMPT':
      return {
        title: `【提示单】${c.docNumber} ${c.docTitle}`,
        body: `${c.leadUnitName}：\n\n中央改革文件${doc}已到市。请及时与上级对口部门对接，提前调研谋划，做好出台市级配套文件的准备。省级文件到市后将另发《交办单》。${note}${SIGNATURE}`,
      };
    case 'ASSIGNMENT':
      return {
        title: `【交办单】${c.docNumber} ${c.docTitle}（${due}前出台）`,
        body: `${c.leadUnitName}：\n\n省级改革文件${doc}已到市，现交由你单位牵头，会同有关参与部门研究出台市级贯彻落实意见或方案，务必于${due}前${anchor}制定出台市级配套文件并印发到区县。\n\n请在系统中签收本单，第一时间建立台账（牵头领导、起草单位、时间表，任务分解到部门和具体责任人），并在交办三周内完成上会文件初稿。${note}${SIGNATURE}`,
      };
    case 'REMINDER':
      return {
        title: `【到期提醒】${c.docNumber} ${c.docTitle}（${due}到期）`,
        body: `${c.leadUnitName}：\n\n${doc}的配套工作将于${due}到期，请抓紧推进，按时完成。${note}${SIGNATURE}`,
      };
    case 'CHASE':
      return {
        title: `【催办单】${c.docNumber} ${c.docTitle}`,
        body: `${c.leadUnitName}：\n\n${doc}交办已满三周，你单位尚未报送上会文件初稿。请立即组织起草，尽快报送，确保在${due}前出台市级配套文件并印发到区县。${note}${SIGNATURE}`,
      };
    case 'ORDER':
      return {
        title: `【责令书】${c.docNumber} ${c.docTitle}`,
        body: `${c.leadUnitName}主要负责同志：\n\n${doc}交办期限（${due}）已过，你单位仍未出台市级配套文件并印发到区县。现责令你单位立即整改，限期完成，并将进展情况书面报告市委改革办。市委改革办将每周跟踪督办直至完成。${note}${SIGNATURE}`,
      };
    case 'ORDER_FOLLOW_UP':
      return {
        title: `【责令整改跟踪督办·第${c.followUp ?? 1}次】${c.docNumber} ${c.docTitle}`,
        body: `${c.leadUnitName}：\n\n${doc}的市级配套文件已超过期限（${due}）仍未出台，现第${c.followUp ?? 1}次跟踪督办。请立即报告进展和完成时限。${note}${SIGNATURE}`,
      };
    case 'LEDGER_DISPATCH':
      return {
        title: `【台账调度】${c.task?.title ?? ''}（${c.docNumber}）`,
        body: `${c.task?.unitName ?? c.leadUnitName}：\n\n根据${doc}配套文件台账，你负责的任务“${c.task?.title ?? ''}”尚未销号（计划完成时间：${c.task ? formatShanghai(c.task.dueAt) : ''}）。请在系统中报送本月进展，完成后申请销号。${note}${SIGNATURE}`,
      };
    case 'LEAD_REQUEST':
      return {
        title: `【待确定牵头部门】${c.docNumber} ${c.docTitle}（${due}前）`,
        body: `市委改革办：\n\n省级改革文件${doc}已到市，登记时未明确牵头部门。请于${due}前在系统中确定牵头部门，确定后即向其下发《交办单》。${note}${SIGNATURE}`,
      };
    case 'LEAD_CHASE':
      return {
        title: `【催办·确定牵头部门】${c.docNumber} ${c.docTitle}`,
        body: `市委改革办：\n\n省级改革文件${doc}已到市，确定牵头部门的期限（${due}）已过，《交办单》仍未下发。请立即确定牵头部门。${note}${SIGNATURE}`,
      };
    case 'LEDGER_CHASE':
      return {
        title: `【催办·建立台账】${c.docNumber} ${c.docTitle}`,
        body: `${c.leadUnitName}：\n\n${doc}已交办你单位，按要求应第一时间签收并建立台账（牵头领导、起草单位、时间表，任务分解到部门和具体责任人），期限（${due}）已过仍未建立。请立即办理。${note}${SIGNATURE}`,
      };
    case 'DISTRIBUTION':
      return {
        title: `【印发通知】${c.docNumber} ${c.docTitle}的市级配套文件`,
        body: `${c.districtName ?? ''}：\n\n贯彻落实${doc}的市级配套文件已印发到区县，请组织学习贯彻，并于${due}前在系统中签收。${note}${SIGNATURE}`,
      };
    case 'DISTRIBUTION_CHASE':
      return {
        title: `【催办·签收配套文件】${c.docNumber} ${c.docTitle}`,
        body: `${c.districtName ?? ''}：\n\n贯彻落实${doc}的市级配套文件已印发，签收期限（${due}）已过，你区县尚未签收。请立即签收并抓好贯彻落实。${note}${SIGNATURE}`,
      };
    case 'MANUAL_CHASE':
      return {
        title: `【催办】${c.task ? c.task.title : c.docNumber + ' ' + c.docTitle}`,
        body: `${c.task?.unitName ?? c.leadUnitName}：\n\n市委改革办就${c.task ? `台账任务“${c.task.title}”` : doc}进行催办${due ? `（截止时间：${due}）` : ''}，请抓紧办理并在系统中签收本通知。${note}${SIGNATURE}`,
      };
  }
}
