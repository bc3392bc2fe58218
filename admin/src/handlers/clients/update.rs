//! `PATCH /v1/tenants/{tenant}/clients/{client_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use idp::domain::client::{Client, ClientSettings};
use serde_json::Value;

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::{self, IfMatch};
use crate::ops::Edit;
use crate::patch::decode;
use crate::state::AdminState;
use crate::{ops, respond};

/// Changes a client: any field of its view except `client_id`,
/// `confidential`, `token_endpoint_auth_method` and
/// `previous_secret_expires_at`. `enabled: false` stops it authenticating
/// on every server process within a second.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("client_id" = String, Path, description = "Client id"),
        ("If-Match" = String, Header, description = "The client's ETag"),
    ),
    request_body(content = Object, description = "Fields to change"),
    responses(
        (status = 200, body = ClientView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/tenants/{tenant}/clients/{client_id}")]
pub async fn update_client(
    req: HttpRequest,
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<serde_json::Value>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let edit = edit(IfMatch::from_request(&req), body.into_inner())?;
    let client = ops::clients::update(&state.platform, &scope, &client_id, edit).await?;
    Ok(respond::object(StatusCode::OK, &ClientView::from(&client)))
}

/// Fields of the view that no update changes.
const FIXED: [&str; 4] = [
    "client_id",
    "confidential",
    "token_endpoint_auth_method",
    "previous_secret_expires_at",
];

/// The edit `patch` (fields of the client's view) asks for, made only if
/// `if_match` names the current version.
fn edit(if_match: IfMatch, patch: Value) -> Result<Edit<Client, AdminError>, AdminError> {
    let Value::Object(fields) = patch else {
        return Err(AdminError::Invalid(
            "expected a JSON object of fields to change".into(),
        ));
    };
    if let Some(fixed) = fields.keys().find(|k| FIXED.contains(&k.as_str())) {
        return Err(AdminError::Invalid(format!("`{fixed}` cannot be changed")));
    }
    let changed: Vec<String> = fields.keys().cloned().collect();
    Ok(Edit::new(changed, move |current: &Client| {
        let view = ClientView::from(current);
        if_match.check(&etag::of(&view))?;
        let mut merged =
            serde_json::to_value(&view).map_err(|e| AdminError::Internal(e.to_string()))?;
        if let Value::Object(target) = &mut merged {
            for (key, value) in fields {
                if !target.contains_key(&key) {
                    return Err(AdminError::Invalid(format!("unknown field `{key}`")));
                }
                target.insert(key, value);
            }
        }
        let name: String = decode(take(&mut merged, "name"), "name")?;
        let enabled: bool = decode(take(&mut merged, "enabled"), "enabled")?;
        let settings: ClientSettings = decode(merged, "settings")?;
        Ok(Client {
            name,
            enabled,
            settings,
            ..current.clone()
        })
    }))
}

fn take(object: &mut Value, key: &str) -> Value {
    object.get_mut(key).map(Value::take).unwrap_or_default()
}
