#!/usr/bin/env bash
# Start a streaming replica of a PostgreSQL server on 127.0.0.1 (made with pg_basebackup)
# and print its REPLICA_DIR and REPLICA_URL:
#   pg-replica.sh PRIMARY_PORT [DBNAME]
#   pg-replica.sh stop DIR
# Like pg-throwaway.sh, as root it runs the server as the `postgres` user.
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
fi

if [ "${1:-}" = "stop" ]; then
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$2/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$2"
  exit 0
fi

primary_port=$1
db=${2:-taizhang}
dir=$(mktemp -d /tmp/taizhang-replica.XXXXXX)
chmod 755 "$dir"
[ ${#as_owner[@]} -eq 0 ] || chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_owner[@]}" "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/data" \
  -R -X stream -c fast -d "application_name=taizhang_replica" >"$dir/basebackup.log" 2>&1 \
  || { cat "$dir/basebackup.log" >&2; exit 1; }
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
echo "REPLICA_DIR=$dir"
echo "REPLICA_URL=postgres://postgres@127.0.0.1:$port/$db"
