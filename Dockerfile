# syntax=docker/dockerfile:1
#
# Flink Lens container image: the compiled exporter (dist/) on Node 20, production dependencies
# only, running as a non-root numeric user. Build and run (see docs/deployment.md):
#
#   docker build -t flink-lens:0.1.0 \
#     --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) .
#   docker run --rm -p 9551:9551 -v "$PWD/flink-lens.yaml:/etc/flink-lens/config.yaml:ro" flink-lens:0.1.0

# One base for every stage; pin a digest for reproducible builds
# (--build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, TypeScript → dist/ -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts are needed to compile (esbuild's postinstall only serves tsx).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- deps: production node_modules only ----------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# tsx (and its esbuild binary) is a runtime dependency only for bin/flink-lens.js, which runs the
# TypeScript sources; the image runs the compiled dist/ with plain node, so they are dropped.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/tsx node_modules/esbuild node_modules/@esbuild \
              node_modules/.bin/tsx node_modules/.bin/esbuild

# ---- runtime -------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/flink-lens/flink-lens
LABEL org.opencontainers.image.title="Flink Lens" \
      org.opencontainers.image.description="Prometheus exporter, skew analytics and key-group helper for Apache Flink, over the JobManager REST API" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.documentation="${SOURCE}/blob/main/docs/deployment.md" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"

# A numeric UID/GID so Kubernetes' runAsNonRoot can verify it; no home, no shell.
RUN groupadd --system --gid 10001 flink-lens \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin flink-lens

ENV NODE_ENV=production
WORKDIR /app
# Everything stays owned by root and read-only for the process (readOnlyRootFilesystem-friendly).
# package.json is read at runtime for the version (dist/version.js reads ../package.json) and
# scenarios/ by the built-in simulator (`flink-lens demo|sim`), both relative to dist/.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY scenarios ./scenarios
COPY deploy/docker/healthcheck.js ./healthcheck.js

USER 10001:10001
EXPOSE 9551

# Liveness of the process itself; Kubernetes ignores HEALTHCHECK and uses the Deployment's probes.
# Another --port or TLS (--web.config.file): set FLINK_LENS_HEALTHCHECK_URL, e.g.
# https://127.0.0.1:9551/-/healthy (certificate not verified over loopback).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["node", "/app/healthcheck.js"]

# node runs as PID 1: the exporter handles SIGTERM/SIGINT (graceful close) and SIGHUP (reload).
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["serve", "--config", "/etc/flink-lens/config.yaml"]
