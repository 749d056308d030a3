/**
 * The briefing's sections added for 第八条 (content areas), 第十条（三） (grassroots opinions),
 * 第六条（四）(3) (on-site promotion meetings) and 第十四条（三）(6) (the evaluation's results), and the
 * request bodies that bring them in. Pure: no services.
 */
import { renderBriefingHtml, renderCycleNotice, type BriefingContext } from '../../activities/cycleTexts';
import { InspectionBody, PromotionMeetingBody, UpwardBody } from '../../api/schemas/cycles';
import { defaultCyclePolicy } from '../../common/policy/cycle';
import { composeBriefing } from '../../workflows/cycle/briefing';
import type { Inspection, Ranking } from '../../workflows/cycle/messages';
import { areaCoverage, CONTENT_AREAS } from '../../workflows/cycle/state';

const inspection = (unitId: string, issues: Inspection['issues'], signed: boolean, opinions?: Inspection['opinions']): Inspection => ({
  id: `x:${unitId}`,
  unitId,
  teamName: '第一督查组',
  leaderId: 'ro-supervisor',
  reformOfficeIds: [],
  departmentIds: [],
  issues,
  opinions,
  createdBy: 'ro-inspector',
  createdAt: '2027-05-03T00:00:00.000Z',
  ...(signed ? { unitSignedAt: '2027-05-04T00:00:00.000Z', leaderSignedAt: '2027-05-04T00:00:00.000Z' } : {}),
});

describe('第八条: content areas', () => {
  it('counts the issues and the inspections per area; items from before areas were named are counted apart', () => {
    const c = areaCoverage([
      inspection('d1', [{ title: 'a', area: 'BASIC_WORK' }, { title: 'b', area: 'BASIC_WORK' }, { title: 'c', area: 'DOCUMENTS' }], true),
      inspection('d2', [{ title: 'd', area: 'BASIC_WORK' }, { title: 'old' }], true),
    ]);
    expect(c.areas.map((a) => [a.area, a.inspections, a.issues])).toEqual([
      ['DOCUMENTS', 1, 1],
      ['BASIC_WORK', 2, 3],
      ['SPECIAL_GROUPS', 0, 0],
      ['INNOVATION', 0, 0],
      ['OTHER', 0, 0],
    ]);
    expect(c.unnamed).toBe(1);
    expect(c.areas.map((a) => a.label)).toEqual(['领导小组审议出台文件贯彻落实情况', '基础业务开展情况', '专项小组工作开展情况', '创新改革经验推广推介情况', '其他需要督查的事项']);
  });

  it('the API requires one of the five areas on every item; opinions are optional, each with its unit and text', () => {
    const body = { unitId: 'd1', teamName: 't', leaderId: 'l', reformOfficeIds: ['r'], issues: [{ title: '问题', area: 'INNOVATION' }] };
    expect(InspectionBody.parse(body)).toMatchObject({ opinions: [], issues: [{ area: 'INNOVATION' }] });
    const missing = InspectionBody.safeParse({ ...body, issues: [{ title: '问题' }] });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path)).toEqual([['issues', 0, 'area']]);
    const unknown = InspectionBody.safeParse({ ...body, issues: [{ title: '问题', area: 'ELSEWHERE' }] });
    expect(unknown.success ? '' : unknown.error.issues[0].message).toContain('第八条');
    const opinion = InspectionBody.safeParse({ ...body, opinions: [{ unit: '', text: '意见' }] });
    expect(opinion.success ? [] : opinion.error.issues.map((i) => i.path)).toEqual([['opinions', 0, 'unit']]);
    expect(CONTENT_AREAS).toHaveLength(5);
  });

  it('the issue list names each item’s area', () => {
    const { body } = renderCycleNotice('ISSUE_LIST', { year: 2027, month: 5, unitName: '博山区', issues: [{ title: '台账滞后', area: 'BASIC_WORK' }, { title: '旧问题' }] });
    expect(body).toContain('1. 【基础业务开展情况】台账滞后');
    expect(body).toContain('2. 旧问题');
  });
});

describe('第十条（三）and the briefing', () => {
  const ranking: Ranking = { rankedAt: '2027-05-26T00:00:00.000Z', districts: [], specialGroups: [], tieRule: '', speakers: { typical: [], commitment: [] }, improved: [], annual: {} };
  it('carries the signed issues with their areas, and every inspection’s grassroots opinions', () => {
    const b = composeBriefing(
      {
        units: [],
        reports: [],
        inspections: [
          inspection('d1', [{ title: '台账滞后', area: 'BASIC_WORK' }], true, [{ unit: '某村', text: '简化材料' }]),
          inspection('d2', [{ title: '未签字的问题', area: 'OTHER' }], false, [{ unit: '某企业', text: '加快审批' }]),
        ],
      },
      ranking,
      defaultCyclePolicy,
      (id) => ({ d1: '张店区', d2: '博山区' })[id] ?? id,
    );
    expect(b.problems).toEqual(['张店区：【基础业务开展情况】台账滞后']);
    expect(b.areas.areas.find((a) => a.area === 'OTHER')?.issues).toBe(0); // unsigned lists do not count
    expect(b.opinions).toEqual(['督查张店区时听取某村意见：简化材料', '督查博山区时听取某企业意见：加快审批']);
  });
});

