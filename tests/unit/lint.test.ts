/**
 * eslint.config.mjs keeps side effects out of workflow code: a probe file under
 * workflows/ with one import of each kind is linted, and exactly the value
 * imports of built-ins, activities, packages with side effects and common/db
 * are refused; type-only imports and the workflow SDK pass. A forgotten await
 * is refused everywhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Lints the given sources as files at their paths (written there for the type-aware rules, removed after): rule ids by file and line. */
function lint(files: Record<string, string>): Record<string, Array<[number, string]>> {
  for (const [rel, source] of Object.entries(files)) fs.writeFileSync(path.join(ROOT, rel), source);
  try {
    // One run for every probe: the type-aware rules build the TypeScript program once.
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', ...Object.keys(files)], { cwd: ROOT, encoding: 'utf8' });
    const reports = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ line: number; ruleId: string | null; message: string }> }>;
    return Object.fromEntries(reports.map((f) => [path.relative(ROOT, f.filePath), f.messages.map((m): [number, string] => [m.line, m.ruleId ?? m.message])]));
  } finally {
    for (const rel of Object.keys(files)) fs.rmSync(path.join(ROOT, rel), { force: true });
  }
}

const workflowProbe = `workflows/cycle/lintProbe${process.pid}.ts`;
const commonProbe = `common/lintProbe${process.pid}.ts`;

describe('eslint.config.mjs', () => {
  let found: Record<string, Array<[number, string]>>;
  beforeAll(() => {
    found = lint({
      [workflowProbe]: [
        "import fs from 'node:fs';",
        "import { join } from 'path';",
        "import { createActivities } from '../../activities';",
        "import type { CycleNoticeArgs } from '../../activities/cycle';",
        "import nodemailer from 'nodemailer';",
        "import { Pool } from 'pg';",
        "import type { Request } from 'express';",
        "import { PrismaPg } from '@prisma/adapter-pg';",
        "import { createDb } from '../../common/db';",
        "import { proxyActivities } from '@temporalio/workflow';",
        "import { addDuration } from '../../common/policy/duration';",
        'export const used = [fs, join, createActivities, nodemailer, Pool, PrismaPg, createDb, proxyActivities, addDuration];',
        'export type Used = CycleNoticeArgs | Request;',
        '',
      ].join('\n'),
      [commonProbe]: ['async function send(): Promise<void> {}', 'export function go(): void {', '  send();', '  void send();', '}', ''].join('\n'),
    });
  });

  it('refuses value imports with side effects in workflows/, allows type imports and the workflow SDK', () => {
    expect(found[workflowProbe]).toEqual([1, 2, 3, 5, 6, 8, 9].map((line) => [line, '@typescript-eslint/no-restricted-imports']));
  });

  it('refuses a promise neither awaited nor marked void', () => {
    expect(found[commonProbe]).toEqual([[3, '@typescript-eslint/no-floating-promises']]);
  });
});
