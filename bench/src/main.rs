//! `idp-bench-seed OUT_DIR COUNT [USERS]`: on the backend the environment
//! selects (as the server does), creates a benchmark tenant with an API and
//! four machine clients, pre-mints COUNT JWT and COUNT opaque access tokens
//! (so the server under test did not mint them), and writes `seed.json`,
//! `tokens-jwt.txt` and `tokens-opaque.txt` to OUT_DIR.
//!
//! For the sign-in flow benchmarks it also creates a public web client
//! (PKCE, no secret) with the loopback redirect URI [`REDIRECT_URI`], marked
//! first-party so no consent page is shown, and USERS (default
//! [`DEFAULT_USERS`]) users `bench-user-{n}` with the password [`PASSWORD`].

use std::path::PathBuf;
use std::process::ExitCode;

use idp::clock::Clock;
use idp::config::Config;
use idp::crypto::b64url;
use idp::crypto::keys::SigningAlg;
use idp::domain::client::{AuthMethod, NewClient, TokenFormat};
use idp::domain::tenant::NewTenant;
use idp::domain::token::access_token::AccessTokenClaims;
use idp::domain::user::NewUser;
use idp::ids::TenantSlug;
use idp::platform::Platform;
use idp::secret::random_bytes;
use idp_bench::{DEFAULT_USERS, PASSWORD, REDIRECT_URI, user_name};
use serde_json::json;

const API: &str = "https://api.bench.test";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(count)) = (
        args.next(),
        args.next().and_then(|c| c.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: idp-bench-seed OUT_DIR COUNT [USERS]");
        return ExitCode::from(2);
    };
    let users = match args.next().map(|u| u.parse::<usize>()) {
        None => DEFAULT_USERS,
        Some(Ok(users)) => users,
        Some(Err(e)) => {
            eprintln!("idp-bench-seed: USERS: {e}");
            return ExitCode::from(2);
        }
    };
    match seed(PathBuf::from(out), count, users).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idp-bench-seed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn seed(out: PathBuf, count: usize, users: usize) -> Result<(), String> {
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let config = Config::load(None).map_err(|e| text(&e))?;
    let public_url = config.http.public_url.clone();
    let platform = Platform::open(config, Clock::default())
        .await
        .map_err(|e| text(&e))?;
    let slug_text = format!("bench-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let slug = TenantSlug::parse(&slug_text).map_err(|e| text(&e))?;
    let tenant = idp::tenants::create(&platform, NewTenant::new(slug.clone(), "Bench"))
        .await
        .map_err(|e| text(&e))?;
    let scopes = idp::apis::scopes(&[("api:read", "Read"), ("api:write", "Write")]);
    idp::apis::create(&platform, tenant.id, API, "Bench API", scopes, true)
        .await
        .map_err(|e| text(&e))?;

    let mut clients = serde_json::Map::new();
    for (name, format, alg) in [
        ("es256", TokenFormat::Jwt, SigningAlg::ES256),
        ("rs256", TokenFormat::Jwt, SigningAlg::RS256),
        ("opaque", TokenFormat::Opaque, SigningAlg::ES256),
        ("introspector", TokenFormat::Jwt, SigningAlg::ES256),
    ] {
        let new = NewClient {
            token_format: format,
            access_token_alg: Some(alg),
            access_token_ttl_secs: Some(3600),
            ..NewClient::machine(name, &["api:read", "api:write"])
        };
        let created = idp::clients::create(&platform, tenant.id, new)
            .await
            .map_err(|e| text(&e))?;
        let secret = created
            .secret
            .map(|s| s.expose().clone())
            .unwrap_or_default();
        clients.insert(
            name.into(),
            json!({ "id": created.client.id, "secret": secret }),
        );
    }
    let web = NewClient {
        first_party: true,
        ..NewClient::web(
            "Bench web app",
            AuthMethod::None,
            &[REDIRECT_URI],
            &["profile", "email", "offline_access"],
        )
    };
    let web = idp::clients::create(&platform, tenant.id, web)
        .await
        .map_err(|e| text(&e))?;
    for n in 0..users {
        idp::users::create(
            &platform,
            tenant.id,
            NewUser::with_password(&user_name(n), PASSWORD),
        )
        .await
        .map_err(|e| text(&e))?;
    }

    let introspector = clients
        .get("introspector")
        .and_then(|c| c["id"].as_str())
        .unwrap_or_default()
        .to_owned();

    let state = idp::tenants::load_state(&platform, &slug, None)
        .await
        .map_err(|e| text(&e))?
        .ok_or("tenant vanished")?;
    let now = platform.clock.now_secs();
    let issuer = tenant.issuer(&public_url);
    let claims = |jti: String| AccessTokenClaims {
        iss: issuer.clone(),
        sub: introspector.clone(),
        aud: API.to_owned(),
        exp: now + 6 * 3600,
        iat: now,
        jti,
        client_id: introspector.clone(),
        scope: "api:read".to_owned(),
        gid: None,
    };
    let signer = state
        .keys
        .signer(SigningAlg::ES256, now)
        .ok_or("no ES256 key")?;
    let mut jwts = String::new();
    for _ in 0..count {
        let jwt = signer
            .sign_jwt("at+jwt", &claims(b64url(&random_bytes::<16>())))
            .map_err(|e| text(&e))?;
        jwts.push_str(&jwt);
        jwts.push('\n');
    }
    let mut opaque = String::new();
    let mut batch = Vec::new();
    for i in 0..count {
        let token = b64url(&random_bytes::<32>());
        batch.push(idp::tokens::opaque_row(
            tenant.id,
            &token,
            &claims(b64url(&random_bytes::<16>())),
        ));
        opaque.push_str(&token);
        opaque.push('\n');
        if batch.len() == 2000 || i + 1 == count {
            idp::tokens::store_opaque(&platform, std::mem::take(&mut batch))
                .await
                .map_err(|e| text(&e))?;
        }
    }
    std::fs::create_dir_all(&out).map_err(|e| text(&e))?;
    std::fs::write(out.join("tokens-jwt.txt"), jwts).map_err(|e| text(&e))?;
    std::fs::write(out.join("tokens-opaque.txt"), opaque).map_err(|e| text(&e))?;
    let seed = json!({
        "slug": slug_text,
        "api": API,
        "clients": clients,
        "web": { "id": web.client.id, "redirect_uri": REDIRECT_URI, "users": users },
    });
    std::fs::write(out.join("seed.json"), seed.to_string()).map_err(|e| text(&e))?;
    Ok(())
}
