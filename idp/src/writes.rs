//! The one way a change to durable data is written: in one transaction with
//! its audit row (for admin changes) and the bump of the tenant's revision
//! (for what server processes cache), then announced once it committed.
//! Writers hand over only their own statements, so none can forget a step.

use crate::changes;
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::queries::audit::{self, AuditRecord};
use crate::store::queries::tenants;
use crate::store::{DbConnection, StoreError};

/// Who must hear of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The tenant's state that server processes cache: the change bumps the
    /// tenant's revision in its transaction and is announced after commit.
    Tenant(TenantId),
    /// Nothing cached depends on it (users are read fresh; admin rights are
    /// read by the admin service per request).
    Stored,
}

/// The audit row of a change, made from its result. Every admin change has
/// one; the library's own writes (seeding, the demo, tests) have none.
pub struct Audit<T>(Option<MakeRecord<T>>);

/// Builds an audit row from a change's result.
type MakeRecord<T> = Box<dyn FnOnce(&T) -> AuditRecord + Send>;

impl<T> Audit<T> {
    /// The row `make` builds from the change's result; its time is the
    /// change's own.
    pub fn row(make: impl FnOnce(&T) -> AuditRecord + Send + 'static) -> Self {
        Self(Some(Box::new(make)))
    }

    /// No audit row: a write outside the admin API.
    pub fn none() -> Self {
        Self(None)
    }
}

impl<T> std::fmt::Debug for Audit<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Audit::row"
        } else {
            "Audit::none"
        })
    }
}

impl Platform {
    /// Runs `write` (given the connection and the change's time) in one
    /// transaction with the audit row and the revision bump `reach` asks
    /// for, then announces it. An `Err` from `write` rolls everything back.
    pub async fn change<T, E, F>(&self, reach: Reach, audit: Audit<T>, write: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection, i64) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let now = self.clock.now_secs();
        let value = self
            .db
            .transaction_or(move |conn| -> Result<T, E> {
                let value = write(conn, now)?;
                if let Reach::Tenant(tenant) = reach {
                    tenants::touch(conn, tenant, now)?;
                }
                if let Audit(Some(make)) = audit {
                    let record = AuditRecord {
                        at: now,
                        ..make(&value)
                    };
                    audit::insert(conn, &record)?;
                }
                Ok(value)
            })
            .await
            .map_err(E::from)??;
        if let Reach::Tenant(tenant) = reach {
            changes::announce(self, tenant).await;
        }
        Ok(value)
    }
}
