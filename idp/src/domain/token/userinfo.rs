//! Claims the UserInfo endpoint releases (OIDC Core §5.3.2, §5.4): `sub`
//! always, and each granted scope's claims that have a value.

use serde_json::{Map, Value, json};

use crate::domain::user::User;

/// The claims `scopes` release about `user` (OIDC Core §5.4).
pub fn release(user: &User, scopes: &[&str]) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.id.as_str().into());
    let profile = &user.profile;
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(value) = value {
            claims.insert(name.to_owned(), value);
        }
    };
    if scopes.contains(&"profile") {
        put("name", profile.name.clone().map(Value::from));
        put("given_name", profile.given_name.clone().map(Value::from));
        put("family_name", profile.family_name.clone().map(Value::from));
        put("locale", profile.locale.clone().map(Value::from));
        put("preferred_username", user.username.clone().map(Value::from));
    }
    if scopes.contains(&"email") && user.email.is_some() {
        put("email", user.email.clone().map(Value::from));
        put("email_verified", Some(user.email_verified.into()));
    }
    if scopes.contains(&"phone") && profile.phone_number.is_some() {
        put(
            "phone_number",
            profile.phone_number.clone().map(Value::from),
        );
        put("phone_number_verified", Some(false.into()));
    }
    if scopes.contains(&"address") {
        put(
            "address",
            profile
                .address
                .clone()
                .map(|formatted| json!({ "formatted": formatted })),
        );
    }
    Value::Object(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::{Profile, UserId};

    #[test]
    fn each_scope_releases_only_its_claims_that_have_a_value() {
        let user = User {
            id: UserId::new("u1"),
            username: Some("alice".into()),
            email: Some("a@example.com".into()),
            email_verified: true,
            profile: Profile {
                name: Some("Alice".into()),
                ..Profile::default()
            },
            enabled: true,
            locked_until: None,
        };
        assert_eq!(release(&user, &["openid"]), json!({ "sub": "u1" }));
        assert_eq!(
            release(&user, &["openid", "profile", "phone", "address"]),
            json!({ "sub": "u1", "name": "Alice", "preferred_username": "alice" })
        );
        assert_eq!(
            release(&user, &["openid", "email"]),
            json!({ "sub": "u1", "email": "a@example.com", "email_verified": true })
        );
    }
}
