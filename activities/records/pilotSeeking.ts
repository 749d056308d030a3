// The rows of seeking pilots (第十一条(一)–(四)): the quarter, and its ledger rows.
// A ledger row passes to the next quarter's workflow while it is open: that
// workflow's changes win over any of an earlier quarter's (workflow ids sort by
// quarter), and within one workflow the newer revision wins.
import type { SeekingRecord } from '../../workflows/pilotSeeking/workflow';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface PilotSeekingChange {
  family: 'pilotSeeking';
  pilotSeeking: SeekingRecord;
}

export async function writePilotSeeking(tx: Tx, quarter: string, workflowId: string, revision: number, c: PilotSeekingChange): Promise<void> {
  const q = c.pilotSeeking;
  const row = {
    workflowId,
    phase: q.phase,
    startedAt: new Date(q.startedAt),
    leadsDueAt: new Date(q.leadsDueAt),
    leadsIssuedAt: date(q.leadsIssuedAt),
    leads: json(q.leads),
    reports: json(q.reports),
    reportsDueAt: json(q.reportsDueAt),
    bulletinDueAt: date(q.bulletinDueAt),
    bulletin: q.bulletin ? json(q.bulletin) : undefined,
    closedAt: date(q.closedAt),
    revision,
  };
  await writeIfNewer({
    update: () => tx.pilotSeekingQuarter.updateMany({ where: { id: quarter, ...olderThan(revision) }, data: row }),
    create: () => tx.pilotSeekingQuarter.createMany({ data: [{ id: quarter, ...row }], skipDuplicates: true }),
  });
  for (const r of q.rows) {
    const data = {
      workflowId,
      quarter,
      unitId: r.unitId,
      title: r.title,
      level: r.level,
      source: r.source,
      participantUnitIds: r.participantUnitIds,
      leaderId: r.leaderId ?? null,
      progress: r.progress,
      status: r.status,
      note: r.note ?? null,
      leadId: r.leadId ?? null,
      openedIn: r.openedIn,
      closedIn: r.closedIn ?? null,
      closedAt: date(r.closedAt),
      updatedAt: new Date(r.updatedAt),
      revision,
    };
    await writeIfNewer({
      update: () => tx.pilotSeekingRow.updateMany({ where: { id: r.id, OR: [{ workflowId, ...olderThan(revision) }, { workflowId: { lt: workflowId } }] }, data }),
      create: () => tx.pilotSeekingRow.createMany({ data: [{ id: r.id, ...data }], skipDuplicates: true }),
    });
  }
}
