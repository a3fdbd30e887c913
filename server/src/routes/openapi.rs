//! The OpenAPI document's shared parts: the answers every API operation can give besides its own,
//! added in one place, so that the document lists every status the server can send without each
//! handler's attribute repeating them; and the session cookie the operations name as `security`.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{
    Content, Header, HeaderBuilder, ObjectBuilder, OpenApi, Ref, RefOr, ResponseBuilder, Type,
};

use super::SETTINGS_BODY_LIMIT;
use crate::auth::SESSION_COOKIE;

/// The `session` security scheme: the cookie `POST /api/session` sets.
pub struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut OpenApi) {
        let cookie = ApiKeyValue::with_description(
            SESSION_COOKIE,
            "Set by signing in (`POST /api/session`); `HttpOnly`, `SameSite=Strict`",
        );
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    }
}

/// Adds to each operation the error answers its method and inputs make possible (see
/// [`common_responses`]), merged into an answer with the same status the operation already
/// documents.
pub struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (changes_state, operation) in operations(item) {
                let shape = Shape {
                    changes_state,
                    has_body: operation.request_body.is_some(),
                    has_path_parameter: operation.parameters.iter().flatten().any(
                        |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path)),
                    ),
                };
                for (status, description) in common_responses(shape) {
                    add_response(operation, status, description);
                }
                for (status, response) in &mut operation.responses.responses {
                    if let ("429" | "503", RefOr::T(response)) = (status.as_str(), response) {
                        response
                            .headers
                            .insert("Retry-After".to_owned(), RefOr::T(retry_after()));
                    }
                }
            }
        }
    }
}

/// What decides which common answers an operation can give.
#[derive(Clone, Copy)]
struct Shape {
    /// Not GET, HEAD, OPTIONS or TRACE: the CSRF guard of [`crate::security`] judges it.
    changes_state: bool,
    has_body: bool,
    has_path_parameter: bool,
}

/// The statuses an operation of this shape can answer whatever its handler does, with what they
/// mean (every one has the API's error body).
fn common_responses(shape: Shape) -> Vec<(&'static str, String)> {
    let mut responses = Vec::new();
    if shape.has_body || shape.has_path_parameter {
        responses.push((
            "400",
            "`bad_request`: the body is not JSON, or a path parameter is not of its type"
                .to_owned(),
        ));
    }
    if shape.changes_state {
        responses.push((
            "403",
            "`cross_site_request`: the `Origin` is not this server, or the browser says the \
             request came from another site"
                .to_owned(),
        ));
    }
    responses.push((
        "408",
        "`request_timeout`: the request did not arrive, or was not answered, in time".to_owned(),
    ));
    if shape.has_body {
        responses.push((
            "413",
            format!(
                "`payload_too_large`: the body is over the limit (2 MiB; {} MiB for the settings)",
                SETTINGS_BODY_LIMIT / (1024 * 1024)
            ),
        ));
    }
    if shape.changes_state {
        responses.push((
            "415",
            "`unsupported_media_type`: a body or `Content-Type` that is not JSON".to_owned(),
        ));
    }
    if shape.has_body {
        responses.push((
            "422",
            "`invalid_body`: JSON, but not of the request's shape".to_owned(),
        ));
    }
    responses.push((
        "500",
        "`internal_error`: the details are in the server's log".to_owned(),
    ));
    responses.push((
        "503",
        "The server is too busy to answer now (e.g. `database_busy`); try again after \
         `Retry-After` seconds"
            .to_owned(),
    ));
    responses
}

/// The operations of a path, each with whether its method changes state.
fn operations(item: &mut PathItem) -> Vec<(bool, &mut Operation)> {
    [
        (false, item.get.as_mut()),
        (false, item.head.as_mut()),
        (false, item.options.as_mut()),
        (false, item.trace.as_mut()),
        (true, item.put.as_mut()),
        (true, item.post.as_mut()),
        (true, item.delete.as_mut()),
        (true, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(changes_state, operation)| operation.map(|o| (changes_state, o)))
    .collect()
}

/// Adds the answer, or says it as another reason of the answer with this status the operation has.
fn add_response(operation: &mut Operation, status: &str, description: String) {
    match operation.responses.responses.get_mut(status) {
        Some(RefOr::T(existing)) => {
            existing.description = format!("{}; or {description}", existing.description);
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ApiErrorBody"))),
                )
                .build();
            operation
                .responses
                .responses
                .insert(status.to_owned(), RefOr::T(response));
        }
    }
}

fn retry_after() -> Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        ))
        .description(Some("Seconds to wait before trying again"))
        .build()
}
