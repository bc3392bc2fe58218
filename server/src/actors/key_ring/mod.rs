//! The key ring actor of one tenant: it owns the key schedule. As activation
//! and retirement times pass it re-derives the published key set, so a key
//! appears in the JWKS before it signs and leaves it only once retired.
//! Signing itself runs in request tasks on the shared ring.

mod handlers;

use std::sync::Arc;
use std::time::Duration;

use actix::{Actor, AsyncContext, Context};
use idp::clock::Clock;

use crate::actors::ActorGauge;
use crate::tenant::{Jwks, TenantContext, TenantSnapshot};

/// How often the schedule is checked.
const SCHEDULE_TICK: Duration = Duration::from_secs(1);

/// Per-tenant key schedule.
pub struct KeyRingActor {
    context: Arc<TenantContext>,
    clock: Clock,
    gauge: ActorGauge,
}

impl KeyRingActor {
    /// An actor for `context`'s keys.
    pub fn new(context: Arc<TenantContext>, clock: Clock, gauge: ActorGauge) -> Self {
        Self {
            context,
            clock,
            gauge,
        }
    }

    /// Rebuilds the snapshot when the set of published or signing keys moved.
    fn follow_schedule(&mut self) {
        let now = self.clock.now_secs();
        let current = self.context.snapshot();
        if Jwks::build(&current.keys, now).schedule != current.jwks.schedule {
            self.context.replace(TenantSnapshot::with_keys(
                current.tenant.clone(),
                Arc::clone(&current.keys),
                Arc::clone(&current.apis),
                Arc::clone(&current.revoked),
                Arc::clone(&current.web_origins),
                Arc::clone(&current.watermarks),
                now,
            ));
        }
    }
}

impl Actor for KeyRingActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.gauge.started();
        ctx.run_interval(SCHEDULE_TICK, |actor, _| actor.follow_schedule());
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.gauge.stopped();
    }
}
