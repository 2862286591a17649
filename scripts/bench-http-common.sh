# Sourced by the HTTP benchmark parts (bench-line.sh, bench-verify.sh, bench-claims-http.sh) after `cd` to the
# repository: the settings of a benchmark server, its port, a scratch folder "$work" named for the part ($1), and
# the clean-up (stop the server whose pid is in $server_pid, remove "$work") on exit.
: "${DATABASE_URL:?DATABASE_URL must name the benchmark PostgreSQL}"
export DJANGO_SETTINGS_MODULE=config.settings.dev DJANGO_DEBUG=0 RAKSA_REQUEST_LOG_LEVEL=WARNING
CLIENTS=${BENCH_CLIENTS:-64}
port=${BENCH_HTTP_PORT:-$((40000 + RANDOM % 10000))}
work=$(mktemp -d "/tmp/raksa-bench-$1.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM
