/**
 * The pure pieces of the document lifecycle: the state machine (第五条 order
 * of steps), calendar durations in Asia/Shanghai, traffic lights, policy
 * validation, deterministic Message-IDs and import parsing.
 */
import { messageIdFor } from '../../activities/notices';
import { renderDocumentNotice } from '../../activities/documentTexts';
import { addDuration, defaultPolicy, describeDuration, formatShanghai, Policy, subtractDuration } from '../../common/policy';
import { trafficLight } from '../../common/trafficLight';
import { readDocumentRows } from '../../scripts/import-documents';
import { nextState, refusal, type DocumentState, type DocumentStep } from '../../workflows/document/state';

describe('document state machine', () => {
  const walk: Array<[DocumentStep, DocumentState]> = [
    ['acknowledge', 'ACKNOWLEDGED'],
    ['openLedger', 'DRAFTING'],
    ['submitDraft', 'DRAFT_SUBMITTED'],
    ['legalReview', 'LEGAL_REVIEWED'],
    ['executiveMeeting', 'EXECUTIVE_PASSED'],
    ['adoption', 'ADOPTED'],
    ['issuance', 'ISSUED'],
  ];

  it('allows the steps only in their order', () => {
    let state: DocumentState = 'ASSIGNED';
    for (const [step, to] of walk) {
      for (const [other] of walk.filter(([s]) => s !== step)) expect(refusal(state, other)).toBeDefined();
      expect(refusal(state, step)).toBeUndefined();
      state = nextState(state, step);
      expect(state).toBe(to);
    }
  });

  it('a returned draft goes back to drafting', () => {
    expect(nextState('DRAFT_SUBMITTED', 'legalReview', false)).toBe('DRAFTING');
    expect(nextState('LEGAL_REVIEWED', 'executiveMeeting', false)).toBe('DRAFTING');
    expect(nextState('EXECUTIVE_PASSED', 'adoption', false)).toBe('DRAFTING');
  });

  it('exemption: allowed until issuance, once', () => {
    expect(refusal('ASSIGNED', 'exemption')).toBeUndefined();
    expect(refusal('PROMPTED', 'exemption')).toBeUndefined();
    expect(refusal('ISSUED', 'exemption')).toMatch(/已印发/);
    expect(refusal('EXEMPT', 'exemption')).toMatch(/已办结/);
    expect(refusal('COMPLETED', 'submitDraft')).toMatch(/已办结/);
  });

  it('explains a refusal in Chinese', () => {
    expect(refusal('ASSIGNED', 'issuance')).toBe('当前状态为“已交办”，不能印发到区县（需处于“已经市委深改组审议通过”）');
  });
});

