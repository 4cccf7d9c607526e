# One image for the API and the workers; docker-compose.yml picks the command.
#   API (default CMD):  run pending migrations, then exec the HTTP server
#   workers:            node --import tsx workers/main.ts
#
# TypeScript runs through tsx at run time (a production dependency); there is no compile-to-JS
# step, tsc only typechecks. The runtime image therefore holds the .ts sources and tsconfig.json
# (tsx reads it for experimentalDecorators, which the TypeORM entities need).
#
# Processes are started as `node --import tsx FILE.ts`: tsx's loader runs inside the one node
# process, so SIGTERM from `docker stop` reaches the app's own handlers directly (the `tsx` CLI
# would instead run the script in a child process and relay signals to it).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: every dependency (dev included), typecheck, and the web app (web/ -> web/dist, which the
# API serves at /; the runtime image gets only the built files, not web/'s sources).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
RUN npm ci

COPY . .
# /out gets exactly what the runtime stage needs. The web build must produce web/dist/index.html:
# an image without it would serve the API alone, silently.
RUN npm run typecheck \
 && npm run web:build \
 && test -f web/dist/index.html \
 && mkdir -p /out/web \
 && cp -R tsconfig.json ormconfig.ts src workers migrations /out/ \
 && cp -R web/dist /out/web/dist

# ---------------------------------------------------------------------------------------------
# runtime: production dependencies only, non-root.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY --from=build /out/ ./
# Application files stay root-owned (read-only for the app). `npm run seed` writes
# .local/demo-tokens.json under the working directory, so only that folder is the node user's.
RUN mkdir -p .local && chown node:node .local

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
USER node
EXPOSE 3000

# No curl in the slim image: node's fetch. Liveness only (/readyz also checks Postgres and Redis).
# The start period covers the migrations that run before the server listens.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Migrations first (same as `npm run migrate`), then exec so node replaces the shell and gets
# the signals. Workers: override the command with ["node", "--import", "tsx", "workers/main.ts"].
CMD ["sh", "-c", "node --import tsx node_modules/typeorm/cli.js migration:run -d ormconfig.ts && exec node --import tsx src/server.ts"]
