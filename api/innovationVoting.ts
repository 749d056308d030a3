// Ballots of the innovation selection (第十四条): high volume, so written
// straight to PostgreSQL, not as one workflow update per vote. The unique key
// (selection, round, voter) enforces one ballot per voter identity per round;
// the workflow counts them in one query when the round closes.
//
// A citizen's ballot counts only with the code sent by SMS to the phone
// (sendVoteCode, then checkVoteCode; the ballot's transaction spends it), so
// a voter is a phone that answered. Phone numbers are few enough to enumerate
// (ten billion), so voter and address keys are HMACs under a configured secret
// (DUBAN_VOTE_SECRET), never plain hashes.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { addressKey } from './rateLimits';
import type { SmsChannel } from '../activities/sms';
import type { Db } from '../common/db';
import type { Prisma } from '../generated/prisma/client';
import { ballotRefusal, officialRound, type UnitKind, type VoteRound } from '../workflows/innovation/state';
import { ApiError } from './errors';
import { resolvePolicy } from '../common/policy/resolve';

/** The public vote's codes: guessing a 6-digit code is bounded per code and per phone (per address: the router's limiter). */
export const VOTE_CODE_LIMITS = {
  codeTtlMs: 10 * 60_000,
  /** Wrong guesses before a code is spent. */
  attemptsPerCode: 5,
  /** Codes one phone may be sent in `windowMs` (each is an SMS someone pays for). */
  codesPerPhone: 5,
  windowMs: 60 * 60_000,
};

/** The keys stored for the public vote, all HMAC-SHA256 under the configured secret. */
export function publicVoteKeys(secret: string) {
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest('hex');
  return {
    /** A public voter: the selection and the phone (the number itself is never stored). */
    voterKey: (selectionId: string, phone: string) => mac(`public-voter:${selectionId}:${phone.trim()}`),
    /** A client address for the per-round cap (grouped as every per-address limit is, api/rateLimits.ts). */
    addressKey: (ip: string) => mac(`address:${addressKey(ip)}`),
    codeHash: (voterKey: string, code: string) => mac(`vote-code:${voterKey}:${code.trim()}`),
  };
}
export type PublicVoteKeys = ReturnType<typeof publicVoteKeys>;

const codeRefused = () => new ApiError('UNAUTHORIZED', '验证码错误或已失效，请重新获取');

