#!/usr/bin/env bash
# Local infrastructure as plain processes (no Docker): PostgreSQL (Debian package), a single-node Kafka broker in KRaft
# mode (Apache Kafka jars from Maven Central) and S3Proxy (Maven Central). Installs what is missing, idempotently.
#
# Usage: deploy/local/infra.sh up|down|status|up-pg|up-kafka|up-s3|down-pg|down-kafka|down-s3|topics [TopicCommand args]
#        deploy/local/infra.sh dlq-replay <topic>
#   up       starts all three and waits until each answers; a rerun while up takes a fraction of a second
#   down     stops what this script started (PostgreSQL only if it was started here)
#   status   one line each: name, running/stopped, pid, port; exit 1 if anything is stopped
#   topics   runs Kafka's TopicCommand against the local broker (default: --list)
#   dlq-replay <topic>  writes the records of <topic>.dlq not replayed before back to <topic> (ReplayDlq.java)
# Env: FH_STATE (state folder), FH_WAIT_TIMEOUT (seconds to wait for each service, default 90).
#
# State: $FH_STATE (default <repo>/.local): logs in logs/<name>.log, pids in run/<name>.pid, Kafka and S3Proxy jars,
# config and data in kafka/ and s3proxy/. Everything listens on 127.0.0.1 only.
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOCAL_DIR="$FH_REPO/deploy/local"
LOCAL_DIR_REL="deploy/local"    # fh_mvn runs from the repo root

PG_ROLE="${FH_PG_USER:-filehost}"
PG_PASSWORD="${FH_PG_PASSWORD:-filehost}"
PG_DATABASES=(auth files folders imports auth_test files_test folders_test imports_test)
PG_PLATFORM_DATABASES=(auth files folders imports)    # the running platform's; *_test ones are cleaned by each test run
PG_DATABASES_OWNER="$FH_STATE/postgresql-databases"
PG_MIN_MAX_CONNECTIONS=300    # several Quarkus services and test JVMs share one server
PG_MARKER="$FH_RUN/postgresql.started-by-us"

KAFKA_DIR="$FH_STATE/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_TOOLS="$KAFKA_DIR/tools"
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_CONFIG="$KAFKA_DIR/server.properties"
KAFKA_LOG="$FH_LOGS/kafka.log"
KAFKA_TOOLS_LOG4J="$LOCAL_DIR/kafka/log4j2-tools.properties"
TOPICS_FILE="$LOCAL_DIR/topics.txt"

S3_VERSION=4.1.0
S3_DIR="$FH_STATE/s3proxy"
S3_JAR="$S3_DIR/s3proxy-$S3_VERSION-jar-with-dependencies.jar"
S3_PORT=9000
S3_IDENTITY="${FH_S3_ACCESS_KEY:-filehost}"
S3_CREDENTIAL="${FH_S3_SECRET_KEY:-filehost-secret}"
S3_LOG="$FH_LOGS/s3proxy.log"

WAIT_TIMEOUT="${FH_WAIT_TIMEOUT:-90}"

# ---------------------------------------------------------------------------------------------------------------- PG

