// One readable timeline per workflow of any family, for administrators: the
// Temporal event history of every run (continue-as-new runs stitched together)
// merged with what the database knows — notices sent, step records
// (WorkflowEvent), obligations and the API's audit trail, all by workflow id —
// into a single ordered list of Chinese events, each with its time, actor and
// the rule (第N条) behind it. The family's descriptor (api/families) names the
// steps and the subject.
//
// Temporal keeps the truth of what ran; the database adds who and what was
// sent. Payloads are decoded with the client's own data converter, so the
// payload codec (encryption) applies here too.
import { status } from '@grpc/grpc-js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { consolePath } from '../../common/consoleLinks';
import type { Db } from '../../common/db';
import { UNITS } from '../../common/searchAttributes';
import { formatShanghai } from '../../common/policy/duration';
import { ApiError, grpcFailure } from '../errors';
import { familyOf, noticeKindLabel, type Family, type Subject, type TimelineLabel } from '../families';
import { routeSummary } from './routes';
import { decodeValue, failureMessage, millis, searchAttributes, type History } from '../temporalAdapter';

/** Continue-as-new chains longer than this are cut (the oldest runs are left out, and said so). */
const MAX_RUNS = 50;

export interface TimelineActor {
  officialId?: string;
  /** Official's name, or "系统" for the workflow's own timers and activities. */
  name: string;
  unitName?: string;
  title?: string;
}

export type TimelineKind =
  | 'started'
  | 'timer-started'
  | 'timer-fired'
  | 'update'
  | 'signal'
  | 'activity'
  | 'notice'
  | 'state'
  | 'record'
  | 'request'
  | 'continued-as-new'
  | 'closed';

export interface TimelineEvent {
  at: string;
  /** The workflow the event belongs to (a linked document's events are merged in). */
  workflowId: string;
  kind: TimelineKind;
  /** One Chinese sentence: who did what. */
  title: string;
  detail?: string;
  actor: TimelineActor;
  rule?: string;
  source: 'temporal' | 'database' | 'audit';
  runId?: string;
  eventId?: number;
  /** Bookkeeping an administrator rarely needs (state writes, re-armed timers): hidden with `brief=true`. */
  minor?: boolean;
  /** Extra facts, e.g. retry attempts, update id, notice id and recipients, request outcome. */
  data?: Record<string, unknown>;
}

export interface Timeline {
  workflowId: string;
  workflowType?: string;
  family?: string;
  familyTitle?: string;
  status: string;
  runs: Array<{ runId: string; startedAt?: string; closedAt?: string; status: string }>;
  /** Administrators only. */
  temporalUiUrl?: string;
  /** What the workflow is about, and its page in the console. */
  subject?: { type: string; id: string; title?: string; reference?: string; link?: string };
  /** Every unit the workflow concerns (search attribute, subject, obligations): used for access control. */
  unitIds: string[];
  /** Linked workflows whose events are merged in (a CENTRAL document and its PROVINCIAL one). */
  related: Array<{ workflowId: string; reference?: string; title?: string }>;
  events: TimelineEvent[];
}

