-- Every admin change, written in the transaction of the change itself.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- Who may use the admin service: a subject of the system tenant
-- ('client:{id}' or 'user:{id}') and the tenant it administers ('*': all).
CREATE TABLE admin_grants (
    subject TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (subject, tenant_id)
);

-- Not-before watermarks: tokens and sessions of the subject ('tenant',
-- 'client:{id}', 'user:{id}') issued at or before not_before are dead.
-- Kept until nothing issued before them can still be alive.
CREATE TABLE token_watermarks (
    tenant_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, subject)
);
