//! The built app over HTTP: compressed as the browser accepts, decoding to the very bytes of the
//! files, with the headers that let browsers cache the hashed files for good and revalidate
//! `index.html`. No database is involved: these run on SQLite only.

mod support;

use std::io::Read as _;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use support::{Backend, TestResponse, TestServer};

const WASM: &str = "/mail-services-web-0123456789abcdef_bg.wasm";
const JS: &str = "/mail-services-web-0123456789abcdef.js";
const PNG: &str = "/icons/logo.png";

/// Stand-ins for the files of a build: compressible like real code, large enough to show it.
fn wasm() -> Vec<u8> {
    (0..60_000u32)
        .flat_map(|i| [0x20, (i % 7) as u8, (i % 251) as u8, 0x0b])
        .collect()
}

fn js() -> Vec<u8> {
    (0..400)
        .map(|i| format!("export function handler{i}(event) {{ return dispatch(event, {i}); }}\n"))
        .collect::<String>()
        .into_bytes()
}

/// Bytes that no compressor can shrink, under a type that is not worth trying.
fn png() -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

async fn server() -> TestServer {
    let server = TestServer::start_with_files(
        Backend::Sqlite,
        &[
            (&WASM[1..], &wasm()),
            (&JS[1..], &js()),
            (&PNG[1..], &png()),
            (".built-from-sources", b"a marker, not part of the app"),
        ],
    )
    .await;
    server.state.static_files.compressed().await;
    server
}

async fn get(server: &TestServer, path: &str, accept_encoding: Option<&str>) -> TestResponse {
    request(server, Method::GET, path, accept_encoding, None).await
}

async fn request(
    server: &TestServer,
    method: Method,
    path: &str,
    accept_encoding: Option<&str>,
    if_none_match: Option<&str>,
) -> TestResponse {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, support::HOST);
    if let Some(value) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, value);
    }
    if let Some(value) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, value);
    }
    server.send(request.body(Body::empty()).unwrap()).await
}

