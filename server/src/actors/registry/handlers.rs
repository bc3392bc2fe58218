//! Message handlers of the tenant registry.

use std::sync::Arc;

use actix::{Actor, Handler};
use idp::changes::Change;

use super::TenantRegistry;
use super::messages::{ApplyChange, ApplySessionEnd, InstallTenant};
use crate::actors::key_ring::KeyRingActor;
use crate::actors::sessions::{ForgetSession, SessionActor};
use crate::tenant::{TenantContext, TenantSnapshot};

impl Handler<InstallTenant> for TenantRegistry {
    type Result = Arc<TenantContext>;

    fn handle(&mut self, msg: InstallTenant, _: &mut Self::Context) -> Self::Result {
        let now_ms = self.platform.clock.now_ms();
        let snapshot = TenantSnapshot::new(msg.state, now_ms.div_euclid(1000));
        let changed_meanwhile = self.cache.generation() != msg.generation;
        if let Some(existing) = self.cache.get(&snapshot.tenant.slug)
            && existing.id == snapshot.tenant.id
        {
            existing.replace(snapshot);
            existing.set_stale(changed_meanwhile);
            return existing;
        }
        let context = Arc::new(TenantContext::new(snapshot, now_ms));
        context.set_stale(changed_meanwhile);
        if let Some(replaced) = self.cache.insert(Arc::clone(&context)) {
            // The slug now belongs to another tenant id.
            self.stop_actors(replaced.id);
        }
        let key_ring = KeyRingActor::new(
            Arc::clone(&context),
            self.platform.clock.clone(),
            self.gauge.clone(),
        )
        .start();
        let sessions =
            SessionActor::new(context.id, self.platform.clone(), self.gauge.clone()).launch();
        context.set_sessions(sessions.clone());
        self.actors
            .insert(context.id, super::TenantActors { key_ring, sessions });
        context
    }
}

impl Handler<ApplyChange> for TenantRegistry {
    type Result = ();

    fn handle(&mut self, ApplyChange(change): ApplyChange, _: &mut Self::Context) {
        self.cache.bump_generation();
        match change {
            Change::Tenant(id) => {
                self.cache.mark_stale(Some(id));
                if let Some(actors) = self.actors.get(&id) {
                    actors.forget_sessions();
                }
            }
            Change::All => {
                self.cache.mark_stale(None);
                self.actors
                    .values()
                    .for_each(super::TenantActors::forget_sessions);
            }
        }
        tracing::debug!(?change, cached = self.cache.all().len(), "change applied");
    }
}

impl Handler<ApplySessionEnd> for TenantRegistry {
    type Result = ();

    fn handle(&mut self, ApplySessionEnd(ended): ApplySessionEnd, _: &mut Self::Context) {
        if let Some(actors) = self.actors.get(&ended.tenant) {
            actors
                .sessions
                .addr()
                .do_send(ForgetSession { sid: ended.sid });
        }
    }
}
