# Grill Stats add-on image. Built by the Supervisor on the user's device (or by CI per arch);
# the build context is the repository root. Newer Supervisors pass no BUILD_FROM unless a
# build.yaml exists, so the default here is the real base image (Alpine 3.22 => Node 22).
ARG BUILD_FROM=ghcr.io/home-assistant/base:3.22

# ---- build: compile better-sqlite3 for this arch + musl, bundle service, card and panel ----
FROM ${BUILD_FROM} AS build
RUN apk add --no-cache nodejs npm python3 make g++ linux-headers
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 has no prebuilt binary for every Node ABI + musl + arch: build it here, from
# source, for the arch this image is for (never copy a node_modules built elsewhere).
RUN npm ci --no-audit --no-fund \
 && npm rebuild better-sqlite3 --build-from-source
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# ---- runtime: Node and the built service only, no toolchain ----
FROM ${BUILD_FROM}
ARG BUILD_VERSION=0.1.0
ARG BUILD_ARCH=amd64
# icu-data-full: Alpine's nodejs ships English-only ICU data; alarm messages are formatted
# with Intl in the user's time zone and language.
RUN apk add --no-cache nodejs icu-data-full
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/addon ./addon
# A container is reached through its own interface: listen on it (under the Supervisor the
# ingress guard lets only 172.30.32.2 in; outside it the service defaults to loopback).
ENV NODE_ENV=production \
    GRILL_STATS_DATA_DIR=/data \
    GRILL_STATS_HOST=0.0.0.0
# The base image's entrypoint is s6-overlay's /init, which refuses to run unless it is PID 1.
# config.yaml sets `init: true` (Docker's tini is PID 1), so replace it: run.sh restores a
# backup snapshot if there is one, then execs node, which handles SIGTERM itself.
ENTRYPOINT ["/bin/sh", "/app/addon/run.sh"]
CMD []
# No HEALTHCHECK: the Supervisor's watchdog (config.yaml) probes /api/health from 172.30.32.2;
# a probe from inside the container would be refused by the service's ingress address guard.
LABEL \
    io.hass.name="Grill Stats" \
    io.hass.description="ThermoWorks Cloud thermometers in Home Assistant" \
    io.hass.version="${BUILD_VERSION}" \
    io.hass.arch="${BUILD_ARCH}" \
    io.hass.type="addon" \
    org.opencontainers.image.title="Grill Stats" \
    org.opencontainers.image.licenses="MIT"
