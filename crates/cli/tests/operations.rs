//! The node as its operator runs it, each test a real `coalesce serve`
//! process: a backup taken while it takes writes, restored into a fresh
//! database, holds a consistent prefix of what was written with the same
//! audit chain, and serves it; bad input changes nothing; clients that
//! send nothing or trickle are cut off; SIGTERM lets the requests in
//! flight finish. SQLite by default, PostgreSQL (pg_dump / pg_restore)
//! when COALESCE_TEST_POSTGRES is set.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "backups are tested restores";

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).to_string()
}

fn coalesce(args: &[&str], key: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(args)
        .env("COALESCE_PASSWORD", PASSWORD)
        .env("COALESCE_NODE_KEY", key)
        .env_remove("COALESCE_DATABASE")
        .output()
        .expect("runs")
}

fn ok(args: &[&str], key: &Path) -> String {
    let out = coalesce(args, key);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// `coalesce serve` on a port of its choosing; its URL.
fn serve(db: &str, key: &Path) -> (Child, String) {
    serve_with(db, key, &[])
}

fn serve_with(db: &str, key: &Path, extra: &[&str]) -> (Child, String) {
    let (child, url, _) = serve_logged(db, key, extra, &[]);
    (child, url)
}

/// [`serve_with`] with these environment variables; also the path of its log.
fn serve_logged(
    db: &str,
    key: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Child, String, PathBuf) {
    // Its log beside its key, never a pipe nobody reads.
    let log = key.with_extension(format!(
        "serve-{}.log",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(["serve", "--database", db, "--listen", "127.0.0.1:0"])
        .args(extra)
        .envs(env.iter().copied())
        .env("COALESCE_NODE_KEY", key)
        .env_remove("COALESCE_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::File::create(&log).expect("the serve log"),
        ))
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let Some(line) = lines.next() else {
            let err = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("serve {extra:?} did not start: {err}");
        };
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("coalesce listening on ") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    // Whatever it prints later is read (a closed pipe would fail its writes).
    std::thread::spawn(move || lines.for_each(drop));
    (child, url, log)
}

async fn token(http: &reqwest::Client, url: &str) -> String {
    token_as(http, url, "gbr").await
}

async fn token_as(http: &reqwest::Client, url: &str, user: &str) -> String {
    let v: Value = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    v["token"].as_str().expect("a token").to_string()
}

/// Every note as the database holds it: (id, version, body).
async fn notes(url: &str) -> Vec<(String, i64, String)> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    sqlx::query_as(
        "SELECT r.id, r.version, v.body FROM records r JOIN record_versions v \
         ON v.record_id = r.id AND v.version = r.version WHERE r.kind = 'note' ORDER BY r.id",
    )
    .fetch_all(&mut c)
    .await
    .expect("notes")
}

async fn audit_chain(url: &str) -> Vec<(i64, String)> {
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq")
        .fetch_all(&mut c)
        .await
        .expect("audit")
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite://").map(PathBuf::from)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_the_same_data_and_audit_chain() {
    let dir = temp_dir("backup");
    let (url, key) = fresh_node(&dir).await;
    // Scheduled backups too: about every second, the newest two kept.
    let scheduled = dir.join("scheduled");
    let (mut server, base) = serve_with(
        &url,
        &key,
        &[
            "--backup-dir",
            scheduled.to_str().expect("p"),
            "--backup-every",
            "0.0003",
            "--backup-keep",
            "2",
        ],
    );
    let http = reqwest::Client::new();
    let tok = token(&http, &base).await;
    // A writer goes on while the backup is taken.
    let writer = {
        let (http, base, tok) = (http.clone(), base.clone(), tok.clone());
        tokio::spawn(async move {
            let mut acknowledged = 0usize;
            let stop = Instant::now() + Duration::from_secs(4);
            while Instant::now() < stop {
                let res = http
                    .post(format!("{base}/api/v1/notes"))
                    .bearer_auth(&tok)
                    .json(
                        &json!({"title": format!("Note {acknowledged}"), "body": "Seen.",
                                  "marking": {"tlp": "AMBER", "rel_to": []}}),
                    )
                    .send()
                    .await
                    .expect("write");
                assert_eq!(res.status(), 201);
                acknowledged += 1;
            }
            acknowledged
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = notes(&url).await.len();
    let file = dir.join("node.backup");
    let file_s = file.to_str().expect("path").to_string();
    let out = tokio::task::spawn_blocking({
        let (url, key, file_s) = (url.clone(), key.clone(), file_s.clone());
        move || ok(&["backup", "--database", &url, "--output", &file_s], &key)
    })
    .await
    .expect("backup");
    let after = notes(&url).await.len();
    assert!(out.contains("backup written"), "{out}");
    assert!(out.contains("private key"), "{out}");
    let written = writer.await.expect("writer");
    assert!(written > after, "the writes went on after the backup");

    // Never over a file.
    let again = coalesce(&["backup", "--database", &url, "--output", &file_s], &key);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("exists"),
        "{}",
        text(&again.stderr)
    );

    // Restored into a fresh database: a consistent prefix of what was
    // written, every note as the node held it, the same audit chain.
    let target = coalesce_store::testing::fresh_database_url()
        .await
        .expect("db");
    let restored = ok(&["restore", &file_s, "--database", &target], &key);
    assert!(restored.contains("audit log intact"), "{restored}");
    let held = notes(&target).await;
    assert!(
        (before..=after).contains(&held.len()),
        "the backup holds {} notes; {before} were written before it began, {after} when it ended",
        held.len()
    );
    let original = notes(&url).await;
    for n in &held {
        assert!(original.contains(n), "{n:?} is not as the node holds it");
    }
    let chain = audit_chain(&target).await;
    let full = audit_chain(&url).await;
    assert!(!chain.is_empty() && chain.len() <= full.len());
    assert_eq!(chain[..], full[..chain.len()], "the audit chain differs");
    server.kill().expect("kill");
    let _ = server.wait();
    let kept: Vec<String> = std::fs::read_dir(&scheduled)
        .expect("the backup directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let made = {
        use sqlx::Connection;
        let mut c = sqlx::AnyConnection::connect(&url).await.expect("connect");
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'node.backup' AND detail LIKE '%\"ok\":true%'",
        )
        .fetch_one(&mut c)
        .await
        .expect("audit");
        n
    };
    // Never more than two whole ones (one may be half written when the
    // node was killed).
    let whole: Vec<&String> = kept.iter().filter(|k| !k.ends_with(".partial")).collect();
    assert!(made >= 3, "{made} scheduled backups in 4 s");
    assert!((1..=2).contains(&whole.len()), "{kept:?}");
    assert!(kept.len() <= 3, "{kept:?}");
    assert!(
        kept.iter().all(|k| k.starts_with("coalesce-backup-")),
        "{kept:?}"
    );

    // The restored database serves what it holds.
    let (mut restored_server, restored_base) = serve(&target, &key);
    let tok = token(&http, &restored_base).await;
    let mut listed = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut page = format!("{restored_base}/api/v1/notes?limit=200");
        if let Some(c) = &cursor {
            page.push_str(&format!("&cursor={c}"));
        }
        let v: Value = http
            .get(page)
            .bearer_auth(&tok)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        listed += v["items"].as_array().expect("items").len();
        match v["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(listed, held.len());
    restored_server.kill().expect("kill");
    let _ = restored_server.wait();

    // Bad input changes nothing: a target that holds data, a file that is
    // no backup.
    let refused = coalesce(&["restore", &file_s, "--database", &url], &key);
    assert!(!refused.status.success());
    assert_eq!(text(&refused.stderr).trim().lines().count(), 1);
    assert_eq!(notes(&url).await, original);
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, b"not a backup at all").expect("write");
    let fresh = coalesce_store::testing::fresh_database_url()
        .await
        .expect("db");
    let refused = coalesce(
        &["restore", junk.to_str().expect("p"), "--database", &fresh],
        &key,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("not a coalesce backup"),
        "{}",
        text(&refused.stderr)
    );

    // A backup whose audit log was altered restores, and says it is broken.
    if let Some(path) = sqlite_file(&url).map(|_| dir.join("altered.backup")) {
        std::fs::copy(&file, &path).expect("copy");
        {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("connect");
            sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
                .execute(&mut c)
                .await
                .expect("alter");
            c.close().await.expect("close");
        }
        let target = coalesce_store::testing::fresh_database_url()
            .await
            .expect("db");
        let out = coalesce(
            &["restore", path.to_str().expect("p"), "--database", &target],
            &key,
        );
        assert!(!out.status.success(), "{}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains("audit log is broken"),
            "{}",
            text(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh node with one member (GBR), its node key and user `gbr`.
async fn fresh_node(dir: &Path) -> (String, PathBuf) {
    std::fs::create_dir_all(dir).expect("dir");
    let key = dir.join("node.key");
    let url = coalesce_store::testing::fresh_database_url()
        .await
        .expect("db");
    ok(
        &["member", "add", "GBR", "United Kingdom", "--database", &url],
        &key,
    );
    ok(
        &["node", "init", "--member", "GBR", "--database", &url],
        &key,
    );
    ok(
        &[
            "user",
            "add",
            "--username",
            "gbr",
            "--member",
            "GBR",
            "--database",
            &url,
        ],
        &key,
    );
    (url, key)
}

fn temp_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "coalesce-{what}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ))
}

/// Reads what the server sends until it closes the connection (or
/// `within` passes: then `None`).
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&got).to_string()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_send_nothing_or_trickle_are_cut_off_and_sigterm_lets_requests_finish() {
    use tokio::io::AsyncWriteExt;
    let dir = temp_dir("limits");
    let (url, key) = fresh_node(&dir).await;
    let (mut server, base, log) = serve_logged(
        &url,
        &key,
        &[
            "--header-timeout",
            "1",
            "--request-timeout",
            "2",
            "--shutdown-timeout",
            "10",
        ],
        &[("COALESCE_LOG", "info"), ("COALESCE_LOG_FORMAT", "json")],
    );
    let addr = base.trim_start_matches("http://").to_string();
    // A connection that sends nothing is closed after the header timeout.
    let started = Instant::now();
    let mut idle = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let answer = read_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(answer.is_some(), "an idle connection was kept open 10 s");
    assert!(started.elapsed() >= Duration::from_millis(900));
    // A request head sent a byte at a time never gets its answer.
    let mut slow = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let trickle = tokio::spawn(async move {
        for b in head {
            if slow.write_all(&[*b]).await.is_err() {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        read_until_closed(&mut slow, Duration::from_secs(5)).await
    });
    let answer = trickle.await.expect("trickle").unwrap_or_default();
    assert!(
        !answer.contains("200 OK"),
        "a trickled head was answered: {answer}"
    );
    // A body sent a byte at a time: 408 once the request deadline passes.
    let mut body_trickle = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    body_trickle
        .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
        .await
        .expect("head");
    let sender = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if body_trickle.write_all(b" ").await.is_err() {
                break;
            }
        }
        body_trickle
    });
    let mut body_trickle = sender.await.expect("sender");
    let answer = read_until_closed(&mut body_trickle, Duration::from_secs(5))
        .await
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    // An ordinary client is served all the while, and every request is
    // counted by route (the 408 too) for the operator's metrics.
    let http = reqwest::Client::new();
    let tok = token(&http, &base).await;
    for path in ["/api/v1/notes", "/api/v1/notes", "/no/such/page"] {
        http.get(format!("{base}{path}"))
            .bearer_auth(&tok)
            .send()
            .await
            .expect("get");
    }
    ok(
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--member",
            "GBR",
            "--role",
            "admin",
            "--database",
            &url,
        ],
        &key,
    );
    let ops = token_as(&http, &base, "ops").await;
    let metrics = http
        .get(format!("{base}/api/v1/metrics"))
        .bearer_auth(&ops)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for line in [
        "coalesce_http_requests_total{method=\"GET\",route=\"/api/v1/notes\",status=\"200\"} 2",
        "coalesce_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "coalesce_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=\"408\"} 1",
        "coalesce_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/notes\"} 2",
        "coalesce_db_pool_connections{state=\"idle\"}",
        "coalesce_audit_entries ",
    ] {
        assert!(metrics.contains(line), "{line:?} not in:\n{metrics}");
    }
    let tok_gbr = http
        .get(format!("{base}/api/v1/metrics"))
        .bearer_auth(&tok)
        .send()
        .await
        .expect("metrics");
    assert_eq!(tok_gbr.status(), 403, "the metrics are the operator's");
    // Every answer names its request; a problem document quotes the id; the
    // client's own id is kept when it is a short token, replaced when not.
    let named = http
        .get(format!("{base}/api/v1/notes/not-an-id"))
        .bearer_auth(&tok)
        .header("x-request-id", "ops-check-1")
        .send()
        .await
        .expect("get");
    assert_eq!(named.headers()["x-request-id"], "ops-check-1");
    let problem: serde_json::Value = named.json().await.expect("problem");
    assert_eq!(problem["request_id"], "ops-check-1", "{problem}");
    let unnamed = http
        .get(format!("{base}/api/v1/no-such-route"))
        .header("x-request-id", "not a token; {}")
        .send()
        .await
        .expect("get");
    let id = unnamed.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    assert_eq!(id.len(), 36, "a new UUID: {id}");
    let problem: serde_json::Value = unnamed.json().await.expect("problem");
    assert_eq!(problem["request_id"], id.as_str(), "{problem}");
    // The log is one JSON object per line; the request's lines carry its id.
    let logged = std::fs::read_to_string(&log).expect("log");
    let line = logged
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["span"]["id"] == "ops-check-1")
        .unwrap_or_else(|| panic!("no JSON log line of request ops-check-1 in:\n{logged}"));
    assert_eq!(line["span"]["route"], "/api/v1/notes/{id}", "{line}");
    assert_eq!(line["fields"]["status"], 404, "{line}");
    // An import declaring a body over the limit, waiting for `100 Continue`:
    // refused at once, and never asked for the body.
    let mut expecting = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    expecting
        .write_all(
            format!(
                "POST /api/v1/import/requirements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tok}\r\nContent-Type: text/csv\r\nContent-Length: 400000000\r\nExpect: 100-continue\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("head");
    let answer = read_until_closed(&mut expecting, Duration::from_secs(5))
        .await
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    // Within the limit, the client is told to go on.
    let mut within = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    within
        .write_all(
            format!(
                "POST /api/v1/import/requirements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tok}\r\nContent-Type: text/csv\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("head");
    let mut first = [0u8; 25];
    use tokio::io::AsyncReadExt;
    tokio::time::timeout(Duration::from_secs(5), within.read_exact(&mut first))
        .await
        .expect("an answer within 5 s")
        .expect("read");
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    // SIGTERM while a request is half sent: it is answered in full, then
    // the node stops (exit 0) and refuses new connections.
    let body = json!({"username": "gbr", "password": PASSWORD}).to_string();
    let mut in_flight = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    in_flight
        .write_all(
            format!(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
                body.len(),
                &body[..10]
            )
            .as_bytes(),
        )
        .await
        .expect("first half");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    in_flight
        .write_all(&body.as_bytes()[10..])
        .await
        .expect("second half");
    let answer = read_until_closed(&mut in_flight, Duration::from_secs(10))
        .await
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = server.try_wait().expect("wait") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the node did not stop within 20 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());
    let verified = ok(&["audit", "verify", "--database", &url], &key);
    assert!(verified.contains("intact"), "{verified}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Crash safety: a write load against a real node, killed with SIGKILL at
/// random moments, restarted, round after round. Every write the node
/// acknowledged is there after each restart, and the audit chain
/// verifies. COALESCE_CRASH_ROUNDS=n runs more rounds (default 6).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_kill_9_and_the_audit_chain_verifies() {
    use rand::Rng;
    let rounds: usize = std::env::var("COALESCE_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6);
    let dir = temp_dir("crash");
    let (url, key) = fresh_node(&dir).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut acknowledged: Vec<String> = Vec::new();
    let mut rng = rand::thread_rng();
    for round in 0..rounds {
        let (mut server, base) = serve(&url, &key);
        let tok = token(&http, &base).await;
        // Two writers, each until the node is gone.
        let mut writers = Vec::new();
        for w in 0..2 {
            let (http, base, tok) = (http.clone(), base.clone(), tok.clone());
            writers.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0.. {
                    let res = http
                        .post(format!("{base}/api/v1/notes"))
                        .bearer_auth(&tok)
                        .json(
                            &json!({"title": format!("Round {round} writer {w} note {i}"),
                                      "body": "Seen.", "marking": {"tlp": "AMBER", "rel_to": []}}),
                        )
                        .send()
                        .await;
                    let Ok(res) = res else { break };
                    if res.status() != 201 {
                        break;
                    }
                    let Ok(v) = res.json::<Value>().await else {
                        break;
                    };
                    ids.push(v["id"].as_str().expect("id").to_string());
                }
                ids
            }));
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(200..900))).await;
        server.kill().expect("kill -9");
        let _ = server.wait();
        for w in writers {
            acknowledged.extend(w.await.expect("writer"));
        }
        // Restarted, it holds every write it acknowledged.
        let (mut server, _) = serve(&url, &key);
        let held: std::collections::BTreeSet<String> =
            notes(&url).await.into_iter().map(|n| n.0).collect();
        let lost: Vec<&String> = acknowledged
            .iter()
            .filter(|id| !held.contains(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "round {round}: acknowledged but lost: {lost:?}"
        );
        server.kill().expect("kill");
        let _ = server.wait();
        let verified = ok(&["audit", "verify", "--database", &url], &key);
        assert!(verified.contains("intact"), "round {round}: {verified}");
    }
    assert!(
        acknowledged.len() > rounds,
        "only {} writes acknowledged in {rounds} rounds",
        acknowledged.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `coalesce doctor` on a sound node, then on what goes wrong: a key file
/// others can read, another node's key, an altered audit log, no database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_says_what_is_wrong_and_what_to_do() {
    let dir = temp_dir("doctor");
    let (url, key) = fresh_node(&dir).await;
    // The key is made on the first start.
    let (mut server, _) = serve(&url, &key);
    server.kill().expect("kill");
    let _ = server.wait();
    let doctor = |extra: &[&str]| {
        let mut args = vec!["doctor", "--database", url.as_str()];
        args.extend_from_slice(extra);
        coalesce(&args, &key)
    };
    let sound = doctor(&[]);
    let report = text(&sound.stdout);
    assert!(sound.status.success(), "{report}{}", text(&sound.stderr));
    for line in [
        "ok    database",
        "ok    schema",
        "ok    integrity",
        "ok    audit log: intact",
        "ok    node key",
    ] {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    // The free disk where a SQLite database lives (ok or warn: the
    // machine's disk decides).
    if url.starts_with("sqlite://") {
        assert!(
            report.lines().any(|l| (l.starts_with("ok    disk: ")
                || l.starts_with("warn  disk: "))
                && l.contains("MiB free of")),
            "{report}"
        );
    }
    // Another node's key.
    let other = dir.join("other.key");
    let other_url = coalesce_store::testing::fresh_database_url()
        .await
        .expect("db");
    ok(&["node", "show", "--database", &other_url], &other);
    let wrong = doctor(&["--node-key", other.to_str().expect("p")]);
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stdout).contains("FAIL  node key")
            && text(&wrong.stdout).contains("not the key this database records"),
        "{}",
        text(&wrong.stdout)
    );
    // A key file others can read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let open = doctor(&[]);
        assert!(!open.status.success());
        assert!(
            text(&open.stdout).contains("chmod 600"),
            "{}",
            text(&open.stdout)
        );
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    // An altered audit log.
    {
        use sqlx::Connection;
        let mut c = sqlx::AnyConnection::connect(&url).await.expect("connect");
        sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1")
            .execute(&mut c)
            .await
            .expect("alter");
        c.close().await.expect("close");
    }
    let broken = doctor(&[]);
    assert!(!broken.status.success());
    assert!(
        text(&broken.stdout).contains("FAIL  audit log: broken at entry 1"),
        "{}",
        text(&broken.stdout)
    );
    // No database: said, and none made.
    let missing = dir.join("missing.db");
    let none = coalesce(
        &[
            "doctor",
            "--database",
            &format!("sqlite://{}", missing.display()),
        ],
        &key,
    );
    assert!(!none.status.success());
    assert!(
        text(&none.stdout).contains("there is no database"),
        "{}",
        text(&none.stdout)
    );
    assert!(!missing.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
