/**
 * The public vote (第十四条 网络公开投票) against forged voters, on the real
 * PostgreSQL and SMTP sink: a ballot counts only with the code sent to the
 * phone (development SMS channel = the mail sink), wrong guesses spend the
 * code, voter and address keys are HMACs under the configured secret, IPv6
 * clients are counted per /64, and X-Forwarded-For counts only from a trusted
 * proxy. The selection's rows are written here directly: the public vote reads
 * only them (the workflow's own walk-through is tests/integration/innovation.test.ts).
 */
import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { mailSmsChannel } from '../../activities/sms';
import { createApp, type ApiDeps } from '../../api/app';
import { publicVoteKeys, VOTE_CODE_LIMITS } from '../../api/innovationVoting';
import { defaultPolicy } from '../../common/policy';
import { testDeps, type TestDeps } from '../support/deps';
import { nextSmsCode, smsCodes } from '../support/loginMail';

const SECRET = 'test-vote-secret-0123456789abcdef0123456789';
const perHour = defaultPolicy.innovation.selection.publicVotesPerIpPerHour;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('public vote: verified phones, keyed hashes, address budgets (PostgreSQL, SMTP sink)', () => {
  let deps: TestDeps;
  let connection: Connection;
  let client: Client;
  // A year no other test uses; the selection id must be unique per run of this file.
  const sel = `2${String(Math.floor(Math.random() * 900) + 100)}-H1`;
  const cand = [`${sel}-c1`, `${sel}-c2`];
  const votes = `/api/public/innovation/selections/${sel}/votes`;
  const codes = `/api/public/innovation/selections/${sel}/codes`;
  const appWith = (extra: Partial<ApiDeps> = {}) => createApp({ db: deps.db, client, sms: mailSmsChannel(deps.mailer), voteSecret: SECRET, ...extra });
  let phoneSeq = 0;
  const newPhone = () => String(13600000000 + Math.floor(Math.random() * 90_000_000) + (phoneSeq += 1));

  beforeAll(async () => {
    deps = testDeps();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE });
    await deps.db.innovationSelection.create({
      data: { id: sel, workflowId: `test-public-vote-${sel}`, phase: 'SECOND_VOTE', phaseDueAt: new Date(Date.now() + 86_400_000), policyVersion: 'test' },
    });
    for (const [i, id] of cand.entries()) {
      await deps.db.innovationCandidate.create({
        data: { id, selectionId: sel, unitId: 'district-linzi', title: `经验${i}`, summary: '经验做法', material: [], leadUnitId: 'dept-health', submittedBy: 'test', submittedAt: new Date(), shortlistRank: i + 1 },
      });
    }
  });

  afterAll(async () => {
    await connection?.close();
    await deps?.close();
  });

  /** Asks for a code for `phone` and reads it from the phone's (development) SMS mailbox. */
  async function codeFor(app: ReturnType<typeof createApp>, phone: string): Promise<string> {
    const before = await smsCodes(phone);
    const asked = await request(app).post(codes).send({ phone });
    expect(asked.status).toBe(202);
    return nextSmsCode(phone, before);
  }
  const ballots = () => deps.db.innovationBallot.findMany({ where: { selectionId: sel, round: 'PUBLIC' } });

  it('a ballot counts only with the code sent to its phone; one per verified phone per round', async () => {
    const app = appWith();
    const phone = newPhone();
    // No code, a guessed code before any was sent, an ID number (it cannot receive a code): refused, nothing stored.
    expect((await request(app).post(votes).send({ phone, candidateIds: [cand[0]] })).status).toBe(400);
    const guessed = await request(app).post(votes).send({ phone, code: '123456', candidateIds: [cand[0]] });
    expect(guessed.status).toBe(401);
    expect(guessed.body.error.code).toBe('UNAUTHORIZED');
    expect((await request(app).post(votes).send({ idNumber: '370303199001011234', code: '123456', candidateIds: [cand[0]] })).status).toBe(400);
    expect(await ballots()).toHaveLength(0);

    const code = await codeFor(app, phone);
    expect(code).toMatch(/^\d{6}$/);
    const cast = await request(app).post(votes).send({ phone, code, candidateIds: [cand[0]] });
    expect(cast.status).toBe(201);
    // The code is spent by its ballot.
    expect((await request(app).post(votes).send({ phone, code, candidateIds: [cand[1]] })).status).toBe(401);
    // A fresh code for the same phone: still one ballot per phone per round (the unique key).
    const again = await request(app).post(votes).send({ phone, code: await codeFor(app, phone), candidateIds: [cand[1]] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('只能投一次');
    expect(await ballots()).toHaveLength(1);

    // A code for one phone does not vote for another.
    const other = newPhone();
    const stolen = await request(app).post(votes).send({ phone: other, code: await codeFor(app, phone), candidateIds: [cand[0]] });
    expect(stolen.status).toBe(401);
    expect(await ballots()).toHaveLength(1);
    console.log('public vote: 1 ballot from 6 attempts (no code, guessed code, ID number, spent code, second code for the same phone, another phone\'s code)');
  });

  it('wrong guesses spend the code; codes per phone are bounded', async () => {
    const app = appWith();
    const phone = newPhone();
    const code = await codeFor(app, phone);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 1; i <= VOTE_CODE_LIMITS.attemptsPerCode; i++) {
      const res = await request(app).post(votes).send({ phone, code: wrong, candidateIds: [cand[0]] });
      expect(res.status).toBe(401);
    }
    // Locked: the right code no longer counts.
    const late = await request(app).post(votes).send({ phone, code, candidateIds: [cand[0]] });
    expect(late.status).toBe(401);
    expect(await deps.db.innovationBallot.count({ where: { selectionId: sel, round: 'PUBLIC', voterKey: publicVoteKeys(SECRET).voterKey(sel, phone) } })).toBe(0);

    // Codes per phone: one sent above, then the rest of the window's budget, then 429 (and no SMS).
    for (let i = 1; i < VOTE_CODE_LIMITS.codesPerPhone; i++) expect((await request(app).post(codes).send({ phone })).status).toBe(202);
    const before = await smsCodes(phone);
    const over = await request(app).post(codes).send({ phone });
    expect(over.status).toBe(429);
    expect(await smsCodes(phone)).toBe(before);
    console.log(`public vote: a code locks after ${VOTE_CODE_LIMITS.attemptsPerCode} wrong guesses; code ${VOTE_CODE_LIMITS.codesPerPhone + 1} for one phone within ${VOTE_CODE_LIMITS.windowMs / 60_000} min → 429`);
  });

  it('stored voter and address keys are HMACs under the configured secret, not plain SHA-256', async () => {
    const app = appWith();
    const phone = newPhone();
    const res = await request(app).post(votes).set('X-Forwarded-For', '203.0.113.7').send({ phone, code: await codeFor(app, phone), candidateIds: [cand[1]] });
    expect(res.status).toBe(201);
    const keys = publicVoteKeys(SECRET);
    const stored = await deps.db.innovationBallot.findUniqueOrThrow({ where: { selectionId_round_voterKey: { selectionId: sel, round: 'PUBLIC', voterKey: keys.voterKey(sel, phone) } } });
    // Neither the phone nor any unkeyed SHA-256 of it (ten billion candidates: enumerable) is stored.
    for (const plain of [phone, sha256(phone), sha256(`duban-innovation-public:${sel}:${phone}`)]) expect(stored.voterKey).not.toBe(plain);
    expect(publicVoteKeys('another-secret-0123456789abcdef0123456789').voterKey(sel, phone)).not.toBe(stored.voterKey);
    expect(stored.ipHash).toBe(keys.addressKey('203.0.113.7'));
    expect(stored.ipHash).not.toBe(sha256('duban-ip:203.0.113.7').slice(0, 32));
    // No code is stored in the clear either.
    const codeRows = await deps.db.publicVoteCode.findMany({ where: { voterKey: stored.voterKey } });
    expect(codeRows.length).toBeGreaterThan(0);
    for (const row of codeRows) expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('IPv6 clients in one /64 share one address budget', async () => {
    const app = appWith();
    // Each address of one /64 (a single subscriber's line) tries a ballot; the budget is the policy's per hour.
    for (let i = 1; i <= perHour; i++) {
      const res = await request(app).post(votes).set('X-Forwarded-For', `2001:db8:77:1::${i.toString(16)}`).send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] });
      expect(res.status).toBe(401);
    }
    const rotated = await request(app).post(votes).set('X-Forwarded-For', '2001:db8:77:1:ffff:ffff:ffff:fffe').send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] });
    expect(rotated.status).toBe(429);
    expect(rotated.body.error.code).toBe('RATE_LIMITED');
    // The next /64 has its own budget.
    expect((await request(app).post(votes).set('X-Forwarded-For', '2001:db8:77:2::1').send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] })).status).toBe(401);
    console.log(`public vote: ${perHour} attempts from ${perHour} addresses of one IPv6 /64, then 429 (per-address budget ${perHour}/h)`);
  });

  it('X-Forwarded-For counts only from a trusted proxy (TRUST_PROXY)', async () => {
    // The peer here is 127.0.0.1. Trusted (the default, loopback): each forwarded client has its own budget.
    const trusted = appWith();
    for (let i = 1; i <= perHour + 1; i++) {
      const res = await request(trusted).post(votes).set('X-Forwarded-For', `198.51.100.${i}`).send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] });
      expect(res.status).toBe(401);
    }
    // Not trusted (only 10.0.0.0/8 is): the forged header is ignored, every request is the peer's.
    const untrusted = appWith({ trustProxy: '10.0.0.0/8' });
    for (let i = 1; i <= perHour; i++) {
      const res = await request(untrusted).post(votes).set('X-Forwarded-For', `198.51.100.${i}`).send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] });
      expect(res.status).toBe(401);
    }
    expect((await request(untrusted).post(votes).set('X-Forwarded-For', '198.51.100.250').send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] })).status).toBe(429);
    console.log(`public vote: ${perHour + 1} forwarded clients through a trusted proxy all answered; through an untrusted peer request ${perHour + 1} → 429`);
  });

  it('without a secret or an SMS channel the public vote is unavailable (503), the shortlist still shown', async () => {
    const bare = createApp({ db: deps.db, client });
    expect((await request(bare).get(`/api/public/innovation/selections/${sel}`)).status).toBe(200);
    expect((await request(bare).post(codes).send({ phone: newPhone() })).status).toBe(503);
    expect((await request(bare).post(votes).send({ phone: newPhone(), code: '000000', candidateIds: [cand[0]] })).status).toBe(503);
  });
});
