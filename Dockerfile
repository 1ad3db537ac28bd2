# The steps .ci/production-smoke proves on every CI run: build with the dev dependencies,
# then a runtime stage with package.json, the lock, schema.graphql and dist/ only,
# `npm ci --omit=dev`, and `node dist/main.js` (no TypeScript loader).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY src ./src
COPY explorer ./explorer
# the self-hosted GraphiQL (dist/explorer/), then the server (dist/)
RUN npm run build:explorer && npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY schema.graphql ./
COPY --from=build /app/dist ./dist
# the image's own unprivileged user (uid 1000); nothing under /app is writable by it
USER node
EXPOSE 4000
# /health is liveness only; orchestrators should probe /ready for traffic (see README)
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: /ready turns 503 for SHUTDOWN_GRACE_MS, then it drains and exits
CMD ["node", "dist/main.js"]
