/**
 * Pure rules of the innovation family (第十四条): tallying, the shortlist and
 * final ranking with their tie rules, ballot refusals, the township rule,
 * acceptance dates and the per-district board; links in candidate material.
 */
import { CandidateBody } from '../../api/schemas/innovation';
import { defaultInnovationPolicy, InnovationPolicy } from '../../common/policy/innovation';
import { formatShanghai } from '../../common/policy/duration';
import {
  acceptancePeriod,
  ballotRefusal,
  boardOf,
  combinedScore,
  meetingDateRefusal,
  rankFinal,
  rankShortlist,
  tally,
  townshipRefusal,
  type CandidateScore,
  type Duty,
} from '../../workflows/innovation/state';

const score = (id: string, o: Partial<CandidateScore> = {}): CandidateScore => ({
  id,
  unitId: `district-${id}`,
  submittedAt: '2026-07-01T00:00:00.000Z',
  mutualVotes: 0,
  secondVotes: 0,
  publicVotes: 0,
  ...o,
});

describe('tally', () => {
  it('counts each ballot once per distinct candidate', () => {
    expect(tally([{ candidateIds: ['a', 'b'] }, { candidateIds: ['a'] }, { candidateIds: ['b', 'b', 'c'] }])).toEqual({ a: 2, b: 2, c: 1 });
  });
});

describe('ranking (第十四条: shortlist of 20; 10 chosen by both votes combined, ordered by the public vote)', () => {
  it('shortlists by mutual votes; ties go to the earlier submission, then the id', () => {
    const cs = [
      score('x', { mutualVotes: 5, submittedAt: '2026-07-03T00:00:00.000Z' }),
      score('y', { mutualVotes: 5, submittedAt: '2026-07-02T00:00:00.000Z' }),
      score('z', { mutualVotes: 9 }),
      score('w', { mutualVotes: 1 }),
    ];
    expect(rankShortlist(cs, 3).map((c) => c.id)).toEqual(['z', 'y', 'x']);
  });

  it('keeps everyone when fewer candidates than the shortlist size', () => {
    expect(rankShortlist([score('a'), score('b')], defaultInnovationPolicy.selection.shortlistSize)).toHaveLength(2);
  });

  const even = defaultInnovationPolicy.selection.finalCombination;

  it('orders the final list by public votes; ties by the combined score, second-round votes, mutual votes, then submission', () => {
    // Every candidate shares one official vote count: the public vote alone decides who is chosen.
    const cs = [
      score('a', { publicVotes: 100, secondVotes: 1 }),
      score('b', { publicVotes: 100, secondVotes: 3 }),
      score('c', { publicVotes: 50, secondVotes: 2, mutualVotes: 4 }),
      score('d', { publicVotes: 50, secondVotes: 2, mutualVotes: 7 }),
      score('e', { publicVotes: 50, secondVotes: 2, mutualVotes: 7, submittedAt: '2026-06-30T00:00:00.000Z' }),
      score('f', { publicVotes: 500 }),
    ];
    expect(rankFinal(cs, 5, { officialWeight: 0, publicWeight: 1 }, { SECOND: 10, PUBLIC: 850 }).map((c) => c.id)).toEqual(['f', 'b', 'a', 'e', 'd']);
  });

  it('chooses by both votes combined (each as its share of the ballots), then orders the chosen by the public vote', () => {
    // 10 official ballots, 1000 public ones. "pub" leads the public vote with no official support;
    // "off" has every official ballot and a modest public vote; "mid" is second on both.
    const cs = [score('pub', { publicVotes: 600, secondVotes: 0 }), score('off', { publicVotes: 150, secondVotes: 10 }), score('mid', { publicVotes: 250, secondVotes: 6 })];
    const ballots = { SECOND: 10, PUBLIC: 1000 };
    // Scores with even weights: pub 0.30, off 0.575, mid 0.425 → the two chosen are off and mid, shown mid first (more public votes).
    expect(combinedScore(cs[0], even, ballots)).toBeCloseTo(0.3);
    expect(combinedScore(cs[1], even, ballots)).toBeCloseTo(0.575);
    const two = rankFinal(cs, 2, even, ballots);
    expect(two.map((c) => c.id)).toEqual(['mid', 'off']);
    expect(two[0].combinedScore).toBeCloseTo(0.425);
    // The public vote alone (the old rule) would have chosen pub and mid.
    expect(rankFinal(cs, 2, { officialWeight: 0, publicWeight: 1 }, ballots).map((c) => c.id)).toEqual(['pub', 'mid']);
    // No ballots in a round: its share counts as nothing, not as a division by zero.
    expect(combinedScore(cs[1], even, { SECOND: 0, PUBLIC: 0 })).toBe(0);
  });

  it('refuses weights that do not add up to 1', () => {
    const bad = { ...defaultInnovationPolicy, selection: { ...defaultInnovationPolicy.selection, finalCombination: { officialWeight: 0.7, publicWeight: 0.7 } } };
    expect(InnovationPolicy.safeParse(bad).success).toBe(false);
  });
});

