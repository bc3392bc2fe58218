//! A tenant's policy: token and session lifetimes, allowed grants and
//! switches. Stored as JSON so new settings need no migration; every value is
//! checked against a hard cap.

use serde::{Deserialize, Serialize};

use crate::crypto::keys::SigningAlg;
use crate::protocol::params::GrantType;

/// Lifetimes (seconds), grants and switches of one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TenantPolicy {
    /// Access token lifetime. Default 900 (15 min), cap 86 400.
    pub access_token_ttl_secs: i64,
    /// ID token lifetime. Default 3600, cap 86 400.
    pub id_token_ttl_secs: i64,
    /// Authorization code lifetime. Default 60, cap 60 (RFC 6749 §4.1.2: short).
    pub code_ttl_secs: i64,
    /// Refresh token idle lifetime. Default 14 days, cap 365 days.
    pub refresh_idle_ttl_secs: i64,
    /// Refresh token absolute lifetime. Default 90 days, cap 365 days.
    pub refresh_absolute_ttl_secs: i64,
    /// SSO session idle lifetime. Default 8 h, cap 30 days.
    pub session_idle_ttl_secs: i64,
    /// SSO session absolute lifetime. Default 24 h, cap 30 days.
    pub session_absolute_ttl_secs: i64,
    /// Grants clients of this tenant may be given.
    pub allowed_grants: Vec<GrantType>,
    /// Legacy implicit flow (RFC 9700 §2.1.2 advises against it). Default off.
    pub implicit_enabled: bool,
    /// Legacy resource owner password grant (RFC 9700 §2.4). Default off.
    pub password_grant_enabled: bool,
    /// PKCE for confidential clients too (OAuth 2.1 §4.1.1). Default on.
    pub require_pkce_for_confidential: bool,
    /// Algorithm of JWT access tokens. Default ES256.
    pub access_token_alg: SigningAlg,
    /// Algorithm of ID tokens. Default RS256 (OIDC Core §15.1).
    pub id_token_alg: SigningAlg,
    /// How the hosted pages look.
    pub branding: Branding,
    /// Password length and the brute-force lock.
    pub sign_in: SignInPolicy,
}

/// Password and lockout rules of the hosted login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignInPolicy {
    /// Shortest password accepted when one is set. Default 8, 8 to 128.
    pub password_min_length: i64,
    /// Failed attempts on one login name within the window that lock it.
    /// Default 10, 3 to 100.
    pub lockout_failures: i64,
    /// The counting window and how long a lock lasts, seconds. Default 900,
    /// 60 to 86 400.
    pub lockout_secs: i64,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        Self {
            password_min_length: 8,
            lockout_failures: 10,
            lockout_secs: 900,
        }
    }
}

/// Branding of the hosted pages (the tenant's display name is the title).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Branding {
    /// Accent colour of headings and buttons, `#rrggbb`.
    pub accent_color: Option<String>,
}

impl Branding {
    /// Whether the values are safe to put in a stylesheet.
    pub fn is_valid(&self) -> bool {
        self.accent_color.as_deref().is_none_or(|c| {
            c.len() == 7 && c.starts_with('#') && c.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
        })
    }
}

impl Default for TenantPolicy {
    fn default() -> Self {
        Self {
            access_token_ttl_secs: 900,
            id_token_ttl_secs: 3600,
            code_ttl_secs: 60,
            refresh_idle_ttl_secs: 14 * DAY,
            refresh_absolute_ttl_secs: 90 * DAY,
            session_idle_ttl_secs: 8 * HOUR,
            session_absolute_ttl_secs: 24 * HOUR,
            allowed_grants: vec![
                GrantType::AuthorizationCode,
                GrantType::ClientCredentials,
                GrantType::RefreshToken,
            ],
            implicit_enabled: false,
            password_grant_enabled: false,
            require_pkce_for_confidential: true,
            access_token_alg: SigningAlg::ES256,
            id_token_alg: SigningAlg::RS256,
            branding: Branding::default(),
            sign_in: SignInPolicy::default(),
        }
    }
}

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// A policy value that breaks a rule; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A number outside its allowed range.
    #[error("policy `{field}` must be between {min} and {max}")]
    Range {
        /// The offending field.
        field: &'static str,
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// Not a colour the stylesheet can take.
    #[error(
        "policy `branding.accent_color` must be a colour written #rrggbb (six hexadecimal digits)"
    )]
    Colour,
    /// A switch or grant no endpoint serves yet.
    #[error("policy `{field}`: `{value}` is not available yet")]
    NotImplemented {
        /// The offending field.
        field: &'static str,
        /// The refused value.
        value: &'static str,
    },
}

impl PolicyError {
    /// The offending field.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Range { field, .. } | Self::NotImplemented { field, .. } => field,
            Self::Colour => "branding.accent_color",
        }
    }
}

