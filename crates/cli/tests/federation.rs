//! Federation with real nodes (issue 15): every node a `coalesce serve`
//! process on loopback with its own database (SQLite, or PostgreSQL when
//! COALESCE_TEST_POSTGRES is set), peered with the CLI as operators do,
//! faults injected for real (kill -9, a node unreachable while others
//! write, 10,000 records in one millisecond, a database restored from an
//! older copy, objects tampered with in the serving node's database).
//!
//! After each phase the nodes must converge to exactly what the audience
//! rule releases: the leak checker reads every node's database and
//! compares the records it holds from other nodes with the records each
//! origin holds whose audience includes the node's member (TLP:RED only
//! when the member is named) — same ids, versions and status, no more, no
//! less.

use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct-horse-battery";
const CONVERGE: Duration = Duration::from_secs(90);

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).to_string()
}

/// A port for a node to listen on, from below the ephemeral range
/// (32768 and up on Linux): a port the OS gave for `:0` may be handed out
/// again as the local port of an outgoing connection before the node
/// binds it, and the node would then not start while another process
/// answers at its URL. Each test process takes its own run of ports.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    const LOW: u16 = 20_000;
    const SPAN: u16 = 12_000;
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let start = (std::process::id() % 40) as u16 * (SPAN / 40);
    for _ in 0..SPAN {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = LOW + (start + n) % SPAN;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {LOW}..{}", LOW + SPAN)
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite://")
}

struct Node {
    name: &'static str,
    member: &'static str,
    db: String,
    key: PathBuf,
    port: u16,
    child: Option<Child>,
    log: PathBuf,
    /// More arguments for `serve`.
    extra: Vec<String>,
    /// Runs `serve` with its wall clock this far off (libfaketime's
    /// offset, e.g. "-6h"): clock skew between nodes.
    clock: Option<&'static str>,
}

impl Node {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn cli(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--database", &self.db]);
        Command::new(env!("CARGO_BIN_EXE_coalesce"))
            .args(&all)
            .env("COALESCE_PASSWORD", PASSWORD)
            .env("COALESCE_NODE_KEY", &self.key)
            .env_remove("COALESCE_DATABASE")
            .output()
            .expect("runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "{} {args:?}: {}{}",
            self.name,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn public_key(&self) -> String {
        self.ok(&["node", "show"])
            .lines()
            .find_map(|l| l.strip_prefix("key").map(|k| k.trim().to_string()))
            .expect("a key line")
    }

    async fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log");
        let mut command = match self.clock {
            None => Command::new(env!("CARGO_BIN_EXE_coalesce")),
            Some(offset) => {
                let mut c = Command::new("faketime");
                c.args(["-m", "--exclude-monotonic", "-f", offset])
                    .arg(env!("CARGO_BIN_EXE_coalesce"));
                // faketime runs the node as its own child: the node gets a
                // process group of its own, so that kill reaches it too.
                std::os::unix::process::CommandExt::process_group(&mut c, 0);
                c
            }
        };
        let child = command
            .args([
                "serve",
                "--database",
                &self.db,
                "--listen",
                &format!("127.0.0.1:{}", self.port),
                "--pull-interval",
                "0.5",
            ])
            .args(&self.extra)
            .env("COALESCE_NODE_KEY", &self.key)
            .env("COALESCE_LOG", "warn,coalesce::pull=info")
            .env_remove("COALESCE_DATABASE")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} does not start ({e}){}",
                    self.name,
                    if self.clock.is_some() {
                        ": clock skew needs faketime (apt-get install faketime; scripts/test installs it)"
                    } else {
                        ""
                    }
                )
            });
        self.child = Some(child);
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if http
                .get(format!("{}/api/v1/node", self.url()))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "{} exited ({status}) before it served:\n{}",
                    self.name,
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "{} did not start", self.name);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// kill -9: no shutdown, no flush beyond what was committed.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            if self.clock.is_some() {
                // The whole group: faketime and the node it started (killing
                // faketime alone left the node running after the test).
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", c.id())])
                    .status();
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    async fn token(&self, user: &str) -> String {
        let res = reqwest::Client::new()
            .post(format!("{}/api/v1/auth/login", self.url()))
            .json(&json!({ "username": user, "password": PASSWORD }))
            .send()
            .await
            .expect("login");
        let status = res.status();
        let text = res.text().await.expect("login body");
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        match body["token"].as_str() {
            Some(t) => t.to_string(),
            None => panic!(
                "{}: login as {user} answered {status}: {text}\n--- log:\n{}",
                self.name,
                std::fs::read_to_string(&self.log).unwrap_or_default()
            ),
        }
    }

    async fn conn(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.db)
            .await
            .expect("connect")
    }

    async fn node_id(&self) -> String {
        let (id,): (String,) = sqlx::query_as("SELECT value FROM settings WHERE key = 'node_id'")
            .fetch_one(&mut self.conn().await)
            .await
            .expect("node id");
        id
    }

    async fn exec(&self, sql: &str, binds: &[&str]) {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&mut self.conn().await).await.expect(sql);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Nodes of these members, each with its users, every pair peered both
/// ways and connected; returns them started, and each node's credential
/// for each peer (`creds[(server, puller)]`).
async fn cluster(
    spec: &[(&'static str, &'static str)],
) -> (Vec<Node>, BTreeMap<(String, String), String>) {
    cluster_pulling(spec, None).await
}

