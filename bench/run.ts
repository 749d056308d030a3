/**
 * `npm run bench`: duban against bare Temporal in the same run (B1 arrivals,
 * B2 steps), a simulated year on the time-skipping server (B3) and many open
 * workflows under a child worker whose memory is sampled (B4). Starts what it
 * needs itself, prints a table and writes bench/RESULTS.md.
 *
 *   npm run bench                         # everything (≈ 30 min on 2 cores)
 *   npm run bench -- --quick              # smoke run of the harness (CI runs it, `--no-write`): see QUICK
 *   npm run bench -- --only B1,B3         # some of the benchmarks
 *   npm run bench -- --policy bench/policies/chase-two-weeks.json   # B3 also under another policy (a partial Policy merged over the default)
 *   npm run bench -- --b4-minutes 3 --b4-workflows 2000 --b3-days 182   # shorter B3/B4, scaled honestly
 *
 * Shared, noisy machines: every throughput/latency figure is a ratio against a
 * baseline measured in the same run, repeated, with min/median/max.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { benchArrivals, benchSteps, type Row } from './steps';
import { fmt, fmtSpread, log, machine, type Section } from './lib';
import { startApiProcess, startBaselineWorkerProcess, startServices, startWorkerProcess, WORKER_SETTINGS } from './stack';

/**
 * `--quick`: every bench once, small enough for CI's time (a few minutes), to show the harness
 * still runs — its figures say nothing of the targets.
 */
const QUICK = { arrivals: 100, steps: 50, stepDocs: 10, b3Days: 61, b4Workflows: 300, b4Minutes: 0.5 };
const FULL = { arrivals: 1000, steps: 500, stepDocs: 50, b3Days: 365, b4Workflows: 10_000, b4Minutes: 10 };

