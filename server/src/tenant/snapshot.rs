//! What requests see of a tenant: its [`TenantSnapshot`] (tenant row, parsed
//! key ring, JWKS document, revocations, watermarks), replaced whole on every
//! change, and the [`Jwks`] document derived from its keys.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};

use idp::crypto::keys::KeyRing;
use idp::domain::api::Api;
use idp::domain::client::Client;
use idp::domain::tenant::Tenant;
use idp::domain::watermarks::Watermarks;
use idp::ids::ClientId;
use idp::tenants::TenantState;

/// The JWKS document of a tenant, serialized once per change.
#[derive(Debug, Clone)]
pub struct Jwks {
    /// `{"keys":[...]}` bytes.
    pub body: Vec<u8>,
    /// Strong entity tag of `body`.
    pub etag: String,
    /// Key ids in the document and key ids that sign, for change detection.
    pub schedule: Vec<(String, bool)>,
}

impl Jwks {
    /// The document of the keys `ring` publishes at `now` (unix seconds).
    pub fn build(ring: &KeyRing, now: i64) -> Self {
        let mut schedule = Vec::new();
        let keys: Vec<serde_json::Value> = ring
            .published(now)
            .filter_map(|key| {
                schedule.push((key.kid.to_string(), key.signs_at(now)));
                let mut jwk = serde_json::to_value(&key.public).ok()?;
                let members = jwk.as_object_mut()?;
                members.insert("kid".into(), key.kid.as_str().into());
                members.insert("use".into(), "sig".into());
                members.insert("alg".into(), key.alg.as_str().into());
                Some(jwk)
            })
            .collect();
        let body = serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap_or_default();
        let digest = idp::crypto::sha256(&body);
        let etag = format!(
            "\"{}\"",
            idp::crypto::b64url(digest.get(..16).unwrap_or(&digest))
        );
        Self {
            body,
            etag,
            schedule,
        }
    }
}

/// What requests see of a tenant; replaced whole on every change of the
/// tenant. Only its client cache fills in place, from the database.
#[derive(Debug)]
pub struct TenantSnapshot {
    /// The tenant row.
    pub tenant: Tenant,
    /// Parsed signing keys, shared by every signing request.
    pub keys: Arc<KeyRing>,
    /// The published key set.
    pub jwks: Jwks,
    /// The tenant's APIs.
    pub apis: Arc<Vec<Api>>,
    /// Revoked token ids (with their expiry) that have not expired.
    pub revoked: Arc<HashMap<String, i64>>,
    /// Browser origins the tenant's clients registered (CORS).
    pub web_origins: Arc<HashSet<String>>,
    /// Not-before watermarks (admin revocations of a user, client or the tenant).
    pub watermarks: Arc<Watermarks>,
    clients: RwLock<HashMap<ClientId, Arc<Client>>>,
}

impl TenantSnapshot {
    /// A snapshot of `state` as of `now` (unix seconds).
    pub fn new(state: TenantState, now: i64) -> Self {
        Self::with_keys(
            state.tenant,
            state.keys,
            Arc::new(state.apis),
            Arc::new(state.revoked),
            Arc::new(state.web_origins),
            Arc::new(state.watermarks),
            now,
        )
    }

    /// A snapshot from parts; the JWKS is derived at `now`.
    pub fn with_keys(
        tenant: Tenant,
        keys: Arc<KeyRing>,
        apis: Arc<Vec<Api>>,
        revoked: Arc<HashMap<String, i64>>,
        web_origins: Arc<HashSet<String>>,
        watermarks: Arc<Watermarks>,
        now: i64,
    ) -> Self {
        let jwks = Jwks::build(&keys, now);
        Self {
            tenant,
            keys,
            jwks,
            apis,
            revoked,
            web_origins,
            watermarks,
            clients: RwLock::default(),
        }
    }

    /// Whether the token with `jti` was revoked.
    pub fn is_revoked(&self, jti: &str) -> bool {
        self.revoked.contains_key(jti)
    }

    /// Whether a watermark kills what was issued at `issued_at` to
    /// `client_id` for `user_id`.
    pub fn watermarked(
        &self,
        client_id: Option<&str>,
        user_id: Option<&str>,
        issued_at: i64,
    ) -> bool {
        self.watermarks.revokes(client_id, user_id, issued_at)
    }

    /// A cached client.
    pub fn cached_client(&self, id: &ClientId) -> Option<Arc<Client>> {
        self.clients
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Caches a client read from the database for this snapshot's lifetime.
    pub fn cache_client(&self, client: Client) -> Arc<Client> {
        let client = Arc::new(client);
        self.clients
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(client.id.clone(), Arc::clone(&client));
        client
    }
}
