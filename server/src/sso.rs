//! Requests' access to SSO sessions: starts and ends go to the tenant's
//! [`SessionActor`](crate::actors::sessions::SessionActor); resumes read its
//! cache without a message, and the store on a miss.

use idp::secret::Secret;
use idp::sessions::Session;

use crate::actors::sessions::{EndSession, SessionHandle, StartSession};
use crate::hosted::error::PageError;
use crate::tenant::CurrentTenant;

fn actor(tenant: &CurrentTenant) -> Result<&SessionHandle, PageError> {
    tenant
        .context
        .sessions()
        .ok_or_else(|| PageError::Unavailable("tenant session actor not started".into()))
}

fn mailbox(e: actix::MailboxError) -> PageError {
    PageError::Unavailable(format!("session actor: {e}"))
}

/// The live session behind `cookie`, its idle expiry moved forward.
/// A session from before an admin revoked the user's (or the tenant's)
/// sessions counts as ended.
pub async fn resume(tenant: &CurrentTenant, cookie: &str) -> Result<Option<Session>, PageError> {
    let session = actor(tenant)?
        .resume(&tenant.snapshot.tenant.policy, cookie)
        .await?;
    Ok(session.filter(|s| {
        !tenant
            .snapshot
            .watermarked(None, Some(&s.user_id), s.auth_time)
    }))
}

/// Starts a session for `user_id`, ending the one behind `replaces`.
pub async fn start(
    tenant: &CurrentTenant,
    user_id: &str,
    amr: Vec<String>,
    replaces: Option<String>,
) -> Result<(Secret<String>, Session), PageError> {
    Ok(actor(tenant)?
        .addr()
        .send(StartSession {
            policy: tenant.snapshot.tenant.policy.clone(),
            user_id: user_id.to_owned(),
            amr,
            replaces,
        })
        .await
        .map_err(mailbox)??)
}

/// Ends the session `sid` (behind `cookie`, when the browser sent it) and
/// the refresh tokens bound to it.
pub async fn end(tenant: &CurrentTenant, cookie: Option<&str>, sid: &str) -> Result<(), PageError> {
    actor(tenant)?
        .addr()
        .send(EndSession {
            policy: tenant.snapshot.tenant.policy.clone(),
            cookie: cookie.map(str::to_owned),
            sid: sid.to_owned(),
        })
        .await
        .map_err(mailbox)?
        .map_err(|e| PageError::Unavailable(e.to_string()))
}
