#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: a role and a database for the read model.
# Temporal's own databases (temporal, temporal_visibility) are created by the temporal-schema job (deploy/temporal-schema.sh).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$READMODEL_DB_USER" -v password="$READMODEL_DB_PASSWORD" -v db="$READMODEL_DB_NAME" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
SQL
