# One image for every service; which one runs is chosen when the container starts:
#   docker build -t chatroulette .
#   docker run -e SERVICE=gateway chatroulette        (or: docker run chatroulette gateway)
# The services run their TypeScript sources through tsx (a dependency of each service): no build
# output to drift from the sources. Node 20 on Debian bookworm (glibc 2.36): the pinned
# uWebSockets.js build ships Node 20's binary (ABI 115) and needs glibc 2.27 (README "Node versions").

# --- build: every dependency installed once, the types checked, then pruned to production ---------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Node 20's npm 10 and npm before 11.7 reject this lock file (vite's optional peer esbuild): engines says npm >=11.7.
RUN npm install -g --no-audit --no-fund npm@11.19.1
COPY . .
# No install scripts but esbuild's (tsx's compiler): testcontainers' ssh2 and cpu-features would
# try to compile, and nothing the services run needs a script.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild esbuild
RUN npm run typecheck
# The demo app the gateway serves at / (Vite; its rolldown and lightningcss binaries come as
# optional packages, no script): built before the prune takes Vite away, apps/demo/dist is kept.
RUN npm run build -w @chatroulette/demo
# Production only: the test and bench workspaces go first (they bring vitest, testcontainers and
# the embedded PostgreSQL as dependencies), then every devDependency, then the uWebSockets.js
# binaries of other platforms and Node versions (about 100 MB).
RUN rm -rf test bench libs/testing libs/local-infra scripts .ci \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && keep="uws_$(node -p 'process.platform + "_" + process.arch + "_" + process.versions.modules').node" \
 && find node_modules/uWebSockets.js/binaries -type f ! -name "$keep" -delete \
 && test -f "node_modules/uWebSockets.js/binaries/$keep"

# --- runtime: the same Node, the sources and production dependencies, owned by root, run as node ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
STOPSIGNAL SIGTERM
ENTRYPOINT ["sh", "/app/deploy/run-service.sh"]
