# opsroom: one image for every role (`opsroom start --role gateway|worker|all`); docker-compose.yml runs the cluster.

# Build: the dependencies with their native parts (better-sqlite3, isolated-vm) and the web console.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Only the packages that need their install scripts run them (the same list as allowScripts in package.json).
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 isolated-vm esbuild
COPY . .
RUN npm run build:console && npm prune --omit=dev && rm -rf test bench .ci .git web/src

# Run: no compiler, no dev dependencies, not root.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    OPSROOM_HTTP_HOST=0.0.0.0 \
    OPSROOM_HTTP_PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /var/lib/opsroom && chown node:node /var/lib/opsroom
USER node
VOLUME ["/var/lib/opsroom"]
EXPOSE 3000
# isolated-vm needs V8 without the startup snapshot on Node 20; the sandbox runners get the flag from the host process.
ENTRYPOINT ["node", "--no-node-snapshot", "bin/opsroom.js"]
CMD ["start"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPSROOM_HTTP_PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
