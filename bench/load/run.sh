#!/usr/bin/env bash
# Side-by-side load harness: tlslens against a bare Netty + BoringSSL relay (the ceiling of its stack) and HAProxy,
# all three in front of the same nginx, with the same ECDSA P-256 certificate, TLS 1.3, no resumption.
#
#   bench/load/run.sh [--quick] [--seconds N] [--only relay|haproxy|tlslens] [--idle N] [--jar FILE] [--jfr FILE] [--no-wait]
#
#   --quick        one repetition of each measure instead of three (medians of 1)
#   --seconds N    length of each timed run (default 10)
#   --only T       measure one target (ratios then print as "-"; no relay: (f) runs at --rate, if given)
#   --idle N       idle connections held in (d) (default 20,000, lowered to what the descriptor limit allows:
#                  a proxy holds two descriptors per connection; see "ulimit -Hn")
#   --rate R       the arrival rate of (f) when the relay is not measured
#   --jar FILE     measure this tlslens jar instead of this tree's proxy/target/tlslens.jar (before/after runs)
#   --jfr FILE     record tlslens with JFR (settings=profile, stack depth 256) during its handshake run (FILE) and
#                  its keep-alive run (FILE without .jfr + -keepalive.jfr); summarise with bench/load/jfr_top.py FILE. Profiled figures are not comparable: use it apart
#   --no-wait      skip the quiet-machine gate (no other load generator running, 1-minute load average < 1.5),
#                  which otherwise runs before each target's block and waits 60 s at a time until it holds
#
# Servers (the target and nginx) run on core 0, the load generators on core 1 (taskset). Measures, per target:
#   (a) full handshakes/s: bench/load/hsclient, 50 connections, each connect + TLS 1.3 handshake (no session cache)
#       + GET /small (3 bytes) + close, for N seconds; errors; handshake latency p50/p99 (connect to handshake done)
#   (b) keep-alive GETs/s: wrk -t1 -c50 -dNs https://.../small
#   (c) bulk MiB/s: wrk -t1 -c10 -dNs https://.../big (1 MiB), from wrk's Transfer/sec
#   (d) memory per idle TLS connection: VmRSS delta of the target over --idle connections held open at once (each
#       did one keep-alive GET; tlslens with max-connections = 25000), divided by the connections that opened; for
#       the JVMs also the live-heap delta after a full GC (jcmd GC.run), likewise
#   (e) server CPU per handshake: utime+stime of the target over run (a) / handshakes done
#   (f) handshake latency p50/p99 at half the relay's full-handshake rate (median of the relay's (a) runs so far,
#       open loop: new connections arrive at that fixed rate, up to 200 at once), as the issue's "p99 at 50 % load"
# Every figure is the median of the repetitions; the machine, versions and raw runs land in bench/target/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

REPS=3 SECS=10 ONLY="" JFR="" WAIT=1 JAR= IDLE_CONNS=20000 FIXED_RATE=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REPS=1 ;;
    --seconds) SECS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --idle) IDLE_CONNS="$2"; shift ;;
    --rate) FIXED_RATE="$2"; shift ;;
    --jar) JAR=$(readlink -f "$2"); shift ;;
    --jfr) JFR=$(readlink -f "$2"); shift ;;
    --no-wait) WAIT=0 ;;
    *) echo "usage: bench/load/run.sh [--quick] [--seconds N] [--only relay|haproxy|tlslens] [--idle N] [--rate R] [--jar FILE] [--jfr FILE] [--no-wait]" >&2; exit 2 ;;
  esac
  shift
done
TARGETS=(relay haproxy tlslens)
[ -z "$ONLY" ] || TARGETS=("$ONLY")
# a proxy holds a client and a backend descriptor per connection, and this shell's hard limit is every process's
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
if [ "$FD_LIMIT" != unlimited ] && [ "$IDLE_CONNS" -gt $(((FD_LIMIT - 1000) / 2)) ]; then
  echo "bench/load: (d) holds $(((FD_LIMIT - 1000) / 2)) idle connections, not $IDLE_CONNS: the descriptor limit is $FD_LIMIT (ulimit -Hn)" >&2
  IDLE_CONNS=$(((FD_LIMIT - 1000) / 2))
