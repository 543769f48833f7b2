#!/usr/bin/env bash
# Writes the env files compose.yaml reads (deploy/env/*.env and deploy/.env) from the examples,
# with fresh random database passwords, key-encryption keys, blind-index keys and webhook secrets.
#
#   deploy/env/init-env.sh          production shape: you still fill in the IdP settings
#                                   (ISSUERS, TOKEN_ISSUER, CLIENT_SECRET, VERN_OIDC_AUTHORITY)
#   deploy/env/init-env.sh --dev    a local trial with the dev IdP (`docker compose --profile dev`):
#                                   ENVIRONMENT=development and the dev IdP's public client secrets
#
# It never overwrites an existing file. The files it writes hold secrets: they are git-ignored,
# keep them out of any repository and back up the keys (deploy/README.md, "Backups").
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dev=false
case "${1:-}" in
  --dev) dev=true ;;
  "") ;;
  *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
esac

umask 077
hex() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

write() {  # write TARGET < content, unless TARGET exists
  if [[ -e "$1" ]]; then
    echo "keeping $1 (exists)"
    cat >/dev/null
  else
    cat >"$1"
    echo "wrote $1"
  fi
}

kek_id="$(date +%Y-%m)"
declare -A password
for svc in registry consent dsar scheduler; do password[$svc]="$(hex)"; done

sed -e "s|CHANGE-ME-postgres-superuser-password|$(hex)|" \
    -e "s|CHANGE-ME-registry-db-password|${password[registry]}|" \
    -e "s|CHANGE-ME-consent-db-password|${password[consent]}|" \
    -e "s|CHANGE-ME-dsar-db-password|${password[dsar]}|" \
    -e "s|CHANGE-ME-scheduler-db-password|${password[scheduler]}|" \
    "$here/postgres.env.example" | write "$here/postgres.env"

for svc in registry consent dsar scheduler; do
  prefix="${svc^^}"
  script=(
    -e "s|CHANGE-ME-$svc-db-password|${password[$svc]}|g"
    -e "s|CHANGE-ME-kek-id|$kek_id|g"
    -e "s|^\(${prefix}_KEKS=.*\)CHANGE-ME-base64-32-random-bytes|\1$(key)|"
    -e "s|^\(${prefix}_BLIND_INDEX_KEY=\).*|\1$(key)|"
    -e "s|^\(${prefix}_JOURNAL_WEBHOOK_SECRET=\).*|\1whsec_$(key)|"
  )
  if $dev; then
    script+=(
      -e "s|^${prefix}_ENVIRONMENT=.*|${prefix}_ENVIRONMENT=development|"
      -e "s|^${prefix}_ISSUERS=.*|${prefix}_ISSUERS='[{\"issuer\": \"http://idp.localhost:9000\", \"kind\": \"staff\"}]'|"
      -e "s|^${prefix}_TOKEN_ISSUER=.*|${prefix}_TOKEN_ISSUER=http://idp.localhost:9000|"
      -e "s|^${prefix}_CLIENT_SECRET=.*|${prefix}_CLIENT_SECRET=dev-secret-vern-$svc|"
    )
  fi
  sed "${script[@]}" "$here/$svc.env.example" | write "$here/$svc.env"
done

if $dev; then
  sed -e "s|^VERN_OIDC_AUTHORITY=.*|VERN_OIDC_AUTHORITY=http://idp.localhost:9000|" \
    "$here/compose.env.example" | write "$here/../.env"
else
  write "$here/../.env" <"$here/compose.env.example"
fi

grep -l 'CHANGE-ME' "$here"/*.env "$here/../.env" 2>/dev/null | sed 's/^/still to fill in: /' || true
