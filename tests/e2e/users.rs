//! End users through the library: registration rules, sign-in, and isolation
//! between tenants (SECURITY.md X-08, the parts that exist before hosted pages).

use idp::domain::user::NewUser;
use idp::users::{SignInError, UserOpError};

use crate::support::TestServer;

#[actix_rt::test]
async fn the_same_username_in_two_tenants_is_two_users() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let platform = server.platform();
    let alice_a = idp::users::create(
        platform,
        a.id,
        NewUser::with_password("alice", "password at A"),
    )
    .await
    .expect("alice at A");
    let alice_b = idp::users::create(
        platform,
        b.id,
        NewUser::with_password("alice", "password at B"),
    )
    .await
    .expect("alice at B");
    assert_ne!(alice_a.id, alice_b.id, "distinct subjects");

    let signed_in = idp::users::sign_in(platform, a.id, "alice", "password at A")
        .await
        .expect("signs in at A");
    assert_eq!(signed_in.id, alice_a.id);
    assert!(matches!(
        idp::users::sign_in(platform, b.id, "alice", "password at A").await,
        Err(SignInError::WrongPassword(id)) if id == alice_b.id
    ));
}

#[actix_rt::test]
async fn unknown_users_and_wrong_passwords_fail_alike() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let platform = server.platform();
    let new = NewUser {
        email: Some("Bob@Example.com".into()),
        ..NewUser::with_password("bob", "correct horse")
    };
    idp::users::create(platform, tenant.id, new)
        .await
        .expect("bob");
    for (login, password) in [
        ("bob", "wrong horse"),
        ("nobody", "correct horse"),
        ("", ""),
    ] {
        assert!(matches!(
            idp::users::sign_in(platform, tenant.id, login, password).await,
            Err(SignInError::InvalidCredentials | SignInError::WrongPassword(_))
        ));
    }
    // Email logins are case-insensitive.
    idp::users::sign_in(platform, tenant.id, "BOB@example.COM", "correct horse")
        .await
        .expect("email login");
    // Taken names and bad input are refused, not stored.
    assert!(matches!(
        idp::users::create(
            platform,
            tenant.id,
            NewUser::with_password("bob", "another one")
        )
        .await,
        Err(UserOpError::Taken)
    ));
    assert!(matches!(
        idp::users::create(
            platform,
            tenant.id,
            NewUser::with_password("carol", "short")
        )
        .await,
        Err(UserOpError::Invalid(_))
    ));
}