fi

for t in nginx haproxy go wrk taskset openssl java jcmd curl mvn; do
  command -v "$t" >/dev/null || { echo "bench/load: '$t' is missing (apt-get install -y nginx-light haproxy golang-go wrk)" >&2; exit 1; }
done
[ "$(nproc)" -ge 2 ] || { echo "bench/load: needs 2 cores (servers on core 0, load on core 1)" >&2; exit 1; }

OUT="$ROOT/bench/target/load"
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/tlslens-load.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[load $(date +%T)] $*" >&2; }

# ---------------------------------------------------------------- build
log "building tlslens and bench (reactor package, nothing installed)"
mvn -B -q -Dstyle.color=never -pl proxy,bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
(cd bench/load/hsclient && go build -o "$OUT/hsclient" .)
HSCLIENT="$OUT/hsclient"
[ -n "$JAR" ] || JAR="$ROOT/proxy/target/tlslens.jar"
RELAY_CP="$ROOT/bench/target/classes:$(cat bench/target/classpath.txt)"

# ---------------------------------------------------------------- certificate, ports, files
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/haproxy.pem"
read -r NGINX_PORT RELAY_PORT HAPROXY_PORT TLSLENS_PORT ADMIN_PORT < <(python3 -c '
import socket
ss=[socket.socket() for _ in range(5)]
for s in ss: s.bind(("127.0.0.1",0))
print(*[s.getsockname()[1] for s in ss])')
declare -A PORT=([relay]=$RELAY_PORT [haproxy]=$HAPROXY_PORT [tlslens]=$TLSLENS_PORT)

mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp" "$WORK/nginx/logs"
printf 'ok\n' > "$WORK/nginx/www/small"
head -c 1048576 /dev/urandom > "$WORK/nginx/www/big"
chmod -R a+rX "$WORK"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile $FD_LIMIT;
error_log $WORK/nginx/logs/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections $((IDLE_CONNS + 1000)); }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 3600s;
  keepalive_requests 100000000;
  default_type application/octet-stream;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    root $WORK/nginx/www;
  }
}
EOF

# HAProxy: one thread (maxconn: what (d) holds; HAProxy refuses to start when the descriptor limit is below 2 x maxconn), plain TCP relay, TLS 1.3 only, no stateless tickets, no session cache, and the client's
# cipher suite order followed as BoringSSL does (Go clients choose AES-128-GCM, OpenSSL clients such as wrk
# AES-256-GCM, on every target). OpenSSL 3 still sends two stateful NewSessionTickets, which HAProxy 2.6 cannot turn off.
cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn $((IDLE_CONNS + 100))
  tune.ssl.cachesize 0
  ssl-default-bind-options ssl-min-ver TLSv1.3 no-tls-tickets prefer-client-ciphers
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
frontend tls
  bind 127.0.0.1:$HAPROXY_PORT ssl crt $WORK/haproxy.pem
  default_backend nginx
backend nginx
  server nginx 127.0.0.1:$NGINX_PORT
EOF

# tlslens: one terminate listener, defaults (inspection on, policy intermediate); resumption off as for the others
cat > "$WORK/tlslens.conf" <<EOF
tlslens {
  admin { bind = "127.0.0.1:$ADMIN_PORT" }
  listeners = [
    {
      name = bench
      bind = "127.0.0.1:$TLSLENS_PORT"
      max-connections = 25000
      tls {
        certificates = [ { cert = "$WORK/cert.pem", key = "$WORK/key.pem" } ]
        session-resumption = false
      }
      backend { address = "127.0.0.1:$NGINX_PORT" }
    }
  ]
}
EOF

