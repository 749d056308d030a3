// Small helpers shared by the benchmarks: statistics, a bounded pool, HTTP.
import os from 'node:os';
import fs from 'node:fs';

/** A benchmark reported as lines rather than a baseline/duban/ratio row (B3, B4). */
export interface Section {
  id: string;
  title: string;
  lines: string[];
  summary: { measure: string; value: string; target: string; met: boolean };
  /** What went wrong in the harness or the product while measuring: the run then fails. */
  problems?: string[];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const DAY_MS = 86_400_000;
/** A calendar date `days` from now (negative: ago), as the API takes dates. */
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The benches' document: PROVINCIAL, with a lead and a participant unit (交办单 at once), issued
 * yesterday. Its dates follow the day the bench runs: issued on a fixed date it would arrive later
 * every day — past its reminder, its chase, then its order — and each arrival would send those too.
 */
export const benchDocument = (docNumber: string, title: string) => ({
  level: 'PROVINCIAL' as const,
  title,
  docNumber,
  issuedAt: daysFromNow(-1),
  leadUnitId: 'dept-health',
  participantUnitIds: ['dept-finance'],
});

/** Its ledger (openLedger's arguments), a milestone and a task due months ahead of the run. */
export const benchLedger = (milestones = true) => ({
  leadLeaderId: 'dept-health-leader',
  draftingUnitId: 'dept-health',
  timeline: milestones ? [{ milestone: '完成初稿', dueAt: daysFromNow(45) }] : [],
  tasks: [{ title: '制定实施细则', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: daysFromNow(180) }],
});
export const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: quantile(s, 0.5), max: s[s.length - 1] };
}

/** Quantile of sorted values (nearest rank: p99 of 500 samples is the 495th). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  if (q === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const fmtSpread = (s: Spread, digits = 1) => `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}`;

/** Runs fn(i) for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** JSON over real HTTP; throws with the body on a non-2xx answer. */
export async function http<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** The machine, for RESULTS.md: figures mean little without it. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const memGb = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  let kernel = os.release();
  try {
    kernel = fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    /* not Linux */
  }
  return `${os.availableParallelism?.() ?? os.cpus().length} CPUs (nproc), ${cpu}, ${memGb} GiB RAM, Linux ${kernel}, Node ${process.version}, load average at start ${load}`;
}

/** VmRSS of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same simulated year. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