impl TenantPolicy {
    /// Checks every lifetime against its hard cap, and that absolute lifetimes
    /// are not shorter than idle ones.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let checks: [(&'static str, i64, i64, i64); 10] = [
            (
                "sign_in.password_min_length",
                self.sign_in.password_min_length,
                8,
                128,
            ),
            (
                "sign_in.lockout_failures",
                self.sign_in.lockout_failures,
                3,
                100,
            ),
            ("sign_in.lockout_secs", self.sign_in.lockout_secs, 60, DAY),
            ("access_token_ttl_secs", self.access_token_ttl_secs, 1, DAY),
            ("id_token_ttl_secs", self.id_token_ttl_secs, 1, DAY),
            ("code_ttl_secs", self.code_ttl_secs, 1, 60),
            (
                "refresh_idle_ttl_secs",
                self.refresh_idle_ttl_secs,
                1,
                365 * DAY,
            ),
            (
                "refresh_absolute_ttl_secs",
                self.refresh_absolute_ttl_secs,
                self.refresh_idle_ttl_secs,
                365 * DAY,
            ),
            (
                "session_idle_ttl_secs",
                self.session_idle_ttl_secs,
                1,
                30 * DAY,
            ),
            (
                "session_absolute_ttl_secs",
                self.session_absolute_ttl_secs,
                self.session_idle_ttl_secs,
                30 * DAY,
            ),
        ];
        for (field, value, min, max) in checks {
            if value < min || value > max {
                return Err(PolicyError::Range { field, min, max });
            }
        }
        if !self.branding.is_valid() {
            return Err(PolicyError::Colour);
        }
        Ok(())
    }

    /// Refuses switches and grants that nothing serves yet, unless `before`
    /// (the stored policy an update starts from) already had them: a tenant
    /// written by an earlier release stays editable.
    pub fn refuse_unimplemented(&self, before: Option<&Self>) -> Result<(), PolicyError> {
        let had = |f: &dyn Fn(&Self) -> bool| before.is_some_and(f);
        if self.implicit_enabled && !had(&|p| p.implicit_enabled) {
            return Err(PolicyError::NotImplemented {
                field: "implicit_enabled",
                value: "true",
            });
        }
        if self.password_grant_enabled && !had(&|p| p.password_grant_enabled) {
            return Err(PolicyError::NotImplemented {
                field: "password_grant_enabled",
                value: "true",
            });
        }
        let new_grant = self
            .allowed_grants
            .iter()
            .find(|g| !g.is_implemented() && !had(&|p| p.allowed_grants.contains(g)));
        if let Some(grant) = new_grant {
            return Err(PolicyError::NotImplemented {
                field: "allowed_grants",
                value: grant.as_str(),
            });
        }
        Ok(())
    }

    /// Whether the tenant lets clients use `grant`, switches included.
    pub fn allows(&self, grant: GrantType) -> bool {
        match grant {
            GrantType::Password => self.password_grant_enabled,
            grant => self.allowed_grants.contains(&grant),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_conservative() {
        let policy = TenantPolicy::default();
        assert_eq!(policy.validate(), Ok(()));
        assert!(!policy.allows(GrantType::Password));
        assert!(policy.allows(GrantType::ClientCredentials));
        assert!(policy.access_token_ttl_secs <= 900);
    }

    #[test]
    fn caps_are_enforced() {
        let policy = TenantPolicy {
            code_ttl_secs: 61,
            ..TenantPolicy::default()
        };
        assert_eq!(
            policy.validate().map_err(|e| e.field()),
            Err("code_ttl_secs")
        );
        let policy = TenantPolicy {
            refresh_absolute_ttl_secs: 10,
            refresh_idle_ttl_secs: 20,
            ..TenantPolicy::default()
        };
        assert_eq!(
            policy.validate().map_err(|e| e.field()),
            Err("refresh_absolute_ttl_secs")
        );
        let policy = TenantPolicy {
            branding: Branding {
                accent_color: Some("blue".into()),
            },
            ..TenantPolicy::default()
        };
        let refused = policy.validate().expect_err("not #rrggbb");
        assert!(refused.to_string().contains("#rrggbb"), "{refused}");
    }

    #[test]
    fn what_nothing_serves_is_refused_unless_already_stored() {
        let default = TenantPolicy::default();
        assert_eq!(default.refuse_unimplemented(None), Ok(()));
        assert!(default.allowed_grants.iter().all(|g| g.is_implemented()));
        let cases: [(TenantPolicy, &str, &str); 4] = [
            (
                TenantPolicy {
                    implicit_enabled: true,
                    ..TenantPolicy::default()
                },
                "implicit_enabled",
                "true",
            ),
            (
                TenantPolicy {
                    password_grant_enabled: true,
                    ..TenantPolicy::default()
                },
                "password_grant_enabled",
                "true",
            ),
            (
                TenantPolicy {
                    allowed_grants: vec![GrantType::Password],
                    ..TenantPolicy::default()
                },
                "allowed_grants",
                "password",
            ),
            (
                TenantPolicy {
                    allowed_grants: vec![GrantType::DeviceCode],
                    ..TenantPolicy::default()
                },
                "allowed_grants",
                "urn:ietf:params:oauth:grant-type:device_code",
            ),
        ];
        for (policy, field, value) in cases {
            assert_eq!(
                policy.refuse_unimplemented(None),
                Err(PolicyError::NotImplemented { field, value })
            );
            assert_eq!(
                policy.refuse_unimplemented(Some(&default)),
                Err(PolicyError::NotImplemented { field, value })
            );
            // A tenant stored with it by an earlier release stays editable.
            assert_eq!(policy.refuse_unimplemented(Some(&policy.clone())), Ok(()));
        }
    }

    #[test]
    fn missing_fields_take_defaults() {
        let policy: TenantPolicy = serde_json::from_str(r#"{"code_ttl_secs": 5}"#).expect("parses");
        assert_eq!(policy.code_ttl_secs, 5);
        assert_eq!(policy.access_token_ttl_secs, 900);
        assert!(serde_json::from_str::<TenantPolicy>(r#"{"nope": 1}"#).is_err());
    }
}
