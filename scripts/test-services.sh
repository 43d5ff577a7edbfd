#!/usr/bin/env bash
# Starts the real services the integration tests use, the same way CI does, and exports their
# addresses. Source it: `source scripts/test-services.sh`. Idempotent: running it twice reuses what
# already runs. Needs root (apt-get, pg_ctlcluster) on a Debian machine.
set -euo pipefail

pbx_test_services() {
  local here; here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local need_apt=()
  command -v pg_ctlcluster >/dev/null || need_apt+=(postgresql)
  command -v redis-server >/dev/null || need_apt+=(redis-server)
  pkg-config --exists rdkafka 2>/dev/null || need_apt+=(librdkafka-dev pkg-config)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "test-services: installing ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi

  # PostgreSQL 15 from Debian: a role that may create a database per test suite.
  pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
  local tries=0
  until su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -gt 50 ] && { echo "test-services: PostgreSQL did not start" >&2; return 1; }
    sleep 0.2
  done
  su postgres -c "psql -qAt" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pbx_test') THEN
    CREATE ROLE pbx_test LOGIN CREATEDB PASSWORD 'pbx_test';
  END IF;
END $$;
SQL
  su postgres -c "psql -qAtc \"select 1 from pg_database where datname='pbx_test'\"" | grep -q 1 \
    || su postgres -c "createdb -O pbx_test pbx_test"
  export DATABASE_URL="postgres://pbx_test:pbx_test@127.0.0.1:5432/pbx_test"

  # Redis from Debian.
  redis-cli -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' >/dev/null
  tries=0
  until redis-cli -p 6379 ping >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -gt 50 ] && { echo "test-services: Redis did not start" >&2; return 1; }
    sleep 0.1
  done
  export REDIS_URL="redis://127.0.0.1:6379"

  # librdkafka's mock cluster: the tests start their own brokers from this binary.
  bash "$here/tools/kafka-mock/build.sh" >/dev/null
  export PBX_KAFKA_MOCK_BIN="$here/tools/kafka-mock/build/kafka-mock"
  echo "test-services: DATABASE_URL, REDIS_URL and PBX_KAFKA_MOCK_BIN are set" >&2
}

pbx_test_services
set +euo pipefail