# ---------------------------------------------------------------- helpers
wait_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
cpu_ticks() { # utime + stime of the processes given (the comm field may hold spaces)
  local p; for p in "$@"; do cat "/proc/$p/stat"; done | awk '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }'
}
others_snapshot() { # "pid ticks" of every process but ours (the target, nginx, the load generators)
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v t="$TPID" '{ pid = $1; c = $0; sub(/^[^(]*\(/, "", c); sub(/\).*$/, "", c)
      sub(/^.*\) /, ""); if (pid != t && c != "nginx" && c != "hsclient" && c != "wrk") print pid, $12 + $13 }'
}
others_delta() { # snapshot-file snapshot-file -> ticks the other processes used in between
  awk 'NR == FNR { a[$1] = $2; next } { d = $2 - (($1 in a) ? a[$1] : 0); if (d > 0) s += d } END { print s + 0 }' "$1" "$2"
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
heap_used_kb() { # after a full GC: the used figures of the heap's generations / regions line(s)
  jcmd "$1" GC.run >/dev/null
  sleep 0.5
  jcmd "$1" GC.heap_info | awk '/generation|garbage-first heap|^ *PSYoungGen|^ *ParOldGen/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } } END { print s + 0 }'
}
gate() {
  [ "$WAIT" = 1 ] || return 0
  local others load
  while :; do
    others=$(pgrep -fa 'soak|wrk|h2load|loadclient|hsclient' || true)
    load=$(awk '{print $1}' /proc/loadavg)
    if [ -z "$others" ] && awk -v l="$load" 'BEGIN { exit !(l < 1.5) }'; then
      return 0
    fi
    log "waiting for a quiet machine (load average $load${others:+; other load: $(echo "$others" | head -3 | tr '\n' ';')})"
    sleep 60
  done
}
record() { echo "$3" >> "$WORK/res.$1.$2"; } # target metric value
median() { # file -> median of its lines, or "-"
  [ -s "$1" ] || { echo "-"; return; }
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# the same JVM defaults for the relay and tlslens (JIT, heap and GC by ergonomics on one core); LOAD_JAVA_OPTS adds
# options to both (say -Xlog:gc:file=/tmp/gc-%p.log to see the collector's pauses)
read -r -a JAVA_OPTS_COMMON <<< "${LOAD_JAVA_OPTS:-}"
TLSLENS_OPTS=()
# with --jfr, the same profiling settings run from start-up (in memory), so that the JIT has recompiled what JFR
# instruments before the warm-up ends; the recording of (a) then starts on a settled JVM
[ -z "$JFR" ] || TLSLENS_OPTS=(-XX:FlightRecorderOptions:stackdepth=256
  -XX:StartFlightRecording:name=startup,settings=profile,disk=false)

start_target() { # target -> sets TPID
  case "$1" in
    relay)
      taskset -c 0 java "${JAVA_OPTS_COMMON[@]}" -cp "$RELAY_CP" io.tlslens.bench.load.BareRelay \
        "$RELAY_PORT" "$NGINX_PORT" "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/relay.log" 2>&1 &
      TPID=$! ;;
    haproxy)
      taskset -c 0 haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
      TPID=$! ;;
    tlslens)
      taskset -c 0 java "${JAVA_OPTS_COMMON[@]}" "${TLSLENS_OPTS[@]}" -jar "$JAR" --config "$WORK/tlslens.conf" > "$WORK/tlslens.log" 2>&1 &
      TPID=$! ;;
  esac
  PIDS+=("$TPID")
  wait_port "${PORT[$1]}" 30 || { echo "bench/load: $1 did not start:" >&2; cat "$WORK/$1.log" >&2; exit 1; }
}
stop_target() {
  kill "$TPID" 2>/dev/null || true
  wait "$TPID" 2>/dev/null || true
}
url() { echo "https://127.0.0.1:${PORT[$1]}$2"; }
jit_ticks() { # CPU ticks of the target's JIT compiler threads (none in HAProxy)
  local t s=0
  for t in /proc/"$TPID"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      *Compiler*) s=$((s + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$s"
}
warm_up() { # target: rounds of 5 s of handshakes + 3 s keep-alive + 3 s bulk, the same for every target, until the
  # JIT compilers used under 2 % of a core in a round (at least 2 rounds, at most 12). On one core shared with the
  # load, C2 takes 20-40 s to compile the hot paths; measured before that, a JVM pays for its compiler.
  local r j0 j1
  for ((r = 1; r <= 12; r++)); do
    j0=$(jit_ticks)
    run_hs "$1" 5 > /dev/null
    taskset -c 1 wrk -t1 -c50 -d3s "$(url "$1" /small)" > /dev/null
    taskset -c 1 wrk -t1 -c10 -d3s "$(url "$1" /big)" > /dev/null
    j1=$(jit_ticks)
    [ "$r" -lt 2 ] || [ $((j1 - j0)) -ge $((11 * $(getconf CLK_TCK) * 2 / 100)) ] || break
  done
  echo "$1 rep$rep warm-up: $((r > 12 ? 12 : r)) rounds of 11 s; JIT compiler ticks in the last round: $((j1 - j0))" >> "$WORK/raw.txt"
}

check_tls() { # target: what an OpenSSL client negotiates, and whether it is sent session tickets (BoringSSL sends
  # them with the first application data, so the check sends a request)
  local s
  s=$( (printf 'GET /small HTTP/1.1\r\nHost: localhost\r\n\r\n'; sleep 1) \
    | timeout 5 openssl s_client -connect "127.0.0.1:${PORT[$1]}" -servername localhost -msg -ign_eof 2>&1 || true)
  echo "$1: $(echo "$s" | grep -m1 -E '^New, ' | sed 's/^New, //'), NewSessionTickets to a client that asks: $(echo "$s" | grep -c '<<< .*NewSessionTicket' || true)"
}

run_hs() { # target seconds -> prints hsclient's line
  taskset -c 1 "$HSCLIENT" -addr "127.0.0.1:${PORT[$1]}" -c 50 -d "${2}s" -path /small 2>>"$WORK/hs.err"
}
run_paced() { # target seconds rate -> prints hsclient's line
  taskset -c 1 "$HSCLIENT" -addr "127.0.0.1:${PORT[$1]}" -c 200 -rate "$3" -d "${2}s" -path /small 2>>"$WORK/hs.err"
}
kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
wrk_rate() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
wrk_errors() { # socket errors + non-2xx
  awk '/Socket errors:/ { gsub(/,/, ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' <<<"$1"
}
wrk_mib() { # Transfer/sec (binary units) in MiB/s
  awk '/^Transfer\/sec:/ { v = $2; u = v; sub(/[A-Za-z]+$/, "", v); sub(/^[0-9.]+/, "", u)
      f = (u == "GB") ? 1024 : (u == "MB") ? 1 : (u == "KB") ? 1 / 1024 : 1 / 1048576; printf "%.1f\n", v * f }' <<<"$1"
}

