#!/bin/sh
# One-shot (temporalio/admin-tools): Temporal's two databases on PostgreSQL, created if missing, and their schema
# brought to the release of this image. Safe to run again: at every deploy it applies only the newer versions.
set -eu
export SQL_PASSWORD="$POSTGRES_PWD"  # from the environment, not on a command line that `ps` shows
SCHEMA=/etc/temporal/schema/postgresql/v12
for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
    db=${pair%%:*}
    sql() { temporal-sql-tool --plugin "$DB" --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }
    # an existing database fails `create`; any other trouble fails the schema steps below, loudly
    sql create 2>/dev/null || echo "database $db exists"
    sql setup-schema -v 0.0
    sql update-schema -d "$SCHEMA/${pair#*:}/versioned"
done