/// [`cluster`], but each node pulls only from the nodes `pulls` names
/// (`(puller, server)`); every pair is still peered both ways (each knows
/// the other's key).
async fn cluster_pulling(
    spec: &[(&'static str, &'static str)],
    pulls: Option<&[(&str, &str)]>,
) -> (Vec<Node>, BTreeMap<(String, String), String>) {
    let dir = std::env::temp_dir().join(format!("coalesce-fed-{}", uuid_like()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut nodes = Vec::new();
    for (name, member) in spec {
        nodes.push(Node {
            name,
            member,
            db: coalesce_store::testing::fresh_database_url()
                .await
                .expect("db"),
            key: dir.join(format!("{name}.node-key")),
            port: free_port(),
            child: None,
            log: dir.join(format!("{name}.log")),
            extra: Vec::new(),
            clock: None,
        });
    }
    for n in &nodes {
        for m in spec {
            n.ok(&["member", "add", m.1, &format!("Member {}", m.1)]);
        }
        n.ok(&["node", "init", "--member", n.member]);
        n.ok(&[
            "user",
            "add",
            "--username",
            &n.member.to_lowercase(),
            "--member",
            n.member,
            "--role",
            "contributor",
        ]);
    }
    let keys: Vec<String> = nodes.iter().map(Node::public_key).collect();
    let mut creds = BTreeMap::new();
    for (i, server) in nodes.iter().enumerate() {
        for (j, puller) in nodes.iter().enumerate() {
            if i == j {
                continue;
            }
            let out = server.ok(&[
                "peer",
                "add",
                puller.name,
                &puller.url(),
                "--member",
                puller.member,
                "--key",
                &keys[j],
            ]);
            let cred = out
                .lines()
                .find(|l| l.starts_with("credential"))
                .and_then(|l| l.split_whitespace().last())
                .expect("a credential")
                .to_string();
            creds.insert((server.name.to_string(), puller.name.to_string()), cred);
        }
    }
    for puller in &nodes {
        for server in &nodes {
            let pulled = pulls.is_none_or(|p| p.contains(&(puller.name, server.name)));
            if let Some(c) = creds
                .get(&(server.name.to_string(), puller.name.to_string()))
                .filter(|_| pulled)
            {
                puller.ok(&["peer", "connect", server.name, c]);
            }
        }
    }
    for n in &mut nodes {
        n.start().await;
    }
    (nodes, creds)
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

type Held = BTreeSet<(String, i64, String)>;

/// Whether `member` may hold a record of `origin` marked so: its audience
/// (REL TO plus the origin, COALITION is everyone) names it, and TLP:RED
/// only when it is named.
fn releasable(member: &str, origin: &str, tlp: &str, rel_to: &[String]) -> bool {
    let named = origin == member || rel_to.iter().any(|t| t == member);
    if tlp == "RED" {
        return named;
    }
    named || rel_to.iter().any(|t| t == "COALITION")
}

/// What `node` holds of other nodes' records.
async fn held_from_others(node: &Node) -> Held {
    let own = node.node_id().await;
    sqlx::query_as::<_, (String, i64, String)>(
        "SELECT id, version, status FROM records WHERE origin_node <> $1",
    )
    .bind(&own)
    .fetch_all(&mut node.conn().await)
    .await
    .expect("held")
    .into_iter()
    .collect()
}

/// The records of `origin` as the leak checker reads them: id, version,
/// status, TLP, REL TO and origin member.
async fn origin_records(origin: &Node) -> Vec<(String, i64, String, String, Vec<String>, String)> {
    let oid = origin.node_id().await;
    let rows: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, version, status, tlp, rel_to, origin FROM records WHERE origin_node = $1",
    )
    .bind(&oid)
    .fetch_all(&mut origin.conn().await)
    .await
    .expect("origin's records");
    rows.into_iter()
        .map(|(id, v, st, tlp, rel_to, o)| {
            let rel_to: Vec<String> = serde_json::from_str(&rel_to).expect("rel_to");
            (id, v, st, tlp, rel_to, o)
        })
        .collect()
}

/// What the origins say `node` should hold, each pulled from directly.
async fn expected_direct(nodes: &[Node], node: &Node) -> Held {
    let mut expected = Held::new();
    for origin in nodes.iter().filter(|o| o.name != node.name) {
        for (id, version, status, tlp, rel_to, o) in origin_records(origin).await {
            if releasable(node.member, &o, &tlp, &rel_to) {
                expected.insert((id, version, status));
            }
        }
    }
    expected
}

/// Waits until every node holds exactly what it should (see the module).
async fn converge(nodes: &[Node], phase: &str) {
    converge_to(nodes, phase, async |n: &Node| {
        expected_direct(nodes, n).await
    })
    .await;
}

/// Waits until every node holds exactly what `expected` says of it.
async fn converge_to(nodes: &[Node], phase: &str, expected: impl AsyncFn(&Node) -> Held) {
    let deadline = Instant::now() + CONVERGE;
    loop {
        let mut diff = Vec::new();
        for n in nodes {
            let (held, expected) = (held_from_others(n).await, expected(n).await);
            if held != expected {
                let leaked: Vec<_> = held.difference(&expected).take(5).collect();
                let missing: Vec<_> = expected.difference(&held).take(5).collect();
                diff.push(format!(
                    "{} ({}): holds {} expected {}; not releasable or stale: {leaked:?}; missing: {missing:?}",
                    n.name,
                    n.member,
                    held.len(),
                    expected.len()
                ));
            }
        }
        if diff.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            let mut missing = BTreeSet::new();
            for n in nodes {
                let (held, expected) = (held_from_others(n).await, expected(n).await);
                missing.extend(expected.symmetric_difference(&held).map(|h| h.0.clone()));
            }
            for n in nodes {
                eprintln!("--- {} holds of the records in question:", n.name);
                for id in &missing {
                    let row: Option<(i64, String, i64, Option<String>, String, String)> = sqlx::query_as(
                        "SELECT version, status, seq, via, tlp, origin_node FROM records WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&mut n.conn().await)
                    .await
                    .expect("record");
                    eprintln!("  {id}: {row:?}");
                }
                let rows: Vec<(String, i64, i64)> =
                    sqlx::query_as("SELECT name, cursor, peer_high FROM peers")
                        .fetch_all(&mut n.conn().await)
                        .await
                        .expect("peers");
                eprintln!("  cursors: {rows:?}");
            }
            for n in nodes {
                eprintln!(
                    "--- {} log:\n{}",
                    n.name,
                    std::fs::read_to_string(&n.log).unwrap_or_default()
                );
                eprintln!(
                    "--- {} status:\n{}",
                    n.name,
                    text(&n.cli(&["peer", "status"]).stdout)
                );
            }
            panic!(
                "{phase}: no convergence in {CONVERGE:?}:\n{}",
                diff.join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn api(
    node: &Node,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}/api/v1{path}", node.url()))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let v = res.json().await.unwrap_or(Value::Null);
    (status, v)
}

fn random_marking(rng: &mut rand::rngs::StdRng, others: &[&str]) -> Value {
    let tlp = ["GREEN", "AMBER", "RED", "AMBER"][rng.gen_range(0..4)];
    let mut rel_to: Vec<&str> = others
        .iter()
        .copied()
        .filter(|_| rng.gen_bool(0.4))
        .collect();
    if tlp != "RED" && rng.gen_bool(0.2) {
        rel_to = vec!["COALITION"];
    }
    json!({ "tlp": tlp, "rel_to": rel_to })
}

/// Random writes, changes (narrowing and widening), withdrawals at every
/// node; then a node unreachable while the others write; kill -9 of a
/// puller mid-pull and of a server mid-page with 10,000 records written in
/// one millisecond. After each, every node holds exactly what the
/// audience rule releases to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_converge_through_changes_narrowing_and_faults() {
    let (mut nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ"), ("c", "USA")]).await;
    let mut tokens = Vec::new();
    for n in &nodes {
        tokens.push(n.token(&n.member.to_lowercase()).await);
    }

    // The newcomer's view: a GBR note REL TO IRQ appears on the IRQ node
    // and not on the third.
    let (s, note) = api(
        &nodes[0],
        &tokens[0],
        reqwest::Method::POST,
        "/notes",
        Some(
            json!({"title": "Crossing at Tal Abyad", "body": "Two vehicles.",
                    "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{note}");
    let id = note["id"].as_str().expect("id").to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (s, _) = api(
            &nodes[1],
            &tokens[1],
            reqwest::Method::GET,
            &format!("/notes/{id}"),
            None,
        )
        .await;
        if s == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the note did not reach the IRQ node"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (s, _) = api(
        &nodes[2],
        &tokens[2],
        reqwest::Method::GET,
        &format!("/notes/{id}"),
        None,
    )
    .await;
    assert_eq!(
        s, 404,
        "the USA node must not hold a note released to IRQ only"
    );

    // Random writes, changes and withdrawals at all three.
    let members = ["GBR", "IRQ", "USA"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    let mut own: Vec<Vec<String>> = vec![vec![id], vec![], vec![]];
    for step in 0..90 {
        let i = rng.gen_range(0..3);
        let others: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| *m != nodes[i].member)
            .collect();
        let marking = random_marking(&mut rng, &others);
        let op = rng.gen_range(0..10);
        if own[i].is_empty() || op < 5 {
            let (s, v) = api(
                &nodes[i],
                &tokens[i],
                reqwest::Method::POST,
                "/notes",
                Some(json!({"title": format!("Note {step}"), "body": "Text.", "marking": marking})),
            )
            .await;
            assert_eq!(s, 201, "{v}");
            own[i].push(v["id"].as_str().expect("id").to_string());
        } else if op < 9 {
            // A change of marking: narrowing or widening.
            let id = own[i][rng.gen_range(0..own[i].len())].clone();
            let (s, v) = api(&nodes[i], &tokens[i], reqwest::Method::PUT, &format!("/notes/{id}"),
                Some(json!({"title": format!("Note changed at {step}"), "body": "Text.", "marking": marking}))).await;
            assert!(s == 200 || s == 409, "{s} {v}");
        } else {
            let k = rng.gen_range(0..own[i].len());
            let id = own[i].swap_remove(k);
            let (s, v) = api(
                &nodes[i],
                &tokens[i],
                reqwest::Method::DELETE,
                &format!("/notes/{id}"),
                None,
            )
            .await;
            assert!(s == 204 || s == 200, "{s} {v}");
        }
    }
    converge(&nodes, "random writes").await;

    // Partition: the IRQ node is down while the others write to it.
    nodes[1].kill();
    for (i, n) in [(0usize, "GBR"), (2, "USA")] {
        for k in 0..5 {
            let (s, v) = api(
                &nodes[i],
                &tokens[i],
                reqwest::Method::POST,
                "/notes",
                Some(
                    json!({"title": format!("While IRQ was away {n} {k}"), "body": "Text.",
                            "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}}),
                ),
            )
            .await;
            assert_eq!(s, 201, "{v}");
        }
    }
    nodes[1].start().await;
    converge(&nodes, "partition healed").await;

    // 10,000 records in one millisecond (one batch), and kill -9 of the
    // puller while it pulls them, then of the server while it serves them.
    let items: Vec<Value> = (0..10_000)
        .map(|k| {
            json!({"name": format!("Liaison {k}"), "role": "Desk officer",
                        "email": format!("liaison{k}@fco.example.org"),
                        "marking": {"tlp": "GREEN", "rel_to": ["IRQ"]}})
        })
        .collect();
    let (s, v) = api(
        &nodes[0],
        &tokens[0],
        reqwest::Method::POST,
        "/contacts/batch",
        Some(json!({ "items": items })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    nodes[1].kill();
    nodes[1].start().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    nodes[0].kill();
    nodes[0].start().await;
    converge(&nodes, "burst with kill -9").await;
    let mut b = nodes[1].conn().await;
    let (contacts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE kind = 'contact'")
        .fetch_one(&mut b)
        .await
        .expect("count");
    assert_eq!(contacts, 10_000, "every record of the burst arrives once");
    let (dups,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT record_id, version FROM record_versions GROUP BY record_id, version HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&mut b)
    .await
    .expect("dups");
    assert_eq!(dups, 0, "no version is applied twice");
    // Nothing was refused on the way.
    let (refused,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM peer_refusals")
            .fetch_one(&mut b)
            .await
            .expect("refusals");
    assert_eq!(refused, 0);
}

/// A tampered body, a forged origin, a version older than the one held (a
/// database restored from an older copy) and a peer whose key is not the
/// one configured: each refused, counted by reason, audited; the pull goes
/// on with the next object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_forged_replayed_and_wrong_key_objects_are_refused() {
    let (mut nodes, creds) = cluster(&[("a", "GBR"), ("b", "IRQ")]).await;
    let gbr = nodes[0].token("gbr").await;
    let note = |title: &str| json!({"title": title, "body": "Two vehicles.", "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}});
    let (_, first) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("First")),
    )
    .await;
    let first = first["id"].as_str().expect("id").to_string();
    converge(&nodes, "first note").await;

    // The IRQ node stops pulling; the GBR node's database is altered under it.
    nodes[1].ok(&["peer", "pause", "a"]);
    let (_, tampered) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("Tampered")),
    )
    .await;
    let (_, forged) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("Forged")),
    )
    .await;
    let (_, fine) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("Fine")),
    )
    .await;
    let tampered = tampered["id"].as_str().expect("id").to_string();
    let forged = forged["id"].as_str().expect("id").to_string();
    let fine = fine["id"].as_str().expect("id").to_string();
    let altered = r#"{"body":"Three vehicles.","group":null,"title":"Tampered"}"#;
    nodes[0]
        .exec(
            "UPDATE records SET body = $1 WHERE id = $2",
            &[altered, &tampered],
        )
        .await;
    nodes[0]
        .exec(
            "UPDATE record_versions SET body = $1 WHERE record_id = $2",
            &[altered, &tampered],
        )
        .await;
    nodes[0]
        .exec(
            "UPDATE records SET origin = 'IRQ' WHERE id = $1",
            &[&forged],
        )
        .await;
    nodes[1].ok(&["peer", "resume", "a"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut b = nodes[1].conn().await;
    loop {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE id = $1")
            .bind(&fine)
            .fetch_one(&mut b)
            .await
            .expect("fine");
        if n == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pull did not go on past the refused objects"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for id in [&tampered, &forged] {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE id = $1")
            .bind(id)
            .fetch_one(&mut b)
            .await
            .expect("held");
        assert_eq!(n, 0, "a refused object is not applied");
    }
    let refusals: BTreeMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT reason, n FROM peer_refusals WHERE peer = 'a'")
            .fetch_all(&mut b)
            .await
            .expect("refusals")
            .into_iter()
            .collect();
    assert_eq!(refusals.get("bad_signature"), Some(&1), "{refusals:?}");
    assert_eq!(refusals.get("foreign_origin"), Some(&1), "{refusals:?}");
    let (audited,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'federation.refuse'")
            .fetch_one(&mut b)
            .await
            .expect("audit");
    assert_eq!(audited, 2);
    let status = nodes[1].ok(&["peer", "status", "a"]);
    assert!(
        status.contains("bad_signature 1") && status.contains("foreign_origin 1"),
        "{status}"
    );

    // A peer whose key is not the one configured: nothing is applied from
    // it, and its status says why.
    let other = Node {
        name: "other",
        member: "GBR",
        db: coalesce_store::testing::fresh_database_url()
            .await
            .expect("db"),
        key: nodes[1].key.with_extension("other-key"),
        port: 0,
        child: None,
        log: nodes[1].log.with_extension("other.log"),
        extra: Vec::new(),
        clock: None,
    };
    let wrong_key = other.public_key();
    nodes[1].ok(&[
        "peer",
        "add",
        "a-wrong-key",
        &nodes[0].url(),
        "--member",
        "GBR",
        "--key",
        &wrong_key,
    ]);
    let cred = &creds[&("a".to_string(), "b".to_string())];
    nodes[1].ok(&["peer", "connect", "a-wrong-key", cred]);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = nodes[1].ok(&["peer", "status", "a-wrong-key"]);
        if status.contains("not the key configured") {
            assert!(status.contains("applied       0"), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    nodes[1].ok(&["peer", "remove", "a-wrong-key"]);

    // A database restored from an older copy (SQLite: the files): its
    // sequence goes back, the IRQ node resyncs in full, and the older
    // version it is then served is refused; what it holds stays.
    if is_sqlite(&nodes[0].db) {
        nodes[0].kill();
        let path = nodes[0].db.trim_start_matches("sqlite://").to_string();
        let backup = format!("{path}.backup");
        for ext in ["", "-wal", "-shm"] {
            let from = format!("{path}{ext}");
            if std::path::Path::new(&from).exists() {
                std::fs::copy(&from, format!("{backup}{ext}")).expect("copy");
            }
        }
        nodes[0].start().await;
        let (s, v) = api(
            &nodes[0],
            &gbr,
            reqwest::Method::PUT,
            &format!("/notes/{first}"),
            Some(note("First, changed")),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (v,): (i64,) = sqlx::query_as("SELECT version FROM records WHERE id = $1")
                .bind(&first)
                .fetch_one(&mut b)
                .await
                .expect("held");
            if v == 2 {
                break;
            }
            assert!(Instant::now() < deadline, "the change did not arrive");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        nodes[0].kill();
        for ext in ["", "-wal", "-shm"] {
            let from = format!("{backup}{ext}");
            let to = format!("{path}{ext}");
            let _ = std::fs::remove_file(&to);
            if std::path::Path::new(&from).exists() {
                std::fs::copy(&from, &to).expect("restore");
            }
        }
        nodes[0].start().await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM peer_refusals WHERE peer = 'a' AND reason = 'older_version'",
            )
            .fetch_one(&mut b)
            .await
            .expect("older");
            if n >= 1 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the replayed version was not refused"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM records WHERE id = $1")
            .bind(&first)
            .fetch_one(&mut b)
            .await
            .expect("held");
        assert_eq!(version, 2, "the newer version stays");
        let (resyncs,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'peer.resync'")
                .fetch_one(&mut b)
                .await
                .expect("resync");
        assert!(resyncs >= 1);
    }
}

/// `coalesce demo --nodes 3`: three nodes on loopback; the GBR note
/// released to Iraq only appears on Iraq's node and never on the
/// secretariat's, and GBR's public notes reach both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_with_three_nodes_releases_each_note_to_its_audience_only() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(["demo", "--nodes", "3", "--listen", "127.0.0.1:0"])
        .env_remove("COALESCE_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut urls: BTreeMap<String, String> = BTreeMap::new();
    let mut password = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    while password.is_none() {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the demo prints its nodes and password");
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [url, name, ..] = words.as_slice() {
            if url.starts_with("http://") {
                urls.insert(name.to_string(), url.to_string());
            }
        }
        if let Some(p) = line.strip_prefix("demo password: ") {
            password = Some(p.trim().to_string());
        }
    }
    let password = password.expect("password");
    assert_eq!(urls.len(), 3, "{urls:?}");
    let http = reqwest::Client::new();
    let login = |node: &str, user: &str| {
        let url = format!("{}/api/v1/auth/login", urls[node]);
        let body = json!({ "username": user, "password": password });
        let http = http.clone();
        async move {
            let v: Value = http
                .post(url)
                .json(&body)
                .send()
                .await
                .expect("login")
                .json()
                .await
                .expect("json");
            v["token"].as_str().expect("token").to_string()
        }
    };
    let titles = |node: &str, token: String| {
        let url = format!("{}/api/v1/notes?limit=500", urls[node]);
        let http = http.clone();
        async move {
            let v: Value = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("notes")
                .json()
                .await
                .expect("json");
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|n| n["title"].as_str().map(str::to_string))
                .collect::<Vec<String>>()
        }
    };
    let irq = login("irq", "irq").await;
    let usa = login("secretariat", "usa").await;
    let for_iraq = "For Iraq's liaison: the next humanitarian airdrop window";
    let public_gbr = "Amerli: humanitarian supplies delivered";
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let at_irq = titles("irq", irq.clone()).await;
        let at_usa = titles("secretariat", usa.clone()).await;
        assert!(
            !at_usa.iter().any(|t| t == for_iraq),
            "a note for Iraq only reached the secretariat's node"
        );
        if at_irq.iter().any(|t| t == for_iraq)
            && at_irq.iter().any(|t| t == public_gbr)
            && at_usa.iter().any(|t| t == public_gbr)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "irq sees {at_irq:?}; usa sees {at_usa:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// What the fault proxy does with each new connection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    /// Passes the bytes both ways to the node behind it.
    Pass,
    /// Answers 500.
    ServerError,
    /// Reads the request and never answers.
    Hang,
    /// Answers 200 with an HTML page.
    WrongType,
    /// Answers 200 as TAXII with a body that is not JSON.
    Garbage,
    /// Answers 200 as TAXII, then the body a byte every quarter second.
    Trickle,
}

/// A TCP proxy in front of a real node that injects `Fault`s: what a
/// puller meets when a peer's node or the network in between misbehaves.
struct FaultProxy {
    port: u16,
    mode: std::sync::Arc<std::sync::Mutex<Fault>>,
}

impl FaultProxy {
    async fn start(upstream: u16) -> FaultProxy {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mode = std::sync::Arc::new(std::sync::Mutex::new(Fault::Pass));
        let m = mode.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                let fault = *m.lock().expect("mode");
                tokio::spawn(async move {
                    if fault == Fault::Pass {
                        if let Ok(mut up) =
                            tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                        {
                            let _ = tokio::io::copy_bidirectional(&mut inbound, &mut up).await;
                        }
                        return;
                    }
                    // Read the request head (the puller's requests have no body).
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match inbound.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let (status, media, body) = match fault {
                        Fault::Hang => {
                            tokio::time::sleep(Duration::from_secs(3_600)).await;
                            return;
                        }
                        Fault::Trickle => {
                            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/taxii+json;version=2.1\r\nX-Coalesce-Seq-High: 999999999\r\nContent-Length: 4096\r\n\r\n";
                            if inbound.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            for _ in 0..4096 {
                                tokio::time::sleep(Duration::from_millis(250)).await;
                                if inbound.write_all(b" ").await.is_err() {
                                    return;
                                }
                            }
                            return;
                        }
                        Fault::ServerError => ("500 Internal Server Error", "text/plain", "boom"),
                        Fault::WrongType => ("200 OK", "text/html", "<html>login</html>"),
                        Fault::Garbage => (
                            "200 OK",
                            "application/taxii+json;version=2.1",
                            "{\"objects\": [not json",
                        ),
                        Fault::Pass => unreachable!(),
                    };
                    let answer = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {media}\r\nX-Coalesce-Seq-High: 999999999\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = inbound.write_all(answer.as_bytes()).await;
                    let _ = inbound.shutdown().await;
                });
            }
        });
        FaultProxy { port, mode }
    }

    fn set(&self, fault: Fault) {
        *self.mode.lock().expect("mode") = fault;
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Waits until `node`'s status of `peer` names `needle` in its last error.
async fn wait_for_error(node: &Node, peer: &str, needle: &str) {
    let deadline = Instant::now() + CONVERGE;
    loop {
        let status = node.ok(&["peer", "status", peer]);
        let error = status
            .lines()
            .find(|l| l.trim_start().starts_with("last error"))
            .unwrap_or_default()
            .to_lowercase();
        if error.contains(&needle.to_lowercase()) {
            assert!(status.contains("failing"), "{status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} never reported {needle:?} for {peer}:\n{status}",
            node.name
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until record `id` is held by `node`.
async fn wait_held(node: &Node, id: &str, why: &str) {
    let deadline = Instant::now() + CONVERGE;
    let mut conn = node.conn().await;
    loop {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE id = $1")
            .bind(id)
            .fetch_one(&mut conn)
            .await
            .expect("held");
        if n == 1 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{why}: {id} not at {}",
            node.name
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A peer that answers 500, never answers, answers with the wrong media
/// type or with what is not JSON, speaks no TLS where TLS is configured,
/// or sends pages beyond the configured limit: each gives a clear status
/// line and an audit entry, the pull from the other peer goes on all the
/// while, and once the peer behaves everything arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faulty_peers_are_reported_audited_and_never_stop_the_others() {
    let (mut nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ"), ("c", "USA")]).await;
    let gbr = nodes[0].token("gbr").await;
    let usa = nodes[2].token("usa").await;
    let proxy = FaultProxy::start(nodes[0].port).await;
    // Faults first: a connection that passed would be kept alive and reused.
    proxy.set(Fault::ServerError);
    nodes[1].kill();
    nodes[1].extra = ["--peer-timeout", "1.5", "--max-page-bytes", "32768"]
        .map(String::from)
        .to_vec();
    nodes[1].ok(&["peer", "set", "a", "--url", &proxy.url()]);
    nodes[1].start().await;
    let long_note = |i: usize| {
        json!({"title": format!("Report {i}"), "body": "Convoy sighted. ".repeat(120),
               "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}})
    };
    let mut from_a = Vec::new();
    for i in 0..40 {
        let (s, v) = api(
            &nodes[0],
            &gbr,
            reqwest::Method::POST,
            "/notes",
            Some(long_note(i)),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        from_a.push(v["id"].as_str().expect("id").to_string());
    }
    let from_c = |title: &str| json!({"title": title, "body": "Seen.", "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}});
    let faults: [(Fault, &str); 5] = [
        (Fault::ServerError, "answered 500"),
        (Fault::Hang, "timed out"),
        (Fault::Trickle, "reading http"),
        (Fault::WrongType, "text/html"),
        (Fault::Garbage, "not JSON"),
    ];
    for (fault, needle) in faults {
        proxy.set(fault);
        wait_for_error(&nodes[1], "a", needle).await;
        // The other peer is pulled all the while.
        let (s, v) = api(
            &nodes[2],
            &usa,
            reqwest::Method::POST,
            "/notes",
            Some(from_c(&format!("While {fault:?}"))),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        wait_held(&nodes[1], v["id"].as_str().expect("id"), "the other peer").await;
    }
    // TLS configured where the peer speaks none.
    let tls = format!("https://127.0.0.1:{}", nodes[0].port);
    nodes[1].ok(&["peer", "set", "a", "--url", &tls]);
    wait_for_error(&nodes[1], "a", &format!("cannot reach {tls}")).await;
    // Pages beyond the limit: refused, then smaller pages asked for, until
    // everything arrives.
    proxy.set(Fault::Pass);
    nodes[1].ok(&["peer", "set", "a", "--url", &proxy.url()]);
    for id in &from_a {
        wait_held(&nodes[1], id, "after the faults").await;
    }
    converge(&nodes, "after the faults").await;
    let mut b = nodes[1].conn().await;
    let errors: Vec<(String,)> = sqlx::query_as(
        "SELECT detail FROM audit_log WHERE action = 'peer.pull_error' AND subject = 'a'",
    )
    .fetch_all(&mut b)
    .await
    .expect("audit");
    let errors: Vec<String> = errors.into_iter().map(|e| e.0.to_lowercase()).collect();
    for needle in [
        "answered 500",
        "timed out",
        "reading http",
        "text/html",
        "not json",
        "cannot reach https://",
        "beyond 32768 bytes",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(needle)),
            "no audit entry for {needle:?}: {errors:?}"
        );
    }
    let status = nodes[1].ok(&["peer", "status", "a"]);
    assert!(status.contains("in step"), "{status}");
}

/// Clocks hours apart: one node six hours behind, one five ahead (their
/// wall clocks shifted with libfaketime). Versions written "in the past"
/// or "in the future" travel, change, narrow and withdraw exactly as
/// between nodes in step: ordering is each node's sequence, never a time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clocks_hours_apart_change_nothing() {
    let (mut nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ"), ("c", "USA")]).await;
    for (n, offset) in [(1, "-6h"), (2, "+5h")] {
        nodes[n].kill();
        nodes[n].clock = Some(offset);
        nodes[n].start().await;
    }
    let mut tokens = Vec::new();
    for n in &nodes {
        tokens.push(n.token(&n.member.to_lowercase()).await);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(6);
    let mut written: Vec<(usize, String)> = Vec::new();
    for round in 0..3 {
        for (i, n) in nodes.iter().enumerate() {
            for k in 0..6 {
                let rel_to: Vec<&str> = nodes
                    .iter()
                    .map(|o| o.member)
                    .filter(|m| *m != n.member && rng.gen_bool(0.6))
                    .collect();
                let (st, v) = api(
                    n,
                    &tokens[i],
                    reqwest::Method::POST,
                    "/notes",
                    Some(
                        json!({"title": format!("{} {round}.{k}", n.name), "body": "Seen.",
                                "marking": {"tlp": "AMBER", "rel_to": rel_to}}),
                    ),
                )
                .await;
                assert_eq!(st, 201, "{v}");
                written.push((i, v["id"].as_str().expect("id").to_string()));
            }
        }
        // Changes, narrowings to the origin alone, and withdrawals.
        let mut chosen: Vec<(usize, String, u8)> = Vec::new();
        for (i, id) in &written {
            if rng.gen_bool(0.3) {
                chosen.push((*i, id.clone(), rng.gen_range(0..3)));
            }
        }
        for (i, id, what) in &chosen {
            let (method, body) = match what {
                0 => (reqwest::Method::DELETE, None),
                1 => (
                    reqwest::Method::PUT,
                    Some(
                        json!({"title": "Narrowed", "body": "Seen.", "marking": {"tlp": "AMBER", "rel_to": []}}),
                    ),
                ),
                _ => (
                    reqwest::Method::PUT,
                    Some(
                        json!({"title": "Widened", "body": "Seen.", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
                    ),
                ),
            };
            let (st, v) = api(
                &nodes[*i],
                &tokens[*i],
                method,
                &format!("/notes/{id}"),
                body,
            )
            .await;
            assert!([200, 204, 409, 410].contains(&st), "{st} {v}");
        }
        converge(&nodes, &format!("skewed clocks, round {round}")).await;
    }
    // The versions carry their origin's clock: hours apart, as written.
    let mut a = nodes[0].conn().await;
    let (earliest, latest): (i64, i64) = sqlx::query_as(
        "SELECT MIN(v.at), MAX(v.at) FROM record_versions v JOIN records r ON r.id = v.record_id \
         WHERE v.provenance <> 'local'",
    )
    .fetch_one(&mut a)
    .await
    .expect("times");
    assert!(
        latest - earliest > 10 * 3_600_000,
        "the replicas' times span only {} s",
        (latest - earliest) / 1000
    );
}

/// A record naming a member this node's registry does not hold yet (its
/// origin's node learned of the member first) is refused, counted, and
/// applies once the registry holds the member: the peer is pulled again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_naming_a_member_not_yet_known_applies_once_it_is() {
    let (nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ")]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    a.ok(&["member", "add", "JOR", "Jordan"]);
    let gbr = a.token("gbr").await;
    let (st, v) = api(
        a,
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(json!({"title": "For Iraq and Jordan", "body": "Seen.",
                    "marking": {"tlp": "AMBER", "rel_to": ["IRQ", "JOR"]}})),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let id = v["id"].as_str().expect("id").to_string();
    eventually("refused for naming a member unknown here", || async {
        let status = b.ok(&["peer", "status", "a"]);
        if status.contains("unknown_audience 1") {
            Ok(())
        } else {
            Err(status)
        }
    })
    .await;
    assert!(!holds(b, &id).await);
    b.ok(&["member", "add", "JOR", "Jordan"]);
    wait_held(b, &id, "once the member is known").await;
    let (resyncs,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'peer.resync' AND subject = 'a'",
    )
    .fetch_one(&mut b.conn().await)
    .await
    .expect("audit");
    assert_eq!(resyncs, 1);
}

/// A node rotates its key: what it signs with the new one is refused until
/// its peer's operator sets the new key; then a full resync brings what
/// was refused, and what the old key signed still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_trusted_once_set_and_the_old_one_still_verifies() {
    let (mut nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ")]).await;
    let gbr = nodes[0].token("gbr").await;
    let note = |title: &str| json!({"title": title, "body": "Two vehicles.", "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}});
    let (_, before) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("Before")),
    )
    .await;
    let before = before["id"].as_str().expect("id").to_string();
    converge(&nodes, "before the rotation").await;
    nodes[0].kill();
    nodes[0].ok(&["node", "rotate-key"]);
    let new_key = nodes[0].public_key();
    nodes[0].start().await;
    let gbr = nodes[0].token("gbr").await;
    let (_, after) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("After")),
    )
    .await;
    let after = after["id"].as_str().expect("id").to_string();
    let mut b = nodes[1].conn().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = nodes[1].ok(&["peer", "status", "a"]);
        if status.contains("unknown_key 1") {
            break;
        }
        assert!(Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE id = $1")
        .bind(&after)
        .fetch_one(&mut b)
        .await
        .expect("held");
    assert_eq!(n, 0, "signed by a key not configured: refused");
    nodes[1].ok(&["peer", "set", "a", "--key", &new_key]);
    wait_held(&nodes[1], &after, "after the new key was set").await;
    converge(&nodes, "after the rotation").await;
    let status = nodes[1].ok(&["peer", "status", "a"]);
    assert!(
        status.contains("retired keys  1") && status.contains("unknown_key 1"),
        "the resync verified the old version with the retired key: {status}"
    );
    let (v,): (i64,) = sqlx::query_as("SELECT version FROM records WHERE id = $1")
        .bind(&before)
        .fetch_one(&mut b)
        .await
        .expect("held");
    assert_eq!(v, 1);
    let (changes,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'peer.change'")
            .fetch_one(&mut b)
            .await
            .expect("audit");
    assert_eq!(changes, 1);
}

/// Relay and echo: three nodes in a ring, each pulling only from the one
/// before it (a → b → c → a), relay on everywhere. CLEAR and GREEN records
/// travel round the ring through every node whose member may read them;
/// AMBER and RED only to the next node, never relayed; a record never
/// comes back to its origin as new, and no version is applied twice.
/// Narrowing and withdrawals travel the same way, and a relay that is
/// told a copy is revoked tells the next node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_round_a_ring_never_echoes_and_relays_only_clear_and_green() {
    let ring: [(&str, &str); 3] = [("b", "a"), ("c", "b"), ("a", "c")];
    let (nodes, _creds) =
        cluster_pulling(&[("a", "GBR"), ("b", "IRQ"), ("c", "USA")], Some(&ring)).await;
    for n in &nodes {
        for other in nodes.iter().filter(|o| o.name != n.name) {
            n.ok(&["peer", "set", other.name, "--relay", "on"]);
        }
    }
    let mut tokens = Vec::new();
    for n in &nodes {
        tokens.push(n.token(&n.member.to_lowercase()).await);
    }
    let members: Vec<&str> = nodes.iter().map(|n| n.member).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    let mut written: Vec<(usize, String)> = Vec::new();
    // RELAY_ROUNDS=n runs more rounds: a longer hunt for races.
    for round in 0..std::env::var("RELAY_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
    {
        for (i, n) in nodes.iter().enumerate() {
            let others: Vec<&str> = members.iter().copied().filter(|m| *m != n.member).collect();
            for k in 0..8 {
                let tlp = ["CLEAR", "GREEN", "GREEN", "AMBER", "RED"][rng.gen_range(0..5)];
                let mut rel_to: Vec<&str> = others
                    .iter()
                    .copied()
                    .filter(|_| rng.gen_bool(0.5))
                    .collect();
                if tlp != "RED" && rng.gen_bool(0.3) {
                    rel_to = vec!["COALITION"];
                }
                let (s, v) = api(
                    n,
                    &tokens[i],
                    reqwest::Method::POST,
                    "/notes",
                    Some(
                        json!({"title": format!("{} {round}.{k}", n.name), "body": "Seen.",
                                "marking": {"tlp": tlp, "rel_to": rel_to}}),
                    ),
                )
                .await;
                assert_eq!(s, 201, "{v}");
                written.push((i, v["id"].as_str().expect("id").to_string()));
            }
        }
        // Changes: some narrowed to the origin alone, some widened to all.
        let chosen: Vec<(usize, String)> = written
            .iter()
            .filter(|_| rng.gen_bool(0.25))
            .cloned()
            .collect();
        for (i, id) in &chosen {
            let marking = if rng.gen_bool(0.5) {
                json!({"tlp": "GREEN", "rel_to": []})
            } else {
                json!({"tlp": "GREEN", "rel_to": ["COALITION"]})
            };
            let (s, v) = api(
                &nodes[*i],
                &tokens[*i],
                reqwest::Method::PUT,
                &format!("/notes/{id}"),
                Some(json!({"title": "Changed", "body": "Seen again.", "marking": marking})),
            )
            .await;
            assert!(s == 200 || s == 409, "{v}");
        }
        converge_to(&nodes, &format!("round {round}"), async |n: &Node| {
            expected_ring(&nodes, &ring, n).await
        })
        .await;
    }
    for (i, n) in nodes.iter().enumerate() {
        // What came from the node two hops back came through a relay.
        let far = &nodes[(i + 1) % 3];
        let (relayed,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM records WHERE origin_node = $1")
                .bind(far.node_id().await)
                .fetch_one(&mut n.conn().await)
                .await
                .expect("relayed");
        assert!(
            relayed > 0,
            "nothing of {} reached {} through the relay",
            far.name,
            n.name
        );
        let own = n.node_id().await;
        let mut conn = n.conn().await;
        let (echoed,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM record_versions v JOIN records r ON r.id = v.record_id \
             WHERE r.origin_node = $1 AND v.provenance <> 'local'",
        )
        .bind(&own)
        .fetch_one(&mut conn)
        .await
        .expect("echo");
        assert_eq!(echoed, 0, "{}: its own records came back as new", n.name);
        let twice: Vec<(String, i64)> = sqlx::query_as(
            "SELECT record_id, version FROM record_versions GROUP BY record_id, version HAVING COUNT(*) > 1",
        )
        .fetch_all(&mut conn)
        .await
        .expect("twice");
        assert!(twice.is_empty(), "{}: applied twice: {twice:?}", n.name);
        let refused: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT peer, reason, n FROM peer_refusals")
                .fetch_all(&mut conn)
                .await
                .expect("refusals");
        assert!(
            refused.iter().all(|(_, r, _)| r == "revoked"),
            "{}: {refused:?}",
            n.name
        );
    }
}

/// What `node` should hold of the others' records in the ring: each
/// origin's records that every node on the path from the origin to it (each
/// pulling from the one before) may read, CLEAR or GREEN past the first hop.
async fn expected_ring(nodes: &[Node], ring: &[(&str, &str)], node: &Node) -> Held {
    let mut expected = Held::new();
    for origin in nodes.iter().filter(|o| o.name != node.name) {
        let mut hops: Vec<&str> = vec![origin.name];
        while hops.last() != Some(&node.name) {
            let last = *hops.last().expect("hop");
            hops.push(
                ring.iter()
                    .find(|(_, server)| *server == last)
                    .expect("ring")
                    .0,
            );
        }
        let members: Vec<&str> = hops[1..]
            .iter()
            .map(|h| nodes.iter().find(|x| x.name == *h).expect("node").member)
            .collect();
        for (id, version, status, tlp, rel_to, o) in origin_records(origin).await {
            let relayable = members.len() == 1 || tlp == "CLEAR" || tlp == "GREEN";
            if relayable && members.iter().all(|m| releasable(m, &o, &tlp, &rel_to)) {
                expected.insert((id, version, status));
            }
        }
    }
    expected
}

/// Polls `check` every 200 ms until it holds (for up to `CONVERGE`).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let deadline = Instant::now() + CONVERGE;
    loop {
        match check().await {
            Ok(()) => return,
            Err(e) if Instant::now() > deadline => panic!("{what}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// What `node` holds of record `id` (its count of rows).
async fn holds(node: &Node, id: &str) -> bool {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE id = $1")
        .bind(id)
        .fetch_one(&mut node.conn().await)
        .await
        .expect("held");
    n == 1
}

/// The secretariat's node serves the registry, signed; the capitals apply
/// it: members and the node hosting each, groups, lines of effort. A node
/// writes only for the members it hosts; a peer is served as every member
/// its node hosts (the secretariat's node hosts the members without a node
/// of their own); a group changed at the secretariat opens and closes
/// records on every node, at read time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariats_registry_and_home_nodes_hold_on_every_node() {
    let (nodes, _creds) = cluster(&[("s", "USA"), ("g", "GBR"), ("i", "IRQ")]).await;
    let (s, g, i) = (&nodes[0], &nodes[1], &nodes[2]);
    s.ok(&["node", "init", "--member", "USA", "--secretariat"]);
    s.ok(&["member", "add", "FRA", "France"]);
    for who in ["coordinator", "gbr-at-s"] {
        let member = if who == "coordinator" { "USA" } else { "GBR" };
        let role = if who == "coordinator" {
            "coordinator"
        } else {
            "contributor"
        };
        s.ok(&[
            "user",
            "add",
            "--username",
            who,
            "--member",
            member,
            "--role",
            role,
        ]);
    }
    // The secretariat learns its peers' node ids by pulling from them, then
    // says which node hosts whom.
    for (peer, code) in [("g", "GBR"), ("i", "IRQ")] {
        eventually("the node id is learned", || async {
            let out = s.cli(&["member", "host", code, "--peer", peer]);
            if out.status.success() {
                Ok(())
            } else {
                Err(text(&out.stderr))
            }
        })
        .await;
    }
    let coordinator = s.token("coordinator").await;
    let (st, v) = api(
        s,
        &coordinator,
        reqwest::Method::POST,
        "/groups",
        Some(json!({"slug": "core", "name": "Core group", "kind": "small_group", "members": ["GBR", "IRQ"]})),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    for n in [g, i] {
        n.ok(&["peer", "set", "s", "--registry-source", "on"]);
    }
    let (s_id, g_id, i_id) = (s.node_id().await, g.node_id().await, i.node_id().await);
    for n in [g, i] {
        eventually("the registry arrives", || async {
            let mut c = n.conn().await;
            let homes: BTreeMap<String, Option<String>> =
                sqlx::query_as::<_, (String, Option<String>)>("SELECT code, home_node FROM members")
                    .fetch_all(&mut c)
                    .await
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .collect();
            let core: Vec<(String,)> = sqlx::query_as(
                "SELECT member_code FROM group_members WHERE group_slug = 'core' ORDER BY member_code",
            )
            .fetch_all(&mut c)
            .await
            .map_err(|e| e.to_string())?;
            let here = n.node_id().await;
            let own = |id: &String| (id != &here).then(|| id.clone());
            let expected: BTreeMap<String, Option<String>> = [
                ("FRA", own(&s_id)),
                ("GBR", own(&g_id)),
                ("IRQ", own(&i_id)),
                ("USA", own(&s_id)),
            ]
            .into_iter()
            .map(|(c, h)| (c.to_string(), h))
            .collect();
            if homes == expected && core.len() == 2 {
                Ok(())
            } else {
                Err(format!("{}: homes {homes:?}, core {core:?}", n.name))
            }
        })
        .await;
    }
    // A node writes only for the members it hosts.
    let gbr_at_s = s.token("gbr-at-s").await;
    let note = |title: &str, rel_to: &[&str]| json!({"title": title, "body": "Seen.", "marking": {"tlp": "AMBER", "rel_to": rel_to}});
    let (st, v) = api(
        s,
        &gbr_at_s,
        reqwest::Method::POST,
        "/notes",
        Some(note("Not here", &[])),
    )
    .await;
    assert_eq!(st, 403, "{v}");
    assert!(
        v["detail"]
            .as_str()
            .unwrap_or("")
            .contains("hosted by node"),
        "{v}"
    );
    // The secretariat's node is served as every member it hosts (France
    // has no node); the group travels with the registry.
    let gbr = g.token("gbr").await;
    let (_, for_france) = api(
        g,
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("For France", &["FRA"])),
    )
    .await;
    let (_, for_core) = api(
        g,
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("For the core group", &["GROUP:core"])),
    )
    .await;
    let for_france = for_france["id"].as_str().expect("id").to_string();
    let for_core = for_core["id"].as_str().expect("id").to_string();
    eventually("released to the members each node hosts", || async {
        match (
            holds(s, &for_france).await,
            holds(i, &for_core).await,
            holds(s, &for_core).await,
            holds(i, &for_france).await,
        ) {
            (true, true, false, false) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    // The secretariat takes Iraq out of the group: the record closes to
    // Iraq's node.
    let (st, v) = api(
        s,
        &coordinator,
        reqwest::Method::PUT,
        "/groups/core/members",
        Some(json!({"members": ["GBR"]})),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    eventually("the narrowed group revokes the copy", || async {
        if holds(i, &for_core).await {
            Err("Iraq's node still holds the core group's note".into())
        } else {
            Ok(())
        }
    })
    .await;
    // France moves to Iraq's node: Britain's node now serves Iraq's as
    // Iraq and France, and the note for France, long below Iraq's cursor,
    // reaches it (Iraq's node pulls again from the beginning).
    s.ok(&["member", "host", "FRA", "--peer", "i"]);
    eventually(
        "a member moved: what it may read reaches its new node",
        || async {
            if holds(i, &for_france).await {
                Ok(())
            } else {
                Err("Iraq's node, now France's, lacks the note for France".into())
            }
        },
    )
    .await;
    let (resyncs,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'peer.resync' AND subject = 'g'",
    )
    .fetch_one(&mut i.conn().await)
    .await
    .expect("audit");
    assert!(resyncs >= 1, "{resyncs}");
    // France moves back to the secretariat's node: Britain's node serves
    // Iraq's as Iraq alone again; Iraq's node pulls it from the beginning
    // and forgets the note only France could read there, keeping Iraq's;
    // the secretariat's node, France's again, holds the note for France
    // (forgotten there when France left, without a revocation: the same
    // version applies again).
    let (_, for_iraq) = api(
        g,
        &gbr,
        reqwest::Method::POST,
        "/notes",
        Some(note("For Iraq", &["IRQ"])),
    )
    .await;
    let for_iraq = for_iraq["id"].as_str().expect("id").to_string();
    wait_held(i, &for_iraq, "a note for Iraq").await;
    s.ok(&["member", "host", "FRA", "--here"]);
    eventually(
        "a member moved away: its copies leave its old node",
        || async {
            match (holds(i, &for_france).await, holds(s, &for_france).await) {
                (false, true) => Ok(()),
                other => Err(format!(
                    "(Iraq's node, the secretariat's) hold it: {other:?}"
                )),
            }
        },
    )
    .await;
    assert!(holds(i, &for_iraq).await, "what Iraq may read stays");
    let (forgot,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'note.forget' AND subject = $1 \
         AND detail LIKE '%no longer served%'",
    )
    .bind(&for_france)
    .fetch_one(&mut i.conn().await)
    .await
    .expect("audit");
    assert_eq!(forgot, 1);
    let (replicated,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'registry.replicate'")
            .fetch_one(&mut g.conn().await)
            .await
            .expect("audit");
    assert!(replicated >= 2, "{replicated}");
}

/// Personal data purged at its origin leaves every copy: GBR's node files
/// travel reports about two people, AMBER REL TO IRQ, and IRQ's node holds
/// them. GBR purges the first report and its traveller now (its user's
/// correction), after a change so that IRQ holds two versions; the second
/// pair is kept until today and purged by GBR's node itself when it starts
/// two days later (its clock moved with faketime). Each time IRQ's node
/// applies the purged versions, rewrites its kept versions, and nothing of
/// the person is left in any table or column of either database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purge_at_the_origin_reaches_every_copy() {
    let (mut nodes, _creds) = cluster(&[("a", "GBR"), ("b", "IRQ")]).await;
    let gbr = nodes[0].token("gbr").await;
    let today = coalesce_store::records::today();
    let file = |who: &str, passport: &str, crossing: &str, retain: Option<&str>| {
        json!({
            "kind": "foreign-fighter-travel",
            "title": format!("Travel of {who}"),
            "body": format!("Crossed near {crossing}."),
            "occurred_on": "2014-10-02",
            "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]},
            "retain_until": retain,
            "details": {"route": [{"country": "TUN", "role": "origin"}, {"country": "SYR", "role": "destination"}],
                        "documents": [format!("TD-{passport}")]},
            "entities": [{"role": "traveller", "entity": {
                "kind": "person", "name": who, "birth_date": "1988-07-14", "nationality": "TUN",
                "documents": [passport], "retain_until": retain,
                "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}}}],
        })
    };
    let mut filed = Vec::new();
    for (who, passport, crossing, retain) in [
        ("Zubayr Qarnawi", "QX9918273", "Zarqabad", None),
        (
            "Hamza Haddadin",
            "HD4417720",
            "Tallwadi",
            Some(today.as_str()),
        ),
    ] {
        let (st, r) = api(
            &nodes[0],
            &gbr,
            reqwest::Method::POST,
            "/reports",
            Some(file(who, passport, crossing, retain)),
        )
        .await;
        assert_eq!(st, 201, "{r}");
        let report = r["id"].as_str().expect("id").to_string();
        let person = r["entities"][0]["id"].as_str().expect("person").to_string();
        filed.push((
            report,
            person,
            [who.split(' ').nth(1).unwrap_or(who), passport, crossing],
        ));
    }
    let (r1, p1, gone1) = filed[0].clone();
    let (r2, p2, gone2) = filed[1].clone();
    // A second version of the first report, so that IRQ keeps history.
    let mut change = file("Zubayr Qarnawi", "QX9918273", "Zarqabad", None);
    change["title"] = json!("Travel of Zubayr Qarnawi via Turkey");
    change["entities"] = json!([{"id": p1, "role": "traveller"}]);
    let (st, v) = api(
        &nodes[0],
        &gbr,
        reqwest::Method::PUT,
        &format!("/reports/{r1}"),
        Some(change),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let b = &nodes[1];
    for id in [&r1, &p1, &r2, &p2] {
        wait_held(b, id, "shared with IRQ").await;
    }
    let version_at = |node: &Node, id: String| {
        let db = node.db.clone();
        async move {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&db).await.expect("connect");
            let (v, body): (i64, String) =
                sqlx::query_as("SELECT version, body FROM records WHERE id = $1")
                    .bind(&id)
                    .fetch_one(&mut c)
                    .await
                    .expect("held");
            (v, body)
        }
    };
    eventually("the change reaches IRQ", || async {
        match version_at(b, r1.clone()).await.0 {
            2 => Ok(()),
            v => Err(format!("version {v}")),
        }
    })
    .await;
    let found = coalesce_store::testing::find_everywhere(&b.db, &gone1)
        .await
        .expect("scan");
    assert!(!found.is_empty(), "IRQ holds the person before the purge");

    // The origin's user purges the first pair now.
    for path in [
        format!("/reports/{r1}/purge"),
        format!("/entities/{p1}/purge"),
    ] {
        let (st, v) = api(&nodes[0], &gbr, reqwest::Method::POST, &path, None).await;
        assert_eq!(st, 200, "{path}: {v}");
        assert_eq!(v["purged_on"], json!(today));
    }
    let irq = b.token("irq").await;
    let (st, v) = api(
        b,
        &irq,
        reqwest::Method::POST,
        &format!("/reports/{r1}/purge"),
        None,
    )
    .await;
    assert_eq!(st, 403, "only its origin purges: {v}");
    purged_everywhere(&nodes, &[&r1, &p1], &gone1, "the purge reaches IRQ").await;
    let b = &nodes[1];
    // IRQ still reads the report, purged, and its versions say nothing more.
    let (st, v) = api(
        b,
        &irq,
        reqwest::Method::GET,
        &format!("/reports/{r1}/versions"),
        None,
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let text = v.to_string();
    assert!(gone1.iter().all(|g| !text.contains(g)), "{text}");
    assert!(!coalesce_store::testing::find_everywhere(&b.db, &gone2)
        .await
        .expect("scan")
        .is_empty());

    // Two days on, GBR's node purges the second pair at its start.
    nodes[0].kill();
    nodes[0].clock = Some("+2d");
    nodes[0].start().await;
    purged_everywhere(
        &nodes,
        &[&r2, &p2],
        &gone2,
        "the scheduled purge reaches IRQ",
    )
    .await;
    let log = std::fs::read_to_string(&nodes[0].log).unwrap_or_default();
    assert!(
        log.contains("purged the personal data of 1 reports and 1 persons"),
        "{log}"
    );
}

/// Waits until the last of `nodes` holds every record of `ids` purged, then
/// checks that no table or column of any node holds one of `gone`.
async fn purged_everywhere(nodes: &[Node], ids: &[&String], gone: &[&str], what: &str) {
    let peer = nodes.last().expect("a peer");
    for id in ids {
        eventually(what, || async {
            let (body,): (String,) = sqlx::query_as("SELECT body FROM records WHERE id = $1")
                .bind(*id)
                .fetch_one(&mut peer.conn().await)
                .await
                .expect("held");
            if body.contains("\"purged_on\"") {
                Ok(())
            } else {
                Err(body)
            }
        })
        .await;
    }
    for node in nodes {
        let left = coalesce_store::testing::find_everywhere(&node.db, gone)
            .await
            .expect("scan");
        assert!(left.is_empty(), "{} still holds: {left:#?}", node.name);
    }
}
