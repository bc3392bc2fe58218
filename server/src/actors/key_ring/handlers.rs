//! Message handlers of the key ring actor.

use actix::{ActorContext, Handler};

use super::KeyRingActor;
use crate::actors::StopTenantActor;

impl Handler<StopTenantActor> for KeyRingActor {
    type Result = ();

    fn handle(&mut self, _: StopTenantActor, ctx: &mut Self::Context) {
        ctx.stop();
    }
}
