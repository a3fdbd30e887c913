//! Web security of every response: the Content-Security-Policy and the other protective headers
//! (HSTS when the request came over HTTPS), whether a request came over HTTPS, and the guard that keeps other sites from using a signed-in browser's session cookie on the API.
//!
//! The CSRF rule, for every request under `/api` whose method is not GET, HEAD, OPTIONS or TRACE:
//! - With an `Origin` header, its `host[:port]` must equal the request's own host: the first
//!   `X-Forwarded-Host` when a reverse proxy set one, else `Host` (or the HTTP/2 authority). Only the
//!   host and port are compared, not the scheme, because behind a TLS-terminating proxy the browser
//!   says `https://` while this server sees plain HTTP. `Origin: null` (sandboxed frames, `data:`
//!   pages) is refused. A browser page cannot set `X-Forwarded-Host` on a cross-site request without a
//!   CORS preflight, which this server never grants, so trusting it does not open a hole.
//! - Without `Origin`, `Sec-Fetch-Site: cross-site` or `same-site` is refused; with neither header
//!   (curl, scripts — they carry no browser cookies) the request is allowed.
//! - A body must be JSON (`application/json` or `application/*+json`, as axum's `Json` accepts), and a
//!   `Content-Type` of anything else is refused even without a body: the content types an HTML form
//!   can send never reach a handler, whether or not it reads a body.
//!
//! Refusals are 403 `cross_site_request` and 415 `unsupported_media_type`, with the API's JSON error
//! body ([`Problem`]); they happen before routing reaches any handler.

use std::convert::Infallible;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::HttpBody;
use axum::extract::{OriginalUri, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_core::Lang;
use sha2::{Digest, Sha256};
use tower::{Layer, Service};

use crate::error::Problem;

/// Applies the security headers and the CSRF guard to every route of the app.
#[derive(Clone)]
pub struct SecurityLayer {
    headers: Arc<[(HeaderName, HeaderValue)]>,
}

impl SecurityLayer {
    /// Reads `index.html` of the built app once, to allow exactly its inline bootstrap scripts.
    pub fn for_app(static_dir: &Path) -> SecurityLayer {
        let index = std::fs::read_to_string(static_dir.join("index.html")).unwrap_or_default();
        let csp = content_security_policy(&inline_script_hashes(&index));
        let headers = [
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&csp).expect("the policy is ASCII"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ];
        SecurityLayer {
            headers: headers.into(),
        }
    }
}

/// `Strict-Transport-Security` on answers over HTTPS: browsers then refuse plain HTTP to this host
/// for a year. Not `includeSubDomains` (other hosts of the organisation's domain are not ours to
/// commit to HTTPS) and so not `preload` either, which requires it.
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");

/// Whether the browser reached us over HTTPS: directly, or through a proxy that says so with
/// `X-Forwarded-Proto: https` or `Forwarded: proto=https` (the session cookie is then `Secure`,
/// and answers carry HSTS).
pub fn served_over_https(headers: &HeaderMap) -> bool {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_https || forwarded
}

/// The policy: the app's own files, its inline bootstrap by hash, and WebAssembly compilation
/// (`'wasm-unsafe-eval'`); no other inline code, no `eval`, no framing, no plugins.
pub fn content_security_policy(inline_script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes {
        script_src.push_str(&format!(" '{hash}'"));
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// `sha256-…` of every inline `<script>` in an HTML page (trunk writes one, the module that loads
/// the wasm), each once, in page order.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let tag_start = at + found;
        let Some(tag_end) = end_of_tag(html, tag_start) else {
            break;
        };
        let attributes = &lower[tag_start + "<script".len()..tag_end];
        let content_start = tag_end + 1;
        let content_end = lower[content_start..]
            .find("</script")
            .map_or(html.len(), |i| content_start + i);
        at = content_end;
        if !attributes.is_empty() && !attributes.starts_with(|c: char| c.is_ascii_whitespace()) {
            continue; // `<scripts>` or similar: not a script element
        }
        if has_attribute(attributes, "src") {
            continue; // an external script: allowed by 'self', not by hash
        }
        // The browser hashes the text after the HTML parser has turned CRLF and CR into LF.
        let text = html[content_start..content_end]
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let hash = format!("sha256-{}", BASE64.encode(Sha256::digest(text.as_bytes())));
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes
}

/// The index of the `>` closing the tag that starts at `start`, skipping quoted attribute values.
fn end_of_tag(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(start + i),
            _ => {}
        }
    }
    None
}

