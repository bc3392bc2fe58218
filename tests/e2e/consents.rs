//! Consents: granted scopes accumulate per (user, client), are isolated by
//! tenant, can be withdrawn, and two grants racing leave one row (F-14).

use crate::support::TestServer;

fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[actix_rt::test]
async fn grants_accumulate_and_can_be_withdrawn() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let platform = server.platform();
    assert!(
        idp::consents::granted(platform, a.id, "u", "c")
            .await
            .expect("read")
            .is_empty()
    );
    idp::consents::grant(platform, a.id, "u", "c", &scopes(&["openid", "profile"]))
        .await
        .expect("grant");
    let union = idp::consents::grant(platform, a.id, "u", "c", &scopes(&["profile", "email"]))
        .await
        .expect("grant");
    assert_eq!(union, scopes(&["openid", "profile", "email"]));
    assert!(
        idp::consents::granted(platform, b.id, "u", "c")
            .await
            .expect("read")
            .is_empty(),
        "tenant-scoped"
    );
    assert!(
        idp::consents::granted(platform, a.id, "u", "other")
            .await
            .expect("read")
            .is_empty(),
        "client-scoped"
    );
    assert!(
        idp::consents::revoke(platform, a.id, "u", "c")
            .await
            .expect("revoke")
    );
    assert!(
        idp::consents::granted(platform, a.id, "u", "c")
            .await
            .expect("read")
            .is_empty()
    );
}

#[actix_rt::test]
async fn racing_first_grants_end_as_one_consent() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let mut tasks = Vec::new();
    for scope in ["openid", "profile", "email", "phone"] {
        let platform = server.platform().clone();
        tasks.push(tokio::spawn(async move {
            idp::consents::grant(&platform, tenant.id, "u", "c", &scopes(&[scope])).await
        }));
    }
    for task in tasks {
        task.await
            .expect("task")
            .expect("no error reaches the user");
    }
    let mut granted = idp::consents::granted(server.platform(), tenant.id, "u", "c")
        .await
        .expect("read");
    granted.sort();
    assert_eq!(granted, scopes(&["email", "openid", "phone", "profile"]));
}
