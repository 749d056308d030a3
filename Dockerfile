# duban's one image: the API (default command), the worker and the one-shot
# jobs (migrations, organisation import, bootstrap administrator);
# docker-compose.yml picks the command. Two stages: the build stage compiles
# TypeScript and the workflow bundle with every dependency; the image that
# runs holds the production dependencies and compiled JavaScript only (no
# tsx, no TypeScript at run time).
# The Active LTS line (.nvmrc names it; package.json's engines must admit it).
ARG NODE_IMAGE=node:26.10.0-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Prisma client, dist/app (tsconfig.build.json), dist/workflow-bundle.js, the web console (dist/web).
RUN npm run build

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false \
    # The worker loads the prebuilt bundle instead of bundling workflows at start.
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    API_PORT=3000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# `prisma migrate deploy` (the migrate job) reads the schema, the migrations and prisma.config.ts.
COPY prisma/schema ./prisma/schema
COPY prisma/migrations ./prisma/migrations
COPY prisma.config.ts ./
USER node
EXPOSE 3000
# The API answers /healthz; docker-compose.yml turns this off for the worker and the jobs.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.API_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM must reach the process (the worker finishes in-flight activities).
CMD ["node", "dist/app/api/main.js"]
