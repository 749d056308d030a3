// B4: many open document workflows waiting on their timers, served by the real
// worker (worker/main.ts) as deployed — a child process with the configuration's
// defaults (common/config.ts) and the process environment it is started with
// (worker/processEnv.ts) — so its memory can be read from /proc/<pid>/status.
// RSS is sampled while steps (updates) and the timers they re-arm keep the worker busy.
import { registerDocument } from '../api/documentArrival';
import { documentWorkflowId } from '../common/ids';
import { WORKER_PROCESS_ENV } from '../worker/processEnv';
import * as dm from '../workflows/document/messages';
import { benchDocument, benchLedger, fmt, log, pool, rssMiB, sleep, slope, type Section } from './lib';
import { startWorkerProcess, type Services } from './stack';

const admin: dm.Actor = { officialId: 'ro-director', unitId: 'reform-office' };
const LIMIT_MIB = 1024;

export async function benchManyOpen(s: Services, o: { minutes: number; workflows: number }): Promise<Section> {
  // The worker's own settings are the defaults (common/config.ts), whatever the shell running the bench has set.
  const worker = await startWorkerProcess();
  const config = worker.config;
  const pid = worker.pid;
  const samples: Array<{ t: number; mib: number; phase: 'start' | 'traffic' }> = [];
  const t0 = Date.now();
  let phase: 'start' | 'traffic' = 'start';
  const sampler = setInterval(() => {
    try {
      samples.push({ t: (Date.now() - t0) / 60_000, mib: rssMiB(pid), phase });
    } catch {
      /* exited */
    }
  }, 5000);
  try {
    const polling0 = rssMiB(pid);
    log(`B4: worker pid ${pid} polling; RSS ${fmt(polling0, 0)} MiB; starting ${o.workflows} document workflows`);

    // ---- open workflows: real arrivals (row + workflow + 交办单), each then waits weeks on its timers.
    // At most WINDOW arrivals are under way (registered, 交办单 not yet stored), as when a city's
    // documents arrive faster than the worker takes them. Registering all at once instead would
    // have thousands of workflows mid-arrival: with more of them than the cache holds, every workflow
    // task replays a history, and the bench would measure that thrash instead of open workflows.
    const WINDOW = 32;
    const tag = `${Date.now() % 1e7}`;
    const docNumbers: string[] = [];
    const noticesBefore = await s.db.notice.count({ where: { kind: 'ASSIGNMENT' } });
    const workerExited = () => new Error(`worker exited:\n${worker.tail()}`);
    // One count, polled for every arrival: how many 交办单 are stored, until all are.
    let stored = 0;
    const counting = (async () => {
      while (stored < o.workflows) {
        if (!worker.running()) throw workerExited();
        await sleep(200);
        stored = (await s.db.notice.count({ where: { kind: 'ASSIGNMENT' } })) - noticesBefore;
      }
    })();
    const tStart = Date.now();
    const registering = pool(o.workflows, WINDOW, async (i) => {
      while (i - stored >= WINDOW) {
        if (!worker.running()) throw workerExited();
        await sleep(50);
      }
      const docNumber = `鲁改发〔2026〕B4-${tag}-${i}号`;
      await registerDocument(s.db, s.client, benchDocument(docNumber, `基准测试文件 ${i}`));
      docNumbers.push(docNumber);
      if ((i + 1) % 500 === 0) log(`B4: ${i + 1} registered, ${stored} with their 交办单, worker RSS ${fmt(rssMiB(pid), 0)} MiB`);
    });
    await Promise.all([registering, counting]);
    const startMin = (Date.now() - tStart) / 60_000;
    log(`B4: ${o.workflows} workflows open with their 交办单 stored after ${fmt(startMin * 60, 0)} s; sampling RSS for ${o.minutes} min of step traffic`);

    // ---- traffic: steps at a steady rate on random documents (most are not in the
    // worker's cache, so most steps replay a history). acknowledge and
    // openLedger change the state and so cancel and re-arm the workflow's timer.
    phase = 'traffic';
    const stage = new Map<string, { n: number; taskId?: string }>();
    let steps = 0;
    let failed = 0;
    let inFlight = 0;
    const RATE = 10; // steps per second: far above a city's real load, steady enough to show a leak
    // One step at a time per document, as one official would: two at once would race to the same stage.
    const busy = new Set<string>();
    let firstFailure: string | undefined;
    const stepOnce = async (docNumber: string) => {
      const h = s.client.workflow.getHandle(documentWorkflowId(docNumber));
      const st = stage.get(docNumber) ?? { n: 0 };
      stage.set(docNumber, st);
      if (st.n === 0) {
        await h.executeUpdate(dm.acknowledgeUpdate, { args: [{ actor: admin }] });
      } else if (st.n === 1) {
        const v = await h.executeUpdate(dm.openLedgerUpdate, {
          args: [{ actor: admin, ...benchLedger(false) }],
        });
        st.taskId = v.tasks[0].id;
      } else {
        await h.executeUpdate(dm.ledgerProgressUpdate, { args: [{ actor: admin, taskId: st.taskId!, note: `进展${st.n}` }] });
      }
      st.n += 1;
    };
    const tTraffic = Date.now();
    const trafficStart = samples.length;
    while (Date.now() - tTraffic < o.minutes * 60_000) {
      if (!worker.running()) throw new Error(`worker exited:\n${worker.tail()}`);
      const docNumber = docNumbers[Math.floor(Math.random() * docNumbers.length)];
      if (inFlight < 4 * RATE && !busy.has(docNumber)) {
        inFlight++;
        busy.add(docNumber);
        void stepOnce(docNumber)
          .then(
            () => void steps++,
            (err: Error) => {
              failed++;
              firstFailure ??= `${docNumber}: ${err.message}`;
            },
          )
          .finally(() => {
            inFlight--;
            busy.delete(docNumber);
          });
      }
      await sleep(1000 / RATE);
    }
    while (inFlight > 0) await sleep(100);
    samples.push({ t: (Date.now() - t0) / 60_000, mib: rssMiB(pid), phase });
    const win = samples.slice(Math.max(trafficStart - 1, 0)).filter((x) => x.phase === 'traffic' || x === samples[trafficStart - 1]);
    const first = win[0].mib;
    const last = win[win.length - 1].mib;
    const max = Math.max(...samples.map((x) => x.mib));
    const maxTraffic = Math.max(...win.map((x) => x.mib));
    const k = slope(win.map((x) => x.t), win.map((x) => x.mib));
    // "Flat": the fitted growth over the window stays under 10% of where it started.
    const flat = k * o.minutes < 0.1 * first;
    const met = max <= LIMIT_MIB && flat;
    return {
      id: 'B4',
      title: `many open workflows (${o.workflows.toLocaleString('en')} document workflows waiting on timers, ${o.minutes} min of traffic)`,
      summary: {
        measure: 'worker RSS first / last / max MiB, slope',
        value: `${fmt(first, 0)} / ${fmt(last, 0)} / ${fmt(maxTraffic, 0)} MiB, ${fmt(k, 1)} MiB/min`,
        target: `≤ ${LIMIT_MIB} MiB and flat`,
        met,
      },
      problems: failed ? [`${failed} of the traffic's steps were refused or failed (the first: ${firstFailure})`] : [],
      lines: [
        `the real worker (worker/main.ts, prebuilt bundle) as deployed, a child process: ${config.WORKER_MAX_CACHED_WORKFLOWS} cached workflows, ${config.WORKER_ACTIVITY_CONCURRENCY} activity slots (the defaults), ${Object.entries(WORKER_PROCESS_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}; VmRSS sampled every 5 s`,
        `RSS once polling (Node, the Rust core, the bundle): ${fmt(polling0, 0)} MiB; the rest is the cached workflows (each with its sandboxed globals and state) and the activities' clients`,
        `${o.workflows} arrivals through registerDocument (row, workflow, 交办单 notice and mail), at most ${WINDOW} under way at a time, in ${fmt(startMin * 60, 0)} s (${fmt(o.workflows / (startMin * 60), 1)}/s); RSS max while starting them ${fmt(max, 0)} MiB`,
        `traffic: ${steps} steps (${failed} refused or failed${firstFailure ? `, the first: ${firstFailure}` : ''}) at ≈${RATE}/s on random documents — acknowledge and openLedger re-arm the timers, then ledger progress; the timers themselves are weeks away in real time and do not fire during the window`,
        `RSS over the traffic window: first ${fmt(first, 0)}, last ${fmt(last, 0)}, max ${fmt(maxTraffic, 0)} MiB; least-squares slope ${fmt(k, 2)} MiB/min (flat = fitted growth < 10% of the first sample: ${flat ? 'yes' : 'no'})`,
        `samples (min → MiB): ${win.filter((_, i) => i % Math.max(1, Math.floor(win.length / 12)) === 0).map((x) => `${fmt(x.t, 1)}→${fmt(x.mib, 0)}`).join(', ')}`,
      ],
    };
  } finally {
    clearInterval(sampler);
    await worker.stop();
  }
}
