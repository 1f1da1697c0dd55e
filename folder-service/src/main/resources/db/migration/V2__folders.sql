-- Folders of every tenant and account. Every query filters by (tenant_id, account_id): the leading columns of the
-- indexes below. Trashed folders keep their rows (status 'trash') so a purge job can later remove them with their files.
CREATE SEQUENCE folder_id_seq;

CREATE TABLE folders (
    id              BIGINT       PRIMARY KEY DEFAULT nextval('folder_id_seq'),
    tenant_id       BIGINT       NOT NULL,
    account_id      BIGINT       NOT NULL,
    parent_id       BIGINT       REFERENCES folders (id),
    folder_name     VARCHAR(255) NOT NULL,
    is_public       SMALLINT     NOT NULL DEFAULT 0 CHECK (is_public BETWEEN 0 AND 2),
    access_password CHAR(32)     CHECK (access_password ~ '^[0-9a-f]{32}$'),
    status          VARCHAR(8)   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'trash')),
    date_added      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    date_updated    TIMESTAMPTZ,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
ALTER SEQUENCE folder_id_seq OWNED BY folders.id;

-- Listing: the active children of one parent of one account, in name order (case-insensitive, then exact, then id).
CREATE INDEX folders_listing ON folders (tenant_id, account_id, parent_id, status, lower(folder_name), folder_name, id);
-- Walking a tree downwards (recursive CTE over parent_id) and the foreign key's checks.
CREATE INDEX folders_parent ON folders (parent_id);
