#!/usr/bin/env bash
# The agent's idle-memory benchmark (docs/benchmarks.md, section node-updater).
#
# Usage: node-updater/bench/measure-rss.sh RUNS LABEL -- AGENT COMMAND...
#
# Each run starts a fresh embedded API (BenchmarkApi, port 18443, OSNode bench-1), starts the agent
# command against it with the fake OS backend, reads VmRSS 30 s after the agent's startup (40 s
# after launch), and only then checks that the agent did its job: the OSNode's status was written,
# /q/health/ready answers 200 and /q/metrics has the agent's meters. The reading is taken before
# any request reaches the agent, so the figure is the idle one; the checks run after it. Prints
# one line per run and a summary (min, median, max). With SOAK_SECONDS=N the run goes on for N more
# seconds the way a pod lives (readiness probe every 10 s, scrape every 30 s) and VmRSS is read
# again at the end. Needs `./mvnw -o -q install -pl node-updater`
# first (the API runs from the test classes). Run from the repository root.
set -euo pipefail

runs=$1
label=$2
shift 3

api_port=18443
http_port=18081
root=$(pwd)
cp_file=node-updater/target/bench-test-classpath.txt
if [[ ! -s $cp_file ]]; then
  ./mvnw -o -q dependency:build-classpath -pl node-updater -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/$cp_file" >/dev/null
fi
api_cp="node-updater/target/test-classes:node-updater/target/classes:$(cat "$cp_file")"

results=()
loads=()
for ((i = 1; i <= runs; i++)); do
  log_dir=$(mktemp -d)
  java -Xmx256m -cp "$api_cp" dev.refit.updater.bench.BenchmarkApi "$api_port" \
    >"$log_dir/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 120); do
    grep -q "embedded API on" "$log_dir/api.log" && break
    sleep 0.5
  done

  # MALLOC_ARENA_MAX=2 as in the image, unless the caller sets another value ("unset": none).
  arena=(env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}")
  [[ ${MALLOC_ARENA_MAX-} == unset ]] && arena=(env -u MALLOC_ARENA_MAX)
  "${arena[@]}" NODE_NAME=bench-1 REFIT_AGENT_BACKEND=fake \
    KUBERNETES_MASTER=http://127.0.0.1:$api_port KUBERNETES_AUTH_TRYKUBECONFIG=false \
    KUBERNETES_NAMESPACE=default QUARKUS_HTTP_PORT=$http_port REFIT_AGENT_HTTP_PORT=$http_port \
    "$@" >"$log_dir/agent.log" 2>&1 &
  agent_pid=$!
  sleep 40

  status=/proc/$agent_pid/status
  rss=$(awk '/^VmRSS/ {print $2}' "$status")
  anon=$(awk '/^RssAnon/ {print $2}' "$status")
  file=$(awk '/^RssFile/ {print $2}' "$status")
  threads=$(awk '/^Threads/ {print $2}' "$status")

  # After the reading: did the agent do its job?
  reported=$(curl -s "http://127.0.0.1:$api_port/apis/refit.dev/v1alpha1/osnodes/bench-1" |
    grep -c '"currentRevision"' || true)
  ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/q/health/ready" || true)
  meters=$(curl -s "http://127.0.0.1:$http_port/q/metrics" | grep -c '^refit_agent_steps_total' || true)
  rss_after=$(awk '/^VmRSS/ {print $2}' "$status")
  soak=""
  if [[ ${SOAK_SECONDS:-0} -gt 0 ]]; then
    for ((t = 0; t < SOAK_SECONDS; t += 10)); do
      curl -s -o /dev/null "http://127.0.0.1:$http_port/q/health/ready" || true
      ((t % 30 == 0)) && { curl -s -o /dev/null "http://127.0.0.1:$http_port/q/metrics" || true; }
      sleep 10
    done
    soak="; after ${SOAK_SECONDS} s of probes and scrapes $(awk '/^VmRSS/ {print $2}' "$status") kB"
  fi

  kill "$agent_pid" 2>/dev/null || true
  wait "$agent_pid" 2>/dev/null || true
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true

  ok=yes
  [[ $reported -ge 1 && $ready == 200 && $meters -ge 1 ]] || ok="NO (status=$reported ready=$ready meters=$meters; logs in $log_dir)"
  [[ $ok == yes ]] && rm -rf "$log_dir"
  printf '%s run %d: VmRSS %d kB (%.1f MiB), anon %d kB, file %d kB, %d threads; after probe+scrape %d kB%s; works: %s\n' \
    "$label" "$i" "$rss" "$(echo "$rss / 1024" | bc -l)" "$anon" "$file" "$threads" "$rss_after" "$soak" "$ok"
  results+=("$rss")
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
done

sorted=($(printf '%s\n' "${results[@]}" | sort -n))
n=${#sorted[@]}
printf '%s: min %.1f MiB, median %.1f MiB, max %.1f MiB over %d runs (kB: %s; load average at each reading: %s)\n' "$label" \
  "$(echo "${sorted[0]} / 1024" | bc -l)" "$(echo "${sorted[$((n / 2))]} / 1024" | bc -l)" \
  "$(echo "${sorted[$((n - 1))]} / 1024" | bc -l)" "$n" "${sorted[*]}" "${loads[*]}"
