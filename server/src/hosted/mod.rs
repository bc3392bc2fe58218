//! What the hosted pages (`crate::pages`) and the sign-in endpoints share:
//! templates and headers, cookies, the authorization interaction a page works
//! on, who is at the browser, and the carrying out of the sign-in state
//! machine's steps.
//!
//! - [`render`]: tera templates compiled into the binary, security headers, redirects.
//! - [`cookies`]: the SSO session cookie (one per tenant) and the browser binding.
//! - [`interaction`]: a validated authorization request kept server-side while
//!   the user signs in and consents; forms carry only its id and a CSRF token.
//! - [`browser`]: the browser's SSO session and a verified `id_token_hint`.
//! - [`step`]: gathers the facts, asks `idp::domain::authorize::step::next_step`
//!   and carries the step out (a page, a code, or an error to the client).
//! - [`urls`]: the tenant's issuer and page paths.
//! - [`error`]: errors of page endpoints, shown as a readable page.

pub mod browser;
pub mod cookies;
pub mod error;
pub mod interaction;
pub mod render;
pub mod step;
pub mod urls;
