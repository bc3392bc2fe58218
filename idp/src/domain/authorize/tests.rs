use super::*;
use crate::domain::client::{AuthMethod, ClientSettings, SecretDigests, TokenFormat};
use crate::ids::ClientId;

const CHALLENGE: &str = "X8BIt3_xr8h2gJF786Od1t2JXu07KQ78f1vbnMBBg9o";

fn client(confidential: bool, uris: &[&str]) -> Client {
    Client {
        id: ClientId::new("c"),
        name: "c".into(),
        confidential,
        auth_method: if confidential {
            AuthMethod::ClientSecretBasic
        } else {
            AuthMethod::None
        },
        secrets: SecretDigests::default(),
        settings: ClientSettings {
            redirect_uris: uris.iter().map(|u| (*u).to_owned()).collect(),
            grant_types: vec![GrantType::AuthorizationCode],
            scopes: vec!["profile".into(), "api:read".into()],
            apis: vec![],
            token_format: TokenFormat::Jwt,
            access_token_ttl_secs: None,
            access_token_alg: None,
            first_party: false,
            id_token_alg: None,
            post_logout_redirect_uris: vec![],
            web_origins: vec![],
        },
        enabled: true,
    }
}

fn params(pairs: &[(&str, &str)]) -> Params {
    Params::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
}

fn base<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("client_id", "c"),
        ("response_type", "code"),
        ("redirect_uri", "https://c.example/cb"),
        ("scope", "openid profile"),
        ("state", "S"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in extra {
        pairs.retain(|(name, _)| name != k);
        pairs.push((k, v));
    }
    pairs
}

fn outcome(c: &Client, pairs: &[(&str, &str)]) -> AuthorizeOutcome {
    validate(&params(pairs), Some(c), &TenantPolicy::default(), &[])
}

fn redirected_error(outcome: AuthorizeOutcome) -> &'static str {
    match outcome {
        AuthorizeOutcome::Redirect(r) => {
            assert_eq!(r.state.as_deref(), Some("S"), "state comes back");
            r.error.code.as_str()
        }
        other => panic!("expected a redirect, got {other:?}"),
    }
}

#[test]
fn a_valid_request() {
    let c = client(true, &["https://c.example/cb"]);
    let AuthorizeOutcome::Valid(request) =
        outcome(&c, &base(&[("nonce", "n"), ("extra", "ignored")]))
    else {
        panic!("valid")
    };
    assert_eq!(request.scopes, vec!["openid", "profile"]);
    assert!(request.is_oidc());
    assert_eq!(request.nonce.as_deref(), Some("n"));
    assert!(request.redirect_uri_sent);
}

#[test]
fn client_and_redirect_uri_errors_never_redirect() {
    let c = client(true, &["https://c.example/cb", "https://c.example/cb2"]);
    let page = |o| matches!(o, AuthorizeOutcome::ErrorPage(_));
    assert!(
        page(validate(
            &params(&base(&[])),
            None,
            &TenantPolicy::default(),
            &[]
        )),
        "RDR-05 unknown"
    );
    assert!(
        page(outcome(
            &c,
            &base(&[("redirect_uri", "https://evil.example/cb")])
        )),
        "RDR-05"
    );
    assert!(
        page(outcome(
            &c,
            &base(&[("redirect_uri", "https://c.example/cb/")])
        )),
        "RDR-01"
    );
    let mut no_uri = base(&[]);
    no_uri.retain(|(k, _)| *k != "redirect_uri");
    assert!(page(outcome(&c, &no_uri)), "RDR-06");
    let mut twice = base(&[]);
    twice.push(("redirect_uri", "https://c.example/cb2"));
    assert!(page(outcome(&c, &twice)));
    let mut disabled = c.clone();
    disabled.enabled = false;
    assert!(page(outcome(&disabled, &base(&[]))));
}

#[test]
fn later_errors_redirect_with_state() {
    let c = client(true, &["https://c.example/cb"]);
    assert_eq!(
        redirected_error(outcome(&c, &base(&[("scope", "nope")]))),
        "invalid_scope",
        "RDR-07"
    );
    let mut repeated = base(&[]);
    repeated.push(("scope", "profile"));
    assert_eq!(
        redirected_error(outcome(&c, &repeated)),
        "invalid_request",
        "RDR-09"
    );
    let mut no_type = base(&[]);
    no_type.retain(|(k, _)| *k != "response_type");
    assert_eq!(
        redirected_error(outcome(&c, &no_type)),
        "invalid_request",
        "RDR-10"
    );
    assert_eq!(
        redirected_error(outcome(&c, &base(&[("response_type", "token")]))),
        "unsupported_response_type",
        "RDR-11"
    );
    assert_eq!(
        redirected_error(outcome(&c, &base(&[("prompt", "none login")]))),
        "invalid_request"
    );
    assert_eq!(
        redirected_error(outcome(&c, &base(&[("max_age", "-1")]))),
        "invalid_request"
    );
    // OIDC Core §6: request objects are refused, not ignored.
    assert_eq!(
        redirected_error(outcome(
            &c,
            &base(&[("request", "eyJhbGciOiJub25lIn0.e30.")])
        )),
        "request_not_supported"
    );
    assert_eq!(
        redirected_error(outcome(
            &c,
            &base(&[("request_uri", "https://c.example/request.jwt")])
        )),
        "request_uri_not_supported"
    );
}

