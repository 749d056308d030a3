// The Chinese texts of the monthly 六个一 cycle (第六条): notices and the
// printable 督导情况通报 (HTML). Pure.
import { formatShanghai } from '../common/policy/duration';
import type { EvaluationAnnouncement } from './cycle';
import type { PromotionMeeting } from '../workflows/cycle/messages';
import { CONTENT_AREA_LABELS, type ContentArea, type RankedTeam, type RankedUnit, type Speakers } from '../workflows/cycle/state';

export type CycleNoticeKind =
  | 'DISPATCH'
  | 'REPORT_REMINDER'
  | 'REPORT_CHASE'
  | 'INSPECTION'
  | 'ISSUE_LIST'
  | 'TEAM_RATING_CALL'
  | 'BRIEFING'
  | 'MEETING'
  | 'PROMOTION_MEETING'
  | 'PUBLICITY'
  | 'DIAGNOSIS_VISIT'
  | 'DIAGNOSIS_CHASE'
  | 'DIAGNOSIS_REPORT';

export interface CycleNoticeContext {
  year: number;
  month: number;
  unitName?: string;
  dueAt?: string;
  at?: string;
  roadmap?: Array<{ code: string; title: string; milestones: Array<{ month?: number; target: string }> }>;
  /** The unit's open ledger tasks (台账, 第五条), reported on with the roadmap. */
  ledgers?: Array<{ id: string; title: string; dueAt: string }>;
  issues?: Array<{ title: string; detail?: string; area?: ContentArea }>;
  /** 第六条（四）(3): what the on-site promotion meeting shows. */
  shown?: string;
  teamName?: string;
  leaderName?: string;
  /** 第十条（一）: the peer unit of a mutual inspection (互督互查). */
  peerName?: string;
  ranking?: {
    districts: Array<{ rank: number; name: string; total: number }>;
    specialGroups: Array<{ rank: number; name: string; total: number }>;
    /** 第十条（二）: the departments' own ranking. */
    departments?: Array<{ rank: number; name: string; total: number }>;
  };
  typical?: string[];
  commitment?: string[];
  attendees?: string[];
  top?: string[];
  improved?: string[];
  winners?: string[];
  material?: string[];
  report?: string;
  briefingUrl?: string;
  chase?: number;
  ratingScale?: number;
}

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export function renderCycleNotice(kind: CycleNoticeKind, c: CycleNoticeContext): { title: string; body: string } {
  const ym = `${c.year}年${c.month}月`;
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const unit = c.unitName ?? '';
  switch (kind) {
    case 'DISPATCH': {
      const tasks = c.roadmap?.length
        ? c.roadmap
            .map((t) => {
              const m = t.milestones.filter((x) => x.month === undefined || x.month === c.month).map((x) => x.target);
              return `  ${t.code} ${t.title}${m.length ? `（本月节点：${m.join('；')}）` : ''}`;
            })
            .join('\n')
        : '  （年度路线图尚未载入你单位任务，请报送全面深化改革工作总体进展）';
      const ledgers = c.ledgers?.length ? `\n\n未销号台账任务：\n${c.ledgers.map((l) => `  ${l.title}（计划完成：${formatShanghai(l.dueAt)}）`).join('\n')}` : '';
      return {
        title: `【一月一调度】${ym}改革工作进展调度（${due}前报送）`,
        body: `${unit}：\n\n按照年初确定的路线图、时间表，现调度${ym}全面深化改革工作进展情况。请于${due}前在系统中报送以下年度重点改革任务及未销号台账的进展情况：\n\n${tasks}${ledgers}\n\n按时报送情况将计入本月督导排名。${SIGNATURE}`,
      };
    }
    case 'REPORT_REMINDER':
      return {
        title: `【到期提醒】${ym}改革工作进展调度情况将于${due}截止`,
        body: `${unit}：\n\n你单位尚未报送${ym}改革工作进展调度情况，报送截止时间为${due}，请抓紧报送。${SIGNATURE}`,
      };
    case 'REPORT_CHASE':
      return {
        title: `【催报·第${c.chase ?? 1}次】${ym}改革工作进展调度情况逾期未报`,
        body: `${unit}：\n\n${ym}改革工作进展调度情况已于${due}截止，你单位至今未报送。请立即报送；逾期报送和未报送将按年度督导评价办法扣分，并在督导情况通报中体现。${SIGNATURE}`,
      };
    case 'INSPECTION':
      return {
        title: `【一月一督查】${ym}督查通知`,
        body: `${unit}：\n\n根据“六个一”督查制度，市委改革办将于本月对你单位推进改革举措落地见效情况进行督导（督查内容：领导小组审议出台文件贯彻落实情况、基础业务开展情况、专项小组工作开展情况、创新改革经验推广推介情况等，第八条）。督查结束后形成问题清单，由你单位负责同志和督查组负责人双方签字确认。请做好准备。${SIGNATURE}`,
      };
    case 'ISSUE_LIST': {
      const list = (c.issues ?? []).map((i, n) => `  ${n + 1}. ${i.area ? `【${CONTENT_AREA_LABELS[i.area]}】` : ''}${i.title}${i.detail ? `：${i.detail}` : ''}`).join('\n') || '  （未发现问题）';
      return {
        title: `【问题清单】${ym}督查 ${unit}（待双方签字确认）`,
        body: `${unit}：\n\n${c.peerName ? `${c.peerName}（互督互查）` : ''}${c.teamName ?? '督查组'}（负责人：${c.leaderName ?? ''}）对你单位的督查已形成问题清单如下：\n\n${list}\n\n请你单位负责同志和督查组负责人分别在系统中签字确认；双方签字后问题清单方计入本月评分。${SIGNATURE}`,
      };
    }
    case 'TEAM_RATING_CALL':
      return {
        title: `【季度测评】请对市全面深化改革督查组打分（${due}前）`,
        body: `各区县党政主要负责同志：\n\n根据第六条（三）(2)，请于${due}前在系统中就排名办法是否合理、排名顺序是否公平、督查是否到位、人员是否廉洁四个方面，对本季度的市督查组逐一打分（每项1至${c.ratingScale ?? 10}分）。${SIGNATURE}`,
      };
    case 'BRIEFING':
      return {
        title: `【督导情况通报】${ym}全面深化改革督导情况通报`,
        body: `${ym}《督导情况通报》已印发，现送达。\n\n${rankingText(c)}\n\n通报全文（可打印）：${c.briefingUrl ?? ''}${SIGNATURE}`,
      };
    case 'MEETING':
      return {
        title: `【会议通知】${ym}改革督导情况通报会`,
        body: `定于${c.at ? formatShanghai(c.at) : ''}召开${ym}改革督导情况通报会，通报当月督导情况，安排下月改革工作。\n\n参会人员：${(c.attendees ?? []).join('；')}。\n\n典型发言：${(c.typical ?? []).join('、') || '无'}（月度排名第一）。\n表态发言：${(c.commitment ?? []).join('、') || '无'}（排名最后的区县、连续三次排名最后的专项小组）。\n\n请发言单位负责同志做好准备，准时参会。${SIGNATURE}`,
      };
    case 'PROMOTION_MEETING':
      return {
        title: `【现场推进会】${ym}在${unit}召开改革现场推进会`,
        body: `各有关单位：\n\n根据第六条（四），市委改革办定于${c.at ? formatShanghai(c.at) : ''}在${unit}召开改革现场推进会，现场观摩：${c.shown ?? ''}。\n\n参会单位：${(c.attendees ?? []).join('、')}。\n\n请各单位负责同志准时参加。${SIGNATURE}`,
      };
    case 'PUBLICITY':
      return {
        title: `【一月一宣传】${ym}先进区县和专项小组宣传推介`,
        body: `市委宣传部：\n\n根据第六条（五），请组织市属媒体对以下单位的经验做法进行宣传报道：\n\n排名靠前：${(c.top ?? []).join('、') || '无'}\n前进幅度较大：${(c.improved ?? []).join('、') || '无'}${c.winners?.length ? `\n集中采访报道：${c.winners.join('、')}` : ''}${c.material?.length ? `\n\n经验材料（各单位本月调度报告摘要）：\n${c.material.map((x) => `  ${x}`).join('\n')}` : ''}\n\n督导情况通报见系统：${c.briefingUrl ?? ''}${SIGNATURE}`,
      };
    case 'DIAGNOSIS_VISIT':
      return {
        title: `【一月一会诊】${ym}到${unit}调研会诊`,
        body: `${unit}：\n\n根据第六条（六），市委改革办定于${c.at ? formatShanghai(c.at) : ''}到你单位集中调研会诊，与你单位一起分析落后原因，研究摆脱落后的措施。会诊情况形成书面报告，于${due}前报有关市领导及市直有关部门。请做好准备。${SIGNATURE}`,
      };
    case 'DIAGNOSIS_CHASE':
      if (!c.chase) {
        return {
          title: `【到期提醒】${ym}${unit}会诊书面报告将于${due}截止`,
          body: `会诊组：\n\n${ym}到${unit}调研会诊的书面报告应于${due}前提交，请抓紧完成。${SIGNATURE}`,
        };
      }
      return {
        title: `【催报·第${c.chase ?? 1}次】${ym}${unit}会诊书面报告逾期未报`,
        body: `会诊组：\n\n${ym}到${unit}调研会诊的书面报告应于${due}前提交，至今未提交。请立即在系统中提交。${SIGNATURE}`,
      };
    case 'DIAGNOSIS_REPORT':
      return {
        title: `【会诊报告】${ym}${unit}调研会诊情况`,
        body: `各位市领导、市直有关部门：\n\n现将${ym}到${unit}调研会诊情况报告如下：\n\n${c.report ?? ''}${SIGNATURE}`,
      };
  }
}

