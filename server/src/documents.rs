//! The settings document and the picker as the API serves them: serialized once per change of the
//! data behind them and kept in memory.
//!
//! A copy is served only while it is exactly current. Every request still reads the current
//! [`Revision`] from the database (with its session, see [`crate::auth::SettingsRevision`]) and gets
//! the copy only when it was read at that very revision; so a save through another replica on the
//! same PostgreSQL database is seen at once, as is a mailbox connected anywhere. Who may read what
//! is checked per request, as always.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context as _;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use mail_core::{Picker, PickerService, SettingsDocument};

use crate::db::Pool;
use crate::settings::{self, Revision};

/// The two documents of one revision, serialized.
pub struct Published {
    pub revision: Revision,
    /// `"<version>"`: what a save must send back in `If-Match`.
    etag: HeaderValue,
    settings: Bytes,
    picker: Bytes,
}

impl Published {
    fn of(document: &SettingsDocument, revision: Revision) -> anyhow::Result<Published> {
        // Services that are not hidden, in the administrator's order, and whether "Other" is offered.
        let picker = Picker {
            services: document
                .services
                .iter()
                .filter(|service| !service.hidden)
                .map(|service| PickerService {
                    id: service.id,
                    name: service.name.clone(),
                })
                .collect(),
            other_allowed: document.allow_manual_entry,
        };
        Ok(Published {
            revision,
            etag: HeaderValue::from_str(&format!("\"{}\"", document.version))
                .context("a number in quotes is a valid header value")?,
            settings: serde_json::to_vec(document)?.into(),
            picker: serde_json::to_vec(&picker)?.into(),
        })
    }

    /// `GET /api/admin/settings`: the document with its version as the `ETag`.
    pub fn settings_response(&self) -> Response {
        (
            [(header::ETAG, self.etag.clone())],
            json(self.settings.clone()),
        )
            .into_response()
    }

    /// `GET /api/mail/picker`.
    pub fn picker_response(&self) -> Response {
        json(self.picker.clone()).into_response()
    }
}

fn json(body: Bytes) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
}

/// The latest [`Published`] documents of this process.
#[derive(Default)]
pub struct DocumentCache {
    latest: Mutex<Option<Arc<Published>>>,
    /// One rebuild at a time: the requests that find the copy outdated after a save wait for one
    /// read of the whole document instead of each making their own.
    rebuilding: tokio::sync::Mutex<()>,
}

impl DocumentCache {
    /// The documents at `revision`, read from the database for this request (or later ones).
    pub async fn at(&self, pool: &Pool, revision: Revision) -> anyhow::Result<Arc<Published>> {
        if let Some(published) = self.latest_at(revision) {
            return Ok(published);
        }
        let _one_at_a_time = self.rebuilding.lock().await;
        if let Some(published) = self.latest_at(revision) {
            return Ok(published);
        }
        // Read at least as late as `revision`, so never older than what was asked for.
        let (document, revision) = settings::document_at_revision(pool).await?;
        let published = Arc::new(Published::of(&document, revision)?);
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(published.clone());
        Ok(published)
    }

    fn latest_at(&self, revision: Revision) -> Option<Arc<Published>> {
        self.latest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|published| published.revision == revision)
            .cloned()
    }
}
