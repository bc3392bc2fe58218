//! Start-up, shared by `main` and the e2e harness: open the platform, start
//! the registry and the change feed ([`open`]), and bind the HTTP server
//! ([`serve`], with extra routes such as the demo's); [`start`] does both.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix::Actor;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, web};
use idp::changes::ChangeFeed;
use idp::clock::Clock;
use idp::config::Config;
use idp::ephemeral::Subscription;
use idp::platform::{Platform, StartError};
use idp::store::StoreError;

use crate::actors::ActorGauge;
use crate::actors::registry::{ApplyChange, ApplySessionEnd, TenantRegistry};
use crate::app;
use crate::opaque_writer::OpaqueWriter;
use crate::state::AppState;
use crate::tenant::TenantCache;

/// A started server: its address, state and handle. Dropping it stops the change feed.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// State shared by the requests (tests reach the platform through it).
    pub state: AppState,
    /// Stops the HTTP server.
    pub handle: ServerHandle,
    _feed: ChangeFeed,
    _session_ends: Subscription,
}

/// The backends and actors, opened and running, before the HTTP server.
pub struct Opened {
    /// State shared by the requests.
    pub state: AppState,
    feed: ChangeFeed,
    session_ends: Subscription,
}

/// Opens the backends and starts the actors and the change feed. Must run
/// inside an actix system.
pub async fn open(config: Config, clock: Clock) -> Result<Opened, StartError> {
    let platform = Platform::open(config, clock).await?;
    let cache = Arc::new(TenantCache::default());
    let gauge = ActorGauge::default();
    let registry = TenantRegistry::new(platform.clone(), Arc::clone(&cache), gauge.clone()).start();

    let feed_platform = platform.clone();
    let feed_registry = registry.clone();
    let feed = tokio::task::spawn_blocking(move || {
        ChangeFeed::start(&feed_platform, move |change| {
            feed_registry.do_send(ApplyChange(change));
        })
    })
    .await
    .map_err(|e| StoreError::Other(e.to_string()))??;
    let ends_registry = registry.clone();
    let session_ends = idp::changes::follow_session_ends(&platform, move |ended| {
        ends_registry.do_send(ApplySessionEnd(ended));
    });

    let state = AppState {
        opaque_writer: OpaqueWriter::start(platform.clone()),
        throttle: Arc::default(),
        platform,
        tenants: cache,
        registry,
        freshness: feed.freshness(),
        actors: gauge,
    };
    Ok(Opened {
        state,
        feed,
        session_ends,
    })
}

/// Opens the backends, starts the actors and binds `listener` with the
/// production routes. Must run inside an actix system; the returned
/// [`Server`] future runs until stopped.
pub async fn start(
    config: Config,
    clock: Clock,
    listener: TcpListener,
) -> Result<(Running, Server), StartError> {
    serve(open(config, clock).await?, listener, |_| {})
}

/// Binds `listener` with the production routes and `extra` ones (registered
/// first, on every worker).
pub fn serve<F>(
    opened: Opened,
    listener: TcpListener,
    extra: F,
) -> Result<(Running, Server), StartError>
where
    F: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
{
    let Opened {
        state,
        feed,
        session_ends,
    } = opened;
    let workers = state.platform.config.http.workers;
    let data = web::Data::new(state.clone());
    let addr = listener
        .local_addr()
        .map_err(|e| StoreError::Other(format!("listener: {e}")))?;
    let mut http = HttpServer::new(move || {
        let (data, extra) = (data.clone(), extra.clone());
        App::new().configure(|cfg| app::configure(cfg, data, extra))
    })
    .listen(listener)
    .map_err(|e| StoreError::Other(format!("listener: {e}")))?;
    if workers > 0 {
        http = http.workers(workers);
    }
    let server = http.run();
    let running = Running {
        addr,
        state,
        handle: server.handle(),
        _feed: feed,
        _session_ends: session_ends,
    };
    Ok((running, server))
}
