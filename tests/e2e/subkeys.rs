//! A database written before the master key had subkeys (private keys sealed
//! under the master key itself, client-secret digests under a pepper that was
//! an HMAC of it) still works after the upgrade at start, once, with two
//! servers starting on it together.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::hmac;
use base64::Engine;
use diesel::prelude::*;
use idp::crypto::at_rest::Sealer;
use idp::domain::client::NewClient;
use idp::secret::Secret;
use idp::store::schema::{clients, platform_state, signing_keys};
use idp::store::subkey_upgrade;

use crate::support::fresh_db::FreshDatabase;
use crate::support::{DataDir, TEST_MASTER_KEY, TestServer};

fn master_key() -> [u8; 32] {
    base64::engine::general_purpose::STANDARD
        .decode(TEST_MASTER_KEY)
        .expect("base64")
        .try_into()
        .expect("32 bytes")
}

/// AES-256-GCM under the master key itself, version byte 1: the old form.
fn legacy_seal(plaintext: &[u8], context: &[u8]) -> Vec<u8> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &master_key()).expect("key"));
    let nonce = [7u8; 12];
    let mut in_out = plaintext.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(context),
        &mut in_out,
    )
    .expect("sealed");
    [vec![1u8], nonce.to_vec(), in_out].concat()
}

/// HMAC-SHA256 under HMAC(master key, label): the old digest form.
fn legacy_digest(tenant: &str, client: &str, secret: &str) -> Vec<u8> {
    let root = hmac::Key::new(hmac::HMAC_SHA256, &master_key());
    let pepper = hmac::sign(&root, b"idp client secret pepper v1");
    let key = hmac::Key::new(hmac::HMAC_SHA256, pepper.as_ref());
    hmac::sign(&key, format!("{tenant}/{client}/{secret}").as_bytes())
        .as_ref()
        .to_vec()
}

#[actix_rt::test]
async fn a_database_written_before_subkeys_works_after_the_upgrade() {
    let database = FreshDatabase::new();
    let url = database.url.clone();
    let on_database = move |config: &mut idp::config::Config| {
        config.database.url = Some(url.clone());
    };

    // Written by this release, then turned back into the old forms.
    let first = TestServer::start_with(&DataDir::new(), on_database.clone()).await;
    let tenant = first.tenant().await;
    first.api(&tenant).await;
    let creds = first
        .client(&tenant, NewClient::machine("old", &["read"]))
        .await;
    let jwks_before = first
        .get(&format!("/t/{}/jwks.json", tenant.slug))
        .await
        .text()
        .await
        .expect("body");
    first.stop().await;
    let mut conn = database.connect();
    let sealer = Sealer::new(&Secret::new(master_key()));
    let rows: Vec<(String, String, Vec<u8>)> = signing_keys::table
        .select((
            signing_keys::tenant_id,
            signing_keys::kid,
            signing_keys::private_key,
        ))
        .load(&mut conn)
        .expect("keys");
    assert!(!rows.is_empty());
    for (tenant_id, kid, sealed) in &rows {
        let context = format!("{tenant_id}/{kid}");
        let plain = sealer.open(sealed, context.as_bytes()).expect("opens");
        diesel::update(
            signing_keys::table
                .filter(signing_keys::tenant_id.eq(tenant_id))
                .filter(signing_keys::kid.eq(kid)),
        )
        .set(signing_keys::private_key.eq(legacy_seal(plain.expose(), context.as_bytes())))
        .execute(&mut conn)
        .expect("old form");
    }
    let tenant_id = tenant.id.to_string();
    diesel::update(
        clients::table
            .filter(clients::tenant_id.eq(&tenant_id))
            .filter(clients::client_id.eq(&creds.id)),
    )
    .set(clients::secret_digest.eq(Some(legacy_digest(&tenant_id, &creds.id, &creds.secret))))
    .execute(&mut conn)
    .expect("old digest");
    diesel::delete(platform_state::table)
        .execute(&mut conn)
        .expect("no marker");

    // Two servers start on it together; both serve the same keys and accept
    // the old secret.
    let data = DataDir::new();
    let (a, b) = tokio::join!(
        TestServer::start_with(&data, on_database.clone()),
        TestServer::start_with(&data, on_database.clone())
    );
    for server in [&a, &b] {
        let jwks = server
            .get(&format!("/t/{}/jwks.json", tenant.slug))
            .await
            .text()
            .await
            .expect("body");
        assert_eq!(jwks, jwks_before);
        let token = server.access_token(&tenant, &creds).await;
        assert_eq!(
            server.introspect(&tenant, &creds, &token).await["active"],
            true
        );
    }

    // Everything is in the new forms, once, and the marker says so.
    let sealed: Vec<Vec<u8>> = signing_keys::table
        .select(signing_keys::private_key)
        .load(&mut conn)
        .expect("keys");
    assert!(sealed.iter().all(|s| Sealer::is_current(s)));
    let digest: Option<Vec<u8>> = clients::table
        .filter(clients::tenant_id.eq(&tenant_id))
        .filter(clients::client_id.eq(&creds.id))
        .select(clients::secret_digest)
        .first(&mut conn)
        .expect("client");
    assert_eq!(digest.as_deref().map(<[u8]>::len), Some(33), "wrapped once");
    let marker: Option<String> = platform_state::table
        .filter(platform_state::name.eq(subkey_upgrade::MARKER))
        .select(platform_state::value)
        .first(&mut conn)
        .optional()
        .expect("marker");
    assert_eq!(marker.as_deref(), Some("1"));
    a.stop().await;
    b.stop().await;
}
