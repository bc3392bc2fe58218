//! Hosted pages: templates and the headers every HTML response carries,
//! cookies, and the authorization interaction a page works on.
//!
//! - [`render`]: tera templates compiled into the binary, and security headers.
//! - [`cookies`]: the SSO session cookie (one per tenant) and the browser binding.
//! - [`interaction`]: a validated authorization request kept server-side while
//!   the user signs in and consents; forms carry only its id and a CSRF token.
//! - [`error`]: errors of page endpoints, shown as a readable page.

pub mod cookies;
pub mod error;
pub mod interaction;
pub mod render;