pg_installed() {
  command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null \
    && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

pg_install() {
  pg_installed && return 0
  local log="$FH_LOGS/apt-postgresql.log"
  fh_log "installing PostgreSQL with apt-get (log: $log)"
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >>"$log" 2>&1; then
    fh_show_log_tail "$log"
    fh_die "apt-get install postgresql failed"
  fi
  pg_installed || fh_die "postgresql installed but pg_ctlcluster/postgres still missing"
  # The package's postinst may have started the cluster itself; it is ours to stop all the same.
  PG_INSTALLED_NOW=1
}

# Sets PG_VERSION, PG_PORT, PG_STATUS and PG_DATADIR for cluster "main" (newest major if there are several).
pg_read_cluster() {
  PG_VERSION="$(pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main" { print $1 }' | sort -V | tail -n1)"
  if [[ -z "$PG_VERSION" ]]; then
    local newest
    newest="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
    [[ -n "$newest" ]] || fh_die "no PostgreSQL server version under /usr/lib/postgresql"
    fh_log "creating PostgreSQL cluster $newest/main"
    pg_createcluster "$newest" main >/dev/null
    PG_VERSION="$newest"
  fi
  local line
  line="$(pg_lsclusters --no-header "$PG_VERSION" main)"
  read -r _ _ PG_PORT PG_STATUS _ PG_DATADIR _ <<<"$line"
}

pg_wait_ready() {
  local deadline=$((SECONDS + WAIT_TIMEOUT))
  until pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
    if ((SECONDS >= deadline)); then
      fh_show_log_tail "/var/log/postgresql/postgresql-$PG_VERSION-main.log"
      fh_die "PostgreSQL $PG_VERSION/main not ready on 127.0.0.1:$PG_PORT within ${WAIT_TIMEOUT}s"
    fi
    sleep 0.3
  done
}

pg_psql() {
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@")
}

pg_ctl() {
  local rc=0
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main "$@" || rc=$?
  return "$rc"
}

up_pg() {
  PG_INSTALLED_NOW=0
  pg_install
  pg_read_cluster
  ln -sfn "/var/log/postgresql/postgresql-$PG_VERSION-main.log" "$FH_LOGS/postgresql.log"
  [[ "$PG_PORT" == 5432 ]] || fh_log "WARNING: PostgreSQL $PG_VERSION/main listens on port $PG_PORT, not 5432"

  if [[ "$PG_STATUS" == online* ]]; then
    if [[ "$PG_INSTALLED_NOW" == 1 ]]; then echo "$PG_VERSION" >"$PG_MARKER"; fi
  else
    local rc=0
    pg_ctl start || rc=$?
    case "$rc" in
      0) echo "$PG_VERSION" >"$PG_MARKER"; fh_log "PostgreSQL $PG_VERSION/main started" ;;
      2) ;;    # already running
      *) fh_show_log_tail "/var/log/postgresql/postgresql-$PG_VERSION-main.log"
         fh_die "pg_ctlcluster $PG_VERSION main start failed (exit $rc)" ;;
    esac
  fi
  pg_wait_ready

  # One query tells what is missing, so a rerun costs a single psql.
  local in_list state max_conn role_exists existing_dbs
  in_list="$(printf "'%s'," "${PG_DATABASES[@]}")"
  state="$(pg_psql -At -c "select current_setting('max_connections') || '|' ||
      (select count(*) from pg_roles where rolname = '$PG_ROLE') || '|' ||
      coalesce((select string_agg(datname, ',') from pg_database where datname in (${in_list%,})), '')")"
  IFS='|' read -r max_conn role_exists existing_dbs <<<"$state"

  if [[ "$role_exists" == 0 ]]; then
    fh_log "creating PostgreSQL role $PG_ROLE"
    pg_psql -c "create role \"$PG_ROLE\" login password '$PG_PASSWORD'"
  fi
  local db sql=""
  # The platform's databases belong to one state folder, like the Kafka and S3Proxy data inside it: a new state folder
  # (a fresh clone, `rm -rf .local`) starts them empty as well. Otherwise rows would name objects and events that no
  # longer exist (a file whose stored object is gone). The cluster itself is shared by every checkout on the machine.
  if [[ ! -f "$PG_DATABASES_OWNER" && -n "$existing_dbs" ]]; then
    fh_log "new state folder: recreating the platform databases (${PG_PLATFORM_DATABASES[*]})"
    for db in "${PG_PLATFORM_DATABASES[@]}"; do
      sql+="drop database if exists \"$db\" with (force);"$'\n'
      existing_dbs="$(printf '%s' ",$existing_dbs," | sed "s/,$db,/,/g; s/^,//; s/,$//")"
    done
    pg_psql <<<"$sql"
    sql=""
  fi
  for db in "${PG_DATABASES[@]}"; do
    [[ ",$existing_dbs," == *",$db,"* ]] && continue
    sql+="create database \"$db\" owner \"$PG_ROLE\";"$'\n'
  done
  if [[ -n "$sql" ]]; then
    fh_log "creating databases: $(printf '%s' "$sql" | sed -n 's/create database "\([^"]*\)".*/\1/p' | paste -sd' ')"
    pg_psql <<<"$sql"    # psql runs each stdin statement on its own (create database refuses a transaction)
  fi
  printf 'the platform databases %s belong to this state folder\n' "${PG_PLATFORM_DATABASES[*]}" >"$PG_DATABASES_OWNER"

  if ((max_conn < PG_MIN_MAX_CONNECTIONS)); then
    fh_log "raising max_connections $max_conn -> $PG_MIN_MAX_CONNECTIONS (restarts PostgreSQL)"
    pg_psql -c "alter system set max_connections = $PG_MIN_MAX_CONNECTIONS"
    pg_ctl restart || fh_die "pg_ctlcluster $PG_VERSION main restart failed"
    pg_wait_ready
  fi
  fh_log "PostgreSQL $PG_VERSION/main ready on 127.0.0.1:$PG_PORT"
}

down_pg() {
  if [[ ! -f "$PG_MARKER" ]]; then
    fh_log "PostgreSQL left as it is: this script did not start it"
    return 0
  fi
  command -v pg_ctlcluster >/dev/null || { rm -f "$PG_MARKER"; return 0; }
  PG_VERSION="$(<"$PG_MARKER")"
  local rc=0
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop || rc=$?
  # exit 2: it was not running
  [[ "$rc" == 0 || "$rc" == 2 ]] || fh_die "pg_ctlcluster $PG_VERSION main stop failed (exit $rc)"
  rm -f "$PG_MARKER"
  fh_log "PostgreSQL $PG_VERSION/main stopped"
}

# ------------------------------------------------------------------------------------------------------------- Kafka

# fetch_jars pom-dir target-dir: copies that pom's runtime dependencies into target-dir, unless they are there already
# for the same pom (a stamp with the pom's checksum makes a version bump refetch).
fetch_jars() {
  local pom="$LOCAL_DIR_REL/$1/pom.xml" target="$2" sum
  sum="$(sha256sum "$FH_REPO/$pom" | cut -d' ' -f1)"
  if compgen -G "$target/*.jar" >/dev/null && [[ "$(cat "$target/.pom.sha256" 2>/dev/null)" == "$sum" ]]; then
    return 0
  fi
  fh_log "fetching jars of $pom into $target"
  rm -rf "$target.tmp"
  fh_mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$target.tmp" \
    || fh_die "could not fetch the jars of $pom"
  compgen -G "$target.tmp/*.jar" >/dev/null || fh_die "$pom: no jars copied"
  echo "$sum" >"$target.tmp/.pom.sha256"
  rm -rf "$target"
  mv "$target.tmp" "$target"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_CONFIG.tmp" <<PROPS
# Generated by deploy/local/infra.sh; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
PROPS
  mv -f "$KAFKA_CONFIG.tmp" "$KAFKA_CONFIG"
}

kafka_java() {
  "$JAVA_HOME/bin/java" -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" "$@"
}

kafka_format_storage() {
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return 0
  local cluster_id
  cluster_id="$(kafka_java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || fh_die "StorageTool random-uuid printed '$cluster_id', not a cluster id"
  fh_log "formatting Kafka storage (cluster id $cluster_id)"
  kafka_java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$KAFKA_CONFIG" \
    >>"$KAFKA_LOG" 2>&1 || { fh_show_log_tail "$KAFKA_LOG"; fh_die "Kafka storage format failed"; }
}

kafka_start() {
  if fh_is_running "$FH_RUN/kafka.pid"; then return 0; fi
  if fh_port_open 127.0.0.1 "$KAFKA_PORT"; then
    fh_log "WARNING: 127.0.0.1:$KAFKA_PORT is already served by a process this state folder did not start$(port_owner "$KAFKA_PORT"); using it"
    return 0
  fi
  fetch_jars kafka "$KAFKA_LIBS"
  kafka_write_config
  kafka_format_storage
  fh_start kafka "$KAFKA_LOG" "$JAVA_HOME/bin/java" -Xmx256m -Xms128m \
    -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2-broker.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG"
}

# Compiles deploy/local/kafka/<Name>.java once (and again when it changes); prints the classpath to run it with.
kafka_tool_classpath() {
  local name="$1" src="$LOCAL_DIR/kafka/$1.java" classes="$KAFKA_DIR/$1-classes"
  if [[ ! -f "$classes/$name.class" || "$src" -nt "$classes/$name.class" ]]; then
    rm -rf "$classes"
    mkdir -p "$classes"
    "$JAVA_HOME/bin/javac" -nowarn -cp "$KAFKA_TOOLS/*" -d "$classes" "$src" >&2 || fh_die "could not compile $src"
  fi
  printf '%s' "$KAFKA_TOOLS/*:$classes"
}

kafka_wait() {
  local pidfile="" broker_id
  fh_is_running "$FH_RUN/kafka.pid" && pidfile="$FH_RUN/kafka.pid"
  fh_wait_port 127.0.0.1 "$KAFKA_PORT" "$WAIT_TIMEOUT" kafka "$KAFKA_LOG" $pidfile

  # Topics: skip the JVM when this very broker process already got this very topics file.
  broker_id="$(fh_read_pid "$FH_RUN/kafka.pid" || true):$(sha256sum "$TOPICS_FILE" | cut -d' ' -f1)"
  if [[ -n "$pidfile" && "$(cat "$KAFKA_DIR/topics.applied" 2>/dev/null)" == "$broker_id" ]]; then
    fh_log "Kafka ready on 127.0.0.1:$KAFKA_PORT (topics already created for this broker process)"
    return 0
  fi
  fetch_jars kafka-tools "$KAFKA_TOOLS"
  local cp out
  cp="$(kafka_tool_classpath EnsureTopics)"
  if ! out="$(kafka_java -cp "$cp" EnsureTopics "127.0.0.1:$KAFKA_PORT" "$TOPICS_FILE" "$WAIT_TIMEOUT" 2>&1)"; then
    printf '%s\n' "$out" >&2
    fh_show_log_tail "$KAFKA_LOG"
    fh_die "Kafka broker on 127.0.0.1:$KAFKA_PORT did not answer, or topics could not be created"
  fi
  fh_log "Kafka ready on 127.0.0.1:$KAFKA_PORT; $(printf '%s' "$out" | tail -n1)"
  if [[ -n "$pidfile" ]]; then echo "$broker_id" >"$KAFKA_DIR/topics.applied"; fi
}

kafka_dlq_replay() {
  [[ $# -eq 1 ]] || fh_die "usage: dlq-replay <topic>   (e.g. folder.events: replays folder.events.dlq)"
  fetch_jars kafka-tools "$KAFKA_TOOLS"
  kafka_java -cp "$(kafka_tool_classpath ReplayDlq)" ReplayDlq "127.0.0.1:$KAFKA_PORT" "$1"
}

kafka_topics() {
  fetch_jars kafka-tools "$KAFKA_TOOLS"
  [[ $# -gt 0 ]] || set -- --list
  kafka_java -cp "$KAFKA_TOOLS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" "$@"
}

# ----------------------------------------------------------------------------------------------------------- S3Proxy

s3_start() {
  if fh_is_running "$FH_RUN/s3proxy.pid"; then return 0; fi
  if fh_port_open 127.0.0.1 "$S3_PORT"; then
    fh_log "WARNING: 127.0.0.1:$S3_PORT is already served by a process this state folder did not start$(port_owner "$S3_PORT"); using it"
    return 0
  fi
  if [[ ! -s "$S3_JAR" ]]; then
    fh_log "fetching S3Proxy $S3_VERSION into $S3_DIR"
    fh_mvn -B -q -f "$LOCAL_DIR_REL/s3proxy/pom.xml" dependency:copy \
      -Dartifact="org.gaul:s3proxy:$S3_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$S3_DIR" \
      || fh_die "could not fetch S3Proxy"
    [[ -s "$S3_JAR" ]] || fh_die "S3Proxy jar not found at $S3_JAR after fetching"
  fi
  mkdir -p "$S3_DIR/data"
  cat >"$S3_DIR/s3proxy.conf.tmp" <<PROPS
# Generated by deploy/local/infra.sh; edits are overwritten.
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_IDENTITY
s3proxy.credential=$S3_CREDENTIAL
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/data
PROPS
  mv -f "$S3_DIR/s3proxy.conf.tmp" "$S3_DIR/s3proxy.conf"
  fh_start s3proxy "$S3_LOG" "$JAVA_HOME/bin/java" -Xmx256m -jar "$S3_JAR" --properties "$S3_DIR/s3proxy.conf"
}

s3_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/" 2>/dev/null || true
}

s3_wait() {
  local pidfile=""
  fh_is_running "$FH_RUN/s3proxy.pid" && pidfile="$FH_RUN/s3proxy.pid"
  fh_wait_port 127.0.0.1 "$S3_PORT" "$WAIT_TIMEOUT" s3proxy "$S3_LOG" $pidfile
  local deadline=$((SECONDS + WAIT_TIMEOUT)) code
  until code="$(s3_http_code)"; [[ "$code" =~ ^[1-5][0-9][0-9]$ ]]; do
    if ((SECONDS >= deadline)); then
      fh_show_log_tail "$S3_LOG"
      fh_die "S3Proxy on 127.0.0.1:$S3_PORT accepts connections but gives no HTTP answer"
    fi
    sleep 0.2
  done
  fh_log "S3Proxy ready on http://127.0.0.1:$S3_PORT (HTTP $code for an anonymous GET /)"
}

# ------------------------------------------------------------------------------------------------------------ status

port_owner() {
  command -v ss >/dev/null || return 0
  local pid
  pid="$(ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)"
  [[ -n "$pid" ]] && printf ' (pid %s)' "$pid"
  return 0
}

status_line() {
  printf '%-11s %-8s %-8s %s\n' "$@"
}

status() {
  local all_up=0 pid state
  if command -v pg_lsclusters >/dev/null && pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main"' | grep -q .; then
    pg_read_cluster
    pid="-"; state=stopped
    if [[ "$PG_STATUS" == online* ]]; then
      state=running
      pid="$(head -n1 "$PG_DATADIR/postmaster.pid" 2>/dev/null || echo '?')"
    else
      all_up=1
    fi
    status_line postgresql "$state" "$pid" "$PG_PORT"
  else
    status_line postgresql stopped - 5432; all_up=1
  fi
  local name port
  for name in kafka s3proxy; do
    port="$KAFKA_PORT"; [[ "$name" == s3proxy ]] && port="$S3_PORT"
    if fh_is_running "$FH_RUN/$name.pid"; then
      status_line "$name" running "$(fh_read_pid "$FH_RUN/$name.pid")" "$port"
    elif fh_port_open 127.0.0.1 "$port"; then
      pid="$(port_owner "$port" | tr -dc '0-9')"
      status_line "$name" running "${pid:-?}" "$port (not started from $FH_STATE)"
    else
      status_line "$name" stopped - "$port"; all_up=1
    fi
  done
  return "$all_up"
}

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd="$1"; shift
  # One up/down at a time per state folder, or two callers (say `dev up` and `dev test`) both start a broker.
  # flock -o keeps the lock in flock itself, so the services started below do not inherit and hold it.
  case "$cmd" in
    status|topics|dlq-replay|-h|--help|help) ;;
    *)
      if [[ "${FH_INFRA_LOCKED:-}" != "$FH_STATE" ]]; then
        FH_INFRA_LOCKED="$FH_STATE" exec flock -o "$FH_RUN/infra.lock" bash "${BASH_SOURCE[0]}" "$cmd" "$@"
      fi
      ;;
  esac
  case "$cmd" in
    up|up-pg|up-kafka|up-s3|topics|dlq-replay) fh_find_java ;;
  esac
  case "$cmd" in
    up)
      up_pg
      kafka_start
      s3_start        # both JVMs boot while we wait for the first
      kafka_wait
      s3_wait
      ;;
    up-pg) up_pg ;;
    up-kafka) kafka_start; kafka_wait ;;
    up-s3) s3_start; s3_wait ;;
    down)
      fh_stop s3proxy
      fh_stop kafka
      down_pg
      ;;
    down-pg) down_pg ;;
    down-kafka) fh_stop kafka ;;
    down-s3) fh_stop s3proxy ;;
    status) status ;;
    topics) kafka_topics "$@" ;;
    dlq-replay) kafka_dlq_replay "$@" ;;
    -h|--help|help) usage ;;
    *) echo "unknown command: $cmd" >&2; usage ;;
  esac
}

main "$@"
