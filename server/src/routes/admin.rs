//! Administration > Email > Email service settings (SPEC A1–A8). Every route demands an administrator.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use mail_core::{ApiErrorBody, ServiceId, ServiceUsage, SettingsDocument, SettingsUpdate};

use super::UiLang;
use crate::auth::{Admin, SettingsRevision};
use crate::error::{AppError, Problem};
use crate::settings::ExpectedVersion;
use crate::{AppState, mailboxes, settings};

#[utoipa::path(get, path = "/admin/settings", tag = "admin", security(("session" = [])), responses((status = 200, description = "The settings document; its version is the ETag", body = SettingsDocument, headers(("ETag" = String, description = "The document's version, e.g. `\"7\"`, for `If-Match`"))), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody)))]
/// The settings document, with its version as the ETag a save must send back in `If-Match`.
pub async fn settings(
    State(state): State<AppState>,
    _: Admin,
    SettingsRevision(revision): SettingsRevision,
) -> Result<Response, AppError> {
    let published = state.documents.at(&state.db, revision).await?;
    Ok(published.settings_response())
}

/// The versions a save may apply to, from `If-Match` (RFC 9110 13.1.1): `*` for the current one
/// whatever it is, else a list of entity-tags such as `"3", "4"`, compared strongly: a weak tag
/// (`W/"4"`) names no version this server can promise byte for byte, so it never matches. Several
/// `If-Match` fields are one list. 428 without one; 412 for one that is not an entity-tag list.
fn expected_version(headers: &HeaderMap) -> Result<ExpectedVersion, AppError> {
    let mut values = headers.get_all(header::IF_MATCH).iter().peekable();
    if values.peek().is_none() {
        return Err(Problem::VersionRequired.into());
    }
    let mut list = String::new();
    for value in values {
        let value = value.to_str().map_err(|_| Problem::VersionUnreadable)?;
        list.push_str(value);
        list.push(',');
    }
    if list.trim_end_matches(',').trim() == "*" {
        return Ok(ExpectedVersion::Any);
    }
    let tags = entity_tags(&list).ok_or(Problem::VersionUnreadable)?;
    Ok(ExpectedVersion::OneOf(
        tags.into_iter()
            .filter(|tag| !tag.weak)
            // Strong comparison is character for character: `"07"` is not the ETag `"7"`.
            .filter_map(|tag| {
                tag.opaque
                    .parse()
                    .ok()
                    .filter(|v: &i64| v.to_string() == tag.opaque)
            })
            .collect(),
    ))
}

struct EntityTag<'a> {
    weak: bool,
    /// Between the quotes.
    opaque: &'a str,
}

/// The entity-tags of a comma-separated list (empty elements allowed, as RFC 9110 5.6.1 asks),
/// or `None` when an element is not an entity-tag.
fn entity_tags(list: &str) -> Option<Vec<EntityTag<'_>>> {
    let mut tags = Vec::new();
    let mut rest = list;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(tags);
        }
        let (weak, quoted) = match rest.strip_prefix("W/") {
            Some(quoted) => (true, quoted),
            None => (false, rest),
        };
        let inside = quoted.strip_prefix('"')?;
        let end = inside.find('"')?;
        let opaque = &inside[..end];
        if !opaque
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
        {
            return None;
        }
        tags.push(EntityTag { weak, opaque });
        rest = inside[end + 1..].trim_start_matches([' ', '\t']);
        if !rest.is_empty() && !rest.starts_with(',') {
            return None;
        }
    }
}

#[utoipa::path(put, path = "/admin/settings", tag = "admin", security(("session" = [])), request_body = SettingsUpdate, params(("If-Match" = String, Header, description = "The ETag of the document the changes were made to, e.g. `\"7\"`; a list of ETags matches when one is current, `*` matches whatever is current; weak ETags (`W/\"7\"`) never match")), responses((status = 200, description = "Saved; the new document and ETag", body = SettingsDocument, headers(("ETag" = String, description = "The new version, for the next save's `If-Match`"))), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody), (status = 412, description = "Another administrator saved first", body = ApiErrorBody), (status = 422, description = "Invalid; per-field errors", body = ApiErrorBody), (status = 428, description = "If-Match is missing", body = ApiErrorBody)))]
/// Saves the whole page at once (SPEC A8).
pub async fn save_settings(
    State(state): State<AppState>,
    Admin(admin): Admin,
    UiLang(lang): UiLang,
    headers: HeaderMap,
    Json(update): Json<SettingsUpdate>,
) -> Result<Response, AppError> {
    let expected = expected_version(&headers)?;
    settings::save(&state.db, &expected, &update, lang).await?;
    let revision = settings::revision(&state.db).await?;
    let saved = state.documents.at(&state.db, revision).await?;
    tracing::info!(
        admin = admin.id,
        version = saved.revision.version,
        "saved the email service settings"
    );
    Ok(saved.settings_response())
}

#[utoipa::path(get, path = "/admin/services/{id}/mailboxes", tag = "admin", security(("session" = [])), params(("id" = i64, Path, description = "The service")), responses((status = 200, description = "Whose mailboxes use the service", body = ServiceUsage), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody), (status = 404, description = "No such service", body = ApiErrorBody)))]
/// Whose mailboxes use a service, for the delete confirmation (SPEC A4).
pub async fn service_usage(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<ServiceId>,
) -> Result<Json<ServiceUsage>, AppError> {
    Ok(Json(mailboxes::usage(&state.db, id).await?))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn parsed(values: &[&str]) -> Result<ExpectedVersion, String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        }
        expected_version(&headers).map_err(|e| match e {
            AppError::Problem(problem) => problem.code().to_owned(),
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn if_match_is_any_or_a_list_of_strong_versions_per_rfc_9110() {
        use ExpectedVersion::{Any, OneOf};
        assert_eq!(parsed(&[]), Err("version_required".to_owned()));
        assert_eq!(parsed(&["*"]), Ok(Any));
        assert_eq!(parsed(&[" * "]), Ok(Any));
        assert_eq!(parsed(&["\"7\""]), Ok(OneOf(vec![7])));
        assert_eq!(parsed(&["\"3\", \"4\""]), Ok(OneOf(vec![3, 4])));
        assert_eq!(parsed(&["\"3\"", "\"4\""]), Ok(OneOf(vec![3, 4])));
        assert_eq!(parsed(&[",\"3\",,"]), Ok(OneOf(vec![3])));
        assert_eq!(parsed(&["W/\"4\""]), Ok(OneOf(vec![])));
        assert_eq!(parsed(&["W/\"4\", \"5\""]), Ok(OneOf(vec![5])));
        assert_eq!(parsed(&["\"latest\""]), Ok(OneOf(vec![])));
        assert_eq!(
            parsed(&["\"07\", \"+7\", \" 7\""]),
            Err("stale_version".to_owned())
        );
        assert_eq!(parsed(&["\"07\", \"+7\""]), Ok(OneOf(vec![])));
        assert_eq!(parsed(&["\"a,b\", \"2\""]), Ok(OneOf(vec![2])));
        for unreadable in ["7", "\"7", "\"7\" x", "*, \"7\"", "w/\"7\"", "\"7 \""] {
            assert_eq!(
                parsed(&[unreadable]),
                Err("stale_version".to_owned()),
                "{unreadable}"
            );
        }
    }
}
