// `npm run simulate -- --policy <file>`: what if the rules changed? Runs the
// simulated year of B3 (bench/year.ts: real workflows and activities on the
// time-skipping server, seeded officials) under the policy in force and under
// the proposed one — a partial policy merged over the default, as in
// bench/policies/ — and writes the side-by-side report (bench/report.ts).
//
//   npm run simulate -- --policy bench/policies/chase-two-weeks.json
//   npm run simulate -- --policy my.json --days 91 --out /tmp/what-if.html
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { defaultPolicy } from '../common/policy';
import { log } from './lib';
import { simulationReport } from './report';
import { startServices } from './stack';
import { FULL_YEAR, loadPolicy, scaleFor, simulateYear, type YearProgress, type YearResult } from './year';

const USAGE = 'usage: npm run simulate -- --policy <file.json> [--days 30..365] [--out report.html]';

function parseArgs(argv: string[]): { policyFile: string; days: number; out: string } {
  let policyFile: string | undefined;
  let days = FULL_YEAR.days;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    switch (argv[i]) {
      case '--policy':
        policyFile = path.resolve(value());
        break;
      case '--days':
        days = Number(value());
        break;
      case '--out':
        out = path.resolve(value());
        break;
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return process.exit(0);
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  if (!policyFile) throw new Error(`--policy is required\n${USAGE}`);
  if (!fs.existsSync(policyFile)) throw new Error(`${policyFile}: no such file`);
  if (!Number.isInteger(days) || days < 30 || days > 365) throw new Error(`--days must be a whole number from 30 to 365\n${USAGE}`);
  return { policyFile, days, out: out ?? path.resolve(`simulation-${path.basename(policyFile, '.json')}.html`) };
}

/** A progress bar on a terminal; elsewhere (a log file) a line every tenth of the way. */
function progressBar(run: number, runs: number, label: string): (p: YearProgress) => void {
  const started = Date.now();
  let lastTenth = -1;
  return (p) => {
    const share = Math.min(1, p.day / p.days);
    const text = `simulation ${run}/${runs} (${label}): day ${Math.floor(p.day)} of ${p.days}, ${p.steps} steps, ${Math.round((Date.now() - started) / 1000)} s`;
    if (process.stderr.isTTY) {
      const width = 30;
      const done = Math.round(share * width);
      process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${text}${share >= 1 ? '\n' : ''}`);
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      log(text);
    }
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Read and validated before anything starts: a bad policy file fails in a second, not after a simulated year.
  const { policy: proposed, overrides } = loadPolicy(args.policyFile);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const scale = scaleFor(args.days);
  const runs = [
    { label: 'in force', policy: defaultPolicy },
    { label: path.basename(args.policyFile, '.json'), policy: proposed },
  ];
  log(`simulating ${args.days} days twice: the policy in force (${defaultPolicy.version}), then ${proposed.version}`);
  const s = await startServices();
  const results: YearResult[] = [];
  try {
    for (const [i, r] of runs.entries()) results.push(await simulateYear(s, { ...r, scale, progress: progressBar(i + 1, runs.length, r.label) }));
  } finally {
    await s.close();
  }
  fs.writeFileSync(args.out, simulationReport({ results: [results[0], results[1]], proposal: { file: path.relative(process.cwd(), args.policyFile), overrides }, generatedAt: new Date() }));
  log(`report: ${args.out}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
