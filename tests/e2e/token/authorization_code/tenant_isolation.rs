//! A code of one tenant at another (SECURITY.md X-02): refused there, and
//! still good at home.

use super::{assert_invalid_grant, code_for};
use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::VERIFIER;

#[actix_rt::test]
async fn a_code_of_one_tenant_is_refused_at_another_and_still_works_at_home() {
    // X-02 (COD-05 across tenants).
    let server = TestServer::start().await;
    let a = server.web_setup().await;
    let b = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &a.tenant, &a.client.id).await;

    let (status, body) = server
        .redeem(&b.tenant, Auth::Basic(&a.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "X-02 cA at B: {body}"
    );
    let with_b = server
        .redeem(&b.tenant, Auth::Basic(&b.client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&with_b, "X-02 cB at B");

    let (status, body) = server
        .redeem(&a.tenant, Auth::Basic(&a.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "X-02: the code still works at A: {body}");
}
