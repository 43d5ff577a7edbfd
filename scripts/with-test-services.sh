#!/usr/bin/env bash
# Runs a command with the test services available: when DATABASE_URL is not set yet, starts them
# the way CI does (scripts/test-services.sh; needs root on Debian) and exports their addresses.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  # shellcheck source=test-services.sh
  source "$here/test-services.sh"
fi
exec "$@"
