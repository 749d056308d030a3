/**
 * The standing duties (第十五条(一)(二), 第十七条(二)) as pure rules: the weeks of
 * a year in Asia/Shanghai (Monday–Sunday, each week the year of its Monday),
 * a week's report deadline, whether a medium met its week, the obligations
 * and timed duties, and the policy's validation.
 */
import { defaultPolicy } from '../../common/policy';
import { DutiesPolicy, defaultDutiesPolicy } from '../../common/policy/duties';
import { RULE_CHECK_CALENDAR } from '../../common/policy/calendar';
import { standingDuties } from '../../workflows/standingDuties/duties';
import type { DutiesCarried } from '../../workflows/standingDuties/messages';
import { dutiesObligations } from '../../workflows/standingDuties/obligations';
import { isoWeekday, mediaTable, mondayOf, shanghaiDay, weekReportDue, weeksOfYear, weekStatus, type Piece, type Week } from '../../workflows/standingDuties/state';

const piece = (mediumId: string, publishedOn: string, at: string): Piece => ({ id: `P-${publishedOn}-${mediumId}`, mediumId, title: '惠民生', publishedOn, week: mondayOf(publishedOn), issue: '第1版', by: 'dept-propaganda-liaison', at });

describe('standing duties: weeks (Asia/Shanghai, 第十五条(一) 每周)', () => {
  it('a week runs Monday to Sunday and belongs to the year of its Monday', () => {
    // 2027-01-01 is a Friday: its week began on Monday 2026-12-28 and is 2026's last.
    expect(isoWeekday('2027-01-01')).toBe(5);
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(mondayOf('2027-01-03')).toBe('2026-12-28');
    expect(mondayOf('2027-01-04')).toBe('2027-01-04');
    expect(mondayOf('2027-01-10')).toBe('2027-01-04');
    const w2027 = weeksOfYear(2027);
    expect(w2027[0]).toBe('2027-01-04');
    expect(w2027[w2027.length - 1]).toBe('2027-12-27');
    expect(w2027).toHaveLength(52);
    expect(weeksOfYear(2026).at(-1)).toBe('2026-12-28');
    // A year whose 1 January is a Monday starts with it; some years have 53 Mondays.
    expect(weeksOfYear(2029)[0]).toBe('2029-01-01');
    expect(weeksOfYear(2029)).toHaveLength(53);
    // Every day of a span of years lies in exactly one year's weeks.
    const all = new Set([2026, 2027, 2028, 2029].flatMap(weeksOfYear));
    for (let d = '2027-01-01'; d < '2029-01-01'; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) expect(all.has(mondayOf(d))).toBe(true);
  });

  it('the Shanghai day of an instant: 23:59 UTC on Sunday is already Monday in Shanghai', () => {
    expect(shanghaiDay('2027-01-03T15:59:59.999Z')).toBe('2027-01-03');
    expect(shanghaiDay('2027-01-03T16:00:00.000Z')).toBe('2027-01-04');
    expect(mondayOf(shanghaiDay('2027-01-03T16:00:00.000Z'))).toBe('2027-01-04');
  });

  it("a week's pieces are due by the end of the policy's weekday of the following week", () => {
    expect(weekReportDue('2027-01-04', 2, RULE_CHECK_CALENDAR)).toBe('2027-01-12T15:59:59.999Z'); // Tuesday 12 Jan, 24:00 Shanghai
    expect(weekReportDue('2027-01-04', 1, RULE_CHECK_CALENDAR)).toBe('2027-01-11T15:59:59.999Z');
  });

  it('a medium met its week with a piece reported by the deadline; late, missed once chased, else pending', () => {
    const week: Week = { monday: '2027-01-04', dueAt: '2027-01-12T15:59:59.999Z', missed: [] };
    const pieces = [piece('zibo-daily', '2027-01-06', '2027-01-08T02:00:00.000Z'), piece('zibo-tv', '2027-01-09', '2027-01-13T02:00:00.000Z'), piece('zibo-radio', '2027-01-11', '2027-01-12T02:00:00.000Z')];
    expect(weekStatus(week, 'zibo-daily', pieces)).toBe('MET');
    expect(weekStatus(week, 'zibo-tv', pieces)).toBe('LATE');
    // A piece of the next week does not count for this one.
    expect(weekStatus(week, 'zibo-radio', pieces)).toBe('PENDING');
    expect(weekStatus({ ...week, chasedAt: '2027-01-13T16:00:00.000Z', missed: ['zibo-radio'] }, 'zibo-radio', pieces)).toBe('MISSED');
    const table = mediaTable([{ id: 'zibo-daily', name: '淄博日报' }, { id: 'zibo-radio', name: '淄博人民广播电台' }], [{ ...week, chasedAt: 'x', missed: ['zibo-radio'] }], pieces);
    expect(table.map((r) => [r.name, r.met, r.missed, r.weeks[0].status])).toEqual([['淄博日报', 1, 0, 'MET'], ['淄博人民广播电台', 0, 1, 'MISSED']]);
  });
});

