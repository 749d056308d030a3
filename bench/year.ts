// B3: a year in the city on the time-skipping server. Documents arrive with
// seeded response times (most drafts on time, some late → 催办单, some never →
// 责令书 and follow-ups until the office exempts them), a 六个一 cycle every
// month for the 11 districts and 8 special groups, and two innovation
// selections whose approvals start 10 rollouts each across the districts.
// Everything runs through the real workflows and activities against a fresh
// database of its own; the notices they stored are counted at the end.
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { castBallot, publicVoteKeys } from '../api/innovationVoting';
import { registerDocument } from '../api/documentArrival';
import type { Prisma } from '../generated/prisma/client';
import { createDb, type Db } from '../common/db';
import { cycleWorkflowId, documentWorkflowId } from '../common/ids';
import { LEADERSHIP_ID } from '../common/org';
import { defaultPolicy, Policy } from '../common/policy';
import { TASK_QUEUE } from '../common/taskQueues';
import { seed } from '../prisma/seed';
import { createDatabase, dropDatabase } from '../scripts/stack';
import { createFromTemplate, ensureMigratedTemplate, migrateDeploy } from '../tests/support/testDatabase';
import { createTimeSkippingEnv } from '../tests/support/timeSkipping';
import * as cm from '../workflows/cycle/messages';
import { monthStart, shanghaiMonth } from '../workflows/cycle/state';
import { cycleWorkflow } from '../workflows/cycle/workflow';
import * as dm from '../workflows/document/messages';
import { selectionWorkflowId } from '../workflows/innovation/ids';
import * as im from '../workflows/innovation/messages';
import { rolloutWorkflow } from '../workflows/innovation/rollout';
import { selectionWorkflow } from '../workflows/innovation/selection';
import { createWorker } from '../worker/createWorker';
import { fmt, log, pool, prng, sleep, type Section } from './lib';
import { headline } from './report';
import { WORKER_SETTINGS, type Services, workflowBundle } from './stack';

// Ballots written directly (no SMS round trip): keyed as the API keys them.
const { voterKey } = publicVoteKeys('bench-vote-secret-0123456789abcdef0123');

const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const SEED = 20261121;
const DEPARTMENTS = ['dept-ndrc', 'dept-finance', 'dept-justice', 'dept-education', 'dept-health', 'dept-hrss'];
const admin = { officialId: 'ro-director', unitId: 'reform-office' };
const inspector = { officialId: 'ro-inspector', unitId: 'reform-office' };
const LEADER = 'city-deputy-secretary';

export interface Scale {
  days: number;
  documents: number;
  selections: number;
}
export const FULL_YEAR: Scale = { days: 365, documents: 400, selections: 2 };
/** A simulated span of `days`: documents and selections in proportion (a year: 400 documents, two selections). */
export const scaleFor = (days: number): Scale => ({ days, documents: Math.round((FULL_YEAR.documents * days) / 365), selections: days >= 240 ? 2 : 1 });

/**
 * A --policy file: a partial Policy merged over the default, then validated like any stored policy;
 * with the file's own overrides, as the what-if report shows them.
 */
