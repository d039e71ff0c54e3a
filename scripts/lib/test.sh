#!/usr/bin/env bash
# The run_<suite> functions are called by name, which shellcheck cannot see.
# shellcheck disable=SC2317
# Runs every test: lint, typecheck, unit + integration (node:test), the broker's
# tests again on PostgreSQL (pg), browser
# end-to-end (Playwright + Debian Chromium, headed on Xvfb). Called by
# `scripts/beckon test` after setup; suites may be named to run a subset.
set -uo pipefail
cd "$BECKON_ROOT" || exit 1
suites=("$@"); [ ${#suites[@]} -eq 0 ] && suites=(lint typecheck unit pg e2e)
results=(); coverage=(); passed=0; failed=0; status=0
mkdir -p .tools/test-logs

note() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

run_lint() {
  eslint . --max-warnings 0 && prettier --check . --log-level warn &&
    shellcheck scripts/beckon scripts/lib/*.sh .ci/run apps/assist-client/src/bundle/launcher.sh &&
    lint_api_document
}
# The committed API document must be what the broker serves, and pass Redocly's recommended rules,
# Spectral's OpenAPI rules and the OWASP rules (.spectral.yaml lists each OWASP rule that does not fit).
lint_api_document() {
  local doc=packages/api-client/openapi.json
  if ! node apps/broker/src/cli.ts openapi | cmp -s - "$doc"; then
    echo "$doc is not the broker's API document: run scripts/beckon broker openapi > $doc"
    return 1
  fi
  # The integrators' client's types must be generated from this very document.
  if ! (cd packages/api-client && pnpm --silent schema 2>/dev/null) | cmp -s - packages/api-client/src/schema.ts; then
    echo "packages/api-client/src/schema.ts is not generated from $doc: run pnpm --filter @beckon/api-client generate"
    return 1
  fi
  REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true redocly lint --format=stylish "$doc" &&
    spectral lint --ruleset .spectral.yaml --fail-severity warn --quiet "$doc"
}
run_typecheck() { pnpm -r --workspace-concurrency=2 typecheck && tsc -p scripts/tsconfig.json; }
run_unit() {
  local out=.tools/test-logs/unit.log
  # One node:test run over every project's tests gives one summary. Two files
  # at a time, one per core: most of a file's time is waiting (servers starting,
  # throttle windows, WebRTC connecting), so two overlap well, and every test
  # takes its own ports, Xvfb display and database. One at a time took 905 s
  # of CI's 28 minutes; two take about 390 s.
  mapfile -t files < <(git ls-files -co --exclude-standard -- 'apps/*/src/**.test.ts' 'packages/*/src/**.test.ts' 'bench/**.test.ts' 'scripts/**.test.ts' | sort -u)
  [ ${#files[@]} -gt 0 ] || { echo "no unit tests found"; return 1; }
  # Node's own coverage (V8's, of the test files' processes and of what they
  # start, such as broker processes) goes to an lcov file; the summary prints
  # line and branch coverage per project from it. Information, not a gate.
  local lcov=.tools/test-logs/unit.lcov
  node --test --test-concurrency=2 --test-timeout=300000 \
    --experimental-test-coverage \
    --test-coverage-exclude='**/*.test.ts' --test-coverage-exclude='**/testing/**' \
    --test-coverage-exclude='**/node_modules/**' --test-coverage-exclude='**/e2e/**' \
    --test-reporter=./scripts/lib/spec-reporter.ts --test-reporter-destination=stdout \
    --test-reporter=lcov --test-reporter-destination="$lcov" \
    "${files[@]}" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local p f; p=$(grep -E '^ℹ pass [0-9]+' "$out" | tail -1 | awk '{print $3}'); f=$(grep -E '^ℹ fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  [ -s "$lcov" ] && mapfile -t coverage < <(node scripts/lib/coverage-summary.ts "$lcov")
  return "$rc"
}
run_pg() {
  local out=.tools/test-logs/pg.log url_file=.tools/test-logs/pg-url pg_pid rc=1
  # The broker's tests a second time, on PostgreSQL (BECKON_TEST_STORAGE=postgres): one throwaway
  # cluster for the run, a fresh database per test broker. Storage's own tests are left out: the
  # contract suite runs on both backends in `unit` already, the rest are one backend's. So are the
  # cluster's: they start their own PostgreSQL and Redis in `unit`, whatever this run says.
  # Two files at a time, as in `unit`: each test broker has a database of its own.
  mapfile -t files < <(git ls-files -co --exclude-standard -- 'apps/broker/src/**.test.ts' |
    grep -v -e '/storage/' -e '/cluster/' | sort -u)
  rm -f "$url_file"
  node apps/broker/src/testing/postgres-cli.ts >"$url_file" &
  pg_pid=$!
  for _ in $(seq 200); do [ -s "$url_file" ] && break; sleep 0.1; done
  if [ -s "$url_file" ]; then
    BECKON_TEST_STORAGE=postgres BECKON_TEST_PG_ADMIN_URL="$(head -1 "$url_file")" \
      node --test --test-concurrency=2 --test-timeout=300000 "${files[@]}" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
  else
    echo "the test PostgreSQL did not start"
  fi
  kill "$pg_pid" 2>/dev/null; wait "$pg_pid" 2>/dev/null; rm -f "$url_file"
  local p f; p=$(grep -E '^ℹ pass [0-9]+' "$out" | tail -1 | awk '{print $3}'); f=$(grep -E '^ℹ fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  return "$rc"
}
run_e2e() {
  local out=.tools/test-logs/e2e.log
  # Chromium runs headed on a virtual X display: real screen capture needs it.
  xvfb-run -a -s "-screen 0 1280x720x24 -nolisten tcp" playwright test 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local p f; p=$(grep -Eo '^ +[0-9]+ passed' "$out" | tail -1 | awk '{print $1}'); f=$(grep -Eo '^ +[0-9]+ failed' "$out" | tail -1 | awk '{print $1}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  return "$rc"
}

for s in "${suites[@]}"; do
  note "$s"
  start=$(date +%s)
  if "run_$s"; then results+=("$s: ok ($(( $(date +%s) - start ))s)"); else results+=("$s: FAILED"); status=1; fi
done

note summary
printf '  %s\n' "${results[@]}"
[ ${#coverage[@]} -gt 0 ] && { echo "  unit coverage (information, no threshold):"; printf '    %s\n' "${coverage[@]}"; }
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "tests: $passed passed, $failed failed"
exit "$status"
