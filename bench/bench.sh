# Benchmarks of the local platform, sourced by ./dev for `./dev bench …` (they use its functions: cmd_up, start_service,
# cmd_account…). Not part of the tests. What each prints and its goals: docs/benchmarks.md.
# shellcheck shell=bash

# P4: /file/info through the gateway vs straight to file-service with a valid internal JWT, 32 connections (wrk,
# Debian's package, installed when missing). The gateway's rate limits are lifted for the run (they would measure the
# limiter, not the path) and restored afterwards. RSS of both processes is sampled under load.
cmd_bench_p4() {
  command -v wrk >/dev/null || { fh_log "installing wrk (Debian package)"; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
  cmd_up >/dev/null
  FH_GATEWAY_UNLIMITED=1 cmd_restart gateway >/dev/null
  local account token id file jwt duration="${1:-15}"
  account="$(cmd_account create --tenant demo --username "p4-$(date +%s%N)" --package paid)"
  token="$(curl -fsS "$GATEWAY_URL/api/v2/authorize" --data-urlencode "key1=$(jq_field "$account" key1)" \
    --data-urlencode "key2=$(jq_field "$account" key2)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')"
  id="$(jq_field "$account" account_id)"
  file="$(printf 'p4 %s' "$RANDOM" | curl -fsS "$GATEWAY_URL/api/v2/file/upload" -F "access_token=$token" \
    -F "account_id=$id" -F "upload_file=@-;filename=p4.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["file_id"])')"
  jwt="$(curl -fsS "$AUTH_URL/internal/introspect" -H "X-Tenant-Id: 1" --data-urlencode "access_token=$token" \
    --data-urlencode "account_id=$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jwt"])')"
  local script="$FH_REPO/bench/wrk/post-form.lua" out_gw out_direct rss
  run_wrk() { # run_wrk URL BODY HEADERS -> wrk output; samples RSS of gateway and file-service meanwhile
    local url="$1"
    BODY="$2" HEADERS="$3" wrk -t2 -c32 -d5s -s "$script" "$url" >/dev/null # warm-up (JIT)
    BODY="$2" HEADERS="$3" wrk -t2 -c32 "-d${duration}s" --latency -s "$script" "$url" &
    local wpid=$!
    sleep $((duration / 2))
    rss="gateway $(($(ps -o rss= -p "$(fh_read_pid "$FH_RUN/gateway.pid")") / 1024)) MiB, file-service \
$(($(ps -o rss= -p "$(fh_read_pid "$FH_RUN/file-service.pid")") / 1024)) MiB"
    wait $wpid
    echo "RSS under load: $rss"
  }
  fh_log "P4: /file/info, 32 connections, ${duration} s each (after a 5 s warm-up)"
  out_direct="$(run_wrk "http://127.0.0.1:8082/api/v2/file/info" "file_id=$file" \
    "Authorization: Bearer $jwt|X-Tenant-Id: 1|X-Tenant-Time-Zone: UTC|X-Public-Base-Url: $GATEWAY_URL|X-Client-Ip: 127.0.0.1")"
  out_gw="$(run_wrk "$GATEWAY_URL/api/v2/file/info" "access_token=$token&account_id=$id&file_id=$file" "")"
  cmd_restart gateway >/dev/null
  printf '%s\n' "--- straight to file-service (internal JWT)" "$out_direct" "--- through the gateway" "$out_gw"
  python3 "$FH_REPO/bench/wrk/p4_figures.py" "$out_direct" "$out_gw"
}

# P7: each service's start-to-ready time in JVM mode, one service at a time on an otherwise idle platform: the
# process is started and /q/health/ready polled every 50 ms. Measured with the AOT cache (as ./dev starts them) and
# without it (FH_NO_AOT), each the median of three starts.
cmd_bench_start() {
  cmd_up >/dev/null
  local name mode run t0 ms line results=()
  for name in $(service_names); do
    for mode in aot plain; do
      local times=()
      for run in 1 2 3; do
        fh_stop "$name" >/dev/null
        t0=$(date +%s%N)
        if [[ "$mode" == plain ]]; then FH_NO_AOT=1 start_service "$name" >/dev/null; else start_service "$name" >/dev/null; fi
        until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$(health_port "$name")/q/health/ready" 2>/dev/null; do
          sleep 0.05
        done
        ms=$((($(date +%s%N) - t0) / 1000000))
        line="$(grep -o 'started in [0-9.]*s' "$FH_LOGS/$name.log" | tail -n1)"
        times+=("$ms")
        fh_log "$name ($mode, start $run): ready after $ms ms (Quarkus: $line)"
      done
      IFS=$'\n' read -r -d '' -a sorted < <(printf '%s\n' "${times[@]}" | sort -n && printf '\0') || true
      results+=("$(printf '%-15s %-6s median %5d ms (runs: %s)' "$name" "$mode" "${sorted[1]}" "${times[*]}")")
    done
    # leave the service as ./dev runs it (with its cache), so a training run is not left half-done
    fh_stop "$name" >/dev/null
    start_service "$name" >/dev/null
    wait_ready "$name"
  done
  printf '\nP7 start → ready (process start to /q/health/ready = 200; goal <= 2000 ms):\n'
  printf '  %s\n' "${results[@]}"
}

jq_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

cmd_bench() {
  if [[ "${1:-}" == "p4" ]]; then shift; cmd_bench_p4 "$@"; return; fi
  if [[ "${1:-}" == "start" ]]; then shift; cmd_bench_start "$@"; return; fi
  cmd_up >/dev/null
  local cp_file="$FH_REPO/bench/target/bench.classpath" bench_opts=() # per worktree: its pom's dependencies
  # Compiled here too (./dev up builds only when a service has to start, and would leave an edited Bench stale), but
  # only when the bench changed: the Maven lock may be held by a long build.
  if [[ ! -s "$cp_file" || -n "$(find "$FH_REPO/bench/pom.xml" "$FH_REPO/bench/src" -newer "$cp_file" -type f -print -quit)" \
    || ! -d "$FH_REPO/bench/target/classes/io" ]]; then
    fh_mvn -B -q -ntp -pl bench compile dependency:build-classpath "-Dmdep.outputFile=$cp_file" >/dev/null
  fi
  read -r -a bench_opts <<<"${FH_BENCH_OPTS:-}"
  fh_log "benchmark: everything on 127.0.0.1; services run with the heaps ./dev gives them (gateway, file-service -Xmx256m)"
  "$JAVA_HOME/bin/java" -Xmx256m "${bench_opts[@]}" -cp "$FH_REPO/bench/target/classes:$(cat "$cp_file")" \
    "-Dfh.state=$FH_STATE" "-Dfh.repo=$FH_REPO" io.filehost.bench.Bench "$@"
}