export function loadPolicy(file: string): { policy: Policy; overrides: Record<string, unknown> } {
  const merge = (base: unknown, over: unknown): unknown => {
    if (over === null || typeof over !== 'object' || Array.isArray(over) || base === null || typeof base !== 'object' || Array.isArray(base)) return over;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out;
  };
  const over = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const merged = merge(defaultPolicy, { version: `${defaultPolicy.version}+${path.basename(file, '.json')}`, ...over });
  const parsed = Policy.safeParse(merged);
  if (!parsed.success) throw new Error(`${file}: not a valid policy: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { policy: parsed.data, overrides: over };
}

export interface YearResult {
  label: string;
  policyVersion: string;
  scale: Scale;
  wallSeconds: number;
  setupSeconds: number;
  counts: Record<string, number>;
  /** Each simulated month (Asia/Shanghai): the notices stored in it by kind, and its obligations' deadlines kept. */
  months: MonthFigures[];
  /** What the simulated span held: documents arrived, months with a 六个一 cycle, selections started, rollouts they started. */
  held: { documents: number; cycles: number; selections: number; rollouts: number };
  steps: number;
  refused: Record<string, number>;
  simulated: string[];
}

export interface MonthFigures {
  month: string;
  /** Notices stored while the simulated clock was in this month, by `subjectType:kind`. */
  counts: Record<string, number>;
  /** Obligations due in this month (not cancelled or superseded), and those fulfilled by their deadline. */
  due: number;
  onTime: number;
}

/** Where a simulation is, for a progress bar. */
export interface YearProgress {
  day: number;
  days: number;
  steps: number;
}

/** A fresh, migrated and seeded database next to the run's (so B3 never counts B1/B2's notices, and two policies never share months). */
async function freshDatabase(label: string): Promise<{ url: string; db: Db }> {
  const server = process.env.DATABASE_URL!;
  const u = new URL(server);
  // The test-database name pattern: a dead run's leftovers are dropped by the next one (tests/support/stackState.ts).
  const name = `duban_test_${Date.now()}_${process.pid}_year${label.replace(/\W/g, '').slice(0, 20).toLowerCase()}`;
  u.pathname = `/${name}`;
  const url = u.toString();
  try {
    await createFromTemplate(url, await ensureMigratedTemplate(server, log));
  } catch {
    await createDatabase(url, name);
    migrateDeploy(url);
  }
  const db = createDb(url, 12);
  await seed(db);
  return { url, db };
}

/**
 * A day's office slot: a time between 09:00 and 17:00 Beijing time that differs from day to
 * day (a hash of the day). Timers are due at whole days/weeks/months after the step or
 * arrival that set them, i.e. at an earlier slot's time of day; landing every day at the same
 * time would put those timers a few milliseconds after the landing, firing while the next
 * steps' workflow tasks are with the worker — and the time-skipping server strands a run
 * whose task cancels a timer that fired meanwhile ("invalid history builder state for
 * action", temporalio/sdk-java#3088). Varying the time of day makes that rare.
 */
function slotOf(beijingMidnight: number): number {
  const d = Math.round(beijingMidnight / DAY);
  const h = Math.imul(d ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return beijingMidnight + 9 * HOUR + (h % (8 * 3600)) * 1000;
}

/**
 * The simulated clock's events. Officials act in office hours: every event runs in its
 * day's slot (see slotOf), so the clock stops once a day rather than at every step. Events of one subject (a document, a cycle, a rollout) keep their order; different
 * subjects run concurrently.
 */
class Agenda {
  private events: Array<{ at: number; t: number; subject: string; run: () => Promise<void> }> = [];
  steps = 0;
  refused: Record<string, number> = {};
  /** `observe`: the simulator looking (a daily poll), not an official's step: not counted among the steps. */
  at(at: number, subject: string, name: string, run: () => Promise<unknown>, observe = false): void {
    const day = Math.floor((at + 8 * HOUR) / DAY) * DAY - 8 * HOUR; // Beijing midnight
    const slot = at <= slotOf(day) ? slotOf(day) : slotOf(day + DAY);
    this.events.push({
      at: slot,
      t: at,
      subject,
      run: async () => {
        try {
          // A step the server never answers must not stall the year: give up after a minute (counted as refused).
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([run(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 60 s')), 60_000)))]).finally(() => clearTimeout(timer));
          if (!observe) this.steps++;
        } catch (err) {
          // A refused step (validator) or a late one is part of a realistic year: count it, go on.
          const key = `${name}: ${String((err as Error).message ?? err).split('\n')[0].slice(0, 80)}`;
          this.refused[key] = (this.refused[key] ?? 0) + 1;
        }
      },
    });
  }
  next(): number | undefined {
    let m: number | undefined;
    for (const e of this.events) if (m === undefined || e.at < m) m = e.at;
    return m;
  }
  /**
   * The due events, as one sequential chain per subject (a workflow id). Before each next
   * step of a chain the workflow must be quiet (no workflow task or activity pending):
   * the time-skipping test server mishandles an update that arrives while the previous
   * step's follow-up task is still in flight.
   */
  take(upTo: number, quiet: (workflowId: string) => Promise<void>): Array<() => Promise<void>> {
    const due = this.events.filter((e) => e.at <= upTo).sort((a, b) => a.t - b.t);
    this.events = this.events.filter((e) => e.at > upTo);
    const bySubject = new Map<string, Array<() => Promise<void>>>();
    for (const e of due) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e.run]);
    return [...bySubject.entries()].map(([subject, runs]) => async () => {
      for (const [i, r] of runs.entries()) {
        if (i > 0) await quiet(subject);
        await r();
      }
    });
  }
}

export async function simulateYear(s: Services, o: { label: string; policy: Policy; scale: Scale; progress?: (p: YearProgress) => void }): Promise<YearResult> {
  const tSetup = Date.now();
  const { url, db } = await freshDatabase(o.label);
  if (o.policy !== defaultPolicy) {
    // New documents take the newest city policy (api/policies.ts); the other families get it in their input.
    await db.policyVersion.create({ data: { scope: 'city', version: o.policy.version, body: o.policy as unknown as Prisma.InputJsonValue, createdBy: 'bench' } });
  }
  const env: TestWorkflowEnvironment = await createTimeSkippingEnv();
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    worker = await createWorker(
      { connection: env.nativeConnection, namespace: 'default', deps: { db, mailer: s.mailer }, workflowBundlePath: await workflowBundle() },
      WORKER_SETTINGS,
    );
    running = worker.run();
    const w = worker;
    const rand = prng(SEED);
    const between = (a: number, b: number) => a + rand() * (b - a);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const client = env.client;
    const now = async () => env.currentTimeMs();
    /** Waits (real time) until the worker has nothing in flight: the skipped clock must not run ahead of the work it caused. */
    const settle = async () => {
      let idle = 0;
      const deadline = Date.now() + 20_000;
      while (idle < 3) {
        if (Date.now() > deadline) {
          log(`B3: worker still busy after 20 s: ${JSON.stringify(w.getStatus())}`);
          return;
        }
        const st = w.getStatus();
        idle = st.numInFlightActivities === 0 && st.numInFlightWorkflowActivations === 0 ? idle + 1 : 0;
        await sleep(idle ? 5 : 10);
      }
    };
    /** Waits (real time, at most 5 s) until one workflow has no task or activity in flight. */
    const quiet = async (workflowId: string) => {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const d = await client.workflow.getHandle(workflowId).describe().catch(() => undefined);
        const raw = d?.raw as { pendingActivities?: unknown[]; pendingWorkflowTask?: unknown } | undefined;
        if (!raw || (!raw.pendingActivities?.length && !raw.pendingWorkflowTask)) return;
        await sleep(10);
      }
    };
    const T0 = await now();
    const end = T0 + o.scale.days * DAY;
    const agenda = new Agenda();
    const units = await db.unit.findMany({ where: { kind: { in: ['DISTRICT', 'SPECIAL_GROUP'] } }, orderBy: { id: 'asc' } });
    const districts = units.filter((u) => u.kind === 'DISTRICT').map((u) => u.id);
    const groups = units.filter((u) => u.kind === 'SPECIAL_GROUP').map((u) => u.id);
    const simulated: string[] = [];

    // ---- documents (第四条, 第五条) -------------------------------------------------
    const profiles = { onTime: 0, late: 0, never: 0, central: 0 };
    const docHandle = (docNumber: string) => client.workflow.getHandle(documentWorkflowId(docNumber));
    const upd = <A,>(docNumber: string, def: import('@temporalio/common').UpdateDefinition<dm.DocumentView, [A]>, arg: A) => docHandle(docNumber).executeUpdate(def, { args: [arg] });

    /**
     * A PROVINCIAL document's life, with seeded response times (days after arrival). Every delay is drawn
     * here, before the clock runs, so both policies of a what-if see the same officials; only a late unit's
     * draft waits for what the policy decides — it comes 3–8 days after the 催办单, whenever that is sent.
     */
    function provincial(i: number, arriveAt: number, implementsDocNumber?: string): void {
      const docNumber = `鲁改发〔2026〕Y${i}号`;
      const workflowId = documentWorkflowId(docNumber);
      const lead = pick(DEPARTMENTS);
      const actor = { officialId: `${lead}-liaison`, unitId: lead };
      const r = rand();
      const kind = r < 0.6 ? 'onTime' : r < 0.85 ? 'late' : 'never';
      profiles[kind]++;
      const ack = arriveAt + between(0.2, kind === 'never' ? 5 : 3) * DAY;
      // "never" = no draft within the month: chased, ordered and followed up weekly; then half of them draft after
      // 6–10 weeks, and the office rules the other half need no municipal document (exemption).
      const draft = kind === 'onTime' ? arriveAt + between(5, 17) * DAY : kind === 'never' ? arriveAt + between(42, 70) * DAY : undefined;
      const afterChase = between(3, 8) * DAY;
      const rejected = rand() < 0.1;
      const review = rejected ? [between(1, 3), between(2, 5)] : [];
      const [legal, meeting, adoption, issuance] = [between(1, 3), between(0.5, 2), between(0.5, 2), between(0.5, 1.5)];
      const closes = [between(20, 100), between(20, 100)];
      const districtIds = [pick(districts), pick(districts)];
      const pilotDistrict = pick(districts);
      const exempt = kind === 'never' && rand() < 0.5 ? arriveAt + between(45, 90) * DAY : undefined;
      agenda.at(arriveAt, workflowId, 'arrival', () =>
        registerDocument(db, client, { level: 'PROVINCIAL', title: `关于深化改革的实施意见（${i}）`, docNumber, issuedAt: new Date(arriveAt - 5 * DAY).toISOString(), leadUnitId: lead, participantUnitIds: [pick(DEPARTMENTS)], implementsDocNumber }),
      );
      agenda.at(ack, workflowId, 'acknowledge', () => upd(docNumber, dm.acknowledgeUpdate, { actor }));
      if (exempt !== undefined) {
        agenda.at(exempt, workflowId, 'exemption', () => upd(docNumber, dm.exemptionUpdate, { actor: admin, reason: '省级文件可直接执行，经研究无须出台市级配套文件' }));
        return;
      }
      agenda.at(ack + 0.1 * DAY, workflowId, 'openLedger', () =>
        upd(docNumber, dm.openLedgerUpdate, {
          actor,
          leadLeaderId: `${lead}-leader`,
          draftingUnitId: lead,
          timeline: [{ milestone: '完成初稿', dueAt: new Date(arriveAt + 21 * DAY).toISOString() }],
          tasks: [
            { title: '制定配套细则', unitId: lead, ownerId: `${lead}-drafter`, dueAt: new Date(arriveAt + 90 * DAY).toISOString() },
            { title: '开展试点', unitId: pilotDistrict, ownerId: `${lead}-drafter`, dueAt: new Date(arriveAt + 150 * DAY).toISOString() },
          ],
        }),
      );
      /** The draft and what follows it: reviews, adoption, issuance, the ledger closed weeks to months later. */
      const fromDraft = (at: number) => {
        let t = at;
        agenda.at(t, workflowId, 'submitDraft', () => upd(docNumber, dm.submitDraftUpdate, { actor }));
        if (rejected) {
          agenda.at((t += review[0] * DAY), workflowId, 'legalReview', () => upd(docNumber, dm.legalReviewUpdate, { actor: admin, approved: false, note: '需补充法律依据' }));
          agenda.at((t += review[1] * DAY), workflowId, 'submitDraft', () => upd(docNumber, dm.submitDraftUpdate, { actor }));
        }
        agenda.at((t += legal * DAY), workflowId, 'legalReview', () => upd(docNumber, dm.legalReviewUpdate, { actor: admin, approved: true }));
        agenda.at((t += meeting * DAY), workflowId, 'executiveMeeting', () => upd(docNumber, dm.executiveMeetingUpdate, { actor: admin, approved: true }));
        agenda.at((t += adoption * DAY), workflowId, 'adoption', () => upd(docNumber, dm.adoptionUpdate, { actor: admin, approved: true }));
        const issueAt = t + issuance * DAY;
        let tasks: string[] = [];
        agenda.at(issueAt, workflowId, 'issuance', async () => {
          const v = await upd(docNumber, dm.issuanceUpdate, { actor, municipalDocNumber: `淄改发〔2026〕Y${i}号`, municipalTitle: `贯彻落实意见（${i}）`, districtIds });
          tasks = v.tasks.map((x) => x.id);
        });
        // Ledger tasks are closed (销号) weeks to months later (the last one completes the document); meanwhile they are dispatched monthly.
        for (const k of [0, 1]) {
          agenda.at(issueAt + closes[k] * DAY, workflowId, 'closeLedgerTask', () => upd(docNumber, dm.closeLedgerTaskUpdate, { actor, taskId: tasks[k], note: '已完成' }));
        }
      };
      if (draft !== undefined) return fromDraft(draft);
      // A late unit drafts once chased: looked for daily in the notices the workflow stored.
      const watch = async () => {
        const chased = await db.notice.findFirst({ where: { workflowId, kind: 'CHASE' }, select: { id: true } });
        const t = await now();
        if (chased) fromDraft(t + afterChase);
        else if (t < end) agenda.at(t + DAY, workflowId, 'awaitChase', watch, true);
      };
      agenda.at(ack + DAY, workflowId, 'awaitChase', watch, true);
    }

    const families = (process.env.BENCH_YEAR_FAMILIES ?? 'documents,cycles,innovation').split(',');
    const n = families.includes('documents') ? o.scale.documents : 0;
    for (let i = 0; i < n; i++) {
      const arriveAt = T0 + between(0.1, o.scale.days - 1) * DAY;
      if (i % 10 === 0 && i + 1 < n) {
        // A CENTRAL document (提示单), its PROVINCIAL document following weeks later and linking it.
        profiles.central++;
        const centralNumber = `中发〔2026〕Y${i}号`;
        agenda.at(arriveAt, documentWorkflowId(centralNumber), 'arrival', () => registerDocument(db, client, { level: 'CENTRAL', title: `中央改革文件（${i}）`, docNumber: centralNumber, issuedAt: new Date(arriveAt - 10 * DAY).toISOString(), participantUnitIds: DEPARTMENTS.slice(0, 3) }));
        provincial(++i, Math.min(arriveAt + between(7, 40) * DAY, end - DAY), centralNumber);
      } else {
        provincial(i, arriveAt);
      }
    }
    simulated.push(
      `${n} documents over ${o.scale.days} days: ${profiles.central} CENTRAL (提示单, then linked by their PROVINCIAL document), ${n - profiles.central} PROVINCIAL — ${profiles.onTime} drafting on time, ${profiles.late} late (drafting 3–8 days after the 催办单), ${profiles.never} not within the month (chased, ordered, followed up weekly; half draft after 6–10 weeks, half are exempted after 45–90 days); 10% of drafts returned once by the legal review`,
    );

    // ---- the monthly 六个一 cycle (第六条) -------------------------------------------
    const months: string[] = [];
    {
      let m = shanghaiMonth(new Date(T0));
      for (;;) {
        const startAt = months.length === 0 ? T0 + HOUR : monthStart(m).getTime() + HOUR;
        if (startAt >= end - 5 * DAY || !families.includes('cycles')) break;
        months.push(m);
        const month = m;
        agenda.at(startAt, cycleWorkflowId(month), 'startCycle', async () => {
          await client.workflow.start(cycleWorkflow, { taskQueue: TASK_QUEUE, workflowId: cycleWorkflowId(month), args: [{ version: 1, month, policy: o.policy, seed: `bench-${month}` }] });
        });
        const h = () => client.workflow.getHandle<typeof cycleWorkflow>(cycleWorkflowId(month));
        for (const u of [...districts, ...groups]) {
          const r = rand();
          if (r < 0.95) {
            // 85% report on time, 10% late (chased), 5% never.
            const at = startAt + (r < 0.85 ? between(1, 4.5) : between(6, 9)) * DAY;
            agenda.at(at, cycleWorkflowId(month), 'submitReport', () =>
              h().executeUpdate(cm.submitReportUpdate, { args: [{ actor: { officialId: u.startsWith('sg-') ? `${u}-liaison` : `${u}-deputy`, unitId: u }, unitId: u, summary: '本月改革任务按计划推进', items: [{ taskCode: 'T1', progress: '已完成阶段目标', status: 'ON_TRACK' }] }] }),
            );
          }
          if (rand() < 0.5) {
            agenda.at(startAt + between(2, 20) * DAY, cycleWorkflowId(month), 'enterScore', () => h().executeUpdate(cm.enterScoreUpdate, { args: [{ actor: inspector, unitId: u, indicatorCode: 'INSPECTION', value: Math.round(between(5, 10)), override: false, reason: '实地督查' }] }));
          }
        }
        // After the ranking (policy: scoringCloseAfter) the diagnosis visit's report is filed, sometimes after its due date (chased).
        const diagnose = async () => {
          const v = await h().query(cm.cycleStateQuery);
          if (v.phase === 'COLLECTING' || v.phase === 'RANKED') {
            agenda.at((await now()) + 2 * DAY, cycleWorkflowId(month), 'fileDiagnosis', diagnose);
            return;
          }
          for (const d of v.diagnoses.filter((x) => !x.filedAt)) {
            await h().executeUpdate(cm.fileDiagnosisUpdate, { args: [{ actor: inspector, unitId: d.unitId, report: '落后原因：统筹力度不够。改进措施：建立周调度机制。' }] });
          }
        };
        const p = o.policy.cycle;
        const afterRanking = (p.scoringCloseAfter.days ?? 0) + (p.scoringCloseAfter.weeks ?? 0) * 7 + (p.scoringCloseAfter.months ?? 0) * 30;
        agenda.at(startAt + (afterRanking + between(4, 12)) * DAY, cycleWorkflowId(month), 'fileDiagnosis', diagnose);
        const [y, mm] = m.split('-').map(Number);
        m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
      }
    }
    simulated.push(`${months.length} monthly cycles (${months[0]} … ${months[months.length - 1]}) for ${districts.length} districts and ${groups.length} special groups: 85% report on time, 10% late, 5% never; half the units get an inspector's score; the diagnosis report filed 4–12 days after the ranking`);

    // ---- innovation: selections and their rollouts (第十四条) ------------------------------
    let rollouts = 0;
    const rolloutLife = (rolloutId: string, startAt: number, lead: string, districtIds: string[]) => {
      const h = () => client.workflow.getHandle<typeof rolloutWorkflow>(`rollout:${rolloutId}`);
      const u = <A,>(def: import('@temporalio/common').UpdateDefinition<im.RolloutView, [A]>, arg: A) => h().executeUpdate(def, { args: [arg] });
      const leadActor = { officialId: `${lead}-liaison`, unitId: lead };
      const plan = startAt + (rand() < 0.8 ? between(1, 6) : between(9, 14)) * DAY;
      agenda.at(plan, `rollout:${rolloutId}`, 'submitLeadPlan', () => u(im.submitLeadPlanUpdate, { actor: leadActor, title: '推广实施方案' }));
      const approved = plan + between(0.5, 2) * DAY;
      agenda.at(approved, `rollout:${rolloutId}`, 'approveLeadPlan', () => u(im.approveLeadPlanUpdate, { actor: { officialId: LEADER, unitId: 'leading-group' }, approved: true }));
      agenda.at(approved + between(3, 12) * DAY, `rollout:${rolloutId}`, 'recordMeeting', async () => u(im.recordMeetingUpdate, { actor: leadActor, heldAt: new Date(await now()).toISOString(), place: '市委会议室' }));
      for (const d of districtIds) {
        const r = rand();
        if (r >= 0.9) continue; // idle district: reminded, then chased (at most maxChases times)
        const at = startAt + (r < 0.75 ? between(7, 28) : between(32, 45)) * DAY;
        agenda.at(at, `rollout:${rolloutId}`, 'submitDistrictPlan', () => u(im.submitDistrictPlanUpdate, { actor: { officialId: `${d}-deputy`, unitId: d }, districtId: d, opinionTitle: '实施意见', planTitle: '实施方案' }));
        const ok = at + between(1, 3) * DAY;
        agenda.at(ok, `rollout:${rolloutId}`, 'approveDistrictPlan', () => u(im.approveDistrictPlanUpdate, { actor: { officialId: `${d}-director`, unitId: d }, districtId: d, approved: true }));
        if (rand() < 0.7) {
          agenda.at(ok + between(10, 40) * DAY, `rollout:${rolloutId}`, 'reportTownships', () => u(im.reportTownshipsUpdate, { actor: { officialId: `${d}-deputy`, unitId: d }, districtId: d, townshipIds: [`${d}-t1`, `${d}-t2`] }));
        }
      }
    };

    let selections = 0;
    for (let k = 0; k < o.scale.selections; k++) {
      const startAt = T0 + (k * 182 + 2) * DAY;
      if (startAt >= end - 60 * DAY || !families.includes('innovation')) break;
      selections++;
      let selectionId = '';
      const acted = new Set<string>();
      const h = () => client.workflow.getHandle<typeof selectionWorkflow>(selectionWorkflowId(selectionId));
      const voters = [...districts.map((u) => ({ u, kind: 'DISTRICT' as const })), ...groups.map((u) => ({ u, kind: 'SPECIAL_GROUP' as const }))];
      /** Acts once per phase, whatever the policy's windows: polled daily. */
      const watch = async () => {
        const v = await h().query(im.selectionQuery);
        const t = new Date(await now());
        if (v.phase === 'APPROVED' || v.phase === 'CANCELLED') return;
        agenda.at(t.getTime() + DAY, `selection:${k}`, 'selection', watch);
        if (acted.has(v.phase)) return;
        acted.add(v.phase);
        const ids = v.candidates.map((c) => c.id);
        const unitOf = (id: string) => v.candidates.find((c) => c.id === id)!.unitId;
        if (v.phase === 'MUTUAL_VOTE') {
          for (const { u, kind } of voters) {
            const choice = ids.filter((id) => unitOf(id) !== u && rand() < 0.6).slice(0, o.policy.innovation.selection.mutualVoteChoices);
            await castBallot(db, { selectionId, public: false, voterKey: u, voterUnitId: u, voterKind: kind, candidateIds: choice, now: t });
          }
        } else if (v.phase === 'SECOND_VOTE') {
          const short = v.candidates.filter((c) => c.shortlistRank !== undefined).map((c) => c.id);
          for (const u of [...districts, ...DEPARTMENTS]) {
            const choice = short.filter((id) => unitOf(id) !== u && rand() < 0.5).slice(0, o.policy.innovation.selection.secondVoteChoices);
            await castBallot(db, { selectionId, public: false, voterKey: u, voterUnitId: u, voterKind: u.startsWith('dept-') ? 'DEPARTMENT' : 'DISTRICT', candidateIds: choice, now: t });
          }
          for (let p = 0; p < 150; p++) {
            await castBallot(db, { selectionId, public: true, voterKey: voterKey(selectionId, String(13800000000 + k * 1000 + p)), ipHash: `ip-${p % 31}`, candidateIds: [pick(short)], now: t });
          }
        } else if (v.phase === 'OPINIONS') {
          for (const c of v.candidates.filter((x) => x.finalRank !== undefined)) {
            await h().executeUpdate(im.recordOpinionUpdate, { args: [{ actor: { officialId: `${c.leadUnitId}-leader`, unitId: c.leadUnitId }, candidateId: c.id, role: 'LEAD_DEPARTMENT', agree: true }] });
            await h().executeUpdate(im.recordOpinionUpdate, { args: [{ actor: { officialId: LEADER, unitId: 'leading-group' }, candidateId: c.id, role: 'LEADER', agree: true }] });
          }
        } else if (v.phase === 'APPROVAL') {
          // The director submits the list to the main city leaders (第十四条).
          await h().executeUpdate(im.approveSelectionUpdate, { args: [{ actor: admin, opinionDocNumber: `淄改办发〔2026〕${20 + k}号`, opinionTitle: '关于推广创新改革经验的实施意见' }] });
        } else if (v.phase === 'LEADERS') {
          // Each main city leader agrees; the last agreement starts the rollouts.
          let a = v;
          for (const id of v.participants.mainLeaderIds ?? []) {
            a = await h().executeUpdate(im.agreeSelectionUpdate, { args: [{ actor: { officialId: id, unitId: LEADERSHIP_ID }, agree: true }] });
          }
          const at = t.getTime();
          for (const c of a.candidates.filter((x) => x.rolloutId)) {
            rollouts++;
            rolloutLife(c.rolloutId!, at, c.leadUnitId, districts);
          }
        }
      };
      agenda.at(startAt, `selection:${k}`, 'startSelection', async () => {
        const d = new Date((await now()) + 8 * HOUR); // Shanghai calendar
        selectionId = `${d.getUTCFullYear()}-H${d.getUTCMonth() < 6 ? 1 : 2}`;
        await client.workflow.start(selectionWorkflow, { taskQueue: TASK_QUEUE, workflowId: selectionWorkflowId(selectionId), args: [{ version: 1, selectionId, policy: o.policy }] });
        // Candidates from every district during the call (one or two each).
        districts.forEach((dist, j) => {
          for (let c = 0; c < (rand() < 0.5 ? 2 : 1); c++) {
            agenda.at(startAt + between(1, 10) * DAY, `selection:${k}`, 'submitCandidate', () =>
              h().executeUpdate(im.submitCandidateUpdate, {
                args: [{ actor: { officialId: `${dist}-deputy`, unitId: dist }, title: `${dist}创新经验${c + 1}`, summary: '经验做法和成效简介', material: [{ name: '经验材料', text: '……' }], leadUnitId: DEPARTMENTS[(j + c) % DEPARTMENTS.length], leaderInChargeId: LEADER, townshipApplies: true }],
              }),
            );
          }
        });
        agenda.at(startAt + DAY, `selection:${k}`, 'selection', watch);
      });
    }

    // ---- run the agenda on the skipped clock ----------------------------------------------
    const setupSeconds = (Date.now() - tSetup) / 1000;
    log(`B3 (${o.label}): simulating ${o.scale.days} days from ${new Date(T0).toISOString().slice(0, 10)}`);
    const t0 = Date.now();
    let lastLog = t0;
    // Notices by month of the simulated clock: the stored counts at each month's end, less the previous month's.
    const noticeCounts = async () => {
      const rows = await db.notice.groupBy({ by: ['subjectType', 'kind'], _count: { _all: true } });
      return Object.fromEntries(rows.map((r) => [`${r.subjectType}:${r.kind}`, r._count._all] as const));
    };
    const monthly: Array<{ month: string; counts: Record<string, number> }> = [];
    let month = shanghaiMonth(new Date(T0));
    let before: Record<string, number> = {};
    const closeMonth = async () => {
      const after = await noticeCounts();
      monthly.push({ month, counts: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v > 0)) });
      before = after;
    };
    const spent = { sleep: 0, settle: 0, steps: 0, slots: 0 };
    const timed = async (k: 'sleep' | 'settle' | 'steps', fn: () => Promise<unknown>) => {
      const t = Date.now();
      await fn();
      spent[k] += Date.now() - t;
    };
    for (;;) {
      const next = agenda.next();
      if (next === undefined || next > end) break;
      const ms = next - (await now());
      if (ms > 0) await timed('sleep', () => env.sleep(ms));
      await timed('settle', settle);
      const due = agenda.take(await now(), quiet);
      spent.slots++;
      // Different subjects are independent officials: run them concurrently, bounded like a busy office.
      await timed('steps', () => pool(due.length, 8, (i) => due[i]()));
      await timed('settle', settle);
      const at = await now();
      o.progress?.({ day: Math.min(o.scale.days, (at - T0) / DAY), days: o.scale.days, steps: agenda.steps });
      if (shanghaiMonth(new Date(at)) !== month) {
        await closeMonth();
        month = shanghaiMonth(new Date(at));
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`B3 (${o.label}): day ${fmt(((await now()) - T0) / DAY, 0)} of ${o.scale.days}, ${agenda.steps} steps, ${fmt((Date.now() - t0) / 1000, 0)} s (${spent.slots} slots; sleeping ${fmt(spent.sleep / 1000, 0)} s, settling ${fmt(spent.settle / 1000, 0)} s, steps ${fmt(spent.steps / 1000, 0)} s)`);
      }
    }
    const rest = end - (await now());
    if (rest > 0) await env.sleep(rest);
    await settle();
    await closeMonth();
    o.progress?.({ day: o.scale.days, days: o.scale.days, steps: agenda.steps });
    const wallSeconds = (Date.now() - t0) / 1000;
    simulated.push(`${o.scale.selections} selection(s) (call, mutual/second/public votes, opinions, the director's submission, the main city leaders' agreement) starting ${rollouts} rollouts across ${districts.length} districts: lead plans 80% on time, district plans 75% on time / 15% late / 10% never, townships reported by 70%`);

    // 按时办结: of the obligations due in each month, those the workflow closed as done by their deadline (its own clock).
    const obligations = await db.obligation.findMany({ where: { dueAt: { gte: new Date(T0), lt: new Date(end) }, status: { notIn: ['CANCELLED', 'SUPERSEDED'] } }, select: { dueAt: true, status: true, closedAt: true } });
    const byMonth: MonthFigures[] = monthly.map((m) => {
      const mine = obligations.filter((x) => shanghaiMonth(x.dueAt) === m.month);
      return { ...m, due: mine.length, onTime: mine.filter((x) => x.status === 'DONE' && x.closedAt && x.closedAt <= x.dueAt).length };
    });
    return { label: o.label, policyVersion: o.policy.version, scale: o.scale, wallSeconds, setupSeconds, counts: await noticeCounts(), months: byMonth, held: { documents: n, cycles: months.length, selections, rollouts }, steps: agenda.steps, refused: agenda.refused, simulated };
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await env.teardown().catch(() => undefined);
    await db.$disconnect();
    await dropDatabase(url).catch(() => undefined);
  }
}

