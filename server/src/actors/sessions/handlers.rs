//! Message handlers of the session actor: each runs as a future off the
//! mailbox.

use actix::{Handler, ResponseFuture};

use super::SessionActor;
use super::messages::{EndSession, ResumeSession, SessionEndError, StartSession};
use crate::actors::StopTenantActor;

impl Handler<StartSession> for SessionActor {
    type Result = ResponseFuture<<StartSession as actix::Message>::Result>;

    fn handle(&mut self, msg: StartSession, _: &mut Self::Context) -> Self::Result {
        let (platform, tenant) = (self.platform.clone(), self.tenant);
        Box::pin(async move {
            if let Some(old) = &msg.replaces {
                idp::sessions::end(&platform, tenant, old).await?;
            }
            idp::sessions::start(&platform, tenant, &msg.policy, &msg.user_id, msg.amr).await
        })
    }
}

impl Handler<ResumeSession> for SessionActor {
    type Result = ResponseFuture<<ResumeSession as actix::Message>::Result>;

    fn handle(&mut self, msg: ResumeSession, _: &mut Self::Context) -> Self::Result {
        let (platform, tenant) = (self.platform.clone(), self.tenant);
        Box::pin(
            async move { idp::sessions::touch(&platform, tenant, &msg.policy, &msg.cookie).await },
        )
    }
}

impl Handler<EndSession> for SessionActor {
    type Result = ResponseFuture<Result<(), SessionEndError>>;

    fn handle(&mut self, msg: EndSession, _: &mut Self::Context) -> Self::Result {
        let (platform, tenant) = (self.platform.clone(), self.tenant);
        Box::pin(async move {
            if let Some(cookie) = &msg.cookie {
                idp::sessions::end(&platform, tenant, cookie).await?;
            }
            idp::sessions::end_sid(&platform, tenant, &msg.sid).await?;
            idp::grants::revoke_session(&platform, tenant, &msg.policy, &msg.sid).await?;
            Ok(())
        })
    }
}

impl Handler<StopTenantActor> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: StopTenantActor, ctx: &mut Self::Context) {
        use actix::ActorContext;
        ctx.stop();
    }
}
