// Ballots of the innovation selection (第十四条): high volume, so written
// straight to PostgreSQL, not as one workflow update per vote. The unique key
// (selection, round, voter) enforces one ballot per voter identity per round;
// the workflow counts them in one query when the round closes.
import { createHash } from 'node:crypto';
import type { Db } from '../common/db';
import { ballotRefusal, officialRound, type UnitKind, type VoteRound } from '../workflows/innovation/state';
import { ApiError } from './errors';
import { resolvePolicy } from '../common/policy/resolve';

/** A public voter's key: a hash of the selection and the phone/ID number, so the number itself is never stored. */
export function publicVoterKey(selectionId: string, identity: string): string {
  return createHash('sha256').update(`duban-innovation-public:${selectionId}:${identity.trim().toUpperCase()}`).digest('hex');
}

export function ipHash(ip: string): string {
  return createHash('sha256').update(`duban-ip:${ip}`).digest('hex').slice(0, 32);
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