describe('standing duties: obligations and timed duties', () => {
  const p = defaultDutiesPolicy;
  const weeks = weeksOfYear(2027);
  const base = (): DutiesCarried => ({
    phase: 'RUNNING',
    startedAt: '2026-12-31T16:00:00.000Z',
    media: p.media,
    weeks: [],
    pieces: [],
    brochure: { remindAt: '2027-11-30T16:00:00.000Z', dueAt: '2027-12-31T15:59:59.999Z', experiences: [] },
    training: { remindAt: '2027-08-31T16:00:00.000Z', dueAt: '2027-11-30T15:59:59.999Z' },
    trainings: [],
    closesAt: '2028-01-05T15:59:59.999Z',
    seq: 0,
    fired: [],
    revision: 0,
  });

  it('第十五条(一): one obligation of the propaganda department per medium and begun week; done by a piece, cancelled as missed once chased or when the year closes', () => {
    const s = base();
    s.weeks.push({ monday: '2027-01-04', dueAt: '2027-01-12T15:59:59.999Z', missed: [] });
    s.pieces.push(piece('zibo-daily', '2027-01-05', '2027-01-06T01:00:00.000Z'));
    const o = dutiesObligations(s, 'duties:2027');
    const week = o.filter((x) => x.key.includes(':week-'));
    expect(week).toHaveLength(p.media.length);
    expect(week.every((x) => x.unitId === 'dept-propaganda' && x.rule === '第十五条（一）')).toBe(true);
    expect(week.find((x) => x.key === 'duties:2027:week-2027-01-04:zibo-daily')?.status).toBe('DONE');
    expect(week.filter((x) => x.status === 'OPEN')).toHaveLength(p.media.length - 1);
    // The brochure is owed from its reminder on; the training all year.
    expect(o.some((x) => x.key.endsWith(':brochure'))).toBe(false);
    expect(o.find((x) => x.key.endsWith(':training'))).toMatchObject({ status: 'OPEN', unitId: 'reform-office', rule: '第十七条（二）' });
    // Once chased, a week without a piece leaves the to-do lists, recorded as missed.
    const chased = dutiesObligations({ ...s, weeks: [{ ...s.weeks[0], chasedAt: '2027-01-13T16:00:00.000Z', missed: ['zibo-radio'] }] }, 'duties:2027');
    expect(chased.find((x) => x.key === 'duties:2027:week-2027-01-04:zibo-radio')).toMatchObject({ status: 'CANCELLED', reason: '当周未报送刊播稿件，已催办，记为未完成' });
    const closed = dutiesObligations({ ...s, phase: 'CLOSED' }, 'duties:2027');
    expect(closed.filter((x) => x.status === 'CANCELLED')).toHaveLength(p.media.length - 1 + 1);
  });

  it('the next week begins at its Monday 00:00 Shanghai; begun weeks are chased; the yearly reminders and chases until done', () => {
    const s = base();
    let d = standingDuties(s, weeks, p);
    expect(d.find((x) => x.kind === 'OPEN_WEEK')).toMatchObject({ week: '2027-01-04', at: Date.parse('2027-01-03T16:00:00.000Z') });
    expect(d.map((x) => x.kind).sort()).toEqual(['BROCHURE_CHASE', 'BROCHURE_REMINDER', 'OPEN_WEEK', 'TRAINING_CHASE', 'TRAINING_REMINDER']);
    s.weeks.push({ monday: '2027-01-04', dueAt: '2027-01-12T15:59:59.999Z', missed: [] });
    d = standingDuties(s, weeks, p);
    // Chased chaseAfter (1 day) after the deadline.
    expect(d.find((x) => x.kind === 'WEEK_CHASE')).toMatchObject({ week: '2027-01-04', at: Date.parse('2027-01-13T15:59:59.999Z') });
    s.brochure.distribution = { on: '2027-12-10', copies: 5000, places: ['人民公园'], by: 'ro-deputy', at: '2027-12-10T02:00:00.000Z' };
    s.training.held = { attendees: 50, by: 'ro-deputy', at: '2027-10-20T02:00:00.000Z' };
    expect(standingDuties(s, weeks, p).map((x) => x.kind).sort()).toEqual(['OPEN_WEEK', 'WEEK_CHASE']);
    // Every week begun: the year closes at its closing instant.
    s.weeks = weeks.map((monday) => ({ monday, dueAt: weekReportDue(monday, p.weeklyReportDay, defaultPolicy.calendar), chasedAt: 'x', missed: [] }));
    expect(standingDuties(s, weeks, p)).toEqual([{ key: 'year-close', at: Date.parse(s.closesAt), kind: 'YEAR_CLOSE' }]);
    expect(standingDuties({ ...s, phase: 'CLOSED' }, weeks, p)).toEqual([]);
  });
});

describe('standing duties: policy validation', () => {
  it('accepts the default and the whole policy', () => {
    expect(DutiesPolicy.safeParse(defaultDutiesPolicy).success).toBe(true);
  });

  it('refuses a brochure outside December (第十五条(二) 12月份), a reminder after its deadline, duplicate media, a bad weekday, no media', () => {
    const bad = (patch: object) => DutiesPolicy.safeParse({ ...defaultDutiesPolicy, ...patch });
    expect(bad({ brochure: { remindOn: '11-20', dueBy: '12-31' } }).success).toBe(false);
    expect(bad({ training: { remindOn: '12-01', dueBy: '11-30' } }).success).toBe(false);
    expect(bad({ media: [{ id: 'a', name: 'A' }, { id: 'a', name: 'B' }] }).success).toBe(false);
    expect(bad({ media: [] }).success).toBe(false);
    expect(bad({ weeklyReportDay: 8 }).success).toBe(false);
    expect(bad({ brochure: { remindOn: '12-32', dueBy: '12-31' } }).success).toBe(false);
    expect(bad({ chaseAfter: { months: 1 } }).success).toBe(false);
    expect(bad({ extra: 1 }).success).toBe(false);
  });
});
