#!/usr/bin/env bash
# Builds tools/kafka-mock/build/kafka-mock, the host of librdkafka's mock Kafka cluster used by
# integration tests. Idempotent: rebuilds only when the source is newer than the binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/kafka-mock.c"
out_dir="$here/build"
out="$out_dir/kafka-mock"

if [[ -x "$out" && "$out" -nt "$src" && "$out" -nt "${BASH_SOURCE[0]}" ]]; then
  exit 0
fi
if ! command -v pkg-config >/dev/null 2>&1; then
  echo "kafka-mock: pkg-config not found; install it (apt-get install pkg-config)" >&2
  exit 1
fi
if ! pkg-config --exists rdkafka; then
  echo "kafka-mock: librdkafka development files not found; install them (apt-get install librdkafka-dev)" >&2
  exit 1
fi
if [[ ! -f "$(pkg-config --variable=includedir rdkafka)/librdkafka/rdkafka_mock.h" ]]; then
  echo "kafka-mock: rdkafka_mock.h missing from librdkafka-dev $(pkg-config --modversion rdkafka)" >&2
  exit 1
fi
cc="${CC:-gcc}"
mkdir -p "$out_dir"
tmp="$out.tmp.$$"
# shellcheck disable=SC2046
"$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -o "$tmp" "$src" \
  $(pkg-config --cflags --libs rdkafka)
mv -f "$tmp" "$out"
