# syntax=docker/dockerfile:1.7
# One image for every TOAD service; the command picks the service:
#   docker run toad node services/<gateway|session|router|context|indexer|sandbox>/dist/main.js
# The chart keeps the entrypoint (tini, which reaps what exec leaves behind) and sets the args.
# It also serves as the default sandbox workspace image (node, git, ripgrep, bash).
# Build context: the repository root; Dockerfile.dockerignore keeps node_modules, dist and
# .git out of it.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# The npm the lockfile was written with (package.json "packageManager").
RUN npm install -g npm@11.19.1
WORKDIR /app

# Only the package manifests: the `npm ci` layer below stays cached until a dependency changes,
# whatever else changed in the sources.
FROM base AS manifests
COPY . /src
RUN mkdir /out && cd /src \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json -o -name .npmrc \) -print \
    | xargs -I{} cp --parents {} /out/

FROM base AS build
# Native addons (tree-sitter, better-sqlite3) compile here; protoc-free codegen uses buf from npm.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && find packages services cli -mindepth 2 -maxdepth 2 -type d \( -name src -o -name test \) -prune -exec rm -rf {} + \
 && rm -rf .turbo node_modules/.cache

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini git ripgrep bash ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and run as uid 1000: the application cannot modify itself.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
COPY --from=build /app/cli ./cli
# NestJS's gRPC transport loads the .proto files at run time.
COPY --from=build /app/proto ./proto
# uid 1000 is the image's "node" user; numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 50051 50052 50053 50054 50055 50056 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/gateway/dist/main.js"]
