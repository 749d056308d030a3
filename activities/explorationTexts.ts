// The Chinese text of the yearly innovation items' notices (第十二条). Pure.
import { formatShanghai } from '../common/policy/duration';
import { ITEM_KIND_LABELS, type ItemKind } from '../workflows/exploration/state';

export type ExplorationNoticeKind = 'CALL' | 'CALL_REMINDER' | 'REVIEW_REQUEST' | 'OFFICE_REVIEW_REQUEST' | 'APPROVAL_REQUEST' | 'BULLETIN' | 'REPORT_REQUEST' | 'COMMENT' | 'ADJUSTMENT' | 'REMINDER' | 'CHASE';

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export interface ExplorationNoticeContext {
  year: string;
  dueAt?: string;
  /** The items the notice lists, with what was decided. */
  items?: Array<{ id: string; title: string; kind: ItemKind; unitName: string; groupName: string; outcome?: string }>;
  /** The obligation reminded or chased. */
  owed?: { title: string; unitName: string; dueAt: string };
  round?: number;
  comment?: string;
  chase?: number;
  /** ADJUSTMENT: the office's reason. */
  reason?: string;
}

export function renderExplorationNotice(kind: ExplorationNoticeKind, c: ExplorationNoticeContext): { title: string; body: string } {
  const year = `${c.year}年度`;
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const list = (c.items ?? []).map((i) => `${i.id} ${i.title}（${ITEM_KIND_LABELS[i.kind]}，${i.unitName}提报，${i.groupName}初审）${i.outcome ? `：${i.outcome}` : ''}`).join('\n');
  switch (kind) {
    case 'CALL':
      return {
        title: `【通知】提报${year}探索创新改革事项`,
        body: `各区县、市直各有关部门：\n\n按照“以人民为中心的价值取向、四个有利于的改革标准以及突出重点、问题导向、信息化引领”五项原则要求，请梳理、总结本地区、本部门在推进改革过程中的探索创新性成果，或提报本区域、本领域亟需改革的事项，经初步筛选后，按申报事项分类在系统中报相应市专项小组初审，截止时间为${due}。${SIGNATURE}`,
      };
    case 'CALL_REMINDER':
      return {
        title: `【到期提醒】提报${year}探索创新改革事项（${due}截止）`,
        body: `有关区县、市直部门：\n\n${year}探索创新改革事项提报将于${due}截止，你单位尚未提报，请抓紧在系统中提报。${SIGNATURE}`,
      };
    case 'REVIEW_REQUEST':
      return {
        title: `【初审】${year}探索创新改革事项`,
        body: `市各专项小组：\n\n${year}探索创新改革事项提报已截止。请对报送本小组的事项汇总、初审，经组长审核签字后于${due}前报市委改革办。\n\n${list}${SIGNATURE}`,
      };
    case 'OFFICE_REVIEW_REQUEST':
      return {
        title: `【复审】${year}探索创新改革事项`,
        body: `市委改革办：\n\n市各专项小组已完成初审，以下事项经组长审核签字报来，请于${due}前完成复审，报主任审定。\n\n${list}${SIGNATURE}`,
      };
    case 'APPROVAL_REQUEST':
      return {
        title: `【待审定】${year}探索创新改革事项`,
        body: `主任：\n\n${year}探索创新改革事项已完成专项小组初审和市委改革办复审，请于${due}前审定。\n\n${list}${SIGNATURE}`,
      };
    case 'BULLETIN':
      return {
        title: `【简报】${year}探索创新改革事项审定结果`,
        body: `各区县、市直各有关部门：\n\n${year}探索创新改革事项审核结果如下。经审定的事项，请按审定意见修改完善后，以本地区、本部门为单位自行组织实施，每月在系统中报送进展，市委改革办一月一汇总、一月一点评。\n\n${list || '本年度没有审定通过的事项。'}${SIGNATURE}`,
      };
    case 'REPORT_REQUEST':
      return {
        title: `【月度汇总】${year}探索创新改革事项第${c.round}次进展`,
        body: `有关区县、市直部门：\n\n请于${due}前在系统中报送本单位探索创新改革事项的实施进展（第${c.round}次月度汇总）。\n\n${list}${SIGNATURE}`,
      };
    case 'COMMENT':
      return {
        title: `【点评】${year}探索创新改革事项第${c.round}次月度进展`,
        body: `有关区县、市直部门：\n\n市委改革办对第${c.round}次月度进展点评如下：\n\n${c.comment ?? ''}\n\n${list}${SIGNATURE}`,
      };
    case 'ADJUSTMENT':
      return {
        title: `【调整】${year}探索创新改革事项`,
        body: `有关区县、市直部门：\n\n根据实施情况，市委改革办对${year}探索创新改革事项作如下调整补充（第十二条）：${c.reason ?? ''}\n\n${list}\n\n补充的事项请以本单位为单位组织实施，按月在系统中报送进展。${SIGNATURE}`,
      };
    case 'REMINDER':
      return {
        title: `【到期提醒】${c.owed?.title ?? year}（${c.owed ? formatShanghai(c.owed.dueAt) : due}截止）`,
        body: `${c.owed?.unitName ?? ''}：\n\n“${c.owed?.title ?? ''}”将于${c.owed ? formatShanghai(c.owed.dueAt) : due}截止，尚未办理，请抓紧办理。${SIGNATURE}`,
      };
    case 'CHASE':
      return {
        title: `【催办单】${c.owed?.title ?? year}（第${c.chase ?? 1}次）`,
        body: `${c.owed?.unitName ?? ''}：\n\n“${c.owed?.title ?? ''}”已于${c.owed ? formatShanghai(c.owed.dueAt) : due}到期，尚未办理。请立即办理（第十二条）。${SIGNATURE}`,
      };
  }
}
