//! The `/api` router: one module per area of the product.

mod admin;
mod lockouts;
mod mail;
mod openapi;
mod session;

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::map_response;
use axum::routing::get;
use axum::{Json, Router};
use mail_core::Lang;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Problem, json_error_bodies};
use crate::messages::request_lang;

/// The API's routes, and its OpenAPI document made from the same handler list, so the two cannot
/// drift apart; the document is served at `/api/openapi.json`.
pub fn api() -> Router<AppState> {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(
            session::current,
            session::sign_in,
            session::sign_out
        ))
        .routes(with_body_limit(
            routes!(admin::settings, admin::save_settings),
            SETTINGS_BODY_LIMIT,
        ))
        .routes(routes!(admin::service_usage))
        .routes(routes!(lockouts::lockouts, lockouts::clear_lockout))
        .routes(routes!(mail::picker))
        .routes(routes!(mail::my_mailboxes, mail::connect))
        .routes(routes!(mail::disconnect))
        .routes(routes!(
            mail::business_process_sending,
            mail::set_business_process_sending
        ))
        .split_for_parts();
    let mut openapi = under_api(openapi);
    openapi::CommonResponses.modify(&mut openapi);
    openapi::SessionCookie.modify(&mut openapi);
    let openapi = Arc::new(openapi);
    router
        .route(
            "/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .fallback(|| async { Problem::NoSuchEndpoint })
        .layer(map_response(json_error_bodies))
}

/// The largest settings document a save may send: the whole page goes in one request, and 10,000
/// services come to about 2.5 MB (axum's default limit is 2 MiB). Only an administrator's request
/// gets this far: the `Admin` extractor refuses anyone else before the body is read.
pub const SETTINGS_BODY_LIMIT: usize = 32 * 1024 * 1024;

fn with_body_limit(
    (schemas, paths, methods): UtoipaMethodRouter<AppState>,
    limit: usize,
) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, methods.layer(DefaultBodyLimit::max(limit)))
}

#[derive(OpenApi)]
#[openapi(info(
    title = "Mail services API",
    description = "Email service settings (administrators) and mailbox connections (everyone). \
        Sign in with POST /api/session; the session cookie authenticates the rest. State-changing \
        requests must be same-origin JSON. Every error has the body {code, message, fields}; \
        the messages are in English, or in Russian when Accept-Language prefers it. A path not \
        listed here answers 404 `not_found`; a method a path does not have answers 405 \
        `method_not_allowed` with `Allow`."
))]
struct ApiDoc;

/// The routes are nested under `/api`; say so in the document's paths.
fn under_api(mut openapi: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let paths = std::mem::take(&mut openapi.paths.paths);
    openapi.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (format!("/api{path}"), item))
        .collect();
    openapi
}

/// The language validation messages are written in, from `Accept-Language`.
pub struct UiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(UiLang(request_lang(
            parts.headers.get(header::ACCEPT_LANGUAGE),
        )))
    }
}
