//! Group commit of opaque access tokens. Requests queue their token rows on a
//! bounded channel; a few writer tasks each take everything queued, store it
//! in one transaction and answer each request only after that commit, so a
//! token is never handed out before it is durable, and a burst costs a few
//! commits. Several writers keep batches flowing while one waits on a commit.

use std::sync::Arc;
use std::time::Duration;

use idp::config::DatabaseKind;
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::models::token::OpaqueTokenRow;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Rows waiting for a commit, at most.
const QUEUE: usize = 4096;
/// Rows per transaction, at most.
const BATCH: usize = 512;
/// Transactions in flight at once on PostgreSQL; SQLite has one writer anyway.
const POSTGRES_WRITERS: usize = 4;

type Job = (OpaqueTokenRow, oneshot::Sender<Result<(), String>>);

/// Handle to the writer task.
#[derive(Clone, Debug)]
pub struct OpaqueWriter {
    jobs: mpsc::Sender<Job>,
    deadline: Duration,
}

impl OpaqueWriter {
    /// Starts the writer task on the current runtime.
    pub fn start(platform: Platform) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        let deadline = Duration::from_millis(platform.config.database.deadline_ms * 2);
        let writers = match platform.config.database.kind() {
            DatabaseKind::Postgres => POSTGRES_WRITERS,
            DatabaseKind::Sqlite => 1,
        };
        for _ in 0..writers {
            let (queue, platform) = (Arc::clone(&queue), platform.clone());
            tokio::spawn(async move {
                let mut batch = Vec::with_capacity(BATCH);
                loop {
                    // Hold the queue only while taking a batch, not while committing it.
                    if queue.lock().await.recv_many(&mut batch, BATCH).await == 0 {
                        return;
                    }
                    let (rows, waiters): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
                    let result = idp::tokens::store_opaque(&platform, rows)
                        .await
                        .map_err(|e| e.to_string());
                    for waiter in waiters {
                        // A waiter that gave up is fine: its token was never sent.
                        let _ = waiter.send(result.clone());
                    }
                }
            });
        }
        Self { jobs, deadline }
    }

    /// Stores `row`; returns once it is committed.
    pub async fn store(&self, row: OpaqueTokenRow) -> Result<(), StoreError> {
        let (done, committed) = oneshot::channel();
        self.jobs
            .try_send((row, done))
            .map_err(|_| StoreError::Unavailable("token write queue full".into()))?;
        match tokio::time::timeout(self.deadline, committed).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(cause))) => Err(StoreError::Unavailable(cause)),
            Ok(Err(_)) => Err(StoreError::Other("token writer stopped".into())),
            Err(_) => Err(StoreError::Unavailable(
                "token write deadline passed".into(),
            )),
        }
    }
}
