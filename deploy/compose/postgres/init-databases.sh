#!/usr/bin/env bash
# One PostgreSQL server, one database per service, each owned by its own login role; no role can open another
# service's database. Run by the postgres image once, on the first start with an empty data volume (to change a
# password later: ALTER ROLE … PASSWORD …).
set -euo pipefail

create_database() { # create_database ROLE PASSWORD DATABASE
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$1" -v password="$2" -v db="$3" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
SQL
  # PostgreSQL 15+ no longer lets PUBLIC create in the public schema; the owner of the database must own it.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$3" -v role="$1" <<'SQL'
ALTER SCHEMA public OWNER TO :"role";
SQL
}

create_database auth "$AUTH_DB_PASSWORD" auth
create_database files "$FILES_DB_PASSWORD" files
create_database folders "$FOLDERS_DB_PASSWORD" folders
create_database imports "$IMPORTS_DB_PASSWORD" imports
