/**
 * Writes the API's OpenAPI 3.1 document to a file (default dist/openapi.json)
 * without any service running: the app is built with lazy connections, which
 * registers every route's description. The web console's client types are
 * generated from this file (scripts/build-web.sh), so a changed route breaks
 * the console's build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { openApiDocument } from '../api/openapi';
import { createDb } from '../common/db';

const out = path.resolve(process.argv[2] ?? 'dist/openapi.json');
// Nothing connects: Prisma and the Temporal client connect on first use.
const db = createDb('postgresql://openapi@127.0.0.1:1/openapi', 1);
createApp({ db, client: new Client() });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`OpenAPI document: ${path.relative(process.cwd(), out)}`);