# ---------------------------------------------------------------- machine
{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
  echo "tlslens: $(git -C "$ROOT" rev-parse --short=12 HEAD)$(git -C "$ROOT" diff --quiet HEAD -- proxy inspector config || echo '+changes') ($JAR); Netty $(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' pom.xml), netty-tcnative-boringssl-static $(sed -n 's:.*<tcnative.version>\(.*\)</tcnative.version>.*:\1:p' pom.xml)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "haproxy: $(haproxy -v | head -1 | cut -d' ' -f1-3); nginx: $(nginx -v 2>&1 | cut -d' ' -f3); $(openssl version); $(go version | cut -d' ' -f3); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "runs: $REPS x ${SECS}s per measure; servers on core 0, load generators on core 1"
} > "$WORK/machine.txt"
cat "$WORK/machine.txt" >&2

# ---------------------------------------------------------------- nginx
taskset -c 0 nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' > "$WORK/nginx/logs/stdout" 2>&1 &
NGINX_PIDS=($!)
PIDS+=($!)
wait_port "$NGINX_PORT" 10 || { echo "bench/load: nginx did not start" >&2; cat "$WORK/nginx/logs/"* >&2; exit 1; }
NGINX_PIDS+=($(pgrep -P "${NGINX_PIDS[0]}")) # its worker

