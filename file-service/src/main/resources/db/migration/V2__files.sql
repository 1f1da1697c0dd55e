-- Stored bytes, shared by every file record that points at them (copy, dedup). ref_count is changed only in the
-- transaction that adds or purges a referencing record; the S3 object goes after the commit that took it to zero.
CREATE TABLE stored_object (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT       NOT NULL,
    object_key  VARCHAR(200) NOT NULL UNIQUE,
    size        BIGINT       NOT NULL,
    md5         CHAR(32)     NOT NULL,
    sha256      CHAR(64)     NOT NULL,
    ref_count   INTEGER      NOT NULL CHECK (ref_count >= 0),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- dedup: identical content of one tenant is stored once
    CONSTRAINT stored_object_content UNIQUE (tenant_id, sha256)
);

CREATE TABLE file_record (
    id               BIGSERIAL PRIMARY KEY,
    tenant_id        BIGINT       NOT NULL,
    account_id       BIGINT       NOT NULL,
    stored_object_id BIGINT       NOT NULL REFERENCES stored_object (id),
    filename         VARCHAR(255) NOT NULL,
    file_type        VARCHAR(255) NOT NULL,
    extension        VARCHAR(255) NOT NULL,
    file_size        BIGINT       NOT NULL,
    uploaded_ip      VARCHAR(64),
    uploaded_date    TIMESTAMPTZ  NOT NULL,
    status           VARCHAR(10)  NOT NULL,
    downloads        BIGINT       NOT NULL DEFAULT 0,
    last_accessed    TIMESTAMPTZ,
    folder_id        BIGINT,
    keywords         TEXT         NOT NULL,
    is_public        INTEGER      NOT NULL DEFAULT 1,
    upload_source    VARCHAR(20)  NOT NULL,
    delete_hash      CHAR(32)     NOT NULL,
    unique_hash      CHAR(64)     NOT NULL UNIQUE,
    trashed_at       TIMESTAMPTZ
);
CREATE INDEX file_record_owner ON file_record (tenant_id, account_id, folder_id, status);
CREATE INDEX file_record_trash ON file_record (trashed_at) WHERE status = 'trash';
CREATE INDEX file_record_object ON file_record (stored_object_id);

-- Per-account storage in use (active files). Quota checks lock this row, so they are serialised per account.
CREATE TABLE account_usage (
    tenant_id  BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    used_bytes BIGINT NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    PRIMARY KEY (tenant_id, account_id)
);

-- Uploads in flight: one row per upload (the concurrent-uploads count) holding the quota it has reserved so far.
-- A row converts into used_bytes with the file row, or is deleted on failure; a crashed process stops its heartbeat
-- and the sweep deletes the row, so nothing stays reserved for ever.
CREATE TABLE upload_session (
    id             UUID        PRIMARY KEY,
    tenant_id      BIGINT      NOT NULL,
    account_id     BIGINT      NOT NULL,
    reserved_bytes BIGINT      NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0),
    started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX upload_session_account ON upload_session (tenant_id, account_id);
CREATE INDEX upload_session_heartbeat ON upload_session (heartbeat_at);

-- Download tokens: stored hashed, with the issuing account's package limits frozen at issue time.
CREATE TABLE download_token (
    token_hash CHAR(64)    PRIMARY KEY,
    tenant_id  BIGINT      NOT NULL,
    account_id BIGINT      NOT NULL,
    file_id    BIGINT      NOT NULL,
    limits     JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX download_token_expiry ON download_token (expires_at);

-- Served downloads, for the package's per-24-hours limits of the token's owner.
CREATE TABLE download_log (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  BIGINT      NOT NULL,
    account_id BIGINT      NOT NULL,
    file_id    BIGINT      NOT NULL,
    bytes      BIGINT      NOT NULL,
    -- false for a range further into the file (a resumed download): volume counts, the download count does not
    counted    BOOLEAN     NOT NULL DEFAULT true,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX download_log_account ON download_log (tenant_id, account_id, started_at);
