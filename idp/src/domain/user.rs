//! End users of a tenant: login names, profile claims (OIDC Core §5.1), and
//! the rules for registering them.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// A user's id: the stable `sub` of their tokens (a UUID, unique per tenant).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// A fresh random id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// Wraps a stored id.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Profile claims released by the `profile`, `address` and `phone` scopes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// BCP 47 locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// E.164 phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Formatted postal address (OIDC Core §5.1.1 `formatted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A user as the rest of the platform sees it (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `sub`.
    pub id: UserId,
    /// Login name, if any.
    pub username: Option<String>,
    /// Email address, lower-cased, if any.
    pub email: Option<String>,
    /// Whether the address was verified.
    pub email_verified: bool,
    /// Profile claims.
    pub profile: Profile,
    /// A disabled user cannot sign in.
    pub enabled: bool,
    /// Unix seconds until which sign-in is locked (brute force). A negative
    /// value records an admin unlock at its absolute value (see
    /// [`User::unlocked_after`]).
    pub locked_until: Option<i64>,
}

impl User {
    /// Until when sign-in is locked, if it is at `now`.
    pub fn locked_at(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|until| *until > now)
    }

    /// Whether an admin lifted a lock later than `epoch`, the unlock a
    /// server process knows of: until it learns of this one (and its fresh
    /// attempt count), its stale count must not lock the account again.
    pub fn unlocked_after(&self, epoch: i64) -> bool {
        self.locked_until
            .is_some_and(|at| at < 0 && at.saturating_neg() > epoch)
    }
}

/// What a new user is made from.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Whether the address is known to be verified.
    pub email_verified: bool,
    /// Initial password, if any.
    pub password: Option<Secret<String>>,
    /// Profile claims.
    pub profile: Profile,
}

/// A registration that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// Neither a username nor an email address.
    #[error("a user needs a username or an email address")]
    NoLogin,
    /// Username outside its character set or length.
    #[error("a username is 1 to 64 characters of letters, digits, '.', '_' and '-'")]
    Username,
    /// Not an email address.
    #[error("the email address is not valid")]
    Email,
    /// Password too short or too long (OWASP: at least 8, allow at least 64).
    #[error("a password is 8 to 256 characters")]
    Password,
}

impl NewUser {
    /// A user with a username and password only.
    pub fn with_password(username: &str, password: &str) -> Self {
        Self {
            username: Some(username.to_owned()),
            email: None,
            email_verified: false,
            password: Some(Secret::new(password.to_owned())),
            profile: Profile::default(),
        }
    }

    /// Checks the rules and lower-cases the email address.
    pub fn validate(mut self) -> Result<Self, UserError> {
        if self.username.is_none() && self.email.is_none() {
            return Err(UserError::NoLogin);
        }
        if let Some(name) = &self.username
            && !is_username(name)
        {
            return Err(UserError::Username);
        }
        if let Some(email) = &self.email {
            let lower = email.trim().to_lowercase();
            if !is_email(&lower) {
                return Err(UserError::Email);
            }
            self.email = Some(lower);
        }
        if let Some(password) = &self.password
            && !(8..=256).contains(&password.expose().chars().count())
        {
            return Err(UserError::Password);
        }
        Ok(self)
    }
}

fn is_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !name.contains('@')
}

/// A deliberately loose check: one `@`, something on each side, a dot in the
/// domain, no spaces. Deliverability is proven by verification mail.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
        && email.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_rules() {
        assert!(
            NewUser::with_password("alice", "long enough")
                .validate()
                .is_ok()
        );
        assert_eq!(
            NewUser::with_password("alice", "short").validate().err(),
            Some(UserError::Password)
        );
        assert_eq!(
            NewUser::with_password("a b", "long enough")
                .validate()
                .err(),
            Some(UserError::Username)
        );
        let email = NewUser {
            username: None,
            email: Some(" Alice@Example.COM ".into()),
            ..NewUser::with_password("x", "long enough")
        };
        assert_eq!(
            email.validate().expect("valid").email.as_deref(),
            Some("alice@example.com")
        );
        let bad = NewUser {
            username: None,
            email: Some("nope".into()),
            ..NewUser::with_password("x", "long enough")
        };
        assert_eq!(bad.validate().err(), Some(UserError::Email));
        let none = NewUser {
            username: None,
            ..NewUser::with_password("x", "long enough")
        };
        assert_eq!(none.validate().err(), Some(UserError::NoLogin));
    }
}