/// Whether the (lower-case) attribute text of a tag has an attribute of this name.
fn has_attribute(attributes: &str, name: &str) -> bool {
    let mut quote = None;
    let mut names = Vec::new();
    let mut current = String::new();
    let mut in_value = false;
    for c in attributes.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if in_value => quote = Some(c),
            (None, '=') => {
                in_value = true;
                names.push(std::mem::take(&mut current));
            }
            (None, c) if c.is_ascii_whitespace() || c == '/' => {
                if !in_value && !current.is_empty() {
                    names.push(std::mem::take(&mut current));
                }
                in_value = false;
                current.clear();
            }
            (None, c) if !in_value => current.push(c),
            _ => {}
        }
    }
    if !in_value && !current.is_empty() {
        names.push(current);
    }
    names.iter().any(|n| n == name)
}

impl<S> Layer<S> for SecurityLayer {
    type Service = Security<S>;

    fn layer(&self, inner: S) -> Security<S> {
        Security {
            inner,
            headers: self.headers.clone(),
        }
    }
}

/// The service made by [`SecurityLayer`].
#[derive(Clone)]
pub struct Security<S> {
    inner: S,
    headers: Arc<[(HeaderName, HeaderValue)]>,
}

impl<S> Service<Request> for Security<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let headers = self.headers.clone();
        let https = served_over_https(request.headers());
        let refusal = refusal(&request);
        // The inner service was made ready by `poll_ready`: use it, and keep a clone for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let mut response = match refusal {
                Some(refusal) => refusal,
                None => inner.call(request).await?,
            };
            for (name, value) in headers.iter() {
                response.headers_mut().insert(name.clone(), value.clone());
            }
            if https {
                response
                    .headers_mut()
                    .insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
            }
            Ok(response)
        })
    }
}

/// The response refusing a state-changing API request that a browser could have been tricked
/// into sending, or `None` to let it through.
fn refusal(request: &Request) -> Option<Response> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return None;
    }
    // Nested routers see their path without the prefix; the original one says whether it is the API.
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or(request.uri().path(), |original| original.0.path());
    if path != "/api" && !path.starts_with("/api/") {
        return None;
    }
    if let Err(problem) = check_same_origin(request) {
        tracing::warn!(
            method = %request.method(),
            path,
            reason = problem.message(Lang::En),
            "refused a cross-site request"
        );
        return Some(refused(problem));
    }
    if let Err(problem) = check_json_body(request) {
        return Some(refused(problem));
    }
    None
}

fn refused(problem: Problem) -> Response {
    let mut response = problem.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn check_same_origin(request: &Request) -> Result<(), Problem> {
    let headers = request.headers();
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let Some(origin) = origins.next() else {
        let site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
            return Err(Problem::CrossSiteFetch {
                site: site.to_owned(),
            });
        }
        return Ok(());
    };
    let origin = String::from_utf8_lossy(origin.as_bytes());
    let own_host = own_host(request);
    // A browser sends one Origin; a second one is not a browser's request to trust.
    let matches = match (origin_host(&origin), &own_host) {
        _ if origins.next().is_some() => false,
        (Some((scheme, origin_host)), Some(own_host)) => {
            without_default_port(&origin_host, scheme)
                == without_default_port(&own_host.to_ascii_lowercase(), scheme)
        }
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        Err(Problem::CrossSiteOrigin {
            origin: origin.into_owned(),
            own_host,
        })
    }
}