export function temporalUiLink(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

interface Run {
  runId: string;
  history: History;
}

/**
 * Every run of the workflow id, oldest first. Walks back from the newest run
 * through `continuedExecutionRunId`: this needs no visibility store, so it
 * also works on the time-skipping test server.
 */
async function loadRuns(client: Client, workflowId: string): Promise<{ runs: Run[]; truncated: boolean }> {
  const runs: Run[] = [];
  let runId: string | undefined;
  for (;;) {
    let history: History;
    try {
      history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (err) {
      // fetchHistory surfaces an unknown id as a raw gRPC NOT_FOUND.
      if (err instanceof WorkflowNotFoundError || grpcFailure(err)?.code === status.NOT_FOUND) {
        if (runs.length === 0) throw new ApiError('NOT_FOUND', `流程 ${workflowId} 不存在（或已超过保留期限）`);
        return { runs: runs.reverse(), truncated: true }; // older runs past retention
      }
      throw err;
    }
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.push({ runId: started?.originalExecutionRunId ?? runId ?? '', history });
    const previous = started?.continuedExecutionRunId;
    if (!previous) return { runs: runs.reverse(), truncated: false };
    if (runs.length >= MAX_RUNS) return { runs: runs.reverse(), truncated: true };
    runId = previous;
  }
}

const num = (v: unknown): number => Number(v ?? 0);
const iso = (ts: Parameters<typeof millis>[0]): string | undefined => {
  const ms = millis(ts);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

const CLOSE_STATUS: Record<string, string> = {
  workflowExecutionCompletedEventAttributes: '流程办结',
  workflowExecutionFailedEventAttributes: '流程失败',
  workflowExecutionTerminatedEventAttributes: '流程被终止',
  workflowExecutionCanceledEventAttributes: '流程被取消',
  workflowExecutionTimedOutEventAttributes: '流程超时',
};

const SYSTEM: TimelineActor = { name: '系统' };

/** A record of the things to join from the database, gathered while reading history. */
interface Pending {
  event: TimelineEvent;
  officialIds: string[];
  noticeIds: string[];
  updateId?: string;
}

export interface TimelineDeps {
  db: Db;
  client: Client;
  temporalUiUrl: string;
}

export interface TimelineOptions {
  /** Leave out bookkeeping events (minor). */
  brief?: boolean;
  /** Merge the events of linked workflows (default true). */
  related?: boolean;
  /**
   * The unit of a reader who is not an administrator: linked workflows that do not concern it are
   * not merged, and what is for administrators only — request IP addresses, the mail server's and
   * activities' raw failure texts, the Temporal UI link — is left out. Unset: an administrator.
   */
  viewerUnitId?: string;
}

/**
 * The units a workflow concerns — who besides administrators may read its timeline — from its current
 * search attributes and the database, without reading its history (an outsider is refused before any
 * of that work). Undefined when there is no such workflow.
 */
export async function concernedUnits({ db, client }: TimelineDeps, workflowId: string): Promise<Set<string> | undefined> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || grpcFailure(err)?.code === status.NOT_FOUND) return undefined;
    throw err;
  }
  const fam = familyOf(description.type, undefined);
  const [subject] = fam ? await fam.subjects(db, [workflowId]) : [];
  const obligations = await db.obligation.findMany({ where: { workflowId }, select: { unitId: true }, distinct: ['unitId'] });
  return new Set([...(description.typedSearchAttributes.get(UNITS) ?? []), ...(subject?.unitIds ?? []), ...obligations.map((o) => o.unitId)]);
}

/**
 * The timeline of a workflow. An item's story may span workflows — a CENTRAL
 * document is prompted (提示单), then its PROVINCIAL document carries the
 * assignment, chase and order (第五条) — so the events of the workflows its
 * family relates to it are merged in, each marked with the other's reference.
 */
export async function buildTimeline(deps: TimelineDeps, workflowId: string, opts: TimelineOptions = {}): Promise<Timeline> {
  const { timeline: t, family, subject } = await buildOne(deps, workflowId, opts);
  const linked = opts.related !== false && subject && family?.related ? await family.related(deps.db, subject) : [];
  const partners = [];
  for (const p of linked) {
    if (opts.viewerUnitId === undefined || (await concernedUnits(deps, p.workflowId))?.has(opts.viewerUnitId)) partners.push(p);
  }
  for (const p of partners) {
    let other: Timeline;
    try {
      other = (await buildOne(deps, p.workflowId, opts)).timeline;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NOT_FOUND') continue;
      throw err;
    }
    t.related.push(p);
    t.events.push(...other.events.map((e) => ({ ...e, title: `【${family?.relatedLabel ?? '关联事项'} ${p.reference}】${e.title}` })));
  }
  // Stable: events at the same instant keep their reading order.
  if (partners.length) t.events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (opts.brief) t.events = t.events.filter((e) => !e.minor);
  return t;
}