#[test]
fn pkce_rules() {
    let public = client(false, &["https://c.example/cb"]);
    let mut none = base(&[]);
    none.retain(|(k, _)| !k.starts_with("code_challenge"));
    assert_eq!(
        redirected_error(outcome(&public, &none)),
        "invalid_request",
        "PKC-01"
    );
    let confidential = client(true, &["https://c.example/cb"]);
    assert_eq!(
        redirected_error(outcome(&confidential, &none)),
        "invalid_request",
        "PKC-08"
    );
    let relaxed = TenantPolicy {
        require_pkce_for_confidential: false,
        ..TenantPolicy::default()
    };
    // Relaxed: no challenge only with nonce assurance (an OpenID request with a nonce).
    assert_eq!(
        redirected_error(validate(&params(&none), Some(&confidential), &relaxed, &[])),
        "invalid_request",
        "PKC-08 without a nonce"
    );
    let mut with_nonce = none.clone();
    with_nonce.push(("nonce", "n"));
    assert!(matches!(
        validate(&params(&with_nonce), Some(&confidential), &relaxed, &[]),
        AuthorizeOutcome::Valid(_)
    ));
    assert_eq!(
        redirected_error(outcome(
            &public,
            &base(&[("code_challenge_method", "plain")])
        )),
        "invalid_request",
        "PKC-02"
    );
    let mut no_method = base(&[]);
    no_method.retain(|(k, _)| *k != "code_challenge_method");
    assert_eq!(
        redirected_error(outcome(&public, &no_method)),
        "invalid_request",
        "PKC-02"
    );
    assert_eq!(
        redirected_error(outcome(
            &public,
            &base(&[("code_challenge", &CHALLENGE[..42])])
        )),
        "invalid_request",
        "PKC-03"
    );
}

#[test]
fn loopback_port_may_vary_and_is_kept() {
    let native = client(false, &["http://127.0.0.1/cb"]);
    let AuthorizeOutcome::Valid(request) = outcome(
        &native,
        &base(&[("redirect_uri", "http://127.0.0.1:51234/cb")]),
    ) else {
        panic!("RDR-02")
    };
    assert_eq!(request.redirect_uri, "http://127.0.0.1:51234/cb");
}

#[test]
fn error_redirects_keep_the_registered_query_and_encode_state() {
    let redirect = ErrorRedirect {
        redirect_uri: "https://c.example/cb?x=1".into(),
        error: AuthorizeError::new(
            AuthorizeErrorCode::AccessDenied,
            "the user denied the request",
        ),
        state: Some("a+b/c=d%e&f~".into()),
    };
    let url = redirect.url("https://id.example/t/a").expect("url");
    assert!(
        url.starts_with("https://c.example/cb?x=1&error=access_denied"),
        "{url}"
    );
    let parsed = url::Url::parse(&url).expect("parses");
    let pairs: HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(pairs["state"], "a+b/c=d%e&f~", "RDR-12: byte-exact");
    assert_eq!(pairs["iss"], "https://id.example/t/a", "ISS-01");
    assert_eq!(pairs["x"], "1", "RDR-15");
}

#[test]
fn resource_indicators() {
    use crate::domain::api::{Api, ApiScope};
    let api = |identifier: &str, scopes: &[&str]| Api {
        id: identifier.into(),
        identifier: identifier.into(),
        name: identifier.into(),
        scopes: scopes
            .iter()
            .map(|s| ApiScope {
                name: (*s).into(),
                description: String::new(),
            })
            .collect(),
        is_default: false,
    };
    let apis = [api("https://a", &["api:read"]), api("https://b", &[])];
    let c = client(false, &["https://c.example/cb"]);
    let with = |pairs: &[(&str, &str)], c: &Client| {
        validate(
            &params(&base(pairs)),
            Some(c),
            &TenantPolicy::default(),
            &apis,
        )
    };
    let scope = ("scope", "openid api:read");
    match with(&[scope, ("resource", "https://a")], &c) {
        AuthorizeOutcome::Valid(request) => {
            assert_eq!(request.resource.as_deref(), Some("https://a"));
        }
        other => panic!("valid: {other:?}"),
    }
    for (pairs, error) in [
        (vec![("resource", "https://evil.example")], "invalid_target"),
        (vec![scope, ("resource", "https://b")], "invalid_scope"),
    ] {
        assert_eq!(redirected_error(with(&pairs, &c)), error, "{pairs:?}");
    }
    let mut repeated = base(&[("resource", "https://a")]);
    repeated.push(("resource", "https://b"));
    assert_eq!(
        redirected_error(validate(
            &params(&repeated),
            Some(&c),
            &TenantPolicy::default(),
            &apis
        )),
        "invalid_target",
        "one resource per request"
    );
    let mut limited = client(false, &["https://c.example/cb"]);
    limited.settings.apis = vec!["https://b".into()];
    assert_eq!(
        redirected_error(with(&[("resource", "https://a")], &limited)),
        "invalid_target",
        "an API the client may not use"
    );
}
