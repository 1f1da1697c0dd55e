#!/usr/bin/env bash
# Creates ./secrets/ (git-ignored): the internal JWT signing key pair, the admin key and file-service's service key;
# prints the .env lines: the admin key's SHA-256 (FILEHOST_AUTH_ADMIN_KEY_SHA256), the service key for file-service
# (FILEHOST_SERVICE_KEY) and its SHA-256 for auth-service (FILEHOST_SERVICE_KEY_SHA256). Never overwrites existing files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mkdir -p secrets
chmod 700 secrets
if [[ ! -s secrets/jwt-private.pem ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out secrets/jwt-private.pem 2>/dev/null
  openssl pkey -in secrets/jwt-private.pem -pubout -out secrets/jwt-public.pem
fi
if [[ ! -s secrets/admin-key ]]; then
  (umask 077 && openssl rand -hex 32 >secrets/admin-key)
fi
if [[ ! -s secrets/service-key ]]; then
  (umask 077 && openssl rand -hex 32 >secrets/service-key)
fi
# Compose bind-mounts file secrets with their host owner and mode: the services run as uid 10001.
if [[ $(id -u) -eq 0 ]]; then
  chown 10001 secrets/jwt-private.pem secrets/jwt-public.pem
  chmod 400 secrets/jwt-private.pem
  chmod 444 secrets/jwt-public.pem
  chmod 711 secrets
else
  echo "not root: make secrets/jwt-private.pem readable by uid 10001 (e.g. sudo chown 10001 secrets/jwt-private.pem)" >&2
fi
echo "FILEHOST_AUTH_ADMIN_KEY_SHA256=$(printf '%s' "$(cat secrets/admin-key)" | sha256sum | cut -d' ' -f1)"
echo "FILEHOST_SERVICE_KEY=$(cat secrets/service-key)"
echo "FILEHOST_SERVICE_KEY_SHA256=$(printf '%s' "$(cat secrets/service-key)" | sha256sum | cut -d' ' -f1)"
