// The yearly innovation items' rows (第十二条): the year, and its tracking
// ledger of items. Only items the change carries are written (all of them: a
// year has a few dozen).
import type { ExplorationCarried } from '../../workflows/exploration/messages';
import type { ExplorationItem } from '../../workflows/exploration/state';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface ExplorationChange {
  family: 'exploration';
  exploration: Pick<ExplorationCarried, 'phase' | 'phases' | 'rounds' | 'approvedAt' | 'closedAt'> & { items: ExplorationItem[] };
}

export async function writeExploration(tx: Tx, year: string, workflowId: string, revision: number, c: ExplorationChange): Promise<void> {
  const e = c.exploration;
  const row = { workflowId, phase: e.phase, phases: json(e.phases), rounds: json(e.rounds), approvedAt: date(e.approvedAt), closedAt: date(e.closedAt), revision };
  await writeIfNewer({
    update: () => tx.explorationYear.updateMany({ where: { id: year, ...olderThan(revision) }, data: row }),
    create: () => tx.explorationYear.createMany({ data: [{ id: year, ...row }], skipDuplicates: true }),
  });
  for (const i of e.items) {
    const id = `${year}:${i.id}`;
    const data = {
      unitId: i.unitId,
      groupId: i.groupId,
      kind: i.kind,
      title: i.title,
      summary: i.summary,
      submittedBy: i.submittedBy,
      submittedAt: new Date(i.submittedAt),
      groupReview: i.groupReview ? json(i.groupReview) : undefined,
      officeReview: i.officeReview ? json(i.officeReview) : undefined,
      approval: i.approval ? json(i.approval) : undefined,
      progress: json(i.progress),
      added: i.added ? json(i.added) : undefined,
      withdrawn: i.withdrawn ? json(i.withdrawn) : undefined,
      revision,
    };
    await writeIfNewer({
      update: () => tx.explorationItem.updateMany({ where: { id, ...olderThan(revision) }, data }),
      create: () => tx.explorationItem.createMany({ data: [{ id, year, itemId: i.id, ...data }], skipDuplicates: true }),
    });
  }
}
