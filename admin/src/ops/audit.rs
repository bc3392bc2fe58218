//! Reading the audit log.

use idp::platform::Platform;
use idp::store::queries::audit::{self, AuditFilter, AuditRecord};

use super::OpError;

/// Rows matching `filter`, newest first; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    filter: AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRecord>, OpError> {
    Ok(platform
        .db
        .run(move |conn| audit::list(conn, &filter, limit + 1))
        .await?)
}