# ---------------------------------------------------------------- runs
: > "$WORK/raw.txt"
: > "$WORK/tls.txt"
for ((rep = 1; rep <= REPS; rep++)); do
  # the order turns every repetition (relay, haproxy, tlslens; haproxy, tlslens, relay; ...) so that a drift of the
  # shared machine's speed does not always fall on the same target
  ORDER=()
  for ((k = 0; k < ${#TARGETS[@]}; k++)); do ORDER+=("${TARGETS[$(((k + rep - 1) % ${#TARGETS[@]}))]}"); done
  for t in "${ORDER[@]}"; do
    gate
    log "rep $rep/$REPS: $t"
    start_target "$t"
    [ "$rep" -gt 1 ] || check_tls "$t" | tee -a "$WORK/tls.txt" >&2
    warm_up "$t"
    sleep 1

    # (a) + (e)
    [ -z "$JFR" ] || [ "$t" != tlslens ] || jcmd "$TPID" JFR.start name=load settings=profile \
      filename="$JFR" duration="$((SECS + 2))s" > /dev/null
    others_snapshot > "$WORK/others.0"
    n0=$(cpu_ticks "${NGINX_PIDS[@]}")
    j0=$(jit_ticks)
    c0=$(cpu_ticks "$TPID")
    line=$(run_hs "$t" "$SECS")
    c1=$(cpu_ticks "$TPID")
    j1=$(jit_ticks)
    n1=$(cpu_ticks "${NGINX_PIDS[@]}")
    others_snapshot > "$WORK/others.1"
    o=$(others_delta "$WORK/others.0" "$WORK/others.1")
    echo "$t rep$rep hs: $line server_ticks=$((c1 - c0)) jit_ticks=$((j1 - j0)) nginx_ticks=$((n1 - n0)) other_processes_ticks=$o" >> "$WORK/raw.txt"
    n=$(kv "$line" handshakes)
    secs=$(kv "$line" seconds)
    record "$t" hs_rate "$(kv "$line" rate)"
    record "$t" hs_errors "$(kv "$line" errors)"
    record "$t" hs_p50 "$(kv "$line" p50_ms)"
    record "$t" hs_p99 "$(kv "$line" p99_ms)"
    record "$t" hs_bytes "$(kv "$line" bytes_in_per_conn)"
    record "$t" client_cpu "$(kv "$line" client_cpu_pct)"
    record "$t" cpu_us "$(awk -v d=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n ? d * 1e6 / hz / n : 0 }')"
    record "$t" server_cpu "$(awk -v d=$((c1 - c0)) -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", 100 * d / hz / s }')"
    record "$t" jit_cpu "$(awk -v d=$((j1 - j0)) -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", 100 * d / hz / s }')"
    record "$t" nginx_cpu "$(awk -v d=$((n1 - n0)) -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", 100 * d / hz / s }')"
    record "$t" other_cpu "$(awk -v d="$o" -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", 100 * d / hz / s }')"
    [ -z "$JFR" ] || [ "$t" != tlslens ] || sleep 3

    # (f)
    half=$FIXED_RATE
    [ ! -s "$WORK/res.relay.hs_rate" ] || half=$(awk '{ print $1 / 2 }' <<<"$(median "$WORK/res.relay.hs_rate")")
    if [ -n "$half" ]; then
      sleep 1
      line=$(run_paced "$t" "$SECS" "$half")
      echo "$t rep$rep paced at $half/s: $line" >> "$WORK/raw.txt"
      record "$t" paced_p50 "$(kv "$line" p50_ms)"
      record "$t" paced_p99 "$(kv "$line" p99_ms)"
      record "$t" paced_late "$(kv "$line" late)"
      record "$t" paced_errors "$(kv "$line" errors)"
    fi

    # (b)
    [ -z "$JFR" ] || [ "$t" != tlslens ] || jcmd "$TPID" JFR.start name=keepalive settings=profile \
      filename="${JFR%.jfr}-keepalive.jfr" duration="$((SECS + 1))s" > /dev/null
    out=$(taskset -c 1 wrk -t1 -c50 -d"${SECS}s" "$(url "$t" /small)")
    [ -z "$JFR" ] || [ "$t" != tlslens ] || sleep 2
    echo "$t rep$rep keep-alive: $(echo "$out" | grep -E 'Requests/sec|Transfer/sec|errors|Non-2xx' | tr -s ' ' | tr '\n' ';')" >> "$WORK/raw.txt"
    record "$t" ka_rate "$(wrk_rate "$out")"
    record "$t" ka_errors "$(wrk_errors "$out")"

    # (c)
    out=$(taskset -c 1 wrk -t1 -c10 -d"${SECS}s" "$(url "$t" /big)")
    echo "$t rep$rep bulk: $(echo "$out" | grep -E 'Requests/sec|Transfer/sec|errors|Non-2xx' | tr -s ' ' | tr '\n' ';')" >> "$WORK/raw.txt"
    record "$t" bulk_mib "$(wrk_mib "$out")"
    record "$t" bulk_errors "$(wrk_errors "$out")"

    # (d)
    sleep 2
    java=0; [ "$t" = haproxy ] || java=1
    h0=0; [ "$java" = 0 ] || h0=$(heap_used_kb "$TPID")
    sleep 1
    r0=$(rss_kb "$TPID")
    mkfifo "$WORK/idle.in"
    taskset -c 1 "$HSCLIENT" -addr "127.0.0.1:${PORT[$t]}" -c 50 -idle "$IDLE_CONNS" < "$WORK/idle.in" > "$WORK/idle.out" 2>&1 &
    ipid=$!
    exec {fifo_w}> "$WORK/idle.in"
    for ((i = 0; i < 3000; i++)); do grep -q '^ready' "$WORK/idle.out" && break; sleep 0.1; done
    sleep 2
    r1=$(rss_kb "$TPID")
    h1=0; [ "$java" = 0 ] || h1=$(heap_used_kb "$TPID")
    exec {fifo_w}>&-
    wait "$ipid" || true
    rm -f "$WORK/idle.in"
    open=$(sed -n 's/^ready open=\([0-9]*\).*/\1/p' "$WORK/idle.out")
    echo "$t rep$rep idle: $(cat "$WORK/idle.out" | tr '\n' ' ') rss_kb $r0 -> $r1, heap_used_kb $h0 -> $h1" >> "$WORK/raw.txt"
    record "$t" idle_open "${open:-0}"
    record "$t" idle_rss "$(awk -v a="$r0" -v b="$r1" -v n="${open:-0}" 'BEGIN { printf "%.1f", n ? (b - a) / n : 0 }')"
    [ "$java" = 0 ] || record "$t" idle_heap "$(awk -v a="$h0" -v b="$h1" -v n="${open:-0}" 'BEGIN { printf "%.1f", n ? (b - a) / n : 0 }')"

    stop_target
  done
