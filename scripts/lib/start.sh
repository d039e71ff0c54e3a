#!/usr/bin/env bash
# The main job: the broker with its web console on the embedded SQLite
# default, and the agent desktop where an Electron binary exists.
set -euo pipefail
cd "$BECKON_ROOT"
# shellcheck source=log.sh
. "$BECKON_ROOT/scripts/lib/log.sh"
export BECKON_DATA_DIR="${BECKON_DATA_DIR:-$BECKON_ROOT/.data}"
export BECKON_CONSOLE_DIR="${BECKON_CONSOLE_DIR:-$BECKON_ROOT/apps/agent-desktop/out/renderer}"
# A fresh data directory without BECKON_ADMIN_* gets an admin with a random
# password, printed once and kept in an owner-only file.
export BECKON_GENERATE_ADMIN=1

public_url="${BECKON_PUBLIC_URL:-http://${BECKON_HOST:-127.0.0.1}:${BECKON_PORT:-8080}}"
log "web console: ${public_url%/}/console/ (sign in with the administrator's email and password)"
electron_bin="$BECKON_ROOT/apps/agent-desktop/node_modules/electron/dist/electron"
if [ -x "$electron_bin" ] && [ -n "${DISPLAY:-}" ]; then
  log "starting the agent desktop"
  # The desktop window shows this broker's console (same origin, same sign-in).
  (cd apps/agent-desktop && BECKON_BROKER_URL="$public_url" "$electron_bin" . >/dev/null 2>&1 &)
else
  log "no Electron binary here (or no display): use the web console in a browser"
fi
exec node apps/broker/bin/beckon-broker.js serve "$@"
