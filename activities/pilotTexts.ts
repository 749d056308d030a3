// The Chinese text of each pilot notice (第十一条 (五)–(七), 第十三条). Pure.
import { formatShanghai } from '../common/policy/duration';

export type PilotNoticeKind = 'LEDGER' | 'EXPERIENCE' | 'DISPATCH' | 'PROGRESS_CHASE' | 'REMINDER' | 'OVERDUE' | 'ACCEPTANCE_RESULT' | 'UPWARD_REPORT';

export interface PilotNoticeContext {
  title: string;
  leadUnitName: string;
  /** 中央改革办 / 省委改革办: who granted the pilot. */
  levelName?: string;
  plan?: { leaderName: string; goals: string; dueAt: string; resultsUse: string };
  dueAt?: string;
  dispatch?: number;
  approved?: boolean;
  /** 中央改革办、省委改革办: who the upward report went to. */
  reportedTo?: string;
  summary?: string;
  note?: string;
}

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export function renderPilotNotice(kind: PilotNoticeKind, c: PilotNoticeContext): { title: string; body: string } {
  const pilot = `“${c.title}”`;
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const note = c.note ? `\n\n附言：${c.note}` : '';
  switch (kind) {
    case 'LEDGER': {
      const p = c.plan;
      const ledger = p ? `\n\n试点台账：\n牵头单位：${c.leadUnitName}\n牵头领导：${p.leaderName}\n目标任务：${p.goals}\n完成时限：${formatShanghai(p.dueAt)}\n成果运用：${p.resultsUse}` : '';
      return {
        title: `【试点立项】${c.title}`,
        body: `${c.leadUnitName}：\n\n${c.levelName ?? '上级'}确定的改革试点${pilot}已登记立项，由你单位牵头组织实施。市委改革办每月调度试点任务，请按时在系统中报送进展；完成后申请验收。${ledger}${note}${SIGNATURE}`,
      };
    }
    case 'EXPERIENCE':
      return {
        title: `【基层经验待上报】${c.title}`,
        body: `市委改革办：\n\n${c.leadUnitName}报送的改革经验${pilot}已登记，请研究后于${due}前向上级改革办报告，争取列为上级改革试点${c.summary ? `。\n\n经验概要：${c.summary}` : '。'}${note}${SIGNATURE}`,
      };
    case 'DISPATCH':
      return {
        title: `【试点调度·第${c.dispatch ?? 1}次】${c.title}`,
        body: `${c.leadUnitName}：\n\n现对改革试点${pilot}进行第${c.dispatch ?? 1}次月度调度。请于${due}前在系统中报送本月试点进展，总结好的经验做法；需要调整试点方案的，请一并提出。${note}${SIGNATURE}`,
      };
    case 'PROGRESS_CHASE':
      return {
        title: `【催报单】${c.title}（第${c.dispatch ?? 1}次调度）`,
        body: `${c.leadUnitName}：\n\n改革试点${pilot}第${c.dispatch ?? 1}次调度的进展应于${due}前报送，你单位至今未报。请立即在系统中报送。${note}${SIGNATURE}`,
      };
    case 'REMINDER':
      return {
        title: `【到期提醒】${c.title}（${due}到期）`,
        body: `${c.leadUnitName}：\n\n改革试点${pilot}的完成时限为${due}，请抓紧推进，按时完成并申请验收。${note}${SIGNATURE}`,
      };
    case 'OVERDUE':
      return {
        title: `【逾期督办】${c.title}`,
        body: `${c.leadUnitName}主要负责同志：\n\n改革试点${pilot}的完成时限（${due}）已过，你单位尚未申请验收。请书面报告进展和完成时限；需要调整试点方案的，请报市委改革办。${note}${SIGNATURE}`,
      };
    case 'ACCEPTANCE_RESULT':
      return c.approved
        ? {
            title: `【验收通过】${c.title}`,
            body: `${c.leadUnitName}：\n\n改革试点${pilot}已通过市委改革办验收。市委改革办将向上级改革办报告试点成果，请做好成果运用和推广的准备。${note}${SIGNATURE}`,
          }
        : {
            title: `【验收未通过】${c.title}`,
            body: `${c.leadUnitName}：\n\n改革试点${pilot}未通过验收，请按验收意见继续推进，整改完成后重新申请验收。月度调度继续进行。${note}${SIGNATURE}`,
          };
    case 'UPWARD_REPORT':
      return {
        title: `【上报推广】${c.title}`,
        body: `${c.leadUnitName}：\n\n市委改革办已将${c.plan ? '改革试点' : '改革经验'}${pilot}报告${c.reportedTo ?? '上级改革办'}${c.plan ? '' : '，争取列为上级改革试点'}。${c.summary ? `\n\n报告概要：${c.summary}` : ''}${note}${SIGNATURE}`,
      };
  }
}
