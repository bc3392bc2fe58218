//! The authorization server: protocol endpoints under `/t/{slug}`, health
//! checks, and the per-tenant actors behind them.
//!
//! - [`boot`]: builds the platform and actors and starts the HTTP server (used by
//!   `main` and by the e2e harness alike).
//! - [`app`] and [`routes`]: the application and its one route table.
//! - [`state`]: what every request can reach.
//! - [`tenant`]: `/t/{slug}` resolved to a cached, fresh tenant snapshot; the
//!   snapshot, context and cache types the actors share.
//! - [`actors`]: who owns what, per process and per tenant.
//! - [`endpoints`]: one file per protocol endpoint; [`pages`]: one file per
//!   hosted page.
//! - [`errors`]: errors to HTTP responses, in one place.
//! - [`cors`]: CORS for browser apps on token, userinfo, revoke and JWKS.
//! - [`extract`]: OAuth form bodies and client authentication.
//! - [`access_token`]: access tokens issued and checked; [`issue`]: the token
//!   response and ID tokens; [`opaque_writer`] batches opaque-token writes.
//! - [`throttle`]: brute-force throttling of client authentication, by
//!   [`client_ip`] (the peer, or behind trusted proxies `X-Forwarded-For`);
//!   [`login_guard`]: of the hosted login (lockout).
//! - [`hosted`]: what the sign-in endpoints and pages share: templates,
//!   headers, cookies, interactions, and the carrying out of each step the
//!   sign-in state machine (`idp::domain::authorize::step`) decides;
//!   [`sso`]: SSO sessions through the tenant's session actor and its cache.
//! - [`demo`]: the first command's demo (tenant, banner, callback page), mounted
//!   only by `main` with `--demo`; no other module uses it.

pub mod access_token;
pub mod actors;
pub mod admin_child;
pub mod app;
pub mod boot;
pub mod client_ip;
pub mod cors;
pub mod demo;
pub mod endpoints;
pub mod errors;
pub mod extract;
pub mod hosted;
pub mod issue;
pub mod login_guard;
pub mod opaque_writer;
pub mod pages;
pub mod routes;
pub mod sso;
pub mod state;
pub mod tenant;
pub mod throttle;
