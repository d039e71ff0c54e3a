#!/bin/sh
# Beckon Assist for Linux, self-contained: its own Node runtime, the host engine
# and its native addons; nothing to install, compile or download. Run as
# BeckonAssist-s12345678 (the link the broker put beside it for one download) it
# joins that session; run as beckon-assist it asks for the session code.
set -eu
launcher=$0
# The real folder, from wherever this was started (the link points here).
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
# Started without a terminal (a double-click in a file manager) on a desktop with no
# dialog tool: ask in a terminal window, when the desktop has one.
if [ ! -t 0 ] && [ -n "${DISPLAY:-}" ] && [ -z "${BECKON_ASSIST_UI:-}" ] &&
  ! command -v zenity >/dev/null 2>&1 && command -v x-terminal-emulator >/dev/null 2>&1; then
  BECKON_ASSIST_UI=terminal exec x-terminal-emulator -e "$launcher" "$@"
fi
export BECKON_ASSIST_HOME="$here" BECKON_ASSIST_LAUNCHER="$launcher"
export BECKON_CAPTURE_ADDON="$here/lib/beckon_capture.node"
exec "$here/lib/node" "$here/lib/app/beckon-assist.mjs" "$@"
