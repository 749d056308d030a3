/**
 * Bundles the workflow code with Temporal's bundler, as production workers load
 * it (WORKFLOW_BUNDLE_PATH). CI runs it so that a workflow importing something
 * with side effects (Prisma, nodemailer, node: modules) fails the build.
 *   npx tsx scripts/build-workflow-bundle.ts [out.js]
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/createWorker';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  // The bundler fails on Node built-ins, which Prisma, nodemailer and pg all need.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.error(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
