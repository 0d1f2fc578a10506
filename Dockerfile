# syntax=docker/dockerfile:1
# Node 24 LTS runs src/server.ts itself (type stripping: the code uses erasable syntax only, `.ts`
# import specifiers and `import type`), so the image needs no loader and no build step for our code.

# better-sqlite3 12 wraps its objects in Node's header-only node::ObjectWrap. From Node 24.19 on, that
# header adds an environment cleanup hook whose removal aborts the process (SIGABRT, "Assertion failed:
# (env) != nullptr") when a statement is garbage-collected outside JavaScript, at exit or in an idle GC
# (nodejs/node#65446). The abort follows the headers the addon is compiled against, not the Node it
# runs on, so the addon is compiled against 24.18.1 and runs on the current 24.x. Drop this when
# better-sqlite3 13 (Node-API, Node >= 22) replaces 12.
ARG NODE_HEADERS_VERSION=24.18.1

# Build stage: the addon is compiled from source with the toolchain the runtime image never gets.
FROM node:${NODE_HEADERS_VERSION}-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Headers from this image's own Node (/usr/local/include/node), no download; only the addon itself is kept.
RUN npm_config_build_from_source=true npm_config_nodedir=/usr/local npm ci --omit=dev --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
           build/Release/sqlite3.a build/Release/test_extension.node \
 && test -f build/Release/better_sqlite3.node

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/playground.db
# The server never calls npm, npx, corepack or yarn: one tool less for anyone who gets in.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and receives SIGTERM itself: src/server.ts closes the server, the live streams and the
# database, then exits 0. The app starts no child processes, so there are no zombies to reap.
STOPSIGNAL SIGTERM
CMD ["node", "src/server.ts"]
