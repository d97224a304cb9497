#!/usr/bin/env bash
# sdk_example_out_of_tree: proves a plugin can be written, built and tested
# out of tree against the *installed* SDK, and then loaded and run by the
# real nebula-pool.
#
#   (a) cmake --install <build> --prefix <work>/prefix
#   (b) configure + build sdk/examples/hello_processor with
#       -DCMAKE_PREFIX_PATH=<prefix> (and HELLO_BUILD_TESTS=ON), run its
#       mock-host GoogleTests with ctest
#   (c) nebula-pool plugins -d <example plugins> --json lists it, with the
#       ABI of the installed SDK header
#   (d) nebula-pool validate: a good pipeline exits 0; a bad config exits
#       non-zero with file:line:col messages
#   (e) nebula-pool run: the fake transport feeds records, the example's
#       insight shows up at GET /api/v1/pool/insights?topic=example, SIGTERM
#       exits 0
#
# Everything happens under --work (wiped first, kept afterwards for a look).
set -euo pipefail
umask 022  # the host refuses plugin files or folders writable by others

pool="" build_dir="" example="" test_plugins="" work=""
cmake_bin=cmake ctest_bin=ctest generator=Ninja cxx="" curl_bin=curl
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pool) pool=$2 ;;
    --build-dir) build_dir=$2 ;;
    --example) example=$2 ;;
    --test-plugins) test_plugins=$2 ;;
    --work) work=$2 ;;
    --cmake) cmake_bin=$2 ;;
    --ctest) ctest_bin=$2 ;;
    --generator) generator=$2 ;;
    --cxx) cxx=$2 ;;
    --curl) curl_bin=$2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift 2
done

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  echo "(work dir kept: $work)" >&2
  exit 1
}
# Prints a log file and fails.
fail_with_log() {
  local what=$1 file=$2
  echo "---- $file" >&2
  tail -n 80 "$file" >&2 || true
  fail "$what"
}
have_jq() { command -v jq >/dev/null 2>&1; }

for required in pool build_dir example test_plugins work; do
  [[ -n "${!required}" ]] || { echo "missing --${required//_/-}" >&2; exit 2; }
done
[[ -x "$pool" ]] || fail "$pool is not built (build the default 'all' target before running ctest)"
[[ -f "$test_plugins/libnebula_test_fake_transport.so" ]] ||
  fail "the test plugins are not built in $test_plugins (build the default 'all' target first)"

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
prefix=$work/prefix
example_build=$work/example-build
run_dir=$work/run
mkdir -p "$run_dir"

