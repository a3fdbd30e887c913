//! The browser app built by trunk (`dist/`), served from memory, compressed with brotli or gzip as
//! the browser accepts.
//!
//! The files are read once at start-up and their compressed copies made once, on a background
//! thread (brotli at its best quality takes seconds for the wasm); until a file's copies are ready
//! it is served as it is. Every response names its `Content-Encoding`, varies on `Accept-Encoding`
//! and carries an `ETag` of its representation, answered with 304 when the browser has it already.
//! Files whose names carry trunk's content hash (`app-0123456789abcdef.js`) may be cached for a year
//! without asking again; everything else, above all `index.html`, which names those hashes, is
//! revalidated on every use. Paths that are no file are deep links of the app and get `index.html`.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::AppState;

/// A file's type and whether compressing it pays, by extension.
const TYPES: &[(&str, &str, bool)] = &[
    ("html", "text/html; charset=utf-8", true),
    ("js", "text/javascript; charset=utf-8", true),
    ("mjs", "text/javascript; charset=utf-8", true),
    ("css", "text/css; charset=utf-8", true),
    ("wasm", "application/wasm", true),
    ("json", "application/json", true),
    ("map", "application/json", true),
    ("webmanifest", "application/manifest+json", true),
    ("svg", "image/svg+xml", true),
    ("txt", "text/plain; charset=utf-8", true),
    ("xml", "application/xml", true),
    ("ico", "image/x-icon", true),
    ("png", "image/png", false),
    ("jpg", "image/jpeg", false),
    ("jpeg", "image/jpeg", false),
    ("gif", "image/gif", false),
    ("webp", "image/webp", false),
    ("avif", "image/avif", false),
    ("woff", "font/woff", false),
    ("woff2", "font/woff2", false),
];

/// For the files named by their content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For `index.html` and other files whose name stays when their content changes.
const REVALIDATE: &str = "no-cache";

/// The quality the copies are made with: the best of each, since it is paid once. Brotli's best
/// takes seconds for the wasm in an optimised build but most of a minute in an unoptimised one
/// (tests, the end-to-end run), which get a quick quality instead.
const BROTLI_QUALITY: i32 = if cfg!(debug_assertions) { 5 } else { 11 };
const BROTLI_WINDOW_BITS: i32 = 22;

/// One encoding of a file.
struct Representation {
    body: Bytes,
    etag: HeaderValue,
}

struct StaticFile {
    /// Hex digits of the content's SHA-256: the `ETag`s are made of it.
    tag: String,
    content_type: HeaderValue,
    cache_control: HeaderValue,
    compressible: bool,
    identity: Representation,
    /// Set once by the background compression: `None` when compressing does not make it smaller.
    gzip: OnceLock<Option<Representation>>,
    brotli: OnceLock<Option<Representation>>,
}

/// The content codings this server can send besides `identity`, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    const ALL: [Coding; 2] = [Coding::Brotli, Coding::Gzip];

    fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    fn compress(self, data: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    lgwin: BROTLI_WINDOW_BITS,
                    size_hint: data.len(),
                    ..Default::default()
                };
                let mut out = Vec::new();
                brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(data.len() / 2),
                    flate2::Compression::best(),
                );
                encoder.write_all(data)?;
                encoder.finish()
            }
        }
    }
}

