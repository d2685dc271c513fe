#!/bin/sh
# Container entrypoint. Docker's init (config.yaml `init: true`) is PID 1 and forwards SIGTERM;
# `exec` makes node its direct child, so the service's own SIGTERM handler runs on stop.
set -eu
# After a Home Assistant backup restore /data holds the backup's database snapshot instead of
# the live files (see backup_* in config.yaml): turn it back into the database first.
node /app/addon/sqlite-snapshot.mjs restore
exec node /app/dist/main.js "$@"
