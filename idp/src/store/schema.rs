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

diesel::joinable!(signing_keys -> tenants (tenant_id));
diesel::allow_tables_to_appear_in_same_query!(tenants, signing_keys, change_counter);
