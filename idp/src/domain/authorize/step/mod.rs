//! The sign-in state machine: what comes after each step of a valid
//! authorization request (OIDC Core §3.1.2.3 - §3.1.2.5).
//!
//! Every handler of the flow (the authorization endpoint, and each hosted page
//! after its own step: a password checked, consent given) gathers the facts,
//! calls [`next_step`] and carries out the [`Step`] it returns. The function is
//! pure: the handler reads the session, verifies the `id_token_hint` and loads
//! the user's consents first ([`signed_in_user`] says whether consents are
//! needed), so every rule here is a row in the table test beside it.
//!
//! The rules, in order:
//! 1. Who is signed in: a session the browser brought counts unless
//!    `prompt=login`, `max_age` has passed or a verified `id_token_hint`
//!    names another user; a user who just signed in counts unless the hint
//!    names another user (then `login_required`); a user an earlier step of
//!    this request accepted counts. An `id_token_hint` that did not verify is
//!    `invalid_request`.
//! 2. Nobody: the login page, or `login_required` under `prompt=none`.
//! 3. Consent is asked when `prompt=consent`, when a scope is not yet granted
//!    (first-party clients skip this), and always for a new `offline_access`
//!    (OIDC Core §11); under `prompt=none` that is `consent_required`.
//! 4. Otherwise a code is issued.
//!
//! **Adding a step** (a second factor, enrolment, email verification, device
//! approval) touches three places: a variant of [`Step`] with its page in
//! [`Step::page`]; the fact it rests on (in [`Browser`], [`Consent`] or
//! [`FlowPolicy`]) and its rule in [`next_step`], with rows in the table test;
//! and a page handler in `server/src/pages/` that performs the step and then
//! calls [`next_step`] again. The server sends the browser to any page step
//! (`server/src/hosted/step.rs`) without change.

use crate::domain::client::Client;
use crate::domain::scope::OFFLINE_ACCESS;
use crate::protocol::error::{AuthorizeError, AuthorizeErrorCode};

use super::{AuthorizationRequest, Prompt};

/// `id_token_hint` names another user than the one who just signed in.
pub const NOT_THE_NAMED_USER: AuthorizeError = AuthorizeError::new(
    AuthorizeErrorCode::LoginRequired,
    "the signed-in user is not the one the client named",
);
/// `id_token_hint` is not an ID token of this issuer.
pub const INVALID_HINT: AuthorizeError = AuthorizeError::new(
    AuthorizeErrorCode::InvalidRequest,
    "id_token_hint is not a valid ID token of this issuer",
);
/// `prompt=none`, and nobody the request accepts is signed in.
pub const LOGIN_REQUIRED: AuthorizeError =
    AuthorizeError::new(AuthorizeErrorCode::LoginRequired, "the user must sign in");
/// `prompt=none`, and consent would be asked.
pub const CONSENT_REQUIRED: AuthorizeError =
    AuthorizeError::new(AuthorizeErrorCode::ConsentRequired, "the user must consent");
/// The user declined on the consent page.
pub const ACCESS_DENIED: AuthorizeError = AuthorizeError::new(
    AuthorizeErrorCode::AccessDenied,
    "the user denied the request",
);

/// What comes next for an authorization request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The user signs in on the login page.
    Login,
    /// The user is asked to consent on the consent page.
    Consent,
    /// The signed-in user gets a code, sent to the client.
    Issue,
    /// The request ends with this error, sent to the client.
    Error(AuthorizeError),
}

impl Step {
    /// The hosted page that performs this step, as a path under the
    /// tenant's `/t/{slug}/`; `None` for the steps that end the request.
    pub fn page(self) -> Option<&'static str> {
        match self {
            Self::Login => Some("login"),
            Self::Consent => Some("consent"),
            Self::Issue | Self::Error(_) => None,
        }
    }

    /// Whether the step is taken by a signed-in user: every step after
    /// [`Step::Login`] is, and the page's interaction records who.
    pub fn signed_in(self) -> bool {
        !matches!(self, Self::Login)
    }
}

