//! Hosted pages, one file per page: each performs its own step of the
//! sign-in and then asks the state machine what follows
//! (`idp::domain::authorize::step`), carried out by `crate::hosted::step`.
//! A new step of the sign-in (second factor, enrolment, email verification,
//! device approval) is a new page here, registered in `crate::routes`.
//!
//! - [`login`]: username and password; starts the SSO session.
//! - [`consent`]: the scopes a client asks for, approved or denied.
//! - [`assets`]: the stylesheet and each tenant's branding.

pub mod assets;
pub mod consent;
pub mod login;
