//! Message handlers of the session actor: store calls run as futures off
//! the mailbox; the cache is updated when they are done.

use std::sync::Arc;

use actix::{ActorContext, Handler, ResponseFuture};

use super::SessionActor;
use super::messages::{EndSession, ForgetSession, ForgetSessions, SessionEndError, StartSession};
use crate::actors::StopTenantActor;

impl Handler<StartSession> for SessionActor {
    type Result = ResponseFuture<<StartSession as actix::Message>::Result>;

    fn handle(&mut self, msg: StartSession, _: &mut Self::Context) -> Self::Result {
        let (platform, tenant, cache) =
            (self.platform.clone(), self.tenant, Arc::clone(&self.cache));
        Box::pin(async move {
            if let Some(old) = &msg.replaces {
                let digest = idp::sessions::digest(old);
                cache.forget_digest(&digest);
                let ended = idp::sessions::take(&platform, tenant, old).await?;
                // Again, for a fill that read the store before the end.
                cache.forget_digest(&digest);
                if let Some(ended) = ended {
                    idp::changes::announce_session_end(&platform, tenant, &ended.sid).await;
                }
            }
            let generation = cache.generation();
            let (cookie, session) =
                idp::sessions::start(&platform, tenant, &msg.policy, &msg.user_id, msg.amr).await?;
            let now_ms = platform.clock.now_ms();
            let idle =
                idp::sessions::idle_expiry_at(now_ms, &msg.policy, session.absolute_expiry_ms);
            let digest = idp::sessions::digest(cookie.expose());
            cache.insert(generation, &digest, session.clone(), idle, now_ms);
            Ok((cookie, session))
        })
    }
}

impl Handler<EndSession> for SessionActor {
    type Result = ResponseFuture<Result<(), SessionEndError>>;

    fn handle(&mut self, msg: EndSession, _: &mut Self::Context) -> Self::Result {
        let (platform, tenant, cache) =
            (self.platform.clone(), self.tenant, Arc::clone(&self.cache));
        Box::pin(async move {
            // Forgotten first, so no request here trusts it while it ends.
            cache.forget_sid(&msg.sid);
            if let Some(cookie) = &msg.cookie {
                cache.forget_digest(&idp::sessions::digest(cookie));
                idp::sessions::end(&platform, tenant, cookie).await?;
            }
            idp::sessions::end_sid(&platform, tenant, &msg.sid).await?;
            // Again, for a fill that read the store before the end.
            cache.forget_sid(&msg.sid);
            idp::changes::announce_session_end(&platform, tenant, &msg.sid).await;
            idp::grants::revoke_session(&platform, tenant, &msg.policy, &msg.sid).await?;
            Ok(())
        })
    }
}

impl Handler<ForgetSession> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: ForgetSession, _: &mut Self::Context) {
        self.cache.forget_sid(&msg.sid);
    }
}

impl Handler<ForgetSessions> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: ForgetSessions, _: &mut Self::Context) {
        self.cache.clear();
    }
}

impl Handler<StopTenantActor> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: StopTenantActor, ctx: &mut Self::Context) {
        ctx.stop();
    }
}
