//! Sign-in under abuse (issue 13, items 4-7), on SQLite and PostgreSQL: bounded password hashing,
//! attempts counted before the password is checked, the per-client limit and `X-Forwarded-For`,
//! lock-outs that spare other clients and that the administrator sees and clears, and an attempts
//! table that holds no login text.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode, header};
use mail_core::{Role, SignInLockout};
use mail_services_server::auth;
use mail_services_server::clients::{Cidr, TrustedProxies};
use mail_services_server::hashing::Hashing;
use support::{BuildRequest, TEST_PASSWORD, TestResponse, TestServer, db_tests, send_to};

/// A bound on hashing that no test here fills by accident on a busy machine.
fn roomy() -> Arc<Hashing> {
    Arc::new(Hashing::new(2, 256, Duration::from_secs(120)))
}

/// Sends every request at once, each in its own task, and returns the answers.
async fn all_at_once(
    server: &TestServer,
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> Vec<TestResponse> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| tokio::spawn(send_to(server.app(), request)))
        .collect();
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.unwrap());
    }
    responses
}

fn count(responses: &[TestResponse], status: StatusCode) -> usize {
    responses.iter().filter(|r| r.status == status).count()
}

async fn lockouts(server: &TestServer, admin: &str) -> Vec<SignInLockout> {
    let response = server.get_as("/api/admin/sign-in-lockouts", admin).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

db_tests! {
    /// Issue 13, item 5: 40 simultaneous wrong guesses for one login let at most 5 be checked,
    /// and guessing on afterwards checks none beyond the 5.
    async fn forty_parallel_guesses_for_one_login_check_at_most_five(server: TestServer) {
        let server = server.with_state(|state| state.hashing = roomy());
        server.add_user("anna", Role::User).await;
        let guesses = (0..40)
            .map(|n| server.request(Method::POST, "/api/session").peer("192.0.2.1").json_sign_in("anna", &format!("guess {n}")))
            .collect();
        let burst = all_at_once(&server, guesses).await;
        let checked = count(&burst, StatusCode::UNAUTHORIZED);
        assert!(checked <= auth::MAX_FAILURES as usize, "{checked} of 40 parallel guesses were checked");
        assert_eq!(checked + count(&burst, StatusCode::TOO_MANY_REQUESTS), 40, "only 401 and 429");
        let mut total = checked;
        for _ in 0..6 {
            match server.sign_in_from("192.0.2.1", "anna", "one more guess").await.status {
                StatusCode::UNAUTHORIZED => total += 1,
                status => assert_eq!(status, StatusCode::TOO_MANY_REQUESTS),
            }
        }
        assert_eq!(total, auth::MAX_FAILURES as usize, "five guesses checked in all");
    }

    /// Issue 13, item 5: one client's failures over many logins are limited too.
    async fn sixty_logins_from_one_client_are_limited(server: TestServer) {
        let server = server.with_state(|state| state.hashing = roomy());
        let mut answers = Vec::new();
        for n in 0..60 {
            answers.push(server.sign_in_from("192.0.2.1", &format!("person{n}"), "guess").await);
        }
        assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), auth::MAX_CLIENT_FAILURES as usize);
        let refused = &answers[auth::MAX_CLIENT_FAILURES as usize];
        assert_eq!((refused.status, refused.error().code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_sign_in_attempts"));
        assert_eq!(refused.header(header::RETRY_AFTER), auth::FAILURE_WINDOW.as_secs().to_string());
        assert!(refused.error().message.contains("network address"), "{}", refused.error().message);
        assert_eq!(server.sign_in_from("198.51.100.2", "person0", "guess").await.status, StatusCode::UNAUTHORIZED, "other clients are checked");

        // The administrator sees the client's lock-out and clears it.
        let admin = server.admin_session().await;
        let client_lockout = lockouts(&server, &admin).await.into_iter().find(|l| l.login_hash.is_none()).expect("the client's lock-out is listed");
        assert_eq!((client_lockout.client.as_str(), client_lockout.failures), ("192.0.2.1", auth::MAX_CLIENT_FAILURES));
        let clear = server.request(Method::DELETE, "/api/admin/sign-in-lockouts?client=192.0.2.1").cookie(&admin).empty();
        assert_eq!(server.send(clear).await.status, StatusCode::NO_CONTENT);
        assert!(lockouts(&server, &admin).await.is_empty());
        assert_eq!(server.sign_in_from("192.0.2.1", "person59", "guess").await.status, StatusCode::UNAUTHORIZED);
    }

    /// Issue 13, item 5: `X-Forwarded-For` is anyone's to write; it counts only from a trusted proxy.
    async fn forwarded_for_is_ignored_unless_the_proxy_is_trusted(server: TestServer) {
        let server = server.with_state(|state| state.hashing = roomy());
        server.add_user("anna", Role::User).await;
        let guess = |n: usize| server.request(Method::POST, "/api/session").peer("10.0.0.1").header("x-forwarded-for", format!("203.0.113.{n}")).json_sign_in("anna", "guess");
        for n in 0..auth::MAX_FAILURES as usize {
            assert_eq!(server.send(guess(n)).await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(server.send(guess(99)).await.status, StatusCode::TOO_MANY_REQUESTS, "a new X-Forwarded-For is not a new client");

        let proxied = server.with_state(|state| state.trusted_proxies = Arc::new(TrustedProxies(vec!["10.0.0.0/8".parse::<Cidr>().unwrap()])));
        let guess = |n: usize| proxied.request(Method::POST, "/api/session").peer("10.0.0.1").header("x-forwarded-for", format!("203.0.113.{n}, 10.0.0.7")).json_sign_in("anna", "guess");
        for n in 100..100 + auth::MAX_FAILURES as usize {
            assert_eq!(proxied.send(guess(n)).await.status, StatusCode::UNAUTHORIZED, "each forwarded client has its own count");
        }
        let admin = proxied.admin_session().await;
        let listed = lockouts(&proxied, &admin).await;
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!((listed[0].client.as_str(), listed[0].login.as_deref()), ("10.0.0.1", Some("anna")), "the proxy itself, before it was trusted");
        let ok = proxied.request(Method::POST, "/api/session").peer("10.0.0.1").header("x-forwarded-for", "203.0.113.200").json_sign_in("anna", TEST_PASSWORD);
        assert_eq!(proxied.send(ok).await.status, StatusCode::OK, "a forwarded client that has not been failing");
    }

    /// Issue 13, item 6: failing from one client does not lock the login for another, and the
    /// administrator lists the lock-out and clears it; a user may not.
    async fn a_lockout_spares_other_clients_and_the_administrator_clears_it(server: TestServer) {
        let server = server.with_state(|state| state.hashing = roomy());
        server.add_user("anna", Role::User).await;
        for _ in 0..auth::MAX_FAILURES {
            assert_eq!(server.sign_in_from("192.0.2.1", "anna", "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        let locked = server.sign_in_from("192.0.2.1", "anna", TEST_PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "the failing client waits");
        assert_eq!(server.sign_in_from("198.51.100.2", "Anna", TEST_PASSWORD).await.status, StatusCode::OK, "another client gets in");

        let user = server.session_of_new("bob", Role::User).await;
        assert_eq!(server.get_as("/api/admin/sign-in-lockouts", &user).await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.get("/api/admin/sign-in-lockouts").await.status, StatusCode::UNAUTHORIZED);
        let admin = server.admin_session().await;
        let listed = lockouts(&server, &admin).await;
        assert_eq!(listed.len(), 1, "{listed:?}");
        let lockout = &listed[0];
        assert_eq!((lockout.login.as_deref(), lockout.client.as_str(), lockout.failures), (Some("anna"), "192.0.2.1", auth::MAX_FAILURES));
        assert!(lockout.locked_until > auth::now(), "{lockout:?}");
        let path = format!("/api/admin/sign-in-lockouts?client=192.0.2.1&login_hash={}", lockout.login_hash.as_deref().unwrap());
        assert_eq!(server.send(server.request(Method::DELETE, &path).cookie(&user).empty()).await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.send(server.request(Method::DELETE, &path).cookie(&admin).empty()).await.status, StatusCode::NO_CONTENT);
        assert!(lockouts(&server, &admin).await.is_empty());
        assert_eq!(server.sign_in_from("192.0.2.1", "anna", TEST_PASSWORD).await.status, StatusCode::OK, "cleared: client A gets in");
        let missing = server.send(server.request(Method::DELETE, "/api/admin/sign-in-lockouts").cookie(&admin).empty()).await;
        assert_eq!((missing.status, missing.error().code.as_str()), (StatusCode::BAD_REQUEST, "bad_request"));
    }

    /// Issue 13, item 7: what a failed sign-in stores is a fixed-size hash, never the login.
    async fn failed_sign_ins_store_no_login_text(server: TestServer) {
        let server = server.with_state(|state| state.hashing = roomy());
        let marker = "disk-filler-";
        let login = |n: usize| format!("{marker}{n:03}-{}", "x".repeat(230));
        for n in 0..100 {
            let client = format!("192.0.2.{}", n % 5);
            assert_eq!(server.sign_in_from(&client, &login(n), "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        let (rows, longest, stored, with_login): (i64, i64, i64, i64) = support::query_one(
            server.db(),
            &format!(
                "SELECT COUNT(*), CAST(MAX(LENGTH(login_hash) + LENGTH(client)) AS BIGINT), \
                 SUM(LENGTH(login_hash) + LENGTH(client)), \
                 SUM(CASE WHEN login_hash LIKE '%{marker}%' OR client LIKE '%{marker}%' THEN 1 ELSE 0 END) \
                 FROM sign_in_attempts"
            ),
        )
        .await;
        assert_eq!(rows, 100, "every failure counts");
        assert_eq!(with_login, 0, "no login text in the attempts table");
        assert!(longest <= 64 + 43, "each row holds a hash and an address: {longest}");
        assert!(stored <= 100 * (64 + 43), "{stored}");
        if server.backend == support::Backend::Sqlite {
            support::execute(server.db(), "PRAGMA wal_checkpoint(TRUNCATE)").await;
            for file in ["mail-services.db", "mail-services.db-wal"] {
                let bytes = std::fs::read(server.dir().join(file)).unwrap_or_default();
                assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "{file} holds a login");
            }
        }
    }

    /// Issue 13, item 7: the clean-up of old attempts and the counts find their rows by index.
    async fn the_attempts_table_is_indexed_for_its_clean_up_and_look_ups(server: TestServer) {
        let sql = match server.backend {
            support::Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sign_in_attempts' \
                AND (sql LIKE '%(at)' OR sql LIKE '%(login_hash, client, at)' OR sql LIKE '%(client, at)')",
            support::Backend::Postgres => "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'sign_in_attempts' \
                AND (indexdef LIKE '%(at)' OR indexdef LIKE '%(login_hash, client, at)' OR indexdef LIKE '%(client, at)')",
        };
        let (indexes,): (i64,) = support::query_one(server.db(), sql).await;
        assert_eq!(indexes, 3, "by time, by login and client, by client");
    }

    /// Issue 13, item 4: at most the bound hashes at once; a few wait their turn, the rest get
    /// 503 with Retry-After at once, never 500.
    async fn sign_ins_beyond_the_hashing_bound_wait_briefly_or_get_503(server: TestServer) {
        let gate = Arc::new(Hashing::new(2, 3, Duration::from_secs(120)));
        let server = server.with_state(|state| state.hashing = gate.clone());
        // Both cores busy with hashes that end when the test says so.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Arc::new(std::sync::Mutex::new(held));
        let holders: Vec<_> = (0..2).map(|_| {
            let (gate, held) = (gate.clone(), held.clone());
            tokio::spawn(async move { gate.run(move || { held.lock().unwrap().recv().ok(); }).await.is_ok() })
        }).collect();
        let deadline = Instant::now() + Duration::from_secs(60);
        while gate.peak() < 2 {
            assert!(Instant::now() < deadline, "the holders never started");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let sign_ins: Vec<_> = (0..10).map(|n| {
            let request = server.request(Method::POST, "/api/session").peer(&format!("198.51.100.{n}")).json_sign_in(&format!("nobody{n}"), "guess");
            tokio::spawn(send_to(server.app(), request))
        }).collect();
        while sign_ins.iter().filter(|task| task.is_finished()).count() < 7 {
            assert!(Instant::now() < deadline, "the excess was not refused at once");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for _ in 0..2 {
            release.send(()).unwrap();
        }
        let mut answers = Vec::new();
        for task in sign_ins {
            answers.push(task.await.unwrap());
        }
        for holder in holders {
            assert!(holder.await.unwrap());
        }
        let statuses: Vec<_> = answers.iter().map(|a| a.status.as_u16()).collect();
        assert_eq!(count(&answers, StatusCode::SERVICE_UNAVAILABLE), 7, "{statuses:?}");
        assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), 3, "the queued ones were checked");
        let busy = answers.iter().find(|a| a.status == StatusCode::SERVICE_UNAVAILABLE).unwrap();
        assert_eq!((busy.error().code.as_str(), busy.header(header::RETRY_AFTER)), ("sign_in_busy", "2"));
        assert_eq!(gate.peak(), 2, "never more than the bound at once");

        let (stored,): (i64,) = support::query_one(server.db(), "SELECT COUNT(*) FROM sign_in_attempts").await;
        assert_eq!(stored, 3, "the refused attempts were not judged, so they do not count as failures");
    }

    /// Issue 13, item 4: with the server's own bound (one hash per core), a burst of sign-ins never
    /// hashes more at once and is never answered 500.
    async fn a_burst_of_sign_ins_hashes_at_most_one_per_core(server: TestServer) {
        let cores = std::thread::available_parallelism().unwrap().get();
        let requests = (0..6 * cores)
            .map(|n| server.request(Method::POST, "/api/session").peer(&format!("198.51.100.{}", n % 250)).json_sign_in(&format!("nobody{n}"), "guess"))
            .collect();
        let answers = all_at_once(&server, requests).await;
        assert_eq!(server.state.hashing.size(), cores);
        assert!(server.state.hashing.peak() <= cores, "{} at once", server.state.hashing.peak());
        for answer in &answers {
            assert!([StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(&answer.status), "{}: {}", answer.status, answer.text());
        }
    }
}
