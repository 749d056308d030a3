// The Chinese text of the notices of seeking pilots (第十一条(一)–(四)). Pure.
import { formatShanghai } from '../common/policy/duration';
import { LEVEL_LABELS, parseQuarter, type SeekingLevel } from '../workflows/pilotSeeking/state';

export type SeekingNoticeKind = 'LEADS' | 'REMINDER' | 'CHASE' | 'BULLETIN';

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export interface SeekingNoticeContext {
  quarter: string;
  /** Whom the notice addresses (a unit's name, or 各区县、市直有关部门). */
  addressee: string;
  leads?: Array<{ id: string; title: string; level: SeekingLevel; source: string; leadUnitName: string; participantNames: string[]; mine: boolean }>;
  owed?: { title: string; dueAt: string };
  /** LEADS: the unit's report of this month is due then. */
  dueAt?: string;
  bulletin?: string;
}

export function renderSeekingNotice(kind: SeekingNoticeKind, c: SeekingNoticeContext): { title: string; body: string } {
  const { year, q } = parseQuarter(c.quarter)!;
  const quarter = `${year}年第${q}季度`;
  const due = c.owed ? formatShanghai(c.owed.dueAt) : c.dueAt ? formatShanghai(c.dueAt) : '';
  switch (kind) {
    case 'LEADS': {
      const list = (c.leads ?? [])
        .map((l) => `${l.id} ${l.title}（${LEVEL_LABELS[l.level]}级，${l.source}）：${l.mine ? '由你单位牵头' : `由${l.leadUnitName}牵头，你单位参与`}${l.participantNames.length ? `，参与单位：${l.participantNames.join('、')}` : ''}`)
        .join('\n');
      return {
        title: `【试点线索交办】${quarter}争取试点线索`,
        body: `${c.addressee}：\n\n根据第十一条（二）试点线索交办要求，市委改革办梳理了${quarter}中央、省拟开展的试点线索，现交办如下。牵头单位请逐条认领负责，纳入本单位争取试点台账，明确责任领导、参与单位，及时更新争取进展，每月向市委改革办报告对接争取情况${due ? `（本月请于${due}前报送）` : ''}。\n\n${list}${SIGNATURE}`,
      };
    }
    case 'REMINDER':
      return {
        title: `【到期提醒】${c.owed?.title ?? ''}（${due}截止）`,
        body: `${c.addressee}：\n\n“${c.owed?.title ?? ''}”（${quarter}）将于${due}截止，尚未办理，请抓紧办理（第十一条）。${SIGNATURE}`,
      };
    case 'CHASE':
      return {
        title: `【催办单】${c.owed?.title ?? ''}（${quarter}）`,
        body: `${c.addressee}：\n\n“${c.owed?.title ?? ''}”已于${due}到期，尚未办理。请立即办理（第十一条）。${SIGNATURE}`,
      };
    case 'BULLETIN':
      return {
        title: `【简报】${quarter}争取试点工作情况通报`,
        body: `${c.addressee}：\n\n根据第十一条（四）季度通报要求，现将${quarter}各区县、市直有关部门争取试点工作情况通报如下。争取成功的试点由市委改革办登记为改革试点，按第十一条（五）至（七）建立台账、按月调度。\n\n${c.bulletin ?? ''}${SIGNATURE}`,
      };
  }
}