impl StaticFile {
    fn new(name: &str, body: Vec<u8>) -> StaticFile {
        let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
        let (content_type, compressible) = TYPES
            .iter()
            .find(|(ext, _, _)| ext.eq_ignore_ascii_case(extension))
            .map_or(("application/octet-stream", false), |(_, t, c)| (*t, *c));
        let hash = Sha256::digest(&body);
        let tag: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
        StaticFile {
            identity: Representation {
                body: body.into(),
                etag: etag(&tag, None),
            },
            tag,
            content_type: HeaderValue::from_static(content_type),
            cache_control: HeaderValue::from_static(if is_fingerprinted(name) {
                IMMUTABLE
            } else {
                REVALIDATE
            }),
            compressible,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    fn slot(&self, coding: Coding) -> &OnceLock<Option<Representation>> {
        match coding {
            Coding::Brotli => &self.brotli,
            Coding::Gzip => &self.gzip,
        }
    }

    /// Makes the copy in `coding`, kept only when it is smaller than the file.
    fn compress(&self, coding: Coding) {
        let copy = self
            .compressible
            .then(|| coding.compress(&self.identity.body))
            .and_then(Result::ok)
            .filter(|compressed| compressed.len() < self.identity.body.len())
            .map(|compressed| Representation {
                body: compressed.into(),
                etag: etag(&self.tag, Some(coding)),
            });
        let _ = self.slot(coding).set(copy);
    }

    /// The representation to send for this `Accept-Encoding`, and its coding.
    fn negotiate(&self, request: &HeaderMap) -> (Option<Coding>, &Representation) {
        let mut best: Option<(f32, Coding, &Representation)> = None;
        for coding in Coding::ALL {
            let quality = accepted_quality(request, coding.token());
            let ready = self.slot(coding).get().and_then(Option::as_ref);
            if let Some(representation) = ready
                && quality > 0.0
                && best.is_none_or(|(q, _, _)| quality > q)
            {
                best = Some((quality, coding, representation));
            }
        }
        match best {
            Some((_, coding, representation)) => (Some(coding), representation),
            None => (None, &self.identity),
        }
    }

    fn respond(&self, method: &Method, request: &HeaderMap) -> Response {
        let (coding, representation) = self.negotiate(request);
        let not_modified = if_none_match(request, &representation.etag);
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else if method == Method::HEAD {
            let mut response = Response::new(Body::empty());
            response.headers_mut().insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(representation.body.len()),
            );
            response
        } else {
            Response::new(Body::from(representation.body.clone()))
        };
        let headers = response.headers_mut();
        if !not_modified {
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Some(coding) = coding {
                headers.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(coding.token()),
                );
            }
        }
        headers.insert(header::ETAG, representation.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

fn etag(tag: &str, coding: Option<Coding>) -> HeaderValue {
    let value = match coding {
        Some(coding) => format!("\"{tag}-{}\"", coding.token()),
        None => format!("\"{tag}\""),
    };
    HeaderValue::from_str(&value).expect("hex digits and a token are a valid header value")
}

/// Whether a file name carries trunk's content hash: `name-<16 or more hex digits>` before the
/// extension, optionally followed by a suffix such as `_bg` (`app-0123456789abcdef_bg.wasm`).
pub fn is_fingerprinted(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.split_once('.').map_or(file, |(stem, _)| stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    let hash = hash.split_once('_').map_or(hash, |(hash, _)| hash);
    hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The quality (`q`) `Accept-Encoding` gives a content coding: 0 when it is not accepted.
fn accepted_quality(request: &HeaderMap, coding: &str) -> f32 {
    let (mut named, mut any) = (None, None);
    let items = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','));
    for item in items {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let quality = parts
            .filter_map(|p| p.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case(coding) {
            named = Some(quality);
        } else if name == "*" {
            any = Some(quality);
        }
    }
    named.or(any).unwrap_or(0.0)
}

/// Whether `If-None-Match` names this representation (weak comparison, as the header demands).
fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let etag = etag.to_str().unwrap_or_default();
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// The built app, in memory.
pub struct StaticFiles {
    /// By URL path: `/index.html`, `/app-0123456789abcdef.js`.
    files: HashMap<String, StaticFile>,
    compressed: watch::Receiver<bool>,
}

impl StaticFiles {
    /// Reads every file under `dir` (none when it is missing) and starts compressing them on a
    /// thread of their own.
    pub fn load(dir: &Path) -> Arc<StaticFiles> {
        let mut files = HashMap::new();
        read_dir(dir, "", &mut files);
        let (done, compressed) = watch::channel(false);
        let static_files = Arc::new(StaticFiles { files, compressed });
        let worker = static_files.clone();
        let spawned = std::thread::Builder::new()
            .name("compress-app".to_owned())
            .spawn(move || {
                worker.compress_all();
                done.send_replace(true);
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot start compressing the app's files: they are served uncompressed");
        }
        static_files
    }

    fn compress_all(&self) {
        // Gzip first: it takes a fraction of a second, brotli at its best takes seconds.
        for coding in [Coding::Gzip, Coding::Brotli] {
            let start = Instant::now();
            for file in self.files.values() {
                file.compress(coding);
            }
            let size = |coding| -> usize {
                self.files
                    .values()
                    .map(|f| {
                        f.slot(coding)
                            .get()
                            .and_then(Option::as_ref)
                            .map_or(f.identity.body.len(), |r| r.body.len())
                    })
                    .sum()
            };
            tracing::info!(
                coding = coding.token(),
                files = self.files.len(),
                bytes = size(coding),
                uncompressed_bytes = self
                    .files
                    .values()
                    .map(|f| f.identity.body.len())
                    .sum::<usize>(),
                milliseconds = start.elapsed().as_millis() as u64,
                "compressed the app's files"
            );
        }
    }

    /// Waits until every compressed copy is made (or found not to pay).
    pub async fn compressed(&self) {
        let _ = self.compressed.clone().wait_for(|done| *done).await;
    }

    /// The response to a request for `path` that no API route took.
    fn respond(&self, method: &Method, path: &str, request: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
            )
                .into_response();
        }
        let file = if path.ends_with('/') {
            self.files.get(&format!("{path}index.html"))
        } else {
            self.files.get(path)
        };
        // Deep links such as /admin/email/services are routes of the browser app.
        match file.or_else(|| self.files.get("/index.html")) {
            Some(file) => file.respond(method, request),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// Adds the files under `dir` to `files`, by URL path under `prefix`; hidden files are left out.
fn read_dir(dir: &Path, prefix: &str, files: &mut HashMap<String, StaticFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let url_path = format!("{prefix}/{name}");
        if path.is_dir() {
            read_dir(&path, &url_path, files);
        } else {
            match std::fs::read(&path) {
                Ok(body) => {
                    files.insert(url_path.clone(), StaticFile::new(&url_path, body));
                }
                Err(error) => {
                    tracing::warn!(path = %path.display(), %error, "cannot read a file of the app")
                }
            }
        }
    }
}

/// The fallback of the router: the app's files for every path outside `/api`.
pub async fn serve(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    state.static_files.respond(&method, uri.path(), &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn trunk_names_with_a_content_hash_are_fingerprinted_and_others_are_not() {
        for name in [
            "/mail-services-web-94eeb1e0ada94aaa.js",
            "/mail-services-web-94eeb1e0ada94aaa_bg.wasm",
            "/main-e0a7841020cd026a.css",
            "/snippets/x/inline0-0123456789abcdef0123.js",
        ] {
            assert!(is_fingerprinted(name), "{name}");
        }
        for name in [
            "/index.html",
            "/app.css",
            "/favicon.ico",
            "/mail-services-web.js",
            "/main-e0a7841020cd02.css",
            "/main-e0a7841020cd026g.css",
        ] {
            assert!(!is_fingerprinted(name), "{name}");
        }
    }

    #[test]
    fn accept_encoding_qualities_follow_the_header() {
        assert_eq!(accepted_quality(&accept("gzip, deflate, br"), "br"), 1.0);
        assert_eq!(accepted_quality(&accept("gzip;q=0.5, br;q=0"), "br"), 0.0);
        assert_eq!(accepted_quality(&accept("gzip;q=0.5, br;q=0"), "gzip"), 0.5);
        assert_eq!(accepted_quality(&accept("*;q=0.2"), "gzip"), 0.2);
        assert_eq!(accepted_quality(&accept("BR"), "br"), 1.0);
        assert_eq!(accepted_quality(&accept("identity"), "gzip"), 0.0);
        assert_eq!(accepted_quality(&HeaderMap::new(), "gzip"), 0.0);
    }
}
