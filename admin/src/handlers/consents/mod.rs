//! Consents: what each user granted each client; revoking one kills the
//! tokens of the grants it allowed.

pub mod delete;
pub mod list;

use idp::store::queries::consents::ConsentRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    /// The user (`sub`).
    pub user_id: String,
    /// The client.
    pub client_id: String,
    /// Scopes granted.
    pub scopes: Vec<String>,
    /// Unix seconds of the first grant.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

impl From<ConsentRow> for ConsentView {
    fn from(row: ConsentRow) -> Self {
        Self {
            user_id: row.user_id,
            client_id: row.client_id,
            scopes: row.scopes,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Filters and paging of a consent list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsentQuery {
    /// Only this user's consents.
    pub user_id: Option<String>,
    /// Only consents to this client.
    pub client_id: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
