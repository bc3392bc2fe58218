//! Logging of both binaries: `RUST_LOG` (default `info`) to stderr, in
//! colour only on a terminal. The HTTP layer logs what a client sent wrong
//! (a malformed request line, an overlong URI, a connection dropped
//! mid-request) at ERROR; anyone could write error lines that way, so those
//! events are logged again at DEBUG as `malformed request`, truncated, and
//! nowhere else.

use std::io::IsTerminal;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Where the HTTP layer logs what clients send wrong.
const CLIENT_ERRORS: &str = "actix_http::h1";
/// The most of such a message that is logged.
const KEEP_CHARS: usize = 200;

/// Installs the logger; call once, first thing in `main`.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (sender, receiver) = sync_channel::<String>(64);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(NotClientErrors);
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(Demote { sender })
        .try_init();
    if installed.is_ok() {
        std::thread::spawn(move || relay(&receiver));
    }
}

fn is_client_error(meta: &tracing::Metadata<'_>) -> bool {
    *meta.level() == Level::ERROR && meta.target().starts_with(CLIENT_ERRORS)
}

/// Keeps the HTTP layer's ERROR events out of the formatted log.
struct NotClientErrors;

impl<S: Subscriber> Filter<S> for NotClientErrors {
    fn enabled(&self, meta: &tracing::Metadata<'_>, _: &Context<'_, S>) -> bool {
        !is_client_error(meta)
    }
}

/// Hands the HTTP layer's ERROR events to [`relay`] (an event cannot be
/// logged from inside the logger); drops them when the relay lags.
struct Demote {
    sender: SyncSender<String>,
}

impl<S: Subscriber> Layer<S> for Demote {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if !is_client_error(event.metadata()) {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        match self.sender.try_send(truncated(&message.0)) {
            Ok(()) | Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
        }
    }
}

/// Logs each handed-over event at DEBUG.
fn relay(receiver: &Receiver<String>) {
    while let Ok(message) = receiver.recv() {
        tracing::debug!(target: "idp::http", error = %message, "malformed request");
    }
}

/// `text` cut to [`KEEP_CHARS`] characters, with the cut marked.
fn truncated(text: &str) -> String {
    match text.char_indices().nth(KEEP_CHARS) {
        Some((end, _)) => format!(
            "{}… ({} bytes)",
            text.get(..end).unwrap_or(text),
            text.len()
        ),
        None => text.to_owned(),
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut() {
        assert_eq!(truncated("short"), "short");
        let long = "x".repeat(100_000);
        let cut = truncated(&long);
        assert!(cut.starts_with(&"x".repeat(KEEP_CHARS)));
        assert!(cut.ends_with("(100000 bytes)"), "{cut}");
        assert!(cut.len() < 300);
    }
}
