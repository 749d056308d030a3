# One image for the worker, the API and the migrate job; docker-compose.yml
# picks the command. The Prisma CLI and tsx are runtime dependencies, so the
# image needs no build step beyond `prisma generate`.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

COPY package.json package-lock.json ./
# npm 11 may reject its own lockfile over other platforms' optional packages
# (npm/cli#8805); `npm install` honours the same lockfile.
RUN npm ci --omit=dev || npm install --omit=dev

COPY . .
# Without some DATABASE_URL, Prisma 6.19 cannot read the schema early and tries
# to download a Rust engine; generate itself never connects.
RUN DATABASE_URL=postgresql://generate@localhost:5432/generate npx --no-install prisma generate \
 && chown -R node:node /app/generated

USER node
# Temporal workers must finish in-flight activities on SIGTERM: run node
# directly (via tsx), not behind `npm`, so the signal reaches the process.
CMD ["node_modules/.bin/tsx", "worker/main.ts"]
