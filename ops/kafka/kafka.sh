#!/usr/bin/env bash
# Local Apache Kafka for development and tests: ONE real broker in KRaft mode (combined
# broker + controller, no ZooKeeper), run from Apache Kafka's official jars fetched from Maven
# Central with ops/kafka/pom.xml. No Docker needed; Java 17 and Maven are.
#
# Usage: ops/kafka/kafka.sh fetch|start|stop|status|logs [-f] [LINES]|reset
# Environment (defaults):
#   KAFKA_PORT=9092             client listener, PLAINTEXT on 127.0.0.1 (advertised as 127.0.0.1:PORT)
#   KAFKA_CONTROLLER_PORT=9093  KRaft controller listener on 127.0.0.1
#   KAFKA_DATA_DIR=<repo>/.local/kafka   config, KRaft storage, logs, pid file
#   KAFKA_HEAP=512m             maximum JVM heap (-Xmx)
#   KAFKA_START_TIMEOUT=90      seconds `start` waits for the broker to answer
#   KAFKA_SASL_SSL_PORT=        when set, also a SASL_SSL listener on 127.0.0.1:PORT (PLAIN,
#                               SCRAM-SHA-256, SCRAM-SHA-512) with a CA and broker certificate made
#                               by keytool; the client's CA file, user and password file are in
#                               <data dir>/secure/ (see ops/kafka/README.md)
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
LIB_DIR="$SCRIPT_DIR/lib"
LIB_MARKER="$LIB_DIR/.fetch-complete"
POM="$SCRIPT_DIR/pom.xml"
TEMPLATE="$SCRIPT_DIR/server.properties.template"
LOG4J_CONFIG="$SCRIPT_DIR/log4j.properties"

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_DATA_DIR=${KAFKA_DATA_DIR:-$REPO_ROOT/.local/kafka}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
KAFKA_SASL_SSL_PORT=${KAFKA_SASL_SSL_PORT:-}
# The one SASL user of the secure listener, for PLAIN and both SCRAM mechanisms.
SASL_USER=abuse-monitor

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not installed"
  done
}