pool_pid=""
cleanup() {
  if [[ -n "$pool_pid" ]] && kill -0 "$pool_pid" 2>/dev/null; then
    kill -KILL "$pool_pid" 2>/dev/null || true
    wait "$pool_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- (a)
step "(a) cmake --install $build_dir --prefix $prefix"
"$cmake_bin" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  fail_with_log "cmake --install failed" "$work/install.log"
sdk_config=$(find "$prefix" -name NebulaSDKConfig.cmake -print -quit)
[[ -n "$sdk_config" ]] || fail "no NebulaSDKConfig.cmake under $prefix"
for f in include/nebula/nebula_plugin.h include/nebula/plugin.hpp include/nebula/testing/mock_host.hpp bin/nebula-pool; do
  [[ -e "$prefix/$f" ]] || fail "$f was not installed under $prefix"
done
sdk_dir=$(dirname "$sdk_config")
for f in NebulaSDKConfigVersion.cmake NebulaSDKTargets.cmake NebulaPlugin.cmake nebula_plugin.map; do
  [[ -f "$sdk_dir/$f" ]] || fail "$f missing from $sdk_dir"
done

# ---------------------------------------------------------------- (b)
step "(b) build $example against the installed SDK"
configure_args=(-S "$example" -B "$example_build" -G "$generator"
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DCMAKE_PREFIX_PATH="$prefix"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DHELLO_BUILD_TESTS=ON)
[[ -n "$cxx" ]] && configure_args+=(-DCMAKE_CXX_COMPILER="$cxx")
"$cmake_bin" "${configure_args[@]}" >"$work/example-configure.log" 2>&1 ||
  fail_with_log "configuring the example failed" "$work/example-configure.log"
# It must have found the SDK we just installed, not a source tree or another copy.
found_sdk=$(sed -n 's/^NebulaSDK_DIR:[A-Z]*=//p' "$example_build/CMakeCache.txt")
[[ "$found_sdk" == "$prefix"/* ]] || fail "the example found NebulaSDK in '$found_sdk', not under $prefix"
sdk_source_include=$(cd "$example/../.." && pwd)/include
if [[ -f "$example_build/build.ninja" ]] && grep -qF -- "$sdk_source_include" "$example_build/build.ninja"; then
  fail "the example compiles against $sdk_source_include, not the installed headers"
fi
"$cmake_bin" --build "$example_build" --parallel 2 >"$work/example-build.log" 2>&1 ||
  fail_with_log "building the example failed" "$work/example-build.log"
plugin_dir=$example_build/plugins
plugin_file=$plugin_dir/libhello_processor.so
[[ -f "$plugin_file" ]] || fail "no $plugin_file after the build"
if command -v nm >/dev/null 2>&1; then
  exported=$(nm -D --defined-only "$plugin_file" | awk '$2 ~ /^[TDBVWRi]$/ {print $3}' | sort -u | tr '\n' ' ')
  [[ "$exported" == "nebula_plugin_entry " ]] || fail "the plugin exports more than nebula_plugin_entry: $exported"
fi
[[ -x "$example_build/hello_processor_test" ]] ||
  fail "the example's mock-host test was not built (HELLO_BUILD_TESTS=ON, GoogleTest found?)"

step "(b) the example's own tests (mock host, out of tree)"
"$ctest_bin" --test-dir "$example_build" --output-on-failure >"$work/example-ctest.log" 2>&1 ||
  fail_with_log "the example's tests failed" "$work/example-ctest.log"
grep -q "100% tests passed" "$work/example-ctest.log" || fail_with_log "the example's tests did not all pass" "$work/example-ctest.log"

# ---------------------------------------------------------------- (c)
step "(c) nebula-pool plugins -d $plugin_dir --json"
# The ABI the example was built for: the installed header's.
abi=$(awk '/#define NEBULA_ABI_MAJOR/ {M=$3} /#define NEBULA_ABI_MINOR/ {m=$3} END {print M "." m}' \
  "$prefix/include/nebula/nebula_plugin.h")
"$pool" plugins -d "$plugin_dir" --json >"$work/plugins.json" 2>"$work/plugins.err" ||
  fail_with_log "nebula-pool plugins failed" "$work/plugins.err"
if have_jq; then
  jq -e '.plugins[] | select(.id == "org.example.latency_watch" and .abi == "'"$abi"'" and .kind == "processor"
         and (.capabilities | index("nebula.processor/1")))' "$work/plugins.json" >/dev/null ||
    fail_with_log "org.example.latency_watch (processor, abi $abi) not listed" "$work/plugins.json"
  [[ $(jq '.refused | length' "$work/plugins.json") == 0 ]] || fail_with_log "a plugin was refused" "$work/plugins.json"
else
  grep -q '"id": "org.example.latency_watch"' "$work/plugins.json" &&
    grep -q "\"abi\": \"$abi\"" "$work/plugins.json" ||
    fail_with_log "org.example.latency_watch with abi $abi not listed" "$work/plugins.json"
fi

# ---------------------------------------------------------------- (d)
now=$(date +%s)
# Two fake transports (one payload = one node) feed the example processor.
# threshold_ms comes from the environment: in block style, so it stays a number.
cat >"$run_dir/pipeline.yaml" <<EOF
plugins:
  paths: ["$plugin_dir", "$test_plugins"]
state_dir: state
log_level: info
admin: {port: 0}
shutdown: {timeout_ms: 20000}
pool: {batch_max_records: 100, batch_max_wait_ms: 50}
components:
  - id: feed_fast
    plugin: nebula.test.fake_transport
    config:
      repeat: 5
      payload: {node_id: fast-1, data_batch: [{timestamp: $now, seq: 1, chain_id: testnet, network: {average_latency: 40}}, {timestamp: $now, seq: 2, chain_id: testnet, network: {average_latency: 60}}]}
  - id: feed_slow
    plugin: nebula.test.fake_transport
    config:
      repeat: 5
      payload: {node_id: slow-1, data_batch: [{timestamp: $now, seq: 1, chain_id: testnet, network: {average_latency: 400}}, {timestamp: $now, seq: 2, chain_id: testnet, network: {average_latency: 500}}]}
  - id: latency
    plugin: org.example.latency_watch
    inputs: [feed_fast, feed_slow]
    config:
      threshold_ms: \${HELLO_THRESHOLD_MS:-250}
      min_samples: 1
EOF

step "(d) nebula-pool validate (good pipeline)"
HELLO_THRESHOLD_MS=250 "$pool" validate -c "$run_dir/pipeline.yaml" >"$work/validate-good.log" 2>&1 ||
  fail_with_log "validate rejected the good pipeline" "$work/validate-good.log"

step "(d) nebula-pool validate (bad config)"
cat >"$run_dir/bad.yaml" <<EOF
plugins:
  paths: ["$plugin_dir", "$test_plugins"]
components:
  - id: feed
    plugin: nebula.test.fake_transport
  - id: latency
    plugin: org.example.latency_watch
    inputs: [feed]
    config:
      treshold_ms: 250
      threshold_ms: -5
EOF
set +e
"$pool" validate -c "$run_dir/bad.yaml" >"$work/validate-bad.log" 2>&1
bad_rc=$?
set -e
[[ $bad_rc -ne 0 ]] || fail_with_log "validate accepted a bad config" "$work/validate-bad.log"
typo_line=$(grep -n 'treshold_ms:' "$run_dir/bad.yaml" | cut -d: -f1)
bad_line=$(grep -n 'threshold_ms: -5' "$run_dir/bad.yaml" | cut -d: -f1)
grep -qF "$run_dir/bad.yaml:$typo_line:7: component 'latency' config /treshold_ms: unknown key 'treshold_ms'" \
  "$work/validate-bad.log" || fail_with_log "no file:line:col message for the unknown key" "$work/validate-bad.log"
grep -qF "$run_dir/bad.yaml:$bad_line:7: component 'latency' config /threshold_ms: must be greater than 0, got -5" \
  "$work/validate-bad.log" || fail_with_log "no file:line:col message for the bad threshold" "$work/validate-bad.log"

# ---------------------------------------------------------------- (e)
step "(e) nebula-pool run"
HELLO_THRESHOLD_MS=250 "$pool" run -c "$run_dir/pipeline.yaml" >"$run_dir/pool.log" 2>&1 &
pool_pid=$!
endpoints=$run_dir/state/endpoints.json
for _ in $(seq 1 300); do
  [[ -f "$endpoints" ]] && break
  kill -0 "$pool_pid" 2>/dev/null || fail_with_log "nebula-pool exited before it was ready" "$run_dir/pool.log"
  sleep 0.1
done
[[ -f "$endpoints" ]] || fail_with_log "no $endpoints within 30 s" "$run_dir/pool.log"
if have_jq; then
  port=$(jq -r '.admin.port' "$endpoints")
else
  port=$(tr -d ' \n' <"$endpoints" | sed -n 's/.*"admin":{[^}]*"port":\([0-9]*\).*/\1/p')
fi
[[ "$port" =~ ^[0-9]+$ && "$port" -gt 0 ]] || fail_with_log "no admin port in $endpoints" "$endpoints"
api=http://127.0.0.1:$port
get() { "$curl_bin" -sS --max-time 5 "$api$1"; }

# Batches are cut every 50 ms: poll (bounded) until the slow node is flagged.
insights=$work/insights.json
flagged=no
for _ in $(seq 1 150); do
  if get "/api/v1/pool/insights?topic=example&limit=100" >"$insights" 2>/dev/null; then
    if have_jq; then
      jq -e '[.insights[] | select(.topic == "example" and .source == "latency")
              | .data.flagged[] | select(.node_id == "slow-1" and .chain_id == "testnet")] | length > 0' \
        "$insights" >/dev/null 2>&1 && flagged=yes
    else
      grep -q '"source": *"latency"' "$insights" && grep -q '"node_id": *"slow-1"' "$insights" && flagged=yes
    fi
  fi
  [[ $flagged == yes ]] && break
  kill -0 "$pool_pid" 2>/dev/null || fail_with_log "nebula-pool died while running" "$run_dir/pool.log"
  sleep 0.2
done
[[ $flagged == yes ]] || { cat "$insights" >&2 || true; fail_with_log "no insight flagging slow-1 on topic 'example'" "$run_dir/pool.log"; }
if have_jq; then
  # The fast node (mean 50 ms) is never above the 250 ms threshold.
  jq -e '[.insights[].data.flagged[] | select(.node_id == "fast-1")] | length == 0' "$insights" >/dev/null ||
    fail_with_log "fast-1 was flagged" "$insights"
fi
get /metrics >"$work/metrics.txt"
grep -q 'nebula_component_records_total{component="latency"}' "$work/metrics.txt" ||
  fail_with_log "the example's 'records' counter is not in /metrics" "$work/metrics.txt"
get /api/v1/plugins >"$work/plugins-api.json"
grep -q 'org.example.latency_watch' "$work/plugins-api.json" || fail_with_log "not in /api/v1/plugins" "$work/plugins-api.json"

step "(e) SIGTERM"
kill -TERM "$pool_pid"
for _ in $(seq 1 300); do
  kill -0 "$pool_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pool_pid" 2>/dev/null && fail_with_log "nebula-pool still running 30 s after SIGTERM" "$run_dir/pool.log"
rc=0
wait "$pool_pid" || rc=$?
pool_pid=""
[[ $rc -eq 0 ]] || fail_with_log "nebula-pool exited with $rc after SIGTERM" "$run_dir/pool.log"
grep -q "shutdown complete" "$run_dir/pool.log" || fail_with_log "no 'shutdown complete' in the log" "$run_dir/pool.log"

echo "PASS: org.example.latency_watch built out of tree, tested with the mock host, listed, validated and run"