/// The body as the browser gets it after undoing `Content-Encoding`.
fn decoded(response: &TestResponse) -> Vec<u8> {
    let mut out = Vec::new();
    match response
        .headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap())
    {
        None => out.clone_from(&response.body),
        Some("br") => {
            brotli::Decompressor::new(&response.body[..], 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(&response.body[..])
                .read_to_end(&mut out)
                .unwrap();
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

fn encoding(response: &TestResponse) -> Option<&str> {
    response
        .headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn compressed_files_decode_to_the_original_bytes_with_their_type() {
    let server = server().await;
    for (path, original, content_type) in [
        (WASM, wasm(), "application/wasm"),
        (JS, js(), "text/javascript; charset=utf-8"),
    ] {
        for (accept, expected) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("gzip", Some("gzip")),
            ("deflate", None),
        ] {
            let response = get(&server, path, Some(accept)).await;
            let what = format!("{path} with Accept-Encoding: {accept}");
            assert_eq!(response.status, StatusCode::OK, "{what}");
            assert_eq!(encoding(&response), expected, "{what}");
            assert_eq!(
                response.header(header::CONTENT_TYPE),
                content_type,
                "{what}"
            );
            assert_eq!(response.header(header::VARY), "accept-encoding", "{what}");
            assert!(
                decoded(&response) == original,
                "{what}: decodes to the file"
            );
            if expected.is_some() {
                assert!(
                    response.body.len() < original.len() / 2,
                    "{what}: {} bytes",
                    response.body.len()
                );
            }
        }
    }
}

#[tokio::test]
async fn accept_encoding_picks_the_coding_by_quality_and_br_on_a_tie() {
    let server = server().await;
    for (accept, expected) in [
        (None, None),
        (Some(""), None),
        (Some("identity"), None),
        (Some("br"), Some("br")),
        (Some("BR;Q=1"), Some("br")),
        (Some("gzip, br"), Some("br")),
        (Some("br;q=0, gzip"), Some("gzip")),
        (Some("br;q=0.5, gzip;q=0.8"), Some("gzip")),
        (Some("gzip;q=0.5, br;q=0.8"), Some("br")),
        (Some("*"), Some("br")),
        (Some("*;q=0.1, br;q=0"), Some("gzip")),
        (Some("gzip;q=0, br;q=0"), None),
    ] {
        let response = get(&server, WASM, accept).await;
        assert_eq!(encoding(&response), expected, "Accept-Encoding: {accept:?}");
        assert!(decoded(&response) == wasm(), "Accept-Encoding: {accept:?}");
    }
}

#[tokio::test]
async fn files_that_do_not_shrink_are_sent_as_they_are() {
    let server = server().await;
    for path in [PNG, "/app.css"] {
        let response = get(&server, path, Some("gzip, br")).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(encoding(&response), None, "{path}");
        assert_eq!(response.header(header::VARY), "accept-encoding", "{path}");
    }
    assert_eq!(get(&server, PNG, Some("br")).await.body, png());
    assert_eq!(get(&server, "/app.css", Some("br")).await.body, b"body{}");
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_index_html_is_revalidated() {
    let server = server().await;
    for path in [WASM, JS] {
        let response = get(&server, path, Some("br")).await;
        assert_eq!(
            response.header(header::CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    for path in ["/", "/index.html", "/admin/email/services", "/app.css", PNG] {
        let response = get(&server, path, Some("br")).await;
        assert_eq!(response.header(header::CACHE_CONTROL), "no-cache", "{path}");
    }
    let index = get(&server, "/", Some("gzip")).await;
    assert_eq!(encoding(&index), Some("gzip"));
    assert!(
        String::from_utf8(decoded(&index))
            .unwrap()
            .contains("<title>Mail services</title>")
    );
    assert!(index.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn a_file_the_browser_has_is_answered_304_per_representation() {
    let server = server().await;
    let brotli = get(&server, "/", Some("br")).await;
    let plain = get(&server, "/", None).await;
    let (brotli_tag, plain_tag) = (brotli.header(header::ETAG), plain.header(header::ETAG));
    assert_ne!(
        brotli_tag, plain_tag,
        "each encoding is its own representation"
    );

    let revalidated = request(&server, Method::GET, "/", Some("br"), Some(brotli_tag)).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    assert_eq!(revalidated.header(header::ETAG), brotli_tag);
    assert_eq!(revalidated.header(header::CACHE_CONTROL), "no-cache");
    assert_eq!(revalidated.header(header::VARY), "accept-encoding");
    let weak = format!("\"other\", W/{plain_tag}");
    let weakly = request(&server, Method::GET, "/", None, Some(&weak)).await;
    assert_eq!(weakly.status, StatusCode::NOT_MODIFIED);

    // The tag of another encoding, or an outdated one, gets the whole file.
    let other = request(&server, Method::GET, "/", Some("br"), Some(plain_tag)).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.body, brotli.body);
    let outdated = request(&server, Method::GET, "/", None, Some("\"0000\"")).await;
    assert_eq!(
        (outdated.status, outdated.body.len()),
        (StatusCode::OK, plain.body.len())
    );
}

#[tokio::test]
async fn head_tells_the_length_of_the_representation_without_a_body() {
    let server = server().await;
    let full = get(&server, WASM, Some("gzip")).await;
    let head = request(&server, Method::HEAD, WASM, Some("gzip"), None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header(header::CONTENT_LENGTH),
        full.body.len().to_string()
    );
    assert_eq!(head.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(head.header(header::ETAG), full.header(header::ETAG));
}

#[tokio::test]
async fn other_methods_and_hidden_files_are_not_served() {
    let server = server().await;
    let post = server
        .send(
            server
                .request(Method::POST, "/index.html")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.header(header::ALLOW), "GET, HEAD");
    let marker = get(&server, "/.built-from-sources", None).await;
    assert!(
        marker.text().contains("<title>Mail services</title>"),
        "answered as a deep link"
    );
}
