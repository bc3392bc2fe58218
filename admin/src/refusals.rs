//! Refused admin calls (401, 403) as security events in the platform-wide
//! audit log (`admin.refused`), so an operator sees who probed what. They
//! are written beside the response, not before it, and at most
//! [`PER_MINUTE`] a minute per process: a flood of bad tokens cannot turn
//! into a flood of rows (the rest are counted in the log).

use std::sync::{Mutex, PoisonError};

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;
use idp::store::StoreError;
use idp::store::queries::audit::AuditRecord;
use idp::writes::{Audit, Reach};
use serde_json::json;

use crate::state::AdminState;

/// Security events recorded per process and minute, at most.
pub const PER_MINUTE: u32 = 60;

/// The caller a refused request was authenticated as (403), if any.
#[derive(Debug, Clone)]
pub struct Caller(pub String);

/// This minute's count of recorded refusals, and of those left out.
#[derive(Debug, Default)]
pub struct RefusalBudget {
    window: Mutex<(i64, u32, u32)>,
}

impl RefusalBudget {
    /// Whether one more may be recorded in the minute of `now_secs`.
    fn take(&self, now_secs: i64) -> bool {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let minute = now_secs.div_euclid(60);
        if window.0 != minute {
            if window.2 > 0 {
                tracing::warn!(left_out = window.2, "refused admin calls not audited");
            }
            *window = (minute, 0, 0);
        }
        if window.1 < PER_MINUTE {
            window.1 += 1;
            true
        } else {
            window.2 += 1;
            false
        }
    }
}

/// Middleware: after a 401 or 403, records the refusal.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AdminState>>().cloned();
    let (method, path) = (req.method().to_string(), req.path().to_owned());
    let source = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        && let Some(state) = state
    {
        let caller = response.request().extensions().get::<Caller>().cloned();
        let actor = caller.map_or_else(|| "anonymous".to_owned(), |c| c.0);
        let now = state.platform.clock.now_secs();
        if state.refusals.take(now) {
            let record = AuditRecord {
                id: 0,
                tenant_id: None,
                actor,
                action: "admin.refused".to_owned(),
                resource_type: "request".to_owned(),
                resource_id: format!("{method} {path}"),
                detail: json!({ "status": status.as_u16(), "source": source }).to_string(),
                at: 0,
            };
            let platform = state.platform.clone();
            // Beside the response: the caller does not wait for the row.
            actix_web::rt::spawn(async move {
                let written = platform
                    .change(Reach::Stored, Audit::row(move |_: &()| record), |_, _| {
                        Ok::<_, StoreError>(())
                    })
                    .await;
                if let Err(e) = written {
                    tracing::warn!(error = %e, "refused admin call not audited");
                }
            });
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_per_minute() {
        let budget = RefusalBudget::default();
        let taken = (0..100).filter(|_| budget.take(120)).count();
        assert_eq!(taken, PER_MINUTE as usize);
        assert!(budget.take(180), "a new minute, a new budget");
    }
}
