// The annual evaluation's row (第九条, 第十四条（三）): one per year, sent whole.
import type { EvaluationState } from '../../workflows/evaluation/messages';
import { json, olderThan, writeIfNewer, type Tx } from './rows';

export interface EvaluationChange {
  family: 'evaluation';
  evaluation: Omit<EvaluationState, 'fired' | 'revision'> & { year: number; policyVersion: string };
}

export async function writeEvaluation(tx: Tx, evaluationId: string, workflowId: string, revision: number, c: EvaluationChange): Promise<void> {
  const { year, policyVersion, phase, seed, startedAt, planDueAt, ...body } = c.evaluation;
  const row = { workflowId, year, phase, policyVersion, seed, startedAt: new Date(startedAt), planDueAt: new Date(planDueAt), body: json(body), revision };
  await writeIfNewer({
    update: () => tx.evaluation.updateMany({ where: { id: evaluationId, ...olderThan(revision) }, data: row }),
    create: () => tx.evaluation.createMany({ data: [{ id: evaluationId, ...row }], skipDuplicates: true }),
  });
}
