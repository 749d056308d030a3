// The what-if report of `npm run simulate` (bench/simulate.ts): one simulated
// year under the policy in force and under a proposed one, side by side — the
// headline figures, and per month the chases, the orders and the share of
// deadlines kept, as inline SVG charts. One self-contained HTML file (no
// scripts, no network), in Chinese for the reform office.
import type { MonthFigures, YearResult } from './year';

const COLORS = ['#4e79a7', '#e15759'];

const sum = (c: Record<string, number>, pred: (key: string) => boolean) => Object.entries(c).filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0);
/** Notice counts (by `subjectType:kind`) as the figures B3 and the report show. */
export function headline(c: Record<string, number>) {
  return {
    prompts: c['document:PROMPT'] ?? 0,
    assignments: c['document:ASSIGNMENT'] ?? 0,
    // Every family's chases: 催办单 of documents, report/diagnosis chases of the cycle, rollout and selection chases.
    chases: sum(c, (k) => /CHASE/.test(k) && !/MANUAL/.test(k)),
    orders: c['document:ORDER'] ?? 0,
    followUps: c['document:ORDER_FOLLOW_UP'] ?? 0,
    total: sum(c, () => true),
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const percent = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Chases of every family (as headline counts them) and document orders in one month's notices. */
export function monthHeadline(m: MonthFigures): { chases: number; orders: number; rate: number | undefined } {
  const h = headline(m.counts);
  return { chases: h.chases, orders: h.orders, rate: m.due ? m.onTime / m.due : undefined };
}

interface Series {
  name: string;
  values: Array<number | undefined>;
}

/** Grouped bars, one group per month, one bar per policy. */
function barChart(title: string, labels: string[], series: Series[], format: (v: number) => string, max?: number): string {
  const W = 760;
  const H = 260;
  const left = 48;
  const bottom = 40;
  const top = 28;
  const plotH = H - top - bottom;
  // Counts get whole-number ticks: the top rounded up to a multiple of the four intervals.
  const top0 = max ?? 4 * Math.ceil(Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined))) / 4);
  const group = (W - left - 10) / Math.max(1, labels.length);
  const bar = Math.min(28, (group - 8) / series.length);
  const y = (v: number) => top + plotH - (v / top0) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top0);
  const parts: string[] = [
    `<text x="${left}" y="16" class="t">${esc(title)}</text>`,
    ...ticks.map((t) => `<line x1="${left}" x2="${W - 10}" y1="${y(t)}" y2="${y(t)}" class="g"/><text x="${left - 6}" y="${y(t) + 4}" class="a" text-anchor="end">${esc(format(t))}</text>`),
  ];
  labels.forEach((label, i) => {
    const x0 = left + i * group + (group - bar * series.length) / 2;
    series.forEach((s, k) => {
      const v = s.values[i];
      if (v === undefined) return;
      parts.push(`<rect x="${x0 + k * bar}" y="${y(v)}" width="${bar - 2}" height="${Math.max(0, top + plotH - y(v))}" fill="${COLORS[k % COLORS.length]}"><title>${esc(`${label} ${s.name}：${format(v)}`)}</title></rect>`);
    });
    parts.push(`<text x="${left + i * group + group / 2}" y="${H - bottom + 16}" class="a" text-anchor="middle">${esc(label)}</text>`);
  });
  series.forEach((s, k) => {
    parts.push(`<rect x="${left + k * 200}" y="${H - 14}" width="12" height="12" fill="${COLORS[k % COLORS.length]}"/><text x="${left + k * 200 + 18}" y="${H - 4}" class="a">${esc(s.name)}</text>`);
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

export interface ReportInput {
  /** The policy in force first, the proposed one second. */
  results: [YearResult, YearResult];
  /** The proposal as its file states it (a partial policy). */
  proposal: { file: string; overrides: unknown };
  generatedAt: Date;
}

export function simulationReport({ results, proposal, generatedAt }: ReportInput): string {
  const [base, alt] = results;
  const names = [`现行规则（${base.policyVersion}）`, `对比规则（${alt.policyVersion}）`];
  // The two runs start at different real instants: months are compared by their place in the simulated span.
  const n = Math.max(base.months.length, alt.months.length);
  const labels = Array.from({ length: n }, (_, i) => base.months[i]?.month ?? alt.months[i]?.month ?? `第${i + 1}月`);
  const perMonth = results.map((r) => Array.from({ length: n }, (_, i) => (r.months[i] ? monthHeadline(r.months[i]) : undefined)));
  const series = (pick: (m: ReturnType<typeof monthHeadline>) => number | undefined): Series[] => perMonth.map((ms, k) => ({ name: names[k], values: ms.map((m) => (m ? pick(m) : undefined)) }));

  const totals = results.map((r) => {
    const h = headline(r.counts);
    const due = r.months.reduce((s, m) => s + m.due, 0);
    const onTime = r.months.reduce((s, m) => s + m.onTime, 0);
    return { h, due, onTime, refused: Object.values(r.refused).reduce((s, v) => s + v, 0) };
  });
  const row = (label: string, a: number, b: number, fmt = String) => `<tr><th>${esc(label)}</th><td>${esc(fmt(a))}</td><td>${esc(fmt(b))}</td><td>${esc(signed(b - a))}</td></tr>`;
  const [ta, tb] = totals;

  const monthRows = labels
    .map((label, i) => {
      const [a, b] = perMonth.map((ms) => ms[i]);
      const [ma, mb] = [base.months[i], alt.months[i]];
      return `<tr><th>${esc(label)}</th><td>${a?.chases ?? '—'}</td><td>${b?.chases ?? '—'}</td><td>${a?.orders ?? '—'}</td><td>${b?.orders ?? '—'}</td><td>${ma ? `${percent(ma.onTime, ma.due)}（${ma.onTime}/${ma.due}）` : '—'}</td><td>${mb ? `${percent(mb.onTime, mb.due)}（${mb.onTime}/${mb.due}）` : '—'}</td></tr>`;
    })
    .join('');

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>督办规则推演报告</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:820px;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:right}th{background:#f6f6f6}
tr>th:first-child{text-align:left}
pre{background:#f6f6f6;padding:.75rem;overflow:auto}
.t{font-size:14px;font-weight:600}.a{font-size:11px;fill:#555}.g{stroke:#eee}
.note{color:#666;font-size:.9rem}
</style></head><body>
<h1>督办规则推演报告</h1>
<p>在同一组模拟事项上，分别按${esc(names[0])}和${esc(names[1])}运行督办流程 ${base.scale.days} 天（${esc(labels[0] ?? '')} 起）：
${base.held.documents} 份上级改革文件、${base.held.cycles} 个月的“六个一”督导（11 个区县和 8 个专项小组）${base.held.selections ? `、${base.held.selections} 次创新改革经验评选及其 ${base.held.rollouts} 项推广` : ''}。
各单位的办理时间由同一随机种子生成，两次模拟的差异只来自规则。</p>
<p class="note">生成时间：${esc(generatedAt.toISOString())}；对比规则文件：${esc(proposal.file)}。</p>

<h2>总体对比</h2>
<table><thead><tr><th></th><th>${esc(names[0])}</th><th>${esc(names[1])}</th><th>差异</th></tr></thead><tbody>
${row('提示单', ta.h.prompts, tb.h.prompts)}
${row('交办单', ta.h.assignments, tb.h.assignments)}
${row('催办单（各类催办合计）', ta.h.chases, tb.h.chases)}
${row('责令书', ta.h.orders, tb.h.orders)}
${row('责令书后续督促', ta.h.followUps, tb.h.followUps)}
${row('通知合计', ta.h.total, tb.h.total)}
<tr><th>按期完成率（到期事项中按期办结的比例）</th><td>${percent(ta.onTime, ta.due)}</td><td>${percent(tb.onTime, tb.due)}</td><td>${ta.due && tb.due ? `${(((100 * tb.onTime) / tb.due) - (100 * ta.onTime) / ta.due).toFixed(1)} 个百分点` : '—'}</td></tr>
${row('办理步骤（成功）', base.steps, alt.steps)}
${row('被流程拒绝的步骤', ta.refused, tb.refused)}
</tbody></table>

<h2>每月催办单</h2>
${barChart('每月催办单（各类催办合计）', labels, series((m) => m.chases), (v) => String(Math.round(v)))}
<h2>每月责令书</h2>
${barChart('每月责令书', labels, series((m) => m.orders), (v) => String(Math.round(v)))}
<h2>每月按期完成率</h2>
${barChart('当月到期事项中按期办结的比例', labels, series((m) => m.rate), (v) => `${Math.round(v * 100)}%`, 1)}

<h2>逐月数据</h2>
<table><thead><tr><th>月份</th><th colspan="2">催办单</th><th colspan="2">责令书</th><th colspan="2">按期完成率</th></tr>
<tr><th></th><th>现行</th><th>对比</th><th>现行</th><th>对比</th><th>现行</th><th>对比</th></tr></thead><tbody>${monthRows}</tbody></table>

<h2>对比规则与现行规则的不同之处</h2>
<pre>${esc(JSON.stringify(proposal.overrides, null, 2))}</pre>
<p class="note">模拟在时间跳跃的测试服务器上运行真实的督办流程和活动；当月通知按模拟时钟所在月份统计，按期完成率按义务的截止日期所在月份统计；首月自模拟开始之日起、末月至模拟结束之日止。</p>
</body></html>
`;
}
