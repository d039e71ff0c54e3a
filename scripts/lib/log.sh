# shellcheck shell=bash
# The one log line format of every Beckon script. Each script that logs sources
# this file itself: `exec`ed scripts are new processes and do not inherit the
# functions of the shell that started them.
log() { printf '\033[1m[beckon]\033[0m %s\n' "$*" >&2; }
