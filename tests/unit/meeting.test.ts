/**
 * The pure pieces of the meeting family (第三条 第一议题, 第四条(一)): what is
 * due when, what each body owes, the notices' text and the workflow id.
 */
import { renderMeetingNotice } from '../../activities/meetingTexts';
import { superiorMeetingWorkflowId } from '../../common/ids';
import { addDuration, addRepeated, defaultPolicy, Policy, subtractDuration } from '../../common/policy';
import { meetingDuties } from '../../workflows/meeting/duties';
import type { MeetingCarried } from '../../workflows/meeting/messages';
import { meetingObligations } from '../../workflows/meeting/obligations';

const p = defaultPolicy.meeting;
const registeredAt = '2026-11-20T02:00:00.000Z';
const dueAt = addDuration(new Date(registeredAt), p.conveyWithin).toISOString();
const carried = (over: Partial<MeetingCarried> = {}): MeetingCarried => ({
  state: 'CONVEYING',
  registeredAt,
  dueAt,
  owing: [{ unitId: 'district-zhangdian' }, { unitId: 'dept-health' }],
  meetings: [],
  chases: 0,
  fired: [],
  revision: 1,
  ...over,
});

describe('meeting duties (第四条(一))', () => {
  it('a reminder before the deadline, the first chase at it, the next one interval after the last', () => {
    expect(meetingDuties(carried(), p).map((d) => [d.key, new Date(d.at).toISOString()])).toEqual([
      ['reminder-0', subtractDuration(new Date(dueAt), p.remindBefore[0]).toISOString()],
      ['chase-1', dueAt],
    ]);
    const after2 = meetingDuties(carried({ chases: 2 }), p).find((d) => d.key.startsWith('chase'))!;
    expect(after2.key).toBe('chase-3');
    expect(new Date(after2.at).toISOString()).toBe(addRepeated(new Date(dueAt), p.chaseEvery, 2).toISOString());
    expect(after2.notice.explanation.offset).toBe('逾期后每1周（第3次）');
  });

  it('nothing is due once every body conveyed it, or a newer meeting took over', () => {
    const all = carried({ owing: [{ unitId: 'dept-health', conveyedAt: registeredAt, meetingId: 'm1' }] });
    expect(meetingDuties(all, p)).toEqual([]);
    expect(meetingDuties(carried({ state: 'SUPERSEDED' }), p)).toEqual([]);
  });
});

describe('meeting obligations', () => {
  it('one per listed body: done by its conveying meeting (late is said), superseded when a newer meeting takes over', () => {
    const late = addDuration(new Date(dueAt), { days: 1 }).toISOString();
    const s = carried({ owing: [{ unitId: 'district-zhangdian', conveyedAt: late, meetingId: 'm1' }, { unitId: 'dept-health' }] });
    const [done, open] = meetingObligations(s, 'meeting:CENTRAL:2026-11-19', '中央深改委第九次会议');
    expect(done).toMatchObject({ key: 'meeting:CENTRAL:2026-11-19:convey:district-zhangdian', rule: '第四条', status: 'DONE', closedAt: late, dueAt });
    expect(done.reason).toContain('（逾期）');
    expect(open).toMatchObject({ unitId: 'dept-health', status: 'OPEN' });
    const taken = meetingObligations({ ...s, state: 'SUPERSEDED', supersededBy: { id: 'x', title: '省委深改委第三次会议' } }, 'w', 't');
    expect(taken.map((o) => o.status)).toEqual(['DONE', 'SUPERSEDED']);
    expect(taken[1].reason).toContain('省委深改委第三次会议');
  });
});

describe('meeting notices and ids', () => {
  it('the office is told what the first item was instead of the latest superior meeting (第三条)', () => {
    const { title, body } = renderMeetingNotice('FIRST_ITEM_MISSED', {
      superiorTitle: '省委全面深化改革委员会第五次会议',
      superiorHeldAt: registeredAt,
      dueAt,
      unitNames: ['市委改革办'],
      meeting: { unitName: '张店区', title: '区委深改委第二次会议', kindLabel: '市委及区县党（工）委深改领导小组会议（第三条（一））', heldAt: dueAt, firstItem: '研究年度改革要点' },
    });
    expect(title).toBe('【第一议题提示】张店区区委深改委第二次会议未传达最新上级会议精神');
    expect(body).toContain('第一议题为“研究年度改革要点”');
    expect(body).toContain('省委全面深化改革委员会第五次会议（2026年11月20日 10:00召开）');
  });

  it('one workflow per level and Shanghai day', () => {
    expect(superiorMeetingWorkflowId('CENTRAL', new Date('2026-11-19T17:30:00Z'))).toBe('meeting:CENTRAL:2026-11-20');
    expect(superiorMeetingWorkflowId('PROVINCIAL', new Date('2026-11-19T15:30:00Z'))).toBe('meeting:PROVINCIAL:2026-11-19');
  });

  it("the policy's meeting section is validated: only the kinds 第三条 lists may owe a meeting", () => {
    expect(Policy.parse(defaultPolicy).meeting).toEqual(p);
    expect(Policy.safeParse({ ...defaultPolicy, meeting: { ...p, owingUnitKinds: ['TOWNSHIP'] } }).success).toBe(false);
  });
});