check_config() {
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" ${KAFKA_SASL_SSL_PORT:+"$KAFKA_SASL_SSL_PORT"}; do
    if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
      die "invalid port: '$port'"
    fi
  done
  [[ $KAFKA_PORT != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  if [[ -n $KAFKA_SASL_SSL_PORT ]]; then
    [[ $KAFKA_SASL_SSL_PORT != "$KAFKA_PORT" && $KAFKA_SASL_SSL_PORT != "$KAFKA_CONTROLLER_PORT" ]] ||
      die "KAFKA_SASL_SSL_PORT must differ from KAFKA_PORT and KAFKA_CONTROLLER_PORT"
  fi
  [[ $KAFKA_HEAP =~ ^[0-9]+[mMgG]$ ]] || die "KAFKA_HEAP must look like 512m or 1g, got '$KAFKA_HEAP'"
  [[ $KAFKA_START_TIMEOUT =~ ^[0-9]+$ ]] || die "KAFKA_START_TIMEOUT must be a number of seconds"
  [[ $KAFKA_DATA_DIR == /* ]] || KAFKA_DATA_DIR="$PWD/$KAFKA_DATA_DIR"
  KAFKA_DATA_DIR=${KAFKA_DATA_DIR%/}
  [[ -n $KAFKA_DATA_DIR ]] || die "KAFKA_DATA_DIR must not be /"

  DATA_DIR="$KAFKA_DATA_DIR"
  STORAGE_DIR="$DATA_DIR/kraft-combined-logs"
  LOG_DIR="$DATA_DIR/logs"
  SERVER_LOG="$LOG_DIR/server.log"
  CONSOLE_LOG="$LOG_DIR/kafka.out"
  PROPS="$DATA_DIR/server.properties"
  PID_FILE="$DATA_DIR/kafka.pid"
  CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
  LOCK_FILE="$DATA_DIR/.lock"
  SECURE_DIR="$DATA_DIR/secure"
}

# ---------------------------------------------------------------------------------------- fetch

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

libs_ready() {
  [[ -f $LIB_MARKER && "$(cat "$LIB_MARKER")" == "$(pom_hash)" ]]
}

cmd_fetch() {
  libs_ready && return 0
  require_cmd mvn sha256sum flock
  mkdir -p "$LIB_DIR"
  local fd
  exec {fd}>"$LIB_DIR/.fetch.lock"
  flock -w 600 "$fd" || die "timed out waiting for another fetch to finish"
  if ! libs_ready; then
    log "fetching Kafka jars into $LIB_DIR (Maven) ..."
    # No marker = no complete fetch: start from a clean directory so no stale jar stays on the classpath.
    rm -f "$LIB_MARKER" "$LIB_DIR"/*.jar
    # -q prints only errors (and, with Maven 3.8, stray colour codes): keep it out of the way.
    if ! mvn -q -B -f "$POM" dependency:copy-dependencies \
      -DoutputDirectory="$LIB_DIR" -DincludeScope=runtime >"$LIB_DIR/.fetch.log" 2>&1; then
      cat "$LIB_DIR/.fetch.log" >&2
      die "Maven could not fetch the Kafka jars (see above)"
    fi
    compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null || die "fetch finished but kafka_2.13 jar is missing"
    pom_hash >"$LIB_MARKER"
    log "fetched $(find "$LIB_DIR" -maxdepth 1 -name '*.jar' | wc -l) jars"
  fi
  exec {fd}>&-
}

# ------------------------------------------------------------------------------------ liveness

# True when a Kafka broker answers on 127.0.0.1:$1: sends an ApiVersions v0 request over bash's
# /dev/tcp and checks that the reply carries our correlation id. Cheap (no JVM) and specific.
kafka_answers() {
  # shellcheck disable=SC2016 # $1 and ${reply} are expanded by the inner bash
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    # size=18 | api_key=18 (ApiVersions) | api_version=0 | correlation_id="KAFA" | client_id="kafka.sh"
    printf "\x00\x00\x00\x12\x00\x12\x00\x00\x4b\x41\x46\x41\x00\x08kafka.sh" >&3
    reply=$(head -c 8 <&3 | od -An -tx1 | tr -d " \n")
    [[ ${reply:8:8} == 4b414641 ]]
  ' kafka-ping "$1" 2>/dev/null
}

port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' port-check "$1" 2>/dev/null
}

# True while process $1 exists and is not a zombie (a broker that died while still our child is one).
alive() {
  local state
  state=$(ps -p "$1" -o stat= 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# Prints the pid from the pid file when that process is alive and is a Kafka broker.
broker_pid() {
  local pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  printf '%s\n' "$pid"
}

show_log_tail() {
  local f
  for f in "$CONSOLE_LOG" "$SERVER_LOG"; do
    if [[ -s $f ]]; then
      printf '\n----- last lines of %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

# -------------------------------------------------------------------------------------- start

heap_mb() {
  local n=${1%[mMgG]}
  case $1 in
    *[gG]) echo $((10#$n * 1024)) ;;
    *) echo $((10#$n)) ;;
  esac
}

new_cluster_id() {
  # Same shape as Kafka's Uuid.randomUuid(): 16 random bytes, base64url, no padding, no leading '-'.
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && break
  done
  printf '%s\n' "$id"
}

# ------------------------------------------------------------------------------------- secure

new_secret() { head -c 24 /dev/urandom | base64 | tr -d '+/=\n'; }

# A private CA and a broker certificate signed by it (names localhost and 127.0.0.1), made once per
# data dir with keytool, so nothing but Java is needed. Clients trust secure/ca.pem.
make_certificates() {
  [[ -s $SECURE_DIR/broker.p12 && -s $SECURE_DIR/ca.pem ]] && return 0
  require_cmd keytool
  log "making a CA and a broker certificate in $SECURE_DIR (keytool) ..."
  (
    umask 077
    mkdir -p "$SECURE_DIR"
    cd "$SECURE_DIR"
    rm -f ca.p12 broker.p12 broker.csr broker.pem ca.pem
    [[ -s store.password ]] || new_secret >store.password
    [[ -s client.password ]] || new_secret >client.password
    local -a kt=(keytool -storetype PKCS12 -storepass:file store.password)
    local -a key=(-keyalg RSA -keysize 2048 -validity 3650)
    "${kt[@]}" -genkeypair -keystore ca.p12 -alias ca -dname 'CN=abuse-monitor local test CA' \
      "${key[@]}" -ext bc:c -ext KU=keyCertSign,cRLSign
    "${kt[@]}" -exportcert -rfc -keystore ca.p12 -alias ca -file ca.pem
    "${kt[@]}" -genkeypair -keystore broker.p12 -alias broker -dname 'CN=localhost' "${key[@]}"
    "${kt[@]}" -certreq -keystore broker.p12 -alias broker -file broker.csr
    "${kt[@]}" -gencert -keystore ca.p12 -alias ca -infile broker.csr -outfile broker.pem -rfc \
      -validity 3650 -ext SAN=dns:localhost,ip:127.0.0.1 -ext EKU=serverAuth \
      -ext KU=digitalSignature,keyEncipherment
    "${kt[@]}" -importcert -noprompt -keystore broker.p12 -alias ca -file ca.pem
    "${kt[@]}" -importcert -keystore broker.p12 -alias broker -file broker.pem
    rm -f broker.csr
    chmod 644 ca.pem
  ) >"$LOG_DIR/keytool.out" 2>&1 || {
    cat "$LOG_DIR/keytool.out" >&2
    die "keytool could not make the certificates"
  }
}

# The SASL_SSL listener's settings: the broker keystore, PLAIN users from the JAAS line, SCRAM
# users from the metadata log (added when storage is formatted, see format_storage_once).
secure_settings() {
  local store_password client_password
  store_password=$(<"$SECURE_DIR/store.password")
  client_password=$(<"$SECURE_DIR/client.password")
  cat <<PROPERTIES
# --- SASL_SSL listener (KAFKA_SASL_SSL_PORT) -----------------------------------------------------
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$SECURE_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$store_password
listener.name.sasl_ssl.ssl.key.password=$store_password
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$client_password";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
PROPERTIES
}

render_properties() {
  local tpl listener='' protocol='' settings=''
  [[ -f $TEMPLATE ]] || die "missing $TEMPLATE"
  tpl=$(<"$TEMPLATE")
  if [[ -n $KAFKA_SASL_SSL_PORT ]]; then
    make_certificates
    listener=",SASL_SSL://127.0.0.1:$KAFKA_SASL_SSL_PORT"
    protocol=",SASL_SSL:SASL_SSL"
    settings=$(secure_settings)
  fi
  # Quoted replacements: bash 5.2 would otherwise expand '&' in them.
  tpl=${tpl//@KAFKA_PORT@/"$KAFKA_PORT"}
  tpl=${tpl//@KAFKA_CONTROLLER_PORT@/"$KAFKA_CONTROLLER_PORT"}
  tpl=${tpl//@KAFKA_LOG_DIRS@/"$STORAGE_DIR"}
  tpl=${tpl//@SECURE_LISTENER@/"$listener"}
  tpl=${tpl//@SECURE_PROTOCOL@/"$protocol"}
  tpl=${tpl//@SECURE_SETTINGS@/"$settings"}
  # The file holds the keystore password when the secure listener is on.
  (umask 077 && printf '%s\n' "$tpl" >"$PROPS.tmp")
  mv -f "$PROPS.tmp" "$PROPS"
}

format_storage_once() {
  if [[ -f $STORAGE_DIR/meta.properties ]]; then
    if [[ -n $KAFKA_SASL_SSL_PORT && ! -f $SECURE_DIR/scram-users-added ]]; then
      die "$DATA_DIR was formatted without SCRAM users; use a new KAFKA_DATA_DIR for KAFKA_SASL_SSL_PORT (or reset this one)"
    fi
    return 0
  fi
  local -a scram=()
  if [[ -n $KAFKA_SASL_SSL_PORT ]]; then
    local password
    password=$(<"$SECURE_DIR/client.password")
    scram=(
      --add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$password]"
      --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$password]"
    )
  fi
  local cluster_id
  if [[ -s $CLUSTER_ID_FILE ]]; then
    cluster_id=$(<"$CLUSTER_ID_FILE")
  else
    cluster_id=$(new_cluster_id)
    printf '%s\n' "$cluster_id" >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage in $STORAGE_DIR (cluster id $cluster_id)"
  if ! (cd "$DATA_DIR" && "$JAVA" -Xmx256m -cp "$LIB_DIR/*" \
    -Dlog4j.configuration="$(file_url "$LOG4J_CONFIG")" -Dkafka.logs.dir="$LOG_DIR" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" "${scram[@]}" >"$LOG_DIR/format.out" 2>&1); then
    cat "$LOG_DIR/format.out" >&2
    die "formatting KRaft storage failed"
  fi
  if ((${#scram[@]} > 0)); then
    : >"$SECURE_DIR/scram-users-added"
  fi
}

# file: URL for reload4j's -Dlog4j.configuration (must be absolute; '%' and spaces escaped).
file_url() {
  local p=$1
  p=${p//%/%25}
  p=${p// /%20}
  printf 'file:%s\n' "$p"
}

# Waits until the broker with pid $1 answers and has logged its start after byte $2 of the log.
wait_until_ready() {
  local pid=$1 log_offset=$2 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      show_log_tail
      rm -f "$PID_FILE"
      die "the broker (pid $pid) exited during startup"
    fi
    if kafka_answers "$KAFKA_PORT" && started_logged "$log_offset"; then
      return 0
    fi
    sleep 0.5
  done
  show_log_tail
  log "the broker did not answer within ${KAFKA_START_TIMEOUT}s; stopping it"
  stop_pid "$pid"
  die "Kafka did not start within ${KAFKA_START_TIMEOUT}s (logs: $LOG_DIR)"
}

started_logged() {
  local offset=$1 size
  [[ -f $SERVER_LOG ]] || return 1
  size=$(wc -c <"$SERVER_LOG")
  ((size >= offset)) || offset=0 # the log rolled over meanwhile
  # Not grep -q: it would stop reading early, tail would die of SIGPIPE, and pipefail would turn a
  # match into a failure whenever the broker logs a lot after starting (many partitions).
  tail -c +"$((offset + 1))" "$SERVER_LOG" | grep 'Kafka Server started' >/dev/null
}

cmd_start() {
  require_cmd "$JAVA" flock timeout setsid nohup ps
  cmd_fetch
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  local lock_fd
  exec {lock_fd}>"$LOCK_FILE"
  if ! flock -n "$lock_fd"; then
    log "another start/stop is running for $DATA_DIR; waiting for it ..."
    flock -w $((KAFKA_START_TIMEOUT + 60)) "$lock_fd" || die "timed out waiting for the lock $LOCK_FILE"
  fi

  local pid
  if pid=$(broker_pid); then
    if ! kafka_answers "$KAFKA_PORT"; then
      log "broker pid $pid is running but not answering yet; waiting ..."
      wait_until_ready "$pid" 0
    fi
    log "Kafka already running (pid $pid) on 127.0.0.1:$KAFKA_PORT; reusing it"
    return 0
  fi
  rm -f "$PID_FILE"
  if kafka_answers "$KAFKA_PORT"; then
    log "a Kafka broker already answers on 127.0.0.1:$KAFKA_PORT (not started from $DATA_DIR); reusing it"
    return 0
  fi
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" ${KAFKA_SASL_SSL_PORT:+"$KAFKA_SASL_SSL_PORT"}; do
    ! port_in_use "$port" || die "port $port on 127.0.0.1 is in use by something that is not this Kafka broker"
  done

  render_properties
  format_storage_once

  local xms=256m
  (($(heap_mb "$KAFKA_HEAP") >= 256)) || xms=$KAFKA_HEAP
  # 4 MiB regions: with a heap this small G1 picks 1 MiB ones, and every request of 512 KiB or
  # more (ingest's produce requests), read into one buffer, is then a humongous object that starts
  # a concurrent marking cycle. The pipeline bench's replay ran 42-59 such cycles with 1 MiB
  # regions and 5-6 with 4 MiB; the broker's CPU a report fell by about a quarter
  # (docs/benchmarks.md, 2026-12-06).
  local -a jvm=(
    "$JAVA" "-Xms$xms" "-Xmx$KAFKA_HEAP"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:G1HeapRegionSize=4m
    -XX:+ExitOnOutOfMemoryError
    "-Xlog:gc*:file=$LOG_DIR/gc.log:time,tags:filecount=3,filesize=10M"
    "-XX:ErrorFile=$LOG_DIR/hs_err_pid%p.log"
    -Djava.awt.headless=true
    "-Dlog4j.configuration=$(file_url "$LOG4J_CONFIG")"
    "-Dkafka.logs.dir=$LOG_DIR"
    -cp "$LIB_DIR/*"
    kafka.Kafka "$PROPS"
  )

  local log_offset=0
  if [[ -f $SERVER_LOG ]]; then
    log_offset=$(wc -c <"$SERVER_LOG")
  fi
  log "starting Kafka (KRaft, 127.0.0.1:$KAFKA_PORT, heap $KAFKA_HEAP, data $DATA_DIR) ..."
  local started=$SECONDS
  rm -f "$PID_FILE"
  # New session (setsid) + nohup: the broker outlives the calling shell. The launcher writes its own
  # pid and then execs java, so the pid file holds the JVM's pid. The lock fd is closed for it.
  # shellcheck disable=SC2016 # $$, $1 and $@ are expanded by the launcher bash
  (cd "$DATA_DIR" && exec setsid nohup bash -c 'echo "$$" >"$1"; shift; exec "$@"' kafka-launch \
    "$PID_FILE" "${jvm[@]}" </dev/null >>"$CONSOLE_LOG" 2>&1 {lock_fd}>&-) &
  local waited=0
  until [[ -s $PID_FILE ]]; do
    ((waited++ < 100)) || die "the broker process did not start (see $CONSOLE_LOG)"
    sleep 0.1
  done
  pid=$(<"$PID_FILE")
  wait_until_ready "$pid" "$log_offset"
  log "Kafka started (pid $pid) on 127.0.0.1:$KAFKA_PORT in $((SECONDS - started))s"
  if [[ -n $KAFKA_SASL_SSL_PORT ]]; then
    log "SASL_SSL on 127.0.0.1:$KAFKA_SASL_SSL_PORT: CA $SECURE_DIR/ca.pem, user $SASL_USER, password in $SECURE_DIR/client.password (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"
  fi
}

# --------------------------------------------------------------------------------------- stop

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "broker pid $pid did not stop within 30s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
}

cmd_stop() {
  [[ -d $DATA_DIR ]] || {
    log "Kafka is not running (no data dir $DATA_DIR)"
    return 0
  }
  require_cmd flock ps
  local lock_fd pid
  exec {lock_fd}>"$LOCK_FILE"
  flock -w $((KAFKA_START_TIMEOUT + 60)) "$lock_fd" || die "timed out waiting for the lock $LOCK_FILE"
  if pid=$(broker_pid); then
    log "stopping Kafka (pid $pid) ..."
    stop_pid "$pid"
    log "Kafka stopped"
  else
    log "Kafka is not running (no live broker in $PID_FILE)"
    if kafka_answers "$KAFKA_PORT"; then
      log "note: a Kafka broker answers on 127.0.0.1:$KAFKA_PORT but was not started from $DATA_DIR; left alone"
    fi
  fi
  rm -f "$PID_FILE"
}

# ------------------------------------------------------------------------------ status / logs

cmd_status() {
  local pid
  if pid=$(broker_pid); then
    if kafka_answers "$KAFKA_PORT"; then
      echo "Kafka is running (pid $pid) on 127.0.0.1:$KAFKA_PORT, data in $DATA_DIR"
      return 0
    fi
    echo "Kafka process $pid is alive but not answering on 127.0.0.1:$KAFKA_PORT (starting or unhealthy)"
    return 1
  fi
  if kafka_answers "$KAFKA_PORT"; then
    echo "a Kafka broker answers on 127.0.0.1:$KAFKA_PORT (not started from $DATA_DIR)"
    return 0
  fi
  echo "Kafka is not running (127.0.0.1:$KAFKA_PORT)"
  return 1
}

cmd_logs() {
  local follow=() lines=100 arg
  for arg in "$@"; do
    case $arg in
      -f | --follow) follow=(-F) ;;
      *[!0-9]* | '') die "usage: kafka.sh logs [-f] [LINES]" ;;
      *) lines=$arg ;;
    esac
  done
  [[ -f $SERVER_LOG ]] || die "no log yet at $SERVER_LOG"
  tail -n "$lines" "${follow[@]}" "$SERVER_LOG"
}

# -------------------------------------------------------------------------------------- reset

cmd_reset() {
  cmd_stop
  [[ -e $DATA_DIR ]] || {
    log "nothing to delete ($DATA_DIR does not exist)"
    return 0
  }
  # Only ever delete a directory that this script created.
  case $DATA_DIR in
    / | "$HOME" | "$REPO_ROOT" | "$SCRIPT_DIR") die "refusing to delete $DATA_DIR" ;;
  esac
  [[ -e $LOCK_FILE || -e $PROPS || -e $CLUSTER_ID_FILE ]] ||
    die "$DATA_DIR does not look like a kafka.sh data dir; not deleting it"
  rm -rf -- "$DATA_DIR"
  log "deleted $DATA_DIR"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    fetch) cmd_fetch ;;
    start | stop | status | reset)
      check_config
      "cmd_$cmd"
      ;;
    logs)
      check_config
      cmd_logs "$@"
      ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
