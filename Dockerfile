# perfcycle worker and HTTP API (one image; docker-compose.yml picks the command).
# Debian (glibc) base: @temporalio/worker's native bridge ships prebuilt for linux-x64-gnu,
# not for musl/Alpine. 20.20.2 is the last Node 20 release.
FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production \
    DATA_DIR=/data

WORKDIR /app

# Dependencies first, so code changes reuse this layer. tsx is a runtime dependency.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .

# The CLI's bundle (bin/cli-bundle.js), made while /app is still writable: `perfcycle` in the container
# then starts from it rather than from the sources.
RUN node bin/perfcycle.js --help > /dev/null

# DATA_DIR is a named volume; a fresh volume takes this directory's owner.
RUN mkdir -p /data && chown node:node /data
USER node

CMD ["npx", "tsx", "worker/main.ts"]
