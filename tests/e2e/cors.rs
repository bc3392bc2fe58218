//! CORS (issue: browser apps): token, userinfo, revoke and JWKS answer
//! preflights and requests from a registered web origin only; authorize and
//! the hosted pages never answer CORS (SECURITY.md RDR-14).

use idp::domain::client::AuthMethod;

use crate::support::TestServer;

const APP: &str = "https://spa.example.test";

async fn preflight(server: &TestServer, path: &str, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}{path}", server.url))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("sent")
}

fn allow_origin(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("access-control-allow-origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[actix_rt::test]
async fn registered_origins_get_cors_on_the_api_endpoints_only() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    server
        .web_client(&setup.tenant, AuthMethod::None, |c| {
            c.web_origins = vec![APP.to_owned()];
        })
        .await;
    let base = format!("/t/{}", setup.tenant.slug);
    for path in ["token", "userinfo", "revoke", "jwks.json"] {
        let path = format!("{base}/{path}");
        crate::support::eventually(
            std::time::Duration::from_secs(3),
            "the new client's origin is known",
            || async { allow_origin(&preflight(&server, &path, APP).await).is_some() },
        )
        .await;
        let allowed = preflight(&server, &path, APP).await;
        assert_eq!(allowed.status(), 204, "{path}");
        assert_eq!(allow_origin(&allowed).as_deref(), Some(APP), "{path}");
        let refused = preflight(&server, &path, "https://evil.example").await;
        assert_eq!(allow_origin(&refused), None, "{path}");
    }
    // An actual request from the origin carries the header too.
    let jwks = reqwest::Client::new()
        .get(format!("{}{base}/jwks.json", server.url))
        .header("origin", APP)
        .send()
        .await
        .expect("sent");
    assert_eq!(allow_origin(&jwks).as_deref(), Some(APP));
    // Never on authorize or the hosted pages (RDR-14).
    for path in ["authorize?client_id=x", "login?interaction=x", "logout"] {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(format!("{}{base}/{path}", server.url))
            .header("origin", APP)
            .send()
            .await
            .expect("sent");
        assert_eq!(allow_origin(&response), None, "{path}");
        let pre = preflight(&server, &format!("{base}/{path}"), APP).await;
        assert_eq!(allow_origin(&pre), None, "{path} preflight");
    }
}