/** Sends a fresh code to the phone for this selection's open public round; earlier codes are retired. */
export async function sendVoteCode(db: Db, sms: SmsChannel, keys: PublicVoteKeys, selectionId: string, phone: string): Promise<void> {
  const sel = await db.innovationSelection.findUnique({ where: { id: selectionId }, select: { phase: true, phaseDueAt: true } });
  if (!sel) throw new ApiError('NOT_FOUND', `评选 ${selectionId} 不存在`);
  // No SMS for a round that would refuse the ballot anyway.
  if (sel.phase !== 'SECOND_VOTE' || (sel.phaseDueAt && sel.phaseDueAt.getTime() < Date.now())) throw new ApiError('CONFLICT', '当前不在网络投票期内');
  const voterKey = keys.voterKey(selectionId, phone);
  const since = new Date(Date.now() - VOTE_CODE_LIMITS.windowMs);
  if ((await db.publicVoteCode.count({ where: { voterKey, createdAt: { gte: since } } })) >= VOTE_CODE_LIMITS.codesPerPhone) {
    throw new ApiError('RATE_LIMITED', '该手机号获取验证码过于频繁，请稍后再试');
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.publicVoteCode.updateMany({ where: { voterKey, usedAt: null }, data: { usedAt: new Date() } });
  const row = await db.publicVoteCode.create({
    data: { selectionId, voterKey, codeHash: keys.codeHash(voterKey, code), expiresAt: new Date(Date.now() + VOTE_CODE_LIMITS.codeTtlMs) },
  });
  try {
    await sms.send({ id: row.id, phone, text: `【淄博市委改革办】您的创新改革经验网络投票验证码${code}，${VOTE_CODE_LIMITS.codeTtlMs / 60_000}分钟内有效。如非本人操作，请忽略。` });
  } catch {
    // Undelivered: the code is void (it still counts against the phone's budget).
    await db.publicVoteCode.update({ where: { id: row.id }, data: { usedAt: new Date() } });
    throw new ApiError('UNAVAILABLE', '短信发送失败，请稍后重试');
  }
}

/** Checks the phone's latest code (a wrong guess counts against it); returns the code's id for the ballot to spend. */
export async function checkVoteCode(db: Db, keys: PublicVoteKeys, voterKey: string, code: string): Promise<string> {
  const row = await db.publicVoteCode.findFirst({ where: { voterKey, usedAt: null }, orderBy: { createdAt: 'desc' } });
  if (!row || row.expiresAt.getTime() < Date.now() || row.attempts >= VOTE_CODE_LIMITS.attemptsPerCode) throw codeRefused();
  if (!timingSafeEqual(Buffer.from(row.codeHash, 'hex'), Buffer.from(keys.codeHash(voterKey, code), 'hex'))) {
    // Counted atomically: parallel guesses cannot share one attempt.
    const spent = await db.publicVoteCode.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
    const left = VOTE_CODE_LIMITS.attemptsPerCode - spent.attempts;
    if (left <= 0) await db.publicVoteCode.update({ where: { id: row.id }, data: { usedAt: new Date() } });
    throw new ApiError('UNAUTHORIZED', left > 0 ? `验证码错误，还可尝试${left}次` : '验证码错误次数过多，已失效，请重新获取');
  }
  return row.id;
}

/** Spends a checked code in the ballot's transaction: a ballot refused keeps its code, two ballots cannot share one. */
async function spendVoteCode(tx: Prisma.TransactionClient, codeId: string): Promise<void> {
  const { count } = await tx.publicVoteCode.updateMany({ where: { id: codeId, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
  if (count !== 1) throw codeRefused();
}

export interface BallotInput {
  selectionId: string;
  /** MUTUAL/SECOND are derived from the phase for officials; PUBLIC for citizens. */
  public: boolean;
  voterKey: string;
  voterUnitId?: string;
  voterKind?: UnitKind;
  officialId?: string;
  ipHash?: string;
  /** The checked verification code of a public ballot (checkVoteCode), spent with it. */
  codeId?: string;
  candidateIds: string[];
  now?: Date;
}

export async function castBallot(db: Db, b: BallotInput): Promise<{ round: VoteRound; ballotId: string }> {
  const policy = (await resolvePolicy(db)).innovation.selection;
  const now = b.now ?? new Date();
  try {
    return await db.$transaction(async (tx) => {
      // FOR SHARE: closing the round (an UPDATE of this row) waits for ballots in flight, and later ballots see it closed.
      const rows = await tx.$queryRaw<Array<{ phase: string; phaseDueAt: Date | null }>>`
        SELECT phase, "phaseDueAt" FROM "InnovationSelection" WHERE id = ${b.selectionId} FOR SHARE`;
      const sel = rows[0];
      if (!sel) throw new ApiError('NOT_FOUND', `评选 ${b.selectionId} 不存在`);
      const round: VoteRound | undefined = b.public ? 'PUBLIC' : officialRound(sel.phase);
      if (!round) throw new ApiError('CONFLICT', '当前不在投票期内');
      if (sel.phaseDueAt && now.getTime() > sel.phaseDueAt.getTime()) throw new ApiError('CONFLICT', '本轮投票已截止');
      const candidates = await tx.innovationCandidate.findMany({ where: { selectionId: b.selectionId }, select: { id: true, unitId: true, shortlistRank: true } });
      const maxChoices = round === 'MUTUAL' ? policy.mutualVoteChoices : round === 'SECOND' ? policy.secondVoteChoices : policy.publicVoteChoices;
      const why = ballotRefusal({
        phase: sel.phase,
        round,
        voterUnitId: b.voterUnitId,
        voterKind: b.voterKind,
        candidateIds: b.candidateIds,
        candidates: candidates.map((c) => ({ id: c.id, unitId: c.unitId, shortlisted: c.shortlistRank !== null })),
        maxChoices,
      });
      if (why) throw new ApiError(why.code, why.message);
      if (round === 'PUBLIC' && b.ipHash) {
        // Abuse limit that survives restarts and spans API processes.
        const fromIp = await tx.innovationBallot.count({ where: { selectionId: b.selectionId, round, ipHash: b.ipHash } });
        if (fromIp >= policy.publicVotesPerIpPerRound) throw new ApiError('RATE_LIMITED', '该网络地址本轮投票次数已达上限');
      }
      if (b.codeId) await spendVoteCode(tx, b.codeId);
      const ballot = await tx.innovationBallot.create({
        data: {
          selectionId: b.selectionId,
          round,
          voterKey: b.voterKey,
          voterUnitId: b.voterUnitId ?? null,
          officialId: b.officialId ?? null,
          ipHash: b.ipHash ?? null,
          candidateIds: b.candidateIds,
        },
        select: { id: true },
      });
      return { round, ballotId: ballot.id };
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') {
      throw new ApiError('CONFLICT', b.public ? '您已在本轮投过票，每人每轮只能投一次' : '本单位已在本轮投过票，每个单位每轮只能投一次');
    }
    throw err;
  }
}
