//! The application: routes, extractor error handling, the OpenAPI document
//! at `/openapi.json`, and a JSON 404 for everything else.

use actix_web::error::QueryPayloadError;
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::errors::AdminError;
use crate::openapi::ApiDoc;
use crate::routes;
use crate::state::AdminState;

/// Refuses an escaped NUL in the path or query (400): no id or filter holds
/// one, and PostgreSQL text cannot.
async fn no_nul(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let uri = req.uri().to_string().to_ascii_lowercase();
    if uri.contains("%00") {
        let response = actix_web::ResponseError::error_response(&AdminError::BadRequest(
            "the path and query must not contain NUL characters".into(),
        ));
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
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
        .wrap(actix_web::middleware::from_fn(crate::refusals::record))
        .wrap(actix_web::middleware::from_fn(no_nul))
}
