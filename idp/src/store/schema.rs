//! Table definitions, portable across PostgreSQL and SQLite. Kept in step with
//! `migrations/*/`; the e2e suite checks both backends against it.

diesel::table! {
    /// Tenants; `revision` is the change counter value of the last change.
    tenants (id) {
        id -> Text,
        slug -> Text,
        display_name -> Text,
        policy -> Text,
        enabled -> Bool,
        revision -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Per-tenant signing keys; `private_key` is sealed (crypto::at_rest).
    signing_keys (tenant_id, kid) {
        tenant_id -> Text,
        kid -> Text,
        alg -> Text,
        public_jwk -> Text,
        private_key -> Binary,
        activates_at -> BigInt,
        retires_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// One row (id 1): bumped by every change that server caches depend on.
    change_counter (id) {
        id -> Integer,
        value -> BigInt,
    }
}

diesel::table! {
    /// APIs (resource servers): `identifier` is the `aud` of their tokens.
    apis (tenant_id, id) {
        tenant_id -> Text,
        id -> Text,
        identifier -> Text,
        name -> Text,
        scopes -> Text,
        is_default -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// OAuth clients; secrets only as keyed digests.
    clients (tenant_id, client_id) {
        tenant_id -> Text,
        client_id -> Text,
        name -> Text,
        confidential -> Bool,
        auth_method -> Text,
        secret_digest -> Nullable<Binary>,
        previous_secret_digest -> Nullable<Binary>,
        previous_secret_expires_at -> Nullable<BigInt>,
        settings -> Text,
        enabled -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Opaque access tokens, by SHA-256 digest of the token.
    opaque_tokens (tenant_id, digest) {
        tenant_id -> Text,
        digest -> Binary,
        jti -> Text,
        client_id -> Text,
        subject -> Text,
        audience -> Text,
        scope -> Text,
        issued_at -> BigInt,
        expires_at -> BigInt,
        revoked -> Bool,
        grant_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Refresh tokens by SHA-256 digest; one grant (family) per code redemption.
    refresh_tokens (tenant_id, digest) {
        tenant_id -> Text,
        digest -> Binary,
        grant_id -> Text,
        client_id -> Text,
        user_id -> Text,
        session_id -> Text,
        scope -> Text,
        audience -> Text,
        auth_time -> BigInt,
        amr -> Text,
        issued_at -> BigInt,
        expires_at -> BigInt,
        family_expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        revoked -> Bool,
    }
}

diesel::table! {
    /// Revoked token ids, kept until the token would have expired.
    revoked_tokens (tenant_id, jti) {
        tenant_id -> Text,
        jti -> Text,
        expires_at -> BigInt,
        revoked_at -> BigInt,
    }
}

diesel::table! {
    /// End users; `email` is stored lower-cased; passwords as argon2id PHC strings.
    users (tenant_id, id) {
        tenant_id -> Text,
        id -> Text,
        username -> Nullable<Text>,
        email -> Nullable<Text>,
        email_verified -> Bool,
        password_hash -> Nullable<Text>,
        profile -> Text,
        enabled -> Bool,
        locked_until -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Scopes a user granted a client; `scopes` is a JSON list.
    consents (tenant_id, user_id, client_id) {
        tenant_id -> Text,
        user_id -> Text,
        client_id -> Text,
        scopes -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Admin changes, one row each, written in the change's transaction.
    audit_log (id) {
        id -> BigInt,
        tenant_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        resource_type -> Text,
        resource_id -> Text,
        detail -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    /// Admin rights: a system-tenant subject and the tenant it administers ('*': all).
    admin_grants (subject, tenant_id) {
        subject -> Text,
        tenant_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Not-before watermarks of a tenant, a client or a user.
    token_watermarks (tenant_id, subject) {
        tenant_id -> Text,
        subject -> Text,
        not_before -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    /// Named facts about the database as a whole (e.g. the subkey upgrade).
    platform_state (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    platform_state,
    admin_grants,
    token_watermarks,
    tenants,
    signing_keys,
    change_counter,
    apis,
    clients,
    opaque_tokens,
    revoked_tokens,
    users,
    consents,
    refresh_tokens
);