describe('the printed briefing', () => {
  const base: BriefingContext = {
    year: 2027,
    month: 5,
    rankedAt: '2027-05-26T00:00:00.000Z',
    districts: [],
    specialGroups: [],
    annual: {},
    tieRule: '总分相同的并列同一名次',
    speakers: { typical: [], commitment: [] },
    unitNames: { d1: '张店区', d2: '博山区', dept: '市发展改革委' },
    improved: [],
    highlights: [],
    problems: [],
    reportsMissing: [],
    meetingAt: '2027-05-28T00:00:00.000Z',
    nextMonth: [],
    annualWeight: 0.5,
    areas: areaCoverage([]),
    opinions: [],
    promotionMeetings: [],
    evaluations: [],
  };
  const sections = (html: string) => [...html.matchAll(/<h2>([一二三四五六七八九十]+)、([^<]+)<\/h2>/g)].map((x) => `${x[1]}、${x[2]}`);

  it('leaves out the optional sections when there is nothing to say, and numbers the rest in order', () => {
    expect(sections(renderBriefingHtml(base))).toEqual(['一、月度排名', '二、工作亮点', '三、督查内容覆盖情况', '四、存在问题', '五、通报会发言安排', '六、下月工作安排']);
  });

  it('第六条（四）(3) and 第十四条（三）(6): the promotion meeting and the evaluation’s results, ordered by score', () => {
    const html = renderBriefingHtml({
      ...base,
      opinions: ['督查张店区时听取某村意见：简化材料'],
      promotionMeetings: [{ id: 'm1', heldAt: '2027-05-20T01:30:00.000Z', districtId: 'd1', shown: '一网通办<现场>', attendeeUnitIds: ['d2', 'dept'], recordedBy: 'ro-director', recordedAt: '2027-05-10T00:00:00.000Z' }],
      evaluations: [{ year: 2027, title: '年度评估报告', decidedAt: '2027-05-12T02:00:00.000Z', published: true, results: [{ unitName: '张店区', score: 93 }, { unitName: '博山区', score: 78, comment: '需加强' }] }],
    });
    expect(sections(html)).toEqual(['一、月度排名', '二、工作亮点', '三、督查内容覆盖情况', '四、存在问题', '五、基层意见建议', '六、现场推进会', '七、年度评估结果通报', '八、通报会发言安排', '九、下月工作安排']);
    expect(html).toContain('2027年5月20日 09:30在张店区召开现场推进会，现场观摩：一网通办&lt;现场&gt;；参会单位：博山区、市发展改革委');
    expect(html).toContain('年度评估报告（2027年评估，2027年5月12日经市领导审定，并向社会公开）');
    expect(html).toContain('<tr><td>2</td><td>博山区</td><td>78</td><td>需加强</td></tr>');
  });

  it('the invitation to a promotion meeting; its body is validated', () => {
    const { title, body } = renderCycleNotice('PROMOTION_MEETING', { year: 2027, month: 5, unitName: '张店区', at: '2027-05-20T01:30:00.000Z', shown: '一网通办', attendees: ['博山区', '市发展改革委'] });
    expect(title).toBe('【现场推进会】2027年5月在张店区召开改革现场推进会');
    expect(body).toContain('定于2027年5月20日 09:30在张店区召开改革现场推进会，现场观摩：一网通办');
    expect(body).toContain('参会单位：博山区、市发展改革委');
    const ok = { heldAt: '2027-05-20T09:30:00+08:00', districtId: 'd1', shown: '一网通办', attendeeUnitIds: ['d2'] };
    expect(PromotionMeetingBody.safeParse(ok).success).toBe(true);
    const bad = PromotionMeetingBody.safeParse({ ...ok, heldAt: '下周', attendeeUnitIds: [] });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path)).toEqual([['heldAt'], ['attendeeUnitIds']]);
    const twice = PromotionMeetingBody.safeParse({ ...ok, attendeeUnitIds: ['d2', 'd2'] });
    expect(twice.success ? [] : twice.error.issues.map((i) => i.path)).toEqual([['attendeeUnitIds']]);
  });
});

describe('第六条（五）(3): a highlight recommended upward', () => {
  it('names what, through which channel, to whom and when; no districts means the city’s own', () => {
    const ok = { highlight: '一网通办', channel: '改革信息专报', recipient: '省委改革办', sentAt: '2027-05-20T09:30:00+08:00' };
    expect(UpwardBody.parse(ok)).toMatchObject({ unitIds: [] });
    const bad = UpwardBody.safeParse({ ...ok, channel: '', sentAt: '2027-05-20' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path)).toEqual([['channel'], ['sentAt']]);
  });
});