interface Args {
  quick: boolean;
  only: Set<string>;
  policyFile?: string;
  b4Minutes: number;
  b4Workflows: number;
  /** B3's simulated span; documents and selections scale with it. */
  b3Days: number;
  reps: number;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, only: new Set(['B1', 'B2', 'B3', 'B4']), b3Days: FULL.b3Days, b4Minutes: FULL.b4Minutes, b4Workflows: FULL.b4Workflows, reps: 3, write: true };
  let b3DaysSet = false;
  let b4MinutesSet = false;
  let b4WorkflowsSet = false;
  let repsSet = false;
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return x;
    };
    switch (argv[i]) {
      case '--quick':
        a.quick = true;
        break;
      case '--only':
        a.only = new Set(v().toUpperCase().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--policy':
        a.policyFile = path.resolve(v());
        break;
      case '--b4-minutes':
        a.b4Minutes = Number(v());
        b4MinutesSet = true;
        break;
      case '--b4-workflows':
        a.b4Workflows = Number(v());
        b4WorkflowsSet = true;
        break;
      case '--b3-days':
        a.b3Days = Number(v());
        b3DaysSet = true;
        break;
      case '--reps':
        a.reps = Number(v());
        repsSet = true;
        break;
      case '--no-write':
        a.write = false;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]} (see the header of bench/run.ts)`);
    }
  }
  if (a.quick) {
    if (!repsSet) a.reps = 1;
    if (!b3DaysSet) a.b3Days = QUICK.b3Days;
    if (!b4MinutesSet) a.b4Minutes = QUICK.b4Minutes;
    if (!b4WorkflowsSet) a.b4Workflows = QUICK.b4Workflows;
  }
  if (!(a.b3Days >= 30 && a.b3Days <= 365)) throw new Error('--b3-days must be between 30 and 365');
  if (!(a.reps >= 1) || !(a.b4Minutes > 0) || !(a.b4Workflows >= 1)) throw new Error('--reps, --b4-minutes and --b4-workflows must be positive');
  return a;
}

function table(rows: Row[], sections: Section[]): string {
  const out = [
    '| bench | measure | baseline (min / median / max) | duban (min / median / max) | ratio duban÷baseline (min / median / max) | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    out.push(`| ${r.id} | ${r.name}, ${r.unit} | ${fmtSpread(r.baseline)} | ${fmtSpread(r.duban)} | ${fmtSpread(r.ratio, 2)} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`);
  }
  for (const s of sections) out.push(`| ${s.id} | ${s.title}: ${s.summary.measure} | — | ${s.summary.value} | — | ${s.summary.target} | ${s.summary.met ? 'yes' : 'NO'} |`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const startedAt = new Date();
  const host = machine();
  log(`machine: ${host}`);
  const rows: Row[] = [];
  const sections: Section[] = [];
  const failures: string[] = [];
  const s = await startServices();
  try {
    if (args.only.has('B1') || args.only.has('B2')) {
      const counter = { n: 0 };
      log("starting duban's worker and API, and the baseline's worker, each in a process of its own");
      const settings = Object.fromEntries(Object.entries(WORKER_SETTINGS).map(([k, v]) => [k, String(v)]));
      const [duban, baseline] = await Promise.all([startWorkerProcess(settings), startBaselineWorkerProcess(() => void counter.n++)]);
      const api = await startApiProcess(s);
      // A child that dies mid-bench fails the bench with its last lines, instead of stalling it.
      const died = Promise.race([duban.exited, baseline.exited, api.exited]);
      const guarded = <T,>(p: Promise<T>) => Promise.race([p, died]);
      try {
        if (args.only.has('B1')) {
          const n = args.quick ? QUICK.arrivals : FULL.arrivals;
          rows.push(await guarded(benchArrivals({ api, db: s.db, client: s.client, counter, n, concurrency: 32, reps: args.reps })));
        }
        if (args.only.has('B2')) {
          rows.push(await guarded(benchSteps({ api, client: s.client, n: args.quick ? QUICK.steps : FULL.steps, docs: args.quick ? QUICK.stepDocs : FULL.stepDocs, concurrency: 8, reps: args.reps })));
        }
      } catch (err) {
        failures.push(`B1/B2: ${String((err as Error).stack ?? err)}`);
        log(failures[failures.length - 1]);
      } finally {
        await api.close();
        await Promise.all([duban.stop(), baseline.stop()]);
      }
    }
    if (args.only.has('B3')) {
      try {
        // Loaded only when asked for (`.js`: a dynamic import names the file as ESM does; tsx finds the .ts).
        const { benchYear } = await import('./year.js');
        sections.push(...(await benchYear(s, { days: args.b3Days, policyFile: args.policyFile })));
      } catch (err) {
        failures.push(`B3: ${String((err as Error).stack ?? err)}`);
        log(failures[failures.length - 1]);
      }
    }
    if (args.only.has('B4')) {
      try {
        const { benchManyOpen } = await import('./manyOpen.js');
        sections.push(await benchManyOpen(s, { minutes: args.b4Minutes, workflows: args.b4Workflows }));
      } catch (err) {
        failures.push(`B4: ${String((err as Error).stack ?? err)}`);
        log(failures[failures.length - 1]);
      }
    }
  } finally {
    await s.close();
  }

  for (const x of sections) for (const p of x.problems ?? []) failures.push(`${x.id}: ${p}`);
  const t = table(rows, sections);
  const details = [
    ...rows.map((r) => `- **${r.id}** ${r.note}.`),
    ...sections.flatMap((x) => [`- **${x.id}** ${x.title}:`, ...x.lines.map((l) => `  - ${l}`)]),
    ...failures.map((f) => `- **failed**: ${f.split('\n')[0]}`),
  ];
  const argText = process.argv.slice(2).join(' ') || '(defaults)';
  // Say plainly when this run measured less than the issue asks for.
  const shortened: string[] = [];
  if (args.only.size < 4) shortened.push(`only ${[...args.only].join(', ')}`);
  if (args.quick) shortened.push(`--quick: B1 ${QUICK.arrivals} documents, B2 ${QUICK.steps} steps, one repetition`);
  else if (args.reps < 3) shortened.push(`${args.reps} repetition(s) instead of 3`);
  if (args.only.has('B3') && args.b3Days < 365) shortened.push(`B3 simulated ${args.b3Days} days, not a whole year`);
  if (args.only.has('B4') && (args.b4Workflows < FULL.b4Workflows || args.b4Minutes < FULL.b4Minutes)) {
    shortened.push(`B4 with ${args.b4Workflows.toLocaleString('en')} open workflows and ${args.b4Minutes} min of traffic instead of 10,000 and 10 min`);
  }
  const report = [
    `## Run of ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `- command: \`npm run bench -- ${argText}\` (${fmt((Date.now() - startedAt.getTime()) / 60_000)} min)`,
    `- machine: ${host}`,
    ...(shortened.length ? [`- shortened (to fit a shared machine's time): ${shortened.join('; ')}`] : []),
    '',
    t,
    '',
    ...details,
    '',
  ].join('\n');
  console.log(`\n${report}`);
  if (args.write) writeResults(report);
  if (failures.length) process.exitCode = 1;
}

/** RESULTS.md keeps a short header and the newest run first (older runs below it). */
function writeResults(report: string): void {
  const file = path.join(__dirname, 'RESULTS.md');
  const header = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); the newest run comes first. Ratios are duban ÷ bare Temporal measured',
    'in the same run, on the same in-memory dev server with the same worker settings (8 activity slots, 2,000 cached',
    'workflows; B4 runs the worker with the defaults, 500); duban\'s API and worker, and the baseline\'s worker, are',
    'processes of their own as deployed (since 2026-12-04; before, they ran in the bench\'s process); min / median /',
    'max over the repetitions. Targets: B1 ratio ≥ 0.8, B2 p99 ratio ≤ 1.5, B3 ≤ 60 s, B4 worker RSS ≤ 1 GiB and',
    'flat. "met" judges the median. A "Profile" section is `npm run bench:profile` (bench/profile.ts): where one',
    'arrival and one step spend their time, pasted here with what it shows; a "Findings" section, measurements taken',
    'by hand, with how.',
    '',
  ].join('\n');
  let older = '';
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    // Older runs, the profiles pasted from `npm run bench:profile` (bench/profile.ts) and the findings stay below.
    const i = text.search(/^## (Run|Profile|Findings) of /m);
    if (i >= 0) older = text.slice(i);
  }
  fs.writeFileSync(file, `${header}\n${report}\n${older}`.replace(/\n{3,}/g, '\n\n'));
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
