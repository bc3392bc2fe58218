//! Pagination of every list: `limit` (1 to 200, default 50) and an opaque
//! `cursor` from the previous page's `next_cursor`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::AdminError;

/// Largest page.
pub const MAX_LIMIT: i64 = 200;

/// Query parameters of a list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// Where to continue: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page size, checked.
    pub fn limit(&self) -> Result<i64, AdminError> {
        match self.limit {
            None => Ok(50),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(AdminError::Invalid("limit must be 1 to 200".into())),
        }
    }

    /// The decoded cursor (the sort key of the last item seen).
    pub fn after(&self) -> Result<Option<String>, AdminError> {
        self.cursor
            .as_deref()
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| AdminError::Invalid("cursor is not one this API gave".into()))
            })
            .transpose()
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items, in a stable order.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of a short list held whole in memory in a stable order (keys,
    /// scopes); the cursor is the position after the page.
    pub fn of_all(items: Vec<T>, query: &PageQuery) -> Result<Self, AdminError> {
        let limit = usize::try_from(query.limit()?).unwrap_or(50);
        let start = match query.after()? {
            None => 0,
            Some(position) => position
                .parse::<usize>()
                .map_err(|_| AdminError::Invalid("cursor is not one this API gave".into()))?,
        };
        let total = items.len();
        let items: Vec<T> = items.into_iter().skip(start).take(limit).collect();
        let end = start + items.len();
        let next_cursor = (end < total).then(|| URL_SAFE_NO_PAD.encode(end.to_string()));
        Ok(Self { items, next_cursor })
    }

    /// A page of `items` fetched with `limit + 1`: the extra item, if any,
    /// only says there is more; `key` gives an item's sort key.
    pub fn from_overfetch(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = more
            .then(|| items.last().map(|last| URL_SAFE_NO_PAD.encode(key(last))))
            .flatten();
        Self { items, next_cursor }
    }
}
