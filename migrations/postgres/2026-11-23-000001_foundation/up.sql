CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    policy TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tenants_revision ON tenants (revision);

CREATE TABLE signing_keys (
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kid TEXT NOT NULL,
    alg TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_key BYTEA NOT NULL,
    activates_at BIGINT NOT NULL,
    retires_at BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kid)
);

CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);
