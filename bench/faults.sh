#!/usr/bin/env bash
# What a client sees through the gateway when things go wrong (not part of the tests; run on a platform started with
# ./dev up). Prints each answer:
#   - a quota refusal of an 8 MiB upload sent at 1 MiB/s against a 2 MiB quota: answered after ~2 MiB, not 8;
#   - malformed uploads (NUL in the file name, no closing boundary): 400s with their messages;
#   - a real client's "None" for parent_id/access_password on folder/create;
#   - S3 stopped (infra.sh down-s3, restarted at the end): 503 + Retry-After, readiness still UP;
#   - with --long: uploads slower than the internal JWT (restart auth-service first with
#     FILEHOST_AUTH_JWT_LIFETIME=20S MP_JWT_VERIFY_CLOCK_SKEW=1 ./dev restart auth-service), folder_id before and
#     after the file part, each ~30 s at 100 KB/s: both land in the folder.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${FH_STATE:-$REPO/.local}"
G=http://127.0.0.1:8080
A=http://127.0.0.1:8081
AK="$(cat "$STATE/keys/admin-key")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

pkg="faults-$RANDOM$RANDOM"
curl -fsS -o /dev/null "$A/admin/packages" -H "X-Admin-Key: $AK" -H 'Content-Type: application/json' -d '{"tenant":"demo",
  "name":"'"$pkg"'","label":"faults","max_upload_size":0,"can_upload":true,"wait_between_downloads":0,
  "download_speed":0,"max_storage_bytes":2097152,"show_site_adverts":false,"show_upgrade_screen":false,
  "days_to_keep_inactive_files":0,"concurrent_uploads":0,"concurrent_downloads":0,"downloads_per_24_hours":0,
  "download_size_per_24_hours":0,"max_download_filesize_allowed":0,"max_remote_download_urls":5,
  "level_type":"paid user","on_upgrade_page":false}'
acct="$(curl -fsS "$A/admin/accounts" -H "X-Admin-Key: $AK" -H 'Content-Type: application/json' \
  -d '{"tenant":"demo","username":"faults-'"$RANDOM$RANDOM"'","package":"'"$pkg"'"}')"
id="$(echo "$acct" | j 'd["account_id"]')"
tok="$(curl -fsS "$G/api/v2/authorize" --data-urlencode "key1=$(echo "$acct" | j 'd["key1"]')" \
  --data-urlencode "key2=$(echo "$acct" | j 'd["key2"]')" | j 'd["data"]["access_token"]')"

echo "## quota refusal: 8 MiB at 1 MiB/s against a 2 MiB quota"
head -c 8388608 /dev/urandom >"$TMP/8m.bin"
curl -sS --limit-rate 1M -o "$TMP/out.json" -w 'HTTP %{http_code}, sent %{size_upload} bytes, %{time_total} s\n' \
  -F "access_token=$tok" -F "account_id=$id" -F "upload_file=@$TMP/8m.bin" "$G/api/v2/file/upload"
cat "$TMP/out.json"; echo

multipart() { # multipart FILENAME CLOSE(yes|no) -> a raw body with the credentials first and "hello" as the file
  printf -- '--b\r\nContent-Disposition: form-data; name="access_token"\r\n\r\n%s\r\n--b\r\nContent-Disposition: form-data; name="account_id"\r\n\r\n%s\r\n--b\r\nContent-Disposition: form-data; name="upload_file"; filename="%b"\r\n\r\nhello' "$tok" "$id" "$1"
  [[ "$2" == yes ]] && printf -- '\r\n--b--\r\n'
  return 0
}
echo "## file name with NUL"
multipart 'a\0b.txt' yes >"$TMP/nul.bin"
curl -sS -w ' HTTP %{http_code}\n' -H 'Content-Type: multipart/form-data; boundary=b' --data-binary "@$TMP/nul.bin" \
  "$G/api/v2/file/upload"
echo "## body without its closing boundary"
multipart 'a.txt' no >"$TMP/open.bin"
curl -sS -w ' HTTP %{http_code}\n' -H 'Content-Type: multipart/form-data; boundary=b' --data-binary "@$TMP/open.bin" \
  "$G/api/v2/file/upload"

echo "## folder/create parent_id=None access_password=None"
curl -sS "$G/api/v2/folder/create" --data-urlencode "access_token=$tok" --data-urlencode "account_id=$id" \
  -d folder_name=py -d parent_id=None -d access_password=None | cut -c1-200; echo

echo "## S3 stopped: an upload, then file-service's readiness"
"$REPO/deploy/local/infra.sh" down-s3 >/dev/null 2>&1
curl -sS -D - -o "$TMP/s3.json" -F "access_token=$tok" -F "account_id=$id" -F "upload_file=@/etc/hostname" \
  "$G/api/v2/file/upload" | grep -i -E '^HTTP|^retry-after'
cat "$TMP/s3.json"; echo
curl -sS -o /dev/null -w 'readiness HTTP %{http_code}\n' http://127.0.0.1:8082/q/health/ready
"$REPO/deploy/local/infra.sh" up >/dev/null 2>&1

if [[ "${1:-}" == --long ]]; then
  echo "## uploads slower than the internal JWT, folder_id before and after the file part"
  demo="$STATE/demo.json"
  dtok="$(curl -fsS "$G/api/v2/authorize" --data-urlencode "key1=$(j 'd["key1"]' <"$demo")" \
    --data-urlencode "key2=$(j 'd["key2"]' <"$demo")" | j 'd["data"]["access_token"]')"
  did="$(j 'd["account_id"]' <"$demo")"
  folder="$(curl -fsS "$G/api/v2/folder/create" --data-urlencode "access_token=$dtok" --data-urlencode "account_id=$did" \
    --data-urlencode "folder_name=long-$RANDOM$RANDOM" | j 'd["data"]["id"]')"
  head -c 3000000 /dev/urandom >"$TMP/slow.bin"
  for order in before after; do
    if [[ $order == before ]]; then
      args=(-F "access_token=$dtok" -F "account_id=$did" -F "folder_id=$folder" -F "upload_file=@$TMP/slow.bin")
    else
      args=(-F "access_token=$dtok" -F "account_id=$did" -F "upload_file=@$TMP/slow.bin" -F "folder_id=$folder")
    fi
    start=$SECONDS
    out="$(curl -sS --limit-rate 100K "${args[@]}" "$G/api/v2/file/upload")"
    echo "folder_id $order the file: $((SECONDS - start)) s: $(echo "$out" | cut -c1-160)"
  done
fi