async function buildOne({ db, client, temporalUiUrl }: TimelineDeps, workflowId: string, opts: TimelineOptions): Promise<{ timeline: Timeline; family?: Family; subject?: Subject }> {
  // The fields of a decoded input or result that the timeline reads; any value (or none) may be there.
  const decodeArg = async (payloads: Parameters<typeof decodeValue>[1]) =>
    (await decodeValue(client, payloads)) as { noticeId?: unknown; noticeIds?: unknown; actor?: { officialId?: unknown } } | null | undefined;
  const admin = opts.viewerUnitId === undefined;
  // Raw failure texts (the mail server's answers, exceptions) are for administrators: others learn that something failed.
  const failureText = async (failure: Parameters<typeof failureMessage>[1]) => (admin ? failureMessage(client, failure) : undefined);

  const { runs, truncated } = await loadRuns(client, workflowId);
  const first = runs[0].history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const workflowType = first?.workflowType?.name ?? undefined;
  let family: string | undefined;
  const searchUnits = new Set<string>();
  const pending: Pending[] = [];
  const runInfo: Timeline['runs'] = [];
  let overall = '运行中';

  // Decide the family from the workflow type or the start event's search attributes, then its subject.
  const startSa = searchAttributes(first?.searchAttributes?.indexedFields);
  family = (startSa.DubanFamily?.[0] as string | undefined) ?? undefined;
  let fam: Family | undefined = familyOf(workflowType, family);
  const subject = fam ? (await fam.subjects(db, [workflowId]))[0] : undefined;
  const rule = (l?: TimelineLabel) => l?.rule ?? fam?.rule;
  let lastState: string | undefined;

  for (const [runIndex, run] of runs.entries()) {
    const activities = new Map<number, { type: string; input: unknown; scheduledAt?: string; attempt?: number; lastFailure?: string }>();
    const updates = new Map<string, Pending>();
    const timers = new Map<string, string>(); // timerId → due time
    let armedFor: string | undefined;
    let runStarted: string | undefined;
    let runClosed: string | undefined;
    let runStatus = '运行中';
    for (const e of run.history.events ?? []) {
      const at = iso(e.eventTime) ?? new Date(0).toISOString();
      const base = { at, workflowId, runId: run.runId, eventId: num(e.eventId), source: 'temporal' as const };
      const push = (event: Omit<TimelineEvent, 'at' | 'workflowId' | 'runId' | 'eventId' | 'source'>, extra: Partial<Pending> = {}) => {
        const p: Pending = { event: { ...base, ...event }, officialIds: [], noticeIds: [], ...extra };
        pending.push(p);
        return p;
      };

      if (e.workflowExecutionStartedEventAttributes) {
        const a = e.workflowExecutionStartedEventAttributes;
        runStarted = at;
        const sa = searchAttributes(a.searchAttributes?.indexedFields);
        family ??= sa.DubanFamily?.[0] as string | undefined;
        fam ??= familyOf(workflowType, family);
        for (const u of (sa.DubanUnits as string[] | undefined) ?? []) searchUnits.add(u);
        if (runIndex === 0) {
          push({
            kind: 'started',
            title: `${fam?.title ?? `流程 ${workflowType ?? ''}`}启动${subject ? `：《${subject.title}》（${subject.reference}）` : ''}`,
            actor: SYSTEM,
            rule: fam?.rule,
            detail: truncated ? '注意：更早的运行已超过保留期限或数量上限，未列出' : undefined,
          });
        }
      } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
        const sa = searchAttributes(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields);
        family ??= sa.DubanFamily?.[0] as string | undefined;
        fam ??= familyOf(workflowType, family);
        for (const u of (sa.DubanUnits as string[] | undefined) ?? []) searchUnits.add(u);
        const state = sa.DubanState?.[0] as string | undefined;
        if (state && state !== lastState) {
          lastState = state;
          push({ kind: 'state', title: `状态变为“${fam?.states?.[state] ?? state}”`, actor: SYSTEM, rule: fam?.rule, minor: true, data: { state } });
        }
      } else if (e.timerStartedEventAttributes) {
        const a = e.timerStartedEventAttributes;
        const due = new Date(Date.parse(at) + (millis(a.startToFireTimeout) ?? 0)).toISOString();
        timers.set(a.timerId ?? '', due);
        // The workflow re-arms its timer after every step; the same deadline again is bookkeeping.
        const rearmed = Math.abs(Date.parse(due) - Date.parse(armedFor ?? '')) < 1000;
        armedFor = due;
        push({ kind: 'timer-started', title: `设定期限计时，将于 ${formatShanghai(due)} 到点检查`, actor: SYSTEM, rule: fam?.rule, minor: rearmed || undefined, data: { timerId: a.timerId, fireAt: due } });
      } else if (e.timerFiredEventAttributes) {
        const a = e.timerFiredEventAttributes;
        armedFor = undefined;
        push({ kind: 'timer-fired', title: '期限计时到点，流程检查是否需要提醒、催办或责令', actor: SYSTEM, rule: fam?.rule, data: { timerId: a.timerId, fireAt: timers.get(a.timerId ?? '') } });
      } else if (e.activityTaskScheduledEventAttributes) {
        const a = e.activityTaskScheduledEventAttributes;
        activities.set(num(e.eventId), { type: a.activityType?.name ?? '', input: await decodeArg(a.input?.payloads), scheduledAt: at });
      } else if (e.activityTaskStartedEventAttributes) {
        const a = e.activityTaskStartedEventAttributes;
        const act = activities.get(num(a.scheduledEventId));
        if (act) {
          act.attempt = a.attempt ?? 1;
          act.lastFailure = a.lastFailure ? ((await failureText(a.lastFailure)) ?? '') : undefined;
        }
      } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
        const a = (e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes)!;
        const act = activities.get(num(a.scheduledEventId));
        activities.delete(num(a.scheduledEventId));
        const l = fam?.activities?.[act?.type ?? ''];
        const label = l?.label ?? `执行活动 ${act?.type ?? ''}`;
        const what = l?.describe?.(act?.input);
        const attempts = act?.attempt ?? 1;
        const earlier = act?.lastFailure === '' ? '' : `：${act?.lastFailure ?? '原因未记录'}`;
        const retryNote = attempts > 1 ? `第 ${attempts} 次尝试${e.activityTaskCompletedEventAttributes ? '成功' : ''}（此前失败${earlier}）` : undefined;
        const noticeIds: string[] = [];
        const failed = !e.activityTaskCompletedEventAttributes;
        let failure: string | undefined;
        if (e.activityTaskCompletedEventAttributes) {
          const result = await decodeArg(e.activityTaskCompletedEventAttributes.result?.payloads);
          // Activities that send notices return their id(s): join the Notice row.
          if (typeof result?.noticeId === 'string') noticeIds.push(result.noticeId);
          if (Array.isArray(result?.noticeIds)) noticeIds.push(...result.noticeIds.filter((x: unknown) => typeof x === 'string'));
        } else if (e.activityTaskFailedEventAttributes) {
          failure = await failureText(e.activityTaskFailedEventAttributes.failure);
        } else {
          failure = '执行超时';
        }
        push(
          {
            kind: 'activity',
            title: `${label}${what ? `（${what}）` : ''}${failed ? '失败' : ''}`,
            detail: [failure && `原因：${failure}`, retryNote].filter(Boolean).join('；') || undefined,
            actor: SYSTEM,
            rule: rule(l),
            // A first-attempt success is bookkeeping; a retry or a failure is news.
            minor: (!failed && attempts === 1 && noticeIds.length === 0) || undefined,
            data: { activityType: act?.type, attempts, scheduledAt: act?.scheduledAt, ...(failure ? { failure } : {}) },
          },
          { noticeIds },
        );
      } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
        const a = e.workflowExecutionUpdateAcceptedEventAttributes;
        const name = a.acceptedRequest?.input?.name ?? '';
        const updateId = a.acceptedRequest?.meta?.updateId ?? a.protocolInstanceId ?? '';
        const arg = await decodeArg(a.acceptedRequest?.input?.args?.payloads);
        const l = fam?.updates?.[name];
        const actorId: string | undefined = typeof arg?.actor?.officialId === 'string' ? arg.actor.officialId : undefined;
        const p = push(
          {
            kind: 'update',
            title: l?.label ?? `办理“${name}”`,
            detail: l?.describe?.(arg) || undefined,
            actor: actorId ? { officialId: actorId, name: actorId } : SYSTEM,
            rule: rule(l),
            data: { update: name, updateId },
          },
          { officialIds: actorId ? [actorId] : [], updateId },
        );
        updates.set(updateId, p);
      } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        const p = updates.get(a.meta?.updateId ?? '');
        if (p) {
          p.event.data = { ...p.event.data, completedAt: at };
          if (a.outcome?.failure) {
            const why = await failureText(a.outcome.failure);
            p.event.title += '（办理失败）';
            p.event.detail = [p.event.detail, why && `原因：${why}`].filter(Boolean).join('；');
          }
        }
      } else if (e.workflowExecutionSignaledEventAttributes) {
        const a = e.workflowExecutionSignaledEventAttributes;
        const name = a.signalName ?? '';
        const arg = await decodeArg(a.input?.payloads);
        const l = fam?.signals?.[name];
        const actorId: string | undefined = typeof arg?.actor?.officialId === 'string' ? arg.actor.officialId : undefined;
        push(
          {
            kind: 'signal',
            title: l?.label ?? `收到信号“${name}”`,
            detail: l?.describe?.(arg) || undefined,
            actor: actorId ? { officialId: actorId, name: actorId } : SYSTEM,
            rule: rule(l),
            data: { signal: name },
          },
          { officialIds: actorId ? [actorId] : [] },
        );
      } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
        const a = e.workflowExecutionContinuedAsNewEventAttributes;
        runClosed = at;
        runStatus = '已延续为新运行';
        push({
          kind: 'continued-as-new',
          title: '流程历史较长，延续为新的运行（continue-as-new），办理状态完整带入',
          actor: SYSTEM,
          data: { newRunId: a.newExecutionRunId },
        });
      } else {
        const closeKey = Object.keys(CLOSE_STATUS).find((k) => (e as Record<string, unknown>)[k]);
        if (closeKey) {
          runClosed = at;
          runStatus = CLOSE_STATUS[closeKey];
          const failure = e.workflowExecutionFailedEventAttributes ? await failureText(e.workflowExecutionFailedEventAttributes.failure) : undefined;
          const reason = (admin && e.workflowExecutionTerminatedEventAttributes?.reason) || undefined;
          push({ kind: 'closed', title: CLOSE_STATUS[closeKey], detail: failure ?? reason, actor: SYSTEM, rule: fam?.rule });
        }
      }
    }
    // Activities still scheduled (or retrying) when the history was read.
    for (const act of activities.values()) {
      const l = fam?.activities?.[act.type];
      const what = l?.describe?.(act.input);
      pending.push({
        event: {
          at: act.scheduledAt ?? runStarted ?? new Date(0).toISOString(),
          kind: 'activity',
          title: `${l?.label ?? `执行活动 ${act.type}`}${what ? `（${what}）` : ''}：进行中`,
          actor: SYSTEM,
          rule: rule(l),
          source: 'temporal',
          workflowId,
          runId: run.runId,
          data: { activityType: act.type, pending: true },
        },
        officialIds: [],
        noticeIds: [],
      });
    }
    runInfo.push({ runId: run.runId, startedAt: runStarted, closedAt: runClosed, status: runStatus });
    overall = runStatus;
  }

  // ---- the database side -----------------------------------------------------

  const [notices, obligations] = await Promise.all([
    db.notice.findMany({ where: { workflowId }, include: { recipients: { select: { officialId: true, role: true, status: true, error: true } } }, orderBy: { createdAt: 'asc' } }),
    db.obligation.findMany({ where: { workflowId }, select: { subjectId: true, unitId: true } }),
  ]);
  const events = await db.workflowEvent.findMany({ where: { workflowId }, orderBy: { at: 'asc' } });

  // Audit rows about this workflow's subject: their path names the subject
  // (its id or reference: document id or number, month, selection, rollout) or
  // one of its notices, or their subjectId does.
  const subjects = new Set<string>([
    ...(subject ? [subject.id, subject.reference] : []),
    ...obligations.map((o) => o.subjectId),
    ...notices.map((n) => n.subjectId),
    ...notices.map((n) => n.id),
  ]);
  const fragments = [...subjects].map((s) => `/${encodeURIComponent(s)}`);
  const auditRows = subjects.size
    ? await db.auditLog.findMany({
        where: { OR: [{ subjectId: { in: [...subjects] } }, ...fragments.map((f) => ({ path: { contains: f } }))] },
        orderBy: { at: 'asc' },
        take: 2000,
      })
    : [];
  const audits = auditRows.filter((r) => {
    if (r.subjectId && subjects.has(r.subjectId)) return true;
    const segments = r.path.split('?')[0].split('/').map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    return segments.some((s) => subjects.has(s));
  });

  // Join notices to the activity that sent them; the others stand alone.
  const noticeById = new Map(notices.map((n) => [n.id, n]));
  const joinedNotices = new Set<string>();
  // Why the notice exists, as printed in it: rule, start event, period, due date.
  const why = (n: (typeof notices)[number]) => {
    const e = n.explanation as { startEvent?: string; startedAt?: string; offset?: string; dueAt?: string } | null;
    if (!e?.startEvent) return undefined;
    return [`依据${n.rule}：${e.startEvent}${e.startedAt ? `（${formatShanghai(e.startedAt)}）` : ''}起${e.offset ?? ''}`, e.dueAt && `截止 ${formatShanghai(e.dueAt)}`]
      .filter(Boolean)
      .join('，');
  };
  const noticeText = (n: (typeof notices)[number]) => {
    const kind = noticeKindLabel(n.subjectType, n.kind);
    // Titles name their instrument in brackets (【交办单】…); others get its name in front.
    return n.title.startsWith('【') || n.title.includes(kind) ? n.title : `${kind}：${n.title}`;
  };
  for (const p of pending) {
    for (const id of p.noticeIds) {
      const n = noticeById.get(id);
      if (!n) continue;
      joinedNotices.add(id);
      p.event.kind = 'notice';
      p.event.title = `发出${noticeText(n)}`;
      p.event.detail = why(n);
      p.event.rule = n.rule || p.event.rule;
      p.event.actor = n.createdBy ? { officialId: n.createdBy, name: n.createdBy } : SYSTEM;
      if (n.createdBy) p.officialIds.push(n.createdBy);
      p.officialIds.push(...n.recipients.map((r) => r.officialId));
      p.event.data = { ...p.event.data, noticeId: n.id, noticeKind: n.kind, dueAt: n.dueAt?.toISOString(), delivery: n.status, recipients: n.recipients };
    }
  }
  for (const n of notices) {
    if (joinedNotices.has(n.id)) continue;
    pending.push({
      event: {
        at: n.createdAt.toISOString(),
        kind: 'notice',
        title: `发出${noticeText(n)}`,
        detail: why(n),
        actor: n.createdBy ? { officialId: n.createdBy, name: n.createdBy } : SYSTEM,
        rule: n.rule,
        source: 'database',
        workflowId,
        data: { noticeId: n.id, noticeKind: n.kind, dueAt: n.dueAt?.toISOString(), delivery: n.status, recipients: n.recipients },
      },
      officialIds: [...(n.createdBy ? [n.createdBy] : []), ...n.recipients.map((r) => r.officialId)],
      noticeIds: [],
    });
  }

  // Step records are written by the workflow keyed `${workflowId}:${updateId}`:
  // join them to their update; the others (e.g. "linked") stand alone.
  const byUpdate = new Map(pending.filter((p) => p.updateId).map((p) => [`${workflowId}:${p.updateId}`, p]));
  for (const ev of events) {
    const p = byUpdate.get(ev.key);
    if (p) {
      p.event.data = { ...p.event.data, recordedAt: ev.at.toISOString(), record: ev.data };
      continue;
    }
    const l = fam?.updates?.[ev.step] ?? fam?.signals?.[ev.step];
    pending.push({
      event: {
        at: ev.at.toISOString(),
        kind: 'record',
        title: `办理记录：${l?.label ?? ev.step}`,
        // A record of a signal repeats the signal's own event.
        minor: fam?.signals?.[ev.step] ? true : undefined,
        actor: ev.actorId ? { officialId: ev.actorId, name: ev.actorId } : SYSTEM,
        rule: rule(l),
        source: 'database',
        workflowId,
        data: { step: ev.step, record: ev.data },
      },
      officialIds: ev.actorId ? [ev.actorId] : [],
      noticeIds: [],
    });
  }

  // Audit rows: a request whose Idempotency-Key became an update id is the
  // same act as that update (enrich it); any other request — above all a
  // refused one (4xx), which never reaches history — stands alone.
  const byUpdateId = new Map(pending.filter((p) => p.updateId).map((p) => [p.updateId!, p]));
  for (const r of audits) {
    const key = (r.detail as { idempotencyKey?: string | null } | null)?.idempotencyKey ?? undefined;
    const p = key ? byUpdateId.get(key) : undefined;
    const request = { auditId: r.id, method: r.method, path: r.path, status: r.status, ...(admin ? { ip: r.ip } : {}), at: r.at.toISOString() };
    if (p && r.status < 400) {
      p.event.data = { ...p.event.data, request };
      continue;
    }
    const summary = routeSummary(r.method, r.path) ?? r.action;
    const refused = r.status >= 400;
    const error = (r.detail as { error?: { code: string; message: string } } | null)?.error;
    pending.push({
      event: {
        at: r.at.toISOString(),
        kind: 'request',
        title: refused ? `请求被拒绝（HTTP ${r.status}）：${summary}` : `提交请求：${summary}`,
        detail: error ? `原因：${error.message}` : undefined,
        actor: r.officialId ? { officialId: r.officialId, name: r.officialId } : { name: '未认证的调用方' },
        rule: fam?.rule,
        source: 'audit',
        workflowId,
        data: { request: { ...request, error } },
      },
      officialIds: r.officialId ? [r.officialId] : [],
      noticeIds: [],
    });
  }

  // Names instead of ids.
  const ids = [...new Set(pending.flatMap((p) => p.officialIds))];
  const officials = ids.length
    ? await db.official.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, title: true, unit: { select: { name: true } } } })
    : [];
  const who = new Map(officials.map((o) => [o.id, o]));
  const nameOf = (id: string) => who.get(id)?.name ?? id;
  for (const p of pending) {
    const id = p.event.actor.officialId;
    const o = id ? who.get(id) : undefined;
    if (o) p.event.actor = { officialId: o.id, name: o.name, unitName: o.unit.name, title: o.title ?? undefined };
    const recipients = p.event.data?.recipients as Array<{ officialId: string; role: string; status: string; error: string | null }> | undefined;
    if (recipients) {
      const to = recipients.filter((r) => r.role === 'TO').map((r) => nameOf(r.officialId));
      const cc = recipients.filter((r) => r.role === 'CC').map((r) => nameOf(r.officialId));
      const failed = recipients.filter((r) => r.status === 'FAILED').map((r) => nameOf(r.officialId));
      p.event.detail = [p.event.detail, to.length && `送达：${to.join('、')}`, cc.length && `抄送：${cc.join('、')}`, failed.length && `投递失败：${failed.join('、')}`]
        .filter(Boolean)
        .join('；');
      p.event.data = { ...p.event.data, recipients: recipients.map(({ error, ...r }) => ({ ...r, name: nameOf(r.officialId), ...(admin ? { error } : {}) })) };
    }
    if (p.event.kind === 'update' || p.event.kind === 'request' || p.event.kind === 'record') {
      const a = p.event.actor;
      if (a.officialId && p.event.kind === 'update') p.event.title = `${a.name}${a.unitName ? `（${a.unitName}）` : ''}${p.event.title}`;
    }
  }

  // One order: by time, then by the order we read them (history order within a run).
  const ordered = pending
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Date.parse(a.p.event.at) - Date.parse(b.p.event.at) || a.i - b.i)
    .map(({ p }) => p.event);

  const unitIds = new Set<string>(searchUnits);
  for (const u of subject?.unitIds ?? []) unitIds.add(u);
  for (const o of obligations) unitIds.add(o.unitId);

  const timeline: Timeline = {
    workflowId,
    workflowType,
    family,
    familyTitle: fam?.title,
    status: overall,
    runs: runInfo,
    ...(admin ? { temporalUiUrl: temporalUiLink(temporalUiUrl, client.options.namespace, workflowId) } : {}),
    subject: subject && { type: subject.type, id: subject.id, title: subject.title, reference: subject.reference, link: consolePath(subject.type, subject.id) },
    unitIds: [...unitIds],
    related: [],
    events: ordered,
  };
  return { timeline, family: fam, subject };
}
