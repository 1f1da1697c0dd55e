#!/bin/sh
# The bucket and the services' S3 identity (S3_ACCESS_KEY), allowed that bucket only. Idempotent.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$BUCKET"
mc admin user add local "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
# create replaces the policy when it exists on current mc releases; tolerate older ones that refuse.
mc admin policy create local filehost-bucket /filehost-policy.json || mc admin policy info local filehost-bucket >/dev/null
# Attaching twice is an error; an attached policy is what we want either way.
mc admin policy attach local filehost-bucket --user "$S3_ACCESS_KEY" 2>/dev/null || true
# Incomplete multipart uploads (a service killed mid-upload) are removed by MinIO itself after 24 h
# (its `api stale_uploads_expiry` default); on another S3 add an AbortIncompleteMultipartUpload lifecycle rule.
