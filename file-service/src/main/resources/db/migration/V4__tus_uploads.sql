-- Resumable uploads (tus 1.0, docs/tus.md). Everything a replica needs to continue an upload lives here and in S3:
-- nothing on a replica's disk or in its memory between requests.
CREATE TABLE tus_upload (
    id              VARCHAR(40)  PRIMARY KEY,            -- 128 random bits, hex: the unguessable part of the URL
    tenant_id       BIGINT       NOT NULL,
    account_id      BIGINT       NOT NULL,
    upload_length   BIGINT,                              -- NULL while the length is deferred
    upload_offset   BIGINT       NOT NULL DEFAULT 0,
    metadata        TEXT,                                -- Upload-Metadata as sent, for HEAD
    filename        VARCHAR(255) NOT NULL,
    folder_id       BIGINT,
    client_ip       VARCHAR(64),
    object_key      VARCHAR(200) NOT NULL UNIQUE,
    s3_upload_id    VARCHAR(1024) NOT NULL,
    -- bytes after the last full part, kept as a small object of their own between requests
    tail_key        VARCHAR(220),
    tail_size       INTEGER      NOT NULL DEFAULT 0,
    md5_state       BYTEA        NOT NULL,
    sha256_state    BYTEA        NOT NULL,
    -- quota held for this upload (counted by Quotas next to upload sessions); 0 once completed
    reserved_bytes  BIGINT       NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0),
    -- one PATCH at a time: the request holding the lease; a crashed replica's lease runs out
    lease_token     UUID,
    lease_until     TIMESTAMPTZ,
    status          VARCHAR(12)  NOT NULL DEFAULT 'receiving', -- receiving, completing, completed
    file_id         BIGINT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX tus_upload_owner ON tus_upload (tenant_id, account_id);
CREATE INDEX tus_upload_expiry ON tus_upload (expires_at);

-- The S3 parts uploaded so far (all but the last part are full parts of the configured size).
CREATE TABLE tus_part (
    upload_id   VARCHAR(40) NOT NULL REFERENCES tus_upload (id) ON DELETE CASCADE,
    part_number INTEGER     NOT NULL,
    etag        VARCHAR(200) NOT NULL,
    size        BIGINT      NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
