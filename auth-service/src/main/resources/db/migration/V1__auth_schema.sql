-- auth-service schema: tenants, their hosts and packages, accounts, API key pairs, access tokens, login failures.
-- Secrets are never stored in clear: key2 and access tokens as SHA-256 hex; even the key1 a failed login attempted is
-- kept only as a hash (a client that swaps key1 and key2 would otherwise leave key2 in this table).

-- Visible ids (tenants, packages, accounts appear in API output) are dense: increment 1.
create sequence tenant_id_seq start with 1 increment by 1;
create sequence tenant_host_id_seq start with 1 increment by 1;
create sequence package_id_seq start with 1 increment by 1;
create sequence account_id_seq start with 1 increment by 1;
create sequence api_key_id_seq start with 1 increment by 1;
-- High-churn rows: pooled (Hibernate's pooled optimizer, allocationSize = increment).
create sequence access_token_id_seq start with 1 increment by 50;
create sequence login_failure_id_seq start with 1 increment by 50;

create table tenants (
    id              bigint primary key,
    name            varchar(100)  not null,
    public_base_url varchar(2048),
    strict_http     boolean       not null default false,
    time_zone       varchar(64)   not null default 'UTC',
    is_default      boolean       not null default false,
    created_at      timestamp(6) with time zone not null,
    constraint tenants_name_unique unique (name)
);
-- At most one default tenant (the one an unknown Host resolves to).
create unique index tenants_single_default on tenants ((is_default)) where is_default;

create table tenant_hosts (
    id        bigint primary key,
    tenant_id bigint       not null references tenants (id) on delete cascade,
    host      varchar(255) not null,
    constraint tenant_hosts_host_unique unique (host),
    constraint tenant_hosts_host_lower check (host = lower(host))
);
create index tenant_hosts_tenant on tenant_hosts (tenant_id);

create table packages (
    id                            bigint primary key,
    tenant_id                     bigint       not null references tenants (id) on delete cascade,
    name                          varchar(32)  not null,
    label                         varchar(255) not null,
    max_upload_size               bigint       not null check (max_upload_size >= 0),
    can_upload                    boolean      not null,
    wait_between_downloads        integer      not null check (wait_between_downloads >= 0),
    download_speed                bigint       not null check (download_speed >= 0),
    max_storage_bytes             bigint       not null check (max_storage_bytes >= 0),
    show_site_adverts             boolean      not null,
    show_upgrade_screen           boolean      not null,
    days_to_keep_inactive_files   integer      not null check (days_to_keep_inactive_files >= 0),
    concurrent_uploads            integer      not null check (concurrent_uploads >= 0),
    concurrent_downloads          integer      not null check (concurrent_downloads >= 0),
    downloads_per_24_hours        integer      not null check (downloads_per_24_hours >= 0),
    download_size_per_24_hours    bigint       not null check (download_size_per_24_hours >= 0),
    max_download_filesize_allowed bigint       not null check (max_download_filesize_allowed >= 0),
    max_remote_download_urls      integer      not null check (max_remote_download_urls >= 0),
    level_type                    varchar(32)  not null,
    on_upgrade_page               boolean      not null,
    constraint packages_name_unique unique (tenant_id, name),
    -- target of accounts' composite foreign key: an account's package belongs to the account's tenant
    constraint packages_tenant_id_unique unique (tenant_id, id)
);

create table accounts (
    id                     bigint primary key,
    tenant_id              bigint       not null references tenants (id),
    username               varchar(255) not null,
    package_id             bigint       not null,
    email                  varchar(255),
    status                 varchar(16)  not null,
    title                  varchar(32),
    firstname              varchar(255),
    lastname               varchar(255),
    language_id            integer,
    date_created           timestamp(6) with time zone not null,
    last_login_date        timestamp(6) with time zone,
    last_login_ip          varchar(64),
    last_payment           timestamp(6) with time zone,
    paid_expiry_date       timestamp(6) with time zone,
    storage_limit_override bigint check (storage_limit_override >= 0),
    constraint accounts_status_check check (status in ('active', 'pending', 'suspended', 'disabled')),
    constraint accounts_package_fk foreign key (tenant_id, package_id) references packages (tenant_id, id)
);
-- Usernames are unique per tenant regardless of case ("Admin" and "admin" are the same person to a human).
create unique index accounts_username_unique on accounts (tenant_id, lower(username));
create index accounts_package on accounts (package_id);

create table api_keys (
    id          bigint primary key,
    account_id  bigint      not null references accounts (id) on delete cascade,
    key1        varchar(64) not null,
    key2_sha256 varchar(64) not null,
    created_at  timestamp(6) with time zone not null,
    revoked_at  timestamp(6) with time zone,
    constraint api_keys_key1_unique unique (key1)
);
-- One live key pair per account; rotated pairs stay (revoked) so a key1 is never reissued.
create unique index api_keys_one_live_per_account on api_keys (account_id) where revoked_at is null;

create table access_tokens (
    id           bigint primary key,
    token_sha256 varchar(64) not null,
    account_id   bigint      not null references accounts (id) on delete cascade,
    tenant_id    bigint      not null references tenants (id),
    created_at   timestamp(6) with time zone not null,
    last_used_at timestamp(6) with time zone not null,
    -- last_used_at + idle timeout, kept explicit so expiry checks and the cleanup job are one indexed comparison
    expires_at   timestamp(6) with time zone not null,
    constraint access_tokens_hash_unique unique (token_sha256)
);
create index access_tokens_account_created on access_tokens (account_id, created_at);
create index access_tokens_expires on access_tokens (expires_at);

-- One row per failed /authorize; the lockout counts rows per client ip / per key1 within a window.
create table login_failures (
    id          bigint primary key,
    client_ip   varchar(64) not null,
    key1_sha256 varchar(64) not null,
    failed_at   timestamp(6) with time zone not null
);
create index login_failures_ip_time on login_failures (client_ip, failed_at);
create index login_failures_key1_time on login_failures (key1_sha256, failed_at);
create index login_failures_time on login_failures (failed_at);

-- An active lock on a client ip or a key1 (hashed). Written with an upsert; expired rows are removed by the cleanup job.
create table login_lockouts (
    scope        varchar(8)  not null,
    subject      varchar(64) not null,
    locked_until timestamp(6) with time zone not null,
    primary key (scope, subject),
    constraint login_lockouts_scope_check check (scope in ('ip', 'key1'))
);
create index login_lockouts_until on login_lockouts (locked_until);
