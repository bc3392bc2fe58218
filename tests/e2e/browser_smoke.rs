//! The real-browser harness (`support::browser`) against the real server.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::support::TestServer;
use crate::support::browser::Browser;

#[actix_rt::test]
async fn browser_renders_a_served_page() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let issuer = server.issuer(&tenant);
    let browser = Browser::start("browser_renders_a_served_page").await;

    browser
        .goto(&format!("{issuer}/.well-known/openid-configuration"))
        .await;
    let source = browser.source().await;
    assert!(source.contains(&issuer), "issuer {issuer} not in {source}");
    let shot = browser.screenshot("discovery").await;
    assert!(std::fs::metadata(&shot).expect("screenshot file").len() > 0);

    browser.close().await;
    server.stop().await;
}

/// A page of the test's own, as a `data:` URL.
fn page(html: &str) -> String {
    format!("data:text/html;base64,{}", STANDARD.encode(html))
}

#[actix_rt::test]
async fn browser_helpers_fill_submit_and_inspect_a_page() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let discovery = format!(
        "{}/.well-known/openid-configuration",
        server.issuer(&tenant)
    );
    let browser = Browser::start("browser_helpers_fill_submit_and_inspect_a_page").await;

    browser
        .goto(&page(&format!(
            r#"<title>form</title><form action="{discovery}" method="get">
            <label for="who">Who</label><input id="who" name="who">
            <label>Why <input name="why"></label>
            <input name="aria" aria-label="Aria">
            <input name="bare"><input type="hidden" name="h">
            <button type="submit">Go</button></form>"#
        )))
        .await;
    assert_eq!(browser.client().title().await.expect("title"), "form");
    assert_eq!(browser.unlabelled_inputs().await, ["bare"]);
    browser.set_width(400).await;
    assert!(browser.no_horizontal_scroll().await);

    browser.fill("input[name=who]", "alice").await;
    browser.click("button[type=submit]").await;
    let url = browser
        .wait_for_url(
            |url| url.path().ends_with("/openid-configuration"),
            Duration::from_secs(10),
        )
        .await;
    assert!(url.query().expect("query").contains("who=alice"), "{url}");
    assert_eq!(browser.current_url().await, url);

    browser
        .goto(&page(r#"<div style="width: 1000px">wide</div>"#))
        .await;
    assert!(!browser.no_horizontal_scroll().await);
    browser.screenshot("wide-at-400px").await;
    browser.close().await;
    server.stop().await;
}
