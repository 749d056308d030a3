/**
 * The what-if report of `npm run simulate` (bench/report.ts) from two
 * simulated years' figures: the headline table with its differences, a chart
 * per measure, each month's figures for both policies, the proposal as given —
 * and nothing of the input written unescaped into the HTML.
 */
import { headline, monthHeadline, simulationReport } from '../../bench/report';
import type { YearResult } from '../../bench/year';

const year = (version: string, months: YearResult['months']): YearResult => ({
  label: version,
  policyVersion: version,
  scale: { days: 61, documents: 67, selections: 1 },
  wallSeconds: 1,
  setupSeconds: 1,
  counts: months.reduce<Record<string, number>>((all, m) => {
    for (const [k, v] of Object.entries(m.counts)) all[k] = (all[k] ?? 0) + v;
    return all;
  }, {}),
  months,
  held: { documents: 67, cycles: 2, selections: 0, rollouts: 0 },
  steps: 500,
  refused: { 'draft: 当前状态不能起草': 2 },
  simulated: [],
});

describe('the what-if report', () => {
  const inForce = year('2026.1', [
    { month: '2027-01', counts: { 'document:ASSIGNMENT': 30, 'document:CHASE': 4, 'cycle:REPORT_CHASE': 3, 'document:MANUAL_CHASE': 5 }, due: 40, onTime: 30 },
    { month: '2027-02', counts: { 'document:CHASE': 6, 'document:ORDER': 2 }, due: 20, onTime: 10 },
  ]);
  const proposed = year('2026.1+<two>', [
    { month: '2027-01', counts: { 'document:ASSIGNMENT': 30, 'document:CHASE': 9, 'cycle:REPORT_CHASE': 3 }, due: 40, onTime: 34 },
    { month: '2027-02', counts: { 'document:CHASE': 2, 'document:ORDER': 1 }, due: 20, onTime: 15 },
  ]);

  it('counts every family’s chases but the manual ones, and a month’s share of deadlines kept', () => {
    expect(headline(inForce.counts)).toMatchObject({ assignments: 30, chases: 13, orders: 2, total: 50 });
    expect(monthHeadline(inForce.months[0])).toEqual({ chases: 7, orders: 0, rate: 0.75 });
    expect(monthHeadline({ month: '2027-03', counts: {}, due: 0, onTime: 0 }).rate).toBeUndefined();
  });

  it('sets the two policies side by side, month by month, with the proposal as given', () => {
    const html = simulationReport({ results: [inForce, proposed], proposal: { file: 'bench/policies/<x>.json', overrides: { document: { chaseAfter: { weeks: 2 } } } }, generatedAt: new Date('2027-03-01T00:00:00Z') });
    // Headline rows: chases 13 → 14 (+1), orders 2 → 1 (-1), deadlines kept 66.7% → 81.7% (+15.0 points).
    expect(html).toMatch(/催办单（各类催办合计）<\/th><td>13<\/td><td>14<\/td><td>\+1<\/td>/);
    expect(html).toMatch(/责令书<\/th><td>2<\/td><td>1<\/td><td>-1<\/td>/);
    expect(html).toContain('<td>66.7%</td><td>81.7%</td><td>15.0 个百分点</td>');
    // One chart per measure, a bar per month and policy.
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<rect [^>]*><title>/g)).toHaveLength(3 * 2 * 2);
    expect(html).toContain('<tr><th>2027-02</th><td>6</td><td>2</td><td>2</td><td>1</td><td>50.0%（10/20）</td><td>75.0%（15/20）</td></tr>');
    expect(html).toContain('&quot;weeks&quot;: 2');
    // Names from files and versions are escaped.
    expect(html).toContain('2026.1+&lt;two&gt;');
    expect(html).toContain('bench/policies/&lt;x&gt;.json');
    expect(html).not.toContain('<two>');
    // What the span held: no selection started in two months, so none is mentioned.
    expect(html).toContain('67 份上级改革文件、2 个月的“六个一”督导（11 个区县和 8 个专项小组）。');
  });
});