export async function benchYear(s: Services, o: { days: number; policyFile?: string }): Promise<Section[]> {
  const scale = scaleFor(o.days);
  const runs: Array<{ label: string; policy: Policy }> = [{ label: 'default', policy: defaultPolicy }];
  if (o.policyFile) runs.push({ label: path.basename(o.policyFile, '.json'), policy: loadPolicy(o.policyFile).policy });
  const results: YearResult[] = [];
  for (const r of runs) results.push(await simulateYear(s, { ...r, scale }));
  const TARGET = 60;
  return results.map((r, i) => {
    const h = headline(r.counts);
    const refused = Object.entries(r.refused).sort((a, b) => b[1] - a[1]);
    const nRefused = refused.reduce((n, [, v]) => n + v, 0);
    const versus = i > 0 ? headline(results[0].counts) : undefined;
    const scaled = r.scale.days < 365 || r.scale.documents < 400 ? ` (scaled down: ${r.scale.days} days, ${r.scale.documents} documents)` : '';
    return {
      id: i === 0 ? 'B3' : `B3′`,
      title: `a year in the city under policy ${r.policyVersion}${scaled}`,
      summary: {
        measure: 'wall time; prompts / assignments / chases / orders',
        value: `${fmt(r.wallSeconds, 1)} s; ${h.prompts} / ${h.assignments} / ${h.chases} / ${h.orders}${versus ? ` (default: ${versus.prompts} / ${versus.assignments} / ${versus.chases} / ${versus.orders})` : ''}`,
        target: `≤ ${TARGET} s`,
        // A shortened year meets nothing: the target is a whole one.
        met: r.wallSeconds <= TARGET && !scaled,
      },
      // A selection that starts no rollout means the simulated officials missed a phase: the year is not the one described.
      problems: r.held.selections > 0 && r.held.rollouts === 0 ? [`${r.held.selections} selection(s) started no rollout`] : [],
      lines: [
        ...r.simulated,
        `wall time ${fmt(r.wallSeconds, 1)} s on the time-skipping test server (setup — fresh database, test server, worker — ${fmt(r.setupSeconds, 1)} s more); ${r.steps} officials' steps succeeded, ${nRefused} refused by the workflows' validators${refused.length ? ` (most: ${refused.slice(0, 3).map(([k, v]) => `${v}× ${k}`).join('; ')})` : ''}`,
        `notices stored: ${h.total} — prompts ${h.prompts}, assignments ${h.assignments}, chases ${h.chases} (all families), orders ${h.orders}, order follow-ups ${h.followUps}`,
        `by kind: ${Object.entries(r.counts).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`,
      ],
    };
  });
}
