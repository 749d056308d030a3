// Prisma 6.19 with the JavaScript schema engine: the Rust engine download is
// impossible on our offline machines (see ../shared/TOOLCHAIN.md).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start and npm test set it for you)');
  return url;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema'),
  // `prisma db seed` (npm run seed): the idempotent demo organisation, as npm start seeds it.
  migrations: { path: path.join('prisma', 'migrations'), seed: 'tsx prisma/seed.ts' },
  async adapter() {
    return new PrismaPg({ connectionString: databaseUrl() });
  },
});
