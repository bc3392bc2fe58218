//! Successful responses: JSON with `Cache-Control: no-store`, and the ETag of
//! single objects.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, ETAG};
use serde::Serialize;

use crate::etag;

/// `view` with its ETag.
pub fn object<T: Serialize>(status: StatusCode, view: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((ETAG, etag::of(view)))
        .json(view)
}

/// Any JSON body (lists, results of actions).
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(body)
}

/// 204.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}
