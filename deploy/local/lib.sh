# shellcheck shell=bash
# Helpers shared by deploy/local/infra.sh and the top-level `dev` script. Source it; do not run it.
#
# Every process started through fh_start runs in its own session (setsid), logs to $FH_LOGS/<name>.log and has its pid
# in $FH_RUN/<name>.pid. It also carries FH_PROC=<name>@<state folder> in its environment, so a pid file left over from
# before a reboot never makes us treat (or kill) an unrelated process that happens to reuse the pid.

set -euo pipefail

FH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
FH_STATE="${FH_STATE:-$FH_REPO/.local}"
mkdir -p "$FH_STATE"
FH_STATE="$(cd "$FH_STATE" && pwd -P)"
FH_LOGS="$FH_STATE/logs"
FH_RUN="$FH_STATE/run"
FH_MVN_LOCK="${FH_MVN_LOCK:-/tmp/filehost-mvn.lock}"
export FH_REPO FH_STATE FH_LOGS FH_RUN
mkdir -p "$FH_LOGS" "$FH_RUN"

fh_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fh_die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# Major version (e.g. 25) of the JDK at $1, or nothing if it is not a JDK.
fh_java_major() {
  local home="$1" version=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -r "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [[ -z "$version" ]]; then
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  fi
  version="${version#1.}"   # 1.8 -> 8
  version="${version%%[.+-]*}"
  [[ "$version" =~ ^[0-9]+$ ]] && printf '%s\n' "$version"
  return 0
}

# Picks a JDK >= 21: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm. Exports JAVA_HOME and PATH.
fh_find_java() {
  local min=21 best="" best_major=0 dir major
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(fh_java_major "$JAVA_HOME")"
    if [[ -n "$major" && "$major" -ge "$min" ]]; then
      best="$JAVA_HOME"; best_major="$major"
    fi
  fi
  if [[ -z "$best" ]]; then
    for dir in /usr/lib/jvm/*/; do
      dir="${dir%/}"
      [[ -L "$dir" ]] && continue    # Debian's compatibility symlinks duplicate real entries
      major="$(fh_java_major "$dir")"
      [[ -n "$major" && "$major" -ge "$min" && "$major" -gt "$best_major" ]] || continue
      best="$dir"; best_major="$major"
    done
  fi
  [[ -n "$best" ]] || fh_die "no JDK >= $min found (checked \$JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install -y openjdk-21-jdk-headless"
  export JAVA_HOME="$best"
  case ":$PATH:" in
    "$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
  FH_JAVA_MAJOR="$best_major"
}

# True if something accepts TCP connections on host:port.
fh_port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# fh_wait_port host port timeout_seconds name logfile [pidfile]
# Waits until host:port accepts connections; on timeout (or if the process in pidfile dies) shows the log tail and fails.
fh_wait_port() {
  local host="$1" port="$2" timeout_s="$3" name="$4" logfile="$5" pidfile="${6:-}"
  local deadline=$((SECONDS + timeout_s))
  until fh_port_open "$host" "$port"; do
    if [[ -n "$pidfile" ]] && ! fh_is_running "$pidfile"; then
      fh_show_log_tail "$logfile"
      fh_die "$name exited before $host:$port accepted connections (log: $logfile)"
    fi
    if ((SECONDS >= deadline)); then
      fh_show_log_tail "$logfile"
      fh_die "$name did not accept connections on $host:$port within ${timeout_s}s (log: $logfile)"
    fi
    sleep 0.2
  done
}

fh_show_log_tail() {
  local logfile="$1"
  if [[ -s "$logfile" ]]; then
    printf -- '----- last 40 lines of %s -----\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    printf -- '-----\n' >&2
  fi
}

# Pid stored in a pid file, or nothing.
fh_read_pid() {
  local pidfile="$1" pid=""
  [[ -r "$pidfile" ]] && read -r pid <"$pidfile" || true
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
  return 0
}

# fh_is_running pidfile: true if the pid in it is alive and is the process we started under that name.
fh_is_running() {
  local pidfile="$1" pid name
  pid="$(fh_read_pid "$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  name="$(basename "$pidfile" .pid)"
  if [[ -r "/proc/$pid/environ" ]]; then
    grep -qzxF "FH_PROC=$name@$FH_STATE" "/proc/$pid/environ" 2>/dev/null || return 1
  fi
  return 0
}

# fh_start name logfile cmd args...
# Starts cmd in the background in its own session, appending stdout+stderr to logfile; writes $FH_RUN/name.pid.
# Does nothing if that process is already running.
fh_start() {
  local name="$1" logfile="$2"; shift 2
  local pidfile="$FH_RUN/$name.pid"
  if fh_is_running "$pidfile"; then
    fh_log "$name already running (pid $(fh_read_pid "$pidfile"))"
    return 0
  fi
  rm -f "$pidfile" "$pidfile.tmp"
  mkdir -p "$(dirname "$logfile")"
  printf '\n===== %s starting %s: %s\n' "$(date '+%F %T')" "$name" "$*" >>"$logfile"
  # The started process writes its own pid: setsid forks when its caller leads a process group (job control), and then
  # $! would be the short-lived setsid, not the service.
  # Every inherited descriptor above stderr is closed first: a caller holding a lock (flock) must not pass it on to a
  # service that outlives the caller, or the lock would stay held as long as the service runs.
  FH_PROC="$name@$FH_STATE" setsid nohup bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" &&
    for fd in /proc/self/fd/*; do fd=${fd##*/}; [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@"' \
    "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$pidfile" ]] && break
    sleep 0.05
  done
  [[ -s "$pidfile" ]] || fh_die "$name did not start (log: $logfile)"
  fh_log "$name started (pid $(fh_read_pid "$pidfile"), log $logfile)"
}

# fh_stop name: TERM (to its whole session group), wait up to 60 s (an AOT training run writes its cache on the way out), then KILL; removes the pid file.
fh_stop() {
  local name="$1" pidfile="$FH_RUN/$1.pid" pid i target
  if ! fh_is_running "$pidfile"; then
    rm -f "$pidfile"
    fh_log "$name not running"
    return 0
  fi
  pid="$(fh_read_pid "$pidfile")"
  # fh_start made it a session (and group) leader: signal the group so children (e.g. of mvnw) stop too.
  target="$pid"
  if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then target="-$pid"; fi
  kill -TERM -- "$target" 2>/dev/null || true
  # Up to 60 s: a JVM on its AOT training run writes its cache after shutdown (file-service: ~25 s on 2 cores).
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    fh_log "$name (pid $pid) ignored TERM for 60 s; killing"
    kill -KILL -- "$target" 2>/dev/null || true
    for ((i = 0; i < 25; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
  fi
  rm -f "$pidfile"
  fh_log "$name stopped (was pid $pid)"
}

# Runs the repo's Maven wrapper with a JDK >= 21, one build at a time machine-wide (2 cores; parallel builds thrash and
# race on ~/.m2). Runs from the repo root: pass -f for another pom.
fh_mvn() {
  [[ -n "${FH_JAVA_MAJOR:-}" ]] || fh_find_java
  (
    cd "$FH_REPO"
    exec 9>>"$FH_MVN_LOCK"
    if ! flock -n 9; then
      fh_log "waiting for another Maven build to finish ($FH_MVN_LOCK)"
      flock 9
    fi
    ./mvnw "$@"
  )
}
