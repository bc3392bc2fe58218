//! Messages of the key ring actor.

use actix::Message;

/// Stop: the tenant went idle or was replaced.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StopTenantActor;
