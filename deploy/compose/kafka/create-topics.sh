#!/usr/bin/env bash
# Creates every topic of $TOPICS ("name:partitions" separated by white space) if missing. Idempotent: compose runs it
# on every `up`. The retry and DLQ topics must exist before the services start: a consumer's dead-letter-queue
# strategy does not create them, and the broker's auto-creation is off.
set -euo pipefail
for spec in $TOPICS; do
  name="${spec%%:*}"
  partitions="${spec##*:}"
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "${REPLICATION_FACTOR:-1}"
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --list