/// How the user at the browser is known to be signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedIn<'a> {
    /// An SSO session the browser brought, signed in `age_secs` ago.
    Session {
        /// The session's user.
        user_id: &'a str,
        /// Seconds since the user authenticated (for `max_age`).
        age_secs: i64,
    },
    /// The user just signed in on this request's login page.
    JustNow {
        /// Who signed in.
        user_id: &'a str,
    },
    /// An earlier step of this request accepted this user.
    Accepted {
        /// The accepted user.
        user_id: &'a str,
    },
}

/// A verified `id_token_hint` (OIDC Core §3.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The request carries none.
    Absent,
    /// Not an ID token this tenant signed.
    Invalid,
    /// An ID token of this tenant for this subject (expired ones included).
    Subject(String),
}

/// What is known of the person at the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser<'a> {
    /// Who is signed in, if anyone.
    pub signed_in: Option<SignedIn<'a>>,
    /// The request's `id_token_hint`, verified.
    pub hint: Hint,
}

/// The signed-in user's consent to this client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent<'a> {
    /// The scopes granted before this request (empty when nobody is
    /// signed in, or nothing was granted).
    Granted(&'a [String]),
    /// The user approved this request on the consent page.
    GivenNow,
}

/// The client's rules for the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowPolicy {
    /// First-party clients skip consent (except for `offline_access`).
    pub first_party: bool,
}

impl FlowPolicy {
    /// The rules of `client`.
    pub fn for_client(client: &Client) -> Self {
        Self {
            first_party: client.settings.first_party,
        }
    }
}

/// What comes next for `request` (see the module's rules).
pub fn next_step(
    request: &AuthorizationRequest,
    browser: &Browser<'_>,
    consent: &Consent<'_>,
    policy: &FlowPolicy,
) -> Step {
    let prompt_none = request.prompts.contains(&Prompt::None);
    if signed_in_user(request, browser).is_none() {
        return match (browser.signed_in, &browser.hint) {
            (Some(SignedIn::JustNow { .. }), _) => Step::Error(NOT_THE_NAMED_USER),
            (_, Hint::Invalid) => Step::Error(INVALID_HINT),
            _ if prompt_none => Step::Error(LOGIN_REQUIRED),
            _ => Step::Login,
        };
    }
    let ask = match consent {
        Consent::GivenNow => false,
        Consent::Granted(granted) => {
            let missing = not_granted(granted, &request.scopes);
            request.prompts.contains(&Prompt::Consent)
                || (!policy.first_party && !missing.is_empty())
                || missing.iter().any(|s| *s == OFFLINE_ACCESS)
        }
    };
    match ask {
        false => Step::Issue,
        true if prompt_none => Step::Error(CONSENT_REQUIRED),
        true => Step::Consent,
    }
}

/// The user `request` accepts as signed in at `browser`, if any: whose
/// consents [`next_step`] needs.
pub fn signed_in_user<'a>(
    request: &AuthorizationRequest,
    browser: &Browser<'a>,
) -> Option<&'a str> {
    let named = |user: &str| match &browser.hint {
        Hint::Absent => true,
        Hint::Invalid => false,
        Hint::Subject(subject) => subject == user,
    };
    match browser.signed_in? {
        SignedIn::Accepted { user_id } => Some(user_id),
        SignedIn::JustNow { user_id } => named(user_id).then_some(user_id),
        SignedIn::Session { user_id, age_secs } => {
            // Whole seconds on both sides: a session `age` seconds old by
            // them may be up to a second older, so only a strictly younger
            // one passes; `max_age=0` is `prompt=login` (OIDC Core, errata 2).
            let fresh_enough = request.max_age.is_none_or(|age| age_secs < age);
            (!request.prompts.contains(&Prompt::Login) && fresh_enough && named(user_id))
                .then_some(user_id)
        }
    }
}

/// The scopes the consent page asks for: all of them under
/// `prompt=consent`, otherwise those not yet `granted`.
pub fn scopes_to_ask(request: &AuthorizationRequest, granted: &[String]) -> Vec<String> {
    if request.prompts.contains(&Prompt::Consent) {
        request.scopes.clone()
    } else {
        not_granted(granted, &request.scopes)
            .into_iter()
            .cloned()
            .collect()
    }
}

fn not_granted<'s>(granted: &[String], requested: &'s [String]) -> Vec<&'s String> {
    requested.iter().filter(|s| !granted.contains(s)).collect()
}

#[cfg(test)]
mod tests;