describe('calendar durations (Asia/Shanghai)', () => {
  it('one month is a calendar month, clamped at month end', () => {
    expect(addDuration(new Date('2026-11-21T05:41:00Z'), { months: 1 }).toISOString()).toBe('2026-12-21T05:41:00.000Z');
    // 31 January (Shanghai) + 1 month = 28 February; 16:30 UTC on 30 Jan is already 31 Jan in Shanghai.
    expect(addDuration(new Date('2027-01-30T16:30:00Z'), { months: 1 }).toISOString()).toBe('2027-02-27T16:30:00.000Z');
    expect(addDuration(new Date('2028-01-31T02:00:00Z'), { months: 1 }).toISOString()).toBe('2028-02-29T02:00:00.000Z');
  });

  it('weeks and days; subtraction; Chinese labels and dates', () => {
    const t = new Date('2026-11-21T00:00:00Z');
    expect(addDuration(t, { weeks: 3 }).toISOString()).toBe('2026-12-12T00:00:00.000Z');
    expect(subtractDuration(addDuration(t, { weeks: 3 }), { days: 3 }).toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(() => subtractDuration(t, { months: 1 })).toThrow();
    expect(describeDuration({ months: 1 })).toBe('1个月');
    expect(describeDuration({ weeks: 3 })).toBe('3周');
    expect(formatShanghai('2026-12-21T16:05:00Z')).toBe('2026年12月22日 00:05');
  });
});

describe('traffic lights', () => {
  const due = new Date('2026-12-21T00:00:00Z');
  it('green, yellow within the warning window, red when overdue', () => {
    expect(trafficLight(due, new Date('2026-12-10T00:00:00Z'), { days: 3 })).toBe('GREEN');
    expect(trafficLight(due, new Date('2026-12-18T00:00:00Z'), { days: 3 })).toBe('YELLOW');
    expect(trafficLight(due, new Date('2026-12-21T00:00:01Z'), { days: 3 })).toBe('RED');
  });
});

describe('policy', () => {
  it('the defaults are the 运行规则 values and validate', () => {
    expect(Policy.parse(defaultPolicy).document).toMatchObject({ assignmentDeadline: { months: 1 }, chaseAfter: { weeks: 3 } });
  });

  it('refuses a chase after the deadline, zero durations and unknown keys', () => {
    const bad = (document: object) => Policy.safeParse({ ...defaultPolicy, document: { ...defaultPolicy.document, ...document } }).success;
    expect(bad({ chaseAfter: { weeks: 5 } })).toBe(false);
    expect(bad({ chaseAfter: { days: 0 } })).toBe(false);
    expect(bad({ chaseAfter: { fortnights: 1 } })).toBe(false);
    expect(bad({ chaseAfter: { weeks: 2 } })).toBe(true);
  });
});

describe('notices', () => {
  it('Message-IDs are deterministic per notice and recipient', () => {
    expect(messageIdFor('document:鲁发〔2026〕7号:chase', 'a')).toBe(messageIdFor('document:鲁发〔2026〕7号:chase', 'a'));
    expect(messageIdFor('document:鲁发〔2026〕7号:chase', 'a')).not.toBe(messageIdFor('document:鲁发〔2026〕7号:order', 'a'));
    expect(messageIdFor('k', 'a')).toMatch(/^<[0-9a-f]{32}\.a@duban\.local>$/);
  });

  it('the 交办单 names the document, the deadline and what to do', () => {
    const { title, body } = renderDocumentNotice('ASSIGNMENT', { docNumber: '鲁发〔2026〕7号', docTitle: '关于X的意见', leadUnitName: '市卫生健康委', dueAt: '2026-12-21T05:41:00Z' });
    expect(title).toBe('【交办单】鲁发〔2026〕7号 关于X的意见（2026年12月21日 13:41前出台）');
    expect(body).toContain('建立台账');
    expect(body).toContain('三周内完成上会文件初稿');
  });
});

describe('bulk import parsing', () => {
  it('reads CSV with line numbers and split participant lists, and JSON arrays', async () => {
    const { rows } = await readDocumentRows('x.csv', Buffer.from('\ufefflevel,title,docNumber,issuedAt,participantUnitIds\nPROVINCIAL,标题,鲁发〔2026〕1号,2026-11-01,a;b | c\n\nCENTRAL,,中发〔2026〕2号,2026-11-02,\n'));
    expect(rows).toEqual([
      { where: 'x.csv line 2', line: 2, raw: { level: 'PROVINCIAL', title: '标题', docNumber: '鲁发〔2026〕1号', issuedAt: '2026-11-01', participantUnitIds: ['a', 'b', 'c'] } },
      { where: 'x.csv line 4', line: 4, raw: { level: 'CENTRAL', docNumber: '中发〔2026〕2号', issuedAt: '2026-11-02' } },
    ]);
    expect((await readDocumentRows('x.json', Buffer.from('[{"level":"CENTRAL","docNumber":"中发〔2026〕3号"}]'))).rows).toEqual([
      { where: 'x.json item 1', line: 1, raw: { level: 'CENTRAL', docNumber: '中发〔2026〕3号' } },
    ]);
    await expect(readDocumentRows('x.json', Buffer.from('{}'))).rejects.toThrow(/array/);
  });
});