/// The host[:port] the browser addressed: the first `X-Forwarded-Host` set by a proxy, else `Host`,
/// else the authority of an HTTP/2 request.
fn own_host(request: &Request) -> Option<String> {
    let headers: &HeaderMap = request.headers();
    let forwarded = headers
        .get("x-forwarded-host")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    forwarded
        .or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()))
}

/// The scheme and lower-case host[:port] of an `Origin` header; `None` for `null` or anything that
/// is not an http(s) origin.
fn origin_host(origin: &str) -> Option<(&'static str, String)> {
    let (scheme, host) = origin.trim().split_once("://")?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => "http",
        "https" => "https",
        _ => return None,
    };
    if host.is_empty() || host.contains(['/', '@', '?', '#']) {
        return None;
    }
    Some((scheme, host.to_ascii_lowercase()))
}

fn without_default_port<'a>(host: &'a str, scheme: &str) -> &'a str {
    let default = if scheme == "https" { ":443" } else { ":80" };
    host.strip_suffix(default).unwrap_or(host)
}

fn check_json_body(request: &Request) -> Result<(), Problem> {
    match request.headers().get(header::CONTENT_TYPE) {
        Some(content_type) if is_json(content_type) => Ok(()),
        Some(content_type) => Err(Problem::NotJson {
            content_type: Some(String::from_utf8_lossy(content_type.as_bytes()).into_owned()),
        }),
        None if request.body().size_hint().exact() == Some(0) => Ok(()),
        None => Err(Problem::NotJson { content_type: None }),
    }
}

/// `application/json` or `application/…+json`, with any parameters: what axum's `Json` accepts.
fn is_json(content_type: &HeaderValue) -> bool {
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256(text: &str) -> String {
        format!("sha256-{}", BASE64.encode(Sha256::digest(text.as_bytes())))
    }

    #[test]
    fn the_inline_bootstrap_of_trunk_is_hashed_and_external_scripts_are_not() {
        let html = "<!doctype html><title>x</title><script type=module>import init from '/a.js';\r\nawait init();</script>\
            <script src=\"/b.js\"></script><SCRIPT data-x='a>b'>one()</SCRIPT>\
            <script type=module>import init from '/a.js';\nawait init();</script>";
        assert_eq!(
            inline_script_hashes(html),
            vec![
                sha256("import init from '/a.js';\nawait init();"),
                sha256("one()"),
            ]
        );
    }

    #[test]
    fn a_page_without_inline_scripts_gets_no_hash() {
        assert!(inline_script_hashes("").is_empty());
        assert!(inline_script_hashes("<script defer src=/app.js></script><scripts>").is_empty());
    }

    #[test]
    fn attributes_are_told_apart_from_values() {
        assert!(has_attribute(" type=module src=/a.js", "src"));
        assert!(has_attribute(" src", "src"));
        assert!(!has_attribute(" type=module data-src=\"src\"", "src"));
        assert!(!has_attribute(" title='src = x'", "src"));
    }

    #[test]
    fn json_content_types_are_those_axum_accepts() {
        for ok in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert!(is_json(&HeaderValue::from_static(ok)), "{ok}");
        }
        for refused in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/json",
        ] {
            assert!(!is_json(&HeaderValue::from_static(refused)), "{refused}");
        }
    }

    #[test]
    fn origins_compare_by_host_and_port() {
        assert_eq!(
            origin_host("https://Mail.Example.com"),
            Some(("https", "mail.example.com".to_owned()))
        );
        assert_eq!(origin_host("null"), None);
        assert_eq!(origin_host("file://x"), None);
        assert_eq!(without_default_port("h:443", "https"), "h");
        assert_eq!(without_default_port("h:8443", "https"), "h:8443");
        assert_eq!(without_default_port("h:80", "http"), "h");
    }
}