describe('ballots', () => {
  const candidates = [
    { id: 'c1', unitId: 'district-zhangdian', shortlisted: true },
    { id: 'c2', unitId: 'sg-economy', shortlisted: false },
  ];
  const base = { phase: 'MUTUAL_VOTE', round: 'MUTUAL' as const, voterUnitId: 'district-linzi', voterKind: 'DISTRICT' as const, candidates, maxChoices: 20 };

  it('accepts a district voting for other units in the mutual round', () => {
    expect(ballotRefusal({ ...base, candidateIds: ['c1', 'c2'] })).toBeUndefined();
  });
  it('refuses a unit voting for its own experience (第十四条)', () => {
    expect(ballotRefusal({ ...base, voterUnitId: 'district-zhangdian', candidateIds: ['c1'] })).toMatchObject({ code: 'FORBIDDEN' });
  });
  it('refuses departments in the mutual round and special groups in the second', () => {
    expect(ballotRefusal({ ...base, voterKind: 'DEPARTMENT', candidateIds: ['c1'] })).toMatchObject({ code: 'FORBIDDEN' });
    expect(ballotRefusal({ ...base, phase: 'SECOND_VOTE', round: 'SECOND', voterKind: 'SPECIAL_GROUP', candidateIds: ['c1'] })).toMatchObject({ code: 'FORBIDDEN' });
  });
  it('only shortlisted candidates in the second and public rounds', () => {
    expect(ballotRefusal({ ...base, phase: 'SECOND_VOTE', round: 'PUBLIC', voterKind: undefined, candidateIds: ['c2'] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(ballotRefusal({ ...base, phase: 'SECOND_VOTE', round: 'PUBLIC', voterKind: undefined, candidateIds: ['c1'] })).toBeUndefined();
  });
  it('refuses outside the round, duplicates and too many choices', () => {
    expect(ballotRefusal({ ...base, phase: 'CALL', candidateIds: ['c1'] })).toMatchObject({ code: 'CONFLICT' });
    expect(ballotRefusal({ ...base, candidateIds: ['c1', 'c1'] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(ballotRefusal({ ...base, maxChoices: 1, candidateIds: ['c1', 'c2'] })).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('township rule (第十四条: at least 2 townships per district)', () => {
  it('needs the policy minimum of distinct townships', () => {
    expect(townshipRefusal(['t1'], 2)).toMatch(/至少在2个镇办/);
    expect(townshipRefusal(['t1', 't1'], 2)).toMatch(/重复/);
    expect(townshipRefusal(['t1', 't2'], 2)).toBeUndefined();
    expect(townshipRefusal(['t1', 't2'], 3)).toMatch(/至少在3个镇办/);
  });
});

describe('acceptance dates (第十四条: end of June / December, summary by 10 July / 10 January)', () => {
  const a = defaultInnovationPolicy.rollout.acceptance;
  it('a rollout started in November 2026 is accepted at the end of June 2027, summary by 10 July', () => {
    const p = acceptancePeriod(new Date('2026-11-21T06:00:00Z'), a);
    expect(p.label).toBe('2027年上半年');
    expect(formatShanghai(p.reportDueAt)).toBe('2027年6月30日 23:59');
    expect(formatShanghai(p.summaryDueAt)).toBe('2027年7月10日 23:59');
  });
  it('a rollout started in July 2026 is accepted at the end of December, summary by 10 January', () => {
    const p = acceptancePeriod(new Date('2026-07-15T02:00:00Z'), a);
    expect(p.label).toBe('2026年下半年');
    expect(formatShanghai(p.reportDueAt)).toBe('2026年12月31日 23:59');
    expect(formatShanghai(p.summaryDueAt)).toBe('2027年1月10日 23:59');
  });
  it('respects firstAfter on the Shanghai calendar', () => {
    // 31 March 2027 Shanghai + 3 months = 30 June: the June date still counts.
    const p = acceptancePeriod(new Date('2027-03-30T16:30:00Z'), a);
    expect(p.label).toBe('2027年上半年');
  });
});

describe('board', () => {
  const duty = (name: string, unitId: string, o: Partial<Duty> = {}): Duty => ({
    name,
    kind: 'DISTRICT_PLAN',
    unitId,
    title: 't',
    startEvent: 's',
    startedAt: '2026-11-01T00:00:00.000Z',
    offset: '1个月',
    dueAt: '2026-12-01T00:00:00.000Z',
    chases: 0,
    ...o,
  });
  it('shows per district what is done, open and late', () => {
    const b = boardOf(
      [duty('lead-plan', 'dept-health', { kind: 'LEAD_PLAN', doneAt: '2026-11-05T00:00:00.000Z' }), duty('d1', 'district-a', { doneAt: '2026-12-03T00:00:00.000Z' }), duty('d2', 'district-b')],
      ['district-a', 'district-b'],
      new Date('2026-12-05T00:00:00Z'),
    );
    expect(b.city).toEqual([expect.objectContaining({ unitId: 'dept-health', done: 1, late: 0 })]);
    expect(b.districts[0]).toMatchObject({ unitId: 'district-a', done: 1, late: 1, items: [expect.objectContaining({ status: 'DONE_LATE' })] });
    expect(b.districts[1]).toMatchObject({ unitId: 'district-b', done: 0, late: 1, items: [expect.objectContaining({ status: 'LATE' })] });
  });
});

describe('policy', () => {
  it('the defaults validate, and the selection count cannot exceed the shortlist', () => {
    expect(InnovationPolicy.parse(defaultInnovationPolicy)).toEqual(defaultInnovationPolicy);
    expect(() => InnovationPolicy.parse({ ...defaultInnovationPolicy, selection: { ...defaultInnovationPolicy.selection, selectedCount: 30 } })).toThrow();
  });
});

describe('candidate material links', () => {
  const body = (url: string) => ({ title: '经验', summary: '一段不少于十个字的经验摘要。', leadUnitId: 'dept-health', material: [{ name: '材料', url }] });
  it('accepts http(s) links only: a javascript:, data: or vbscript: link would run in the reader\'s console', () => {
    for (const ok of ['https://example.cn/a.pdf', 'http://intranet.zibo/b.docx']) expect(CandidateBody.safeParse(body(ok)).success).toBe(true);
    const refused = ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'ftp://example.cn/a', 'mailto:a@b.cn'];
    const messages = refused.map((url) => CandidateBody.safeParse(body(url)).error?.issues.map((i) => i.message).join(' '));
    console.log(`[material-links] ${refused.length} non-http(s) links refused: ${messages.filter(Boolean).length}`);
    for (const m of messages) expect(m).toBe('材料链接必须是 http 或 https 网址');
  });
});

describe('deployment meeting date (第十四条: within two weeks of the approved plan, judged by when it was held)', () => {
  const d = { startedAt: '2026-11-10T02:00:00.000Z' };
  it('accepts a meeting held between the approval and now', () => {
    expect(meetingDateRefusal('2026-11-20T01:00:00.000Z', d, new Date('2026-11-25T00:00:00Z'))).toBeUndefined();
  });
  it('refuses a meeting still to come and one before the approval', () => {
    expect(meetingDateRefusal('2026-11-26T01:00:00.000Z', d, new Date('2026-11-25T00:00:00Z'))).toMatch(/尚未召开/);
    expect(meetingDateRefusal('2026-11-09T01:00:00.000Z', d, new Date('2026-11-25T00:00:00Z'))).toMatch(/早于/);
  });
});