done

# ---------------------------------------------------------------- table
ratio() { # file-a file-b -> median of the per-repetition ratios a/b (each pair measured minutes apart), or "-"
  [ -s "$1" ] && [ -s "$2" ] || { echo "-"; return; }
  paste "$1" "$2" | awk '$2 + 0 != 0 { print $1 / $2 }' > "$WORK/ratios"
  [ -s "$WORK/ratios" ] || { echo "-"; return; }
  printf '%.2f\n' "$(median "$WORK/ratios")"
}
row() { # label metric
  local r h l
  r=$(median "$WORK/res.relay.$2"); h=$(median "$WORK/res.haproxy.$2"); l=$(median "$WORK/res.tlslens.$2")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$r" "$h" "$l" \
    "$(ratio "$WORK/res.tlslens.$2" "$WORK/res.relay.$2")" "$(ratio "$WORK/res.tlslens.$2" "$WORK/res.haproxy.$2")"
}
sum() { [ -s "$1" ] && awk '{ s += $1 } END { print s }' "$1" || echo "-"; }
{
  cat "$WORK/machine.txt"
  cat "$WORK/tls.txt"
  echo
  echo "| measure (median of $REPS) | bare relay | HAProxy | tlslens | tlslens / relay (median of per-run ratios) | tlslens / HAProxy |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "(a) full handshakes/s (50 conns)" hs_rate
  row "(a) handshake latency p50, ms" hs_p50
  row "(a) handshake latency p99, ms" hs_p99
  row "(e) server CPU per handshake, µs" cpu_us
  row "(a) target CPU during (a), % of a core" server_cpu
  row "(a) of which JIT compiler threads, % of a core" jit_cpu
  row "(a) nginx CPU during (a), % of a core" nginx_cpu
  row "(a) load client CPU during (a), % of a core" client_cpu
  row "(a) other processes' CPU during (a), % of a core" other_cpu
  row "(a) bytes received per connection" hs_bytes
  row "(f) handshake latency p50 at half the relay's rate, ms" paced_p50
  row "(f) handshake latency p99 at half the relay's rate, ms" paced_p99
  row "(b) keep-alive GETs/s (3 B, 50 conns)" ka_rate
  row "(c) bulk MiB/s (1 MiB GETs, 10 conns)" bulk_mib
  row "(d) idle TLS connections held at once" idle_open
  row "(d) RSS per idle TLS connection, KiB" idle_rss
  row "(d) live Java heap per idle connection, KiB" idle_heap
  echo
  echo "errors (sum over runs): handshake runs relay/haproxy/tlslens $(sum "$WORK/res.relay.hs_errors")/$(sum "$WORK/res.haproxy.hs_errors")/$(sum "$WORK/res.tlslens.hs_errors");" \
    "keep-alive $(sum "$WORK/res.relay.ka_errors")/$(sum "$WORK/res.haproxy.ka_errors")/$(sum "$WORK/res.tlslens.ka_errors");" \
    "bulk $(sum "$WORK/res.relay.bulk_errors")/$(sum "$WORK/res.haproxy.bulk_errors")/$(sum "$WORK/res.tlslens.bulk_errors");" \
    "paced $(sum "$WORK/res.relay.paced_errors")/$(sum "$WORK/res.haproxy.paced_errors")/$(sum "$WORK/res.tlslens.paced_errors")" \
    "(arrivals that found 200 connections busy: $(sum "$WORK/res.relay.paced_late")/$(sum "$WORK/res.haproxy.paced_late")/$(sum "$WORK/res.tlslens.paced_late"));" \
    "idle connections opened $(median "$WORK/res.relay.idle_open")/$(median "$WORK/res.haproxy.idle_open")/$(median "$WORK/res.tlslens.idle_open") of $IDLE_CONNS"
} > "$WORK/table.txt"
stamp=$(date +%Y%m%d-%H%M%S)
cp "$WORK/table.txt" "$OUT/table-$stamp.txt"
cp "$WORK/raw.txt" "$OUT/raw-$stamp.txt"
[ ! -s "$WORK/hs.err" ] || cp "$WORK/hs.err" "$OUT/hsclient-errors-$stamp.txt"
echo
cat "$WORK/table.txt"
echo
echo "raw runs: bench/target/load/raw-$stamp.txt"