function rankingText(c: CycleNoticeContext): string {
  const rows = (xs: Array<{ rank: number; name: string; total: number }>) => xs.map((r) => `  第${r.rank}名 ${r.name} ${r.total}分`).join('\n');
  if (!c.ranking) return '';
  const departments = c.ranking.departments?.length ? `\n\n市直部门排名（第十条（二））：\n${rows(c.ranking.departments)}` : '';
  return `区县排名：\n${rows(c.ranking.districts)}\n\n专项小组排名：\n${rows(c.ranking.specialGroups)}${departments}`;
}

// ---- the printable briefing ------------------------------------------------------

export interface BriefingContext {
  year: number;
  month: number;
  rankedAt: string;
  districts: RankedUnit[];
  specialGroups: RankedUnit[];
  /** 第十条（二）: the departments carrying reform tasks, ranked on their own indicators (absent: none this month). */
  departments?: RankedUnit[];
  departmentTieRule?: string;
  annual: Record<string, { monthsCounted: number; average: number; figure?: number }>;
  tieRule: string;
  speakers: Speakers;
  unitNames: Record<string, string>;
  improved: string[];
  highlights: string[];
  problems: string[];
  reportsMissing: string[];
  teams?: RankedTeam[];
  meetingAt: string;
  nextMonth: string[];
  annualWeight: number;
  /** 第八条: issues per content area in the month's signed lists; `unnamed`: items recorded without an area. */
  areas: { areas: Array<{ label: string; inspections: number; issues: number }>; unnamed: number };
  /** 第十条（三）: the grassroots opinions heard during the month's inspections. */
  opinions: string[];
  /** 第六条（四）(3): the on-site promotion meetings recorded before the ranking. */
  promotionMeetings: PromotionMeeting[];
  /** 第十条（一）: the month's mutual inspections (absent in briefings composed before). */
  mutual?: { lines: string[]; count: number; expected: number };
  /** 第十四条（三）(6): evaluations decided since the previous briefing, announced in this one. */
  evaluations: EvaluationAnnouncement[];
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function table(units: RankedUnit[], c: BriefingContext, district: boolean): string {
  const head = `<tr><th>名次</th><th>单位</th><th>本月得分</th>${units[0]?.items.map((i) => `<th>${esc(i.name)}（${i.weight}${i.bonus ? '，加分' : ''}）</th>`).join('') ?? ''}<th>年度累计均分</th>${district ? `<th>计入年度考核（${c.annualWeight * 100}%）</th>` : ''}</tr>`;
  const rows = units
    .map((u) => {
      const a = c.annual[u.unitId];
      return `<tr><td>${u.rank}${u.tieNote ? '*' : ''}</td><td>${esc(u.unitName)}</td><td>${u.total}</td>${u.items.map((i) => `<td title="${esc(i.facts)}">${i.value}</td>`).join('')}<td>${a?.average ?? ''}</td>${district ? `<td>${a?.figure ?? ''}</td>` : ''}</tr>`;
    })
    .join('');
  return `<table>${head}${rows}</table>`;
}

/** Printed explanations: every item below its full points, or adjusted, with its facts (the screen shows all). */
function deductions(c: BriefingContext): string {
  const lines = [...c.districts, ...c.specialGroups, ...(c.departments ?? [])].flatMap((u) =>
    u.items.filter((i) => (!i.bonus && i.value < i.weight) || i.override).map((i) => `${u.unitName}　${i.name}：${i.value}/${i.weight}分。${i.facts}`),
  );
  return lines.length ? `<ol class="note">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>` : '<p class="note">各单位各项均得满分。</p>';
}

/** The month's 督导情况通报: ranking tables, highlights, problems, next month's arrangements. */
export function renderBriefingHtml(c: BriefingContext): string {
  const name = (id: string) => esc(c.unitNames[id] ?? id);
  const li = (xs: string[]) => (xs.length ? `<ul>${xs.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '<p>无</p>');
  const teams = c.teams?.length
    ? `<table><tr><th>名次</th><th>督查组</th><th>测评单位数</th><th>排名办法合理</th><th>排名顺序公平</th><th>督查到位</th><th>人员廉洁</th><th>平均分</th></tr>${c.teams
        .map((t) => `<tr><td>${t.rank}</td><td>${esc(t.teamName)}</td><td>${t.raters}</td><td>${t.fairMethod}</td><td>${t.fairOrder}</td><td>${t.thorough}</td><td>${t.clean}</td><td>${t.average}</td></tr>`)
        .join('')}</table>`
    : undefined;
  const areas = `<table><tr><th>督查内容（第八条）</th><th>发现问题的督查次数</th><th>问题数</th></tr>${c.areas.areas
    .map((a) => `<tr><td>${esc(a.label)}</td><td>${a.inspections}</td><td>${a.issues || '未发现问题'}</td></tr>`)
    .join('')}</table>${c.areas.unnamed ? `<p class="note">另有${c.areas.unnamed}项问题未标明督查内容。</p>` : ''}`;
  const meetings = c.promotionMeetings.map(
    (m) => `${formatShanghai(m.heldAt)}在${c.unitNames[m.districtId] ?? m.districtId}召开现场推进会，现场观摩：${m.shown}；参会单位：${m.attendeeUnitIds.map((u) => c.unitNames[u] ?? u).join('、')}`,
  );
  const evaluations = c.evaluations
    .map(
      (e) =>
        `<p>${esc(e.title)}（${e.year}年评估，${esc(formatShanghai(e.decidedAt).split(' ')[0])}经市领导审定${e.published ? '，并向社会公开' : ''}）：</p><table><tr><th>名次</th><th>单位</th><th>得分</th><th>评价</th></tr>${e.results
          .map((r, i) => `<tr><td>${i + 1}</td><td>${esc(r.unitName)}</td><td>${r.score}</td><td>${esc(r.comment ?? '')}</td></tr>`)
          .join('')}</table>`,
    )
    .join('');
  const departments = c.departments?.length
    ? `<p>（三）承担改革任务的市直部门（第十条（二），按部门指标单独排名）</p>${table(c.departments, c, false)}${c.departmentTieRule ? `<p class="note">${esc(c.departmentTieRule)}。</p>` : ''}`
    : '';
  const mutual = c.mutual && (c.mutual.count || c.mutual.expected)
    ? `<p>本月开展互督互查${c.mutual.count}次${c.mutual.expected ? `（按要求每月不少于${c.mutual.expected}次${c.mutual.count < c.mutual.expected ? `，尚差${c.mutual.expected - c.mutual.count}次` : ''}）` : ''}。</p>${c.mutual.lines.length ? li(c.mutual.lines) : ''}`
    : undefined;
  const missing = c.reportsMissing.length ? `<p>未按时报送调度情况的单位：${c.reportsMissing.map(name).join('、')}。</p>` : '';
  // Optional sections (undefined) are left out; the rest are numbered in order.
  const sections: Array<[string, string | undefined]> = [
    ['月度排名', `<p>（一）区县</p>${table(c.districts, c, true)}
<p>（二）市专项小组</p>${table(c.specialGroups, c, false)}
${departments}<p class="note">说明：得分依据年度督导评价办法确定的量化指标计算，各项得分的事实依据见系统排名说明。${esc(c.tieRule)}。区县月度得分以${c.annualWeight * 100}%比例计入年底综合考核。${c.districts.concat(c.specialGroups).some((u) => u.tieNote) ? '标*者为同分单位。' : ''}</p>`],
    ['工作亮点', li(c.highlights)],
    ['督查内容覆盖情况', areas],
    ['以上督下与互督互查', mutual],
    ['存在问题', `${li(c.problems)}\n${missing}`],
    ['基层意见建议', c.opinions.length ? li(c.opinions) : undefined],
    ['现场推进会', meetings.length ? li(meetings) : undefined],
    ['年度评估结果通报', evaluations || undefined],
    [
      '通报会发言安排',
      `<p>典型发言：${c.speakers.typical.map(name).join('、') || '无'}</p>
<p>表态发言：${c.speakers.commitment.map(name).join('、') || '无'}</p>
<p>通报会时间：${esc(formatShanghai(c.meetingAt))}</p>
${c.improved.length ? `<p>前进幅度较大：${c.improved.map(name).join('、')}</p>` : ''}`,
    ],
    ['区县对市督查组季度测评', teams],
    ['下月工作安排', li(c.nextMonth)],
  ];
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${c.year}年${c.month}月督导情况通报</title>
<style>
body{font-family:"FangSong","仿宋","SimSun",serif;max-width:900px;margin:2em auto;line-height:1.7}
h1{text-align:center;font-family:"SimHei","黑体",sans-serif;color:#c00}
h2{font-family:"SimHei","黑体",sans-serif;font-size:1.1em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #333;padding:2px 4px;text-align:center}
.note{font-size:.85em}
@media print{body{margin:0}}
</style></head><body>
<h1>督导情况通报</h1>
<p style="text-align:center">市委全面深化改革领导小组办公室　${c.year}年${c.month}月</p>
<p>按照“六个一”督查制度（第六条），市委改革办对${c.year}年${c.month}月全市全面深化改革工作进行了调度、督查和排名，现将有关情况通报如下。</p>
${sections
  .filter(([, html]) => html !== undefined)
  .map(([title, html], i) => `<h2>${NUMERALS[i]}、${title}</h2>\n${html}`)
  .join('\n')}
<p style="text-align:right">市委全面深化改革领导小组办公室<br>${esc(formatShanghai(c.rankedAt).split(' ')[0])}</p>
<h2>附：失分及调整说明</h2>${deductions(c)}
</body></html>`;
}
