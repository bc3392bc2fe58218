//! The application: routes, extractor error handling, the OpenAPI document
//! at `/openapi.json`, and a JSON 404 for everything else.

use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::errors::AdminError;
use crate::openapi::ApiDoc;
use crate::routes;
use crate::state::AdminState;

fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    match error {
        JsonPayloadError::Deserialize(e) if e.is_data() => AdminError::invalid(e).into(),
        other => AdminError::BadRequest(format!("the body must be JSON: {other}")).into(),
    }
}

fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    AdminError::BadRequest(format!("bad query parameters: {error}")).into()
}

async fn no_route() -> Result<HttpResponse, AdminError> {
    Err(AdminError::NotFound("route"))
}

/// Configures an `App` with the admin service.
pub fn build(
    state: web::Data<AdminState>,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(state)
        .app_data(
            web::JsonConfig::default()
                .limit(64 * 1024)
                .error_handler(json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .configure(routes::all)
        .split_for_parts();
    let document = web::Data::new(document);
    app.app_data(document)
        .route(
            "/openapi.json",
            web::get().to(|doc: web::Data<utoipa::openapi::OpenApi>| async move {
                HttpResponse::Ok().json(doc.get_ref())
            }),
        )
        .default_service(web::to(no_route))
}
