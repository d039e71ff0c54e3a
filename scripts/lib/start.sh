#!/usr/bin/env bash
# The main job: the broker with its web console on the embedded SQLite
# default, and the agent desktop where an Electron binary exists.
set -euo pipefail
cd "$BECKON_ROOT"
export BECKON_DATA_DIR="${BECKON_DATA_DIR:-$BECKON_ROOT/.data}"
export BECKON_CONSOLE_DIR="${BECKON_CONSOLE_DIR:-$BECKON_ROOT/apps/agent-desktop/out/renderer}"
# A fresh data directory without BECKON_ADMIN_* gets an admin with a random
# password, printed once and kept in an owner-only file.
export BECKON_GENERATE_ADMIN=1

electron_bin="$BECKON_ROOT/apps/agent-desktop/node_modules/electron/dist/electron"
if [ -x "$electron_bin" ] && [ -n "${DISPLAY:-}" ]; then
  log "starting the agent desktop"
  (cd apps/agent-desktop && "$electron_bin" . >/dev/null 2>&1 &)
else
  log "no Electron binary here (or no display): use the web console in a browser"
fi
exec node apps/broker/bin/beckon-broker.js serve "$@"
