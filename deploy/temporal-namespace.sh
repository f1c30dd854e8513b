#!/bin/sh
# One-shot (temporalio/admin-tools): waits until the server answers, then creates the namespace with its retention,
# or updates the retention of one that exists (a changed TEMPORAL_RETENTION takes effect at the next deploy).
set -eu
tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "Temporal at $TEMPORAL_ADDRESS did not answer in 5 minutes" >&2; exit 1; }
    sleep 5
done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
    temporal operator namespace update --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
else
    temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
fi
