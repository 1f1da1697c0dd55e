-- Remote URL imports (/file/url_upload_add): file-service owns the job; import-worker only fetches (internal-api.md).
CREATE TABLE url_import_job (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       BIGINT       NOT NULL,
    account_id      BIGINT       NOT NULL,
    url             TEXT         NOT NULL,
    -- "the same URL already pending for the account returns the existing item": looked up by hash, not by TEXT
    url_sha256      CHAR(64)     NOT NULL,
    folder_id       BIGINT,
    status          VARCHAR(12)  NOT NULL
        CHECK (status IN ('pending', 'downloading', 'processing', 'complete', 'failed', 'cancelled')),
    -- grows each time a job is re-armed after its worker went silent; events of older attempts are stale
    attempt         INTEGER      NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    -- the package limits when the job was scheduled (the JWT's pkg claim): the event consumer has no caller
    limits          JSONB        NOT NULL,
    max_bytes       BIGINT       NOT NULL CHECK (max_bytes >= 0),
    client_ip       VARCHAR(64),
    total_size      BIGINT,
    downloaded_size BIGINT       NOT NULL DEFAULT 0,
    error           TEXT,
    file_id         BIGINT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    -- last sign of life (scheduled, re-armed, any worker event): a silent 'downloading' job is re-armed
    touched_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX url_import_job_owner ON url_import_job (tenant_id, account_id, status);
CREATE UNIQUE INDEX url_import_job_open_url ON url_import_job (tenant_id, account_id, url_sha256)
    WHERE status IN ('pending', 'downloading', 'processing');
CREATE INDEX url_import_job_open ON url_import_job (touched_at) WHERE status IN ('pending', 'downloading', 'processing');
