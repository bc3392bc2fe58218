CREATE TABLE users (
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    username TEXT,
    email TEXT,
    email_verified BOOLEAN NOT NULL,
    password_hash TEXT,
    profile TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_username ON users (tenant_id, username);
CREATE UNIQUE INDEX users_email ON users (tenant_id, email);
