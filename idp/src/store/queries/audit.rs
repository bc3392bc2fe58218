//! Queries on `audit_log`. Rows are only ever inserted, in the transaction of
//! the change they record.

use diesel::prelude::*;

use crate::store::schema::audit_log::dsl;
use crate::store::{DbConnection, StoreError};

/// One admin change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Sequence number; 0 before insertion.
    pub id: i64,
    /// The tenant the change belongs to; `None` for platform-wide changes.
    pub tenant_id: Option<String>,
    /// Who made it (`client:{id}` or `user:{id}` of the system tenant, or `cli`).
    pub actor: String,
    /// What was done, e.g. `client.create`.
    pub action: String,
    /// The kind of object changed.
    pub resource_type: String,
    /// Its id.
    pub resource_id: String,
    /// JSON details, never secrets.
    pub detail: String,
    /// Unix seconds.
    pub at: i64,
}

type Row = (
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    i64,
);

impl From<Row> for AuditRecord {
    fn from(r: Row) -> Self {
        Self {
            id: r.0,
            tenant_id: r.1,
            actor: r.2,
            action: r.3,
            resource_type: r.4,
            resource_id: r.5,
            detail: r.6,
            at: r.7,
        }
    }
}

/// Appends `record` (its `id` is ignored).
pub fn insert(conn: &mut DbConnection, record: &AuditRecord) -> Result<(), StoreError> {
    diesel::insert_into(dsl::audit_log)
        .values((
            dsl::tenant_id.eq(record.tenant_id.as_deref()),
            dsl::actor.eq(&record.actor),
            dsl::action.eq(&record.action),
            dsl::resource_type.eq(&record.resource_type),
            dsl::resource_id.eq(&record.resource_id),
            dsl::detail.eq(&record.detail),
            dsl::at.eq(record.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// What an audit query filters on; `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this tenant's rows.
    pub tenant_id: Option<String>,
    /// Only this actor's rows.
    pub actor: Option<String>,
    /// Only rows about this resource type.
    pub resource_type: Option<String>,
    /// Only rows about this resource id.
    pub resource_id: Option<String>,
    /// At or after (unix seconds).
    pub since: Option<i64>,
    /// At or before (unix seconds).
    pub until: Option<i64>,
    /// Only rows older than this sequence number (the page cursor).
    pub before_id: Option<i64>,
}

/// Rows matching `filter`, newest first, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRecord>, StoreError> {
    let mut query = dsl::audit_log.into_boxed();
    if let Some(tenant) = &filter.tenant_id {
        query = query.filter(dsl::tenant_id.eq(tenant.clone()));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(dsl::actor.eq(actor.clone()));
    }
    if let Some(kind) = &filter.resource_type {
        query = query.filter(dsl::resource_type.eq(kind.clone()));
    }
    if let Some(id) = &filter.resource_id {
        query = query.filter(dsl::resource_id.eq(id.clone()));
    }
    if let Some(since) = filter.since {
        query = query.filter(dsl::at.ge(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(dsl::at.le(until));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(dsl::id.lt(before));
    }
    let rows: Vec<Row> = query
        .order(dsl::id.desc())
        .limit(limit)
        .select((
            dsl::id,
            dsl::tenant_id,
            dsl::actor,
            dsl::action,
            dsl::resource_type,
            dsl::resource_id,
            dsl::detail,
            dsl::at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(AuditRecord::from).collect())
}
