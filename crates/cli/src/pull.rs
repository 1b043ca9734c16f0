//! Pulling from peers and poking them (issue 15): the network half of
//! federation, run by `coalesce serve` beside the HTTP server.
//!
//! - One task per peer pulls its records collection page by page from the
//!   cursor kept in the database, verifies every object
//!   (`app::federation::read_envelope`) and applies each page with its
//!   cursor in one transaction (`Store::apply_pulled`). It pulls again at
//!   once while the peer says more follow, then waits for a poke or its
//!   poll interval (with jitter); on an error it records it (the peer's
//!   status, the audit log once per distinct error) and backs off,
//!   doubling up to six poll intervals. A peer that is paused, removed or not yet
//!   connected (no credential) is not pulled; a removed peer's task ends.
//! - When this node writes a record, it pokes every connected peer (a
//!   small authenticated POST that says "pull now"), so a change reaches
//!   them in well under a second rather than at their next poll.
//! - The peer's sequence going backwards (its database restored from an
//!   older backup) or a peer refusing our position resets the cursor to
//!   the start: a full resync, idempotent (versions held change nothing).
//!
//! Ordering never depends on a wall clock: the cursor is the peer's own
//! sequence number.

use coalesce_api::federation::{read_envelope, PeerTrust, Pokes, HIGH_HEADER};
use coalesce_api::taxii::{API_ROOT, RECORDS_COLLECTION_ID, TAXII_MEDIA};
use coalesce_federation::PublicKey;
use coalesce_store::peers::Peer;
use coalesce_store::{Store, StoreError};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How often a peer is pulled when nothing pokes this node.
pub(crate) const POLL: Duration = Duration::from_secs(10);
/// The longest wait after errors, in poll intervals.
const MAX_BACKOFF_POLLS: u32 = 6;
/// How often this node looks for its own new writes to poke peers about.
const POKE_CHECK: Duration = Duration::from_millis(200);
/// Objects asked for per page.
const PAGE: i64 = 1_000;
/// The largest page accepted from a peer, in bytes.
const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// Runs the pullers and the poker until the process ends.
pub(crate) async fn run(store: Store, pokes: Arc<Pokes>, poll: Duration) {
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("coalesce/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("federation off: no HTTP client: {e}");
            return;
        }
    };
    tokio::spawn(poke_peers(store.clone(), http.clone()));
    let mut running: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    loop {
        // A removed peer's task has ended; a peer added again gets a new one.
        running.retain(|_, task| !task.is_finished());
        match store.peers().await {
            Ok(peers) => {
                for p in peers {
                    if let std::collections::hash_map::Entry::Vacant(slot) =
                        running.entry(p.name.clone())
                    {
                        let wake = pokes.of(&p.name);
                        slot.insert(tokio::spawn(pull_peer(
                            store.clone(),
                            http.clone(),
                            p.name,
                            wake,
                            poll,
                        )));
                    }
                }
            }
            Err(e) => tracing::warn!("federation: cannot list peers: {e}"),
        }
        // A peer added later gets its task within a few seconds.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

fn jittered(d: Duration) -> Duration {
    let ms = d.as_millis() as u64;
    Duration::from_millis(ms / 2 + rand::thread_rng().gen_range(0..=ms))
}

/// The task that pulls from peer `name` for as long as it is a peer.
async fn pull_peer(
    store: Store,
    http: reqwest::Client,
    name: String,
    wake: Arc<tokio::sync::Notify>,
    poll: Duration,
) {
    let first_backoff = (poll / 4).min(Duration::from_millis(500));
    let mut backoff = first_backoff;
    loop {
        let peer = match store.peer(&name).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                tracing::info!("peer {name} removed: no longer pulled");
                return;
            }
            Err(e) => {
                tracing::warn!("peer {name}: {e}");
                let _ = tokio::time::timeout(poll, wake.notified()).await;
                continue;
            }
        };
        if peer.paused || !peer.pull.has_credential {
            let _ = tokio::time::timeout(poll, wake.notified()).await;
            continue;
        }
        match pull_page(&store, &http, &peer).await {
            Ok(more) => {
                backoff = first_backoff;
                if !more {
                    let _ = tokio::time::timeout(jittered(poll), wake.notified()).await;
                }
            }
            Err(e) => {
                tracing::warn!("peer {name}: {e}");
                if let Err(e) = store.record_pull_error(&name, &e).await {
                    tracing::warn!("peer {name}: cannot record the error: {e}");
                }
                let _ = tokio::time::timeout(jittered(backoff), wake.notified()).await;
                backoff = (backoff * 2).min(poll * MAX_BACKOFF_POLLS);
            }
        }
    }
}

/// Pulls and applies one page from `peer`; whether more follow.
async fn pull_page(store: &Store, http: &reqwest::Client, peer: &Peer) -> Result<bool, String> {
    let credential = store
        .peer_credential(&peer.name)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("not connected: no credential")?;
    let key = PublicKey::parse(&peer.public_key).map_err(|e| e.to_string())?;
    let node_id = match &peer.pull.node_id {
        Some(id) => id.clone(),
        None => learn_node_id(store, http, peer, &credential, &key).await?,
    };
    let url = format!(
        "{}/taxii2/{API_ROOT}/collections/{RECORDS_COLLECTION_ID}/objects/?next={}&limit={PAGE}",
        peer.url.trim_end_matches('/'),
        peer.pull.cursor
    );
    let res = http
        .get(&url)
        .bearer_auth(&credential)
        .header(reqwest::header::ACCEPT, TAXII_MEDIA)
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {}", peer.url, error_chain(&e)))?;
    let status = res.status();
    if status == reqwest::StatusCode::BAD_REQUEST && peer.pull.cursor > 0 {
        let why = format!(
            "{} refused our position {} ({status}): full resync",
            peer.url, peer.pull.cursor
        );
        store
            .reset_peer_cursor(&peer.name, &why)
            .await
            .map_err(|e| e.to_string())?;
        return Err(why);
    }
    if !status.is_success() {
        let text = res.text().await.unwrap_or_default();
        let detail: String = text.chars().take(300).collect();
        return Err(match status.as_u16() {
            401 | 403 => format!("{} refused our credential ({status}): {detail}", peer.url),
            _ => format!("{} answered {status}: {detail}", peer.url),
        });
    }
    let media = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !media.starts_with("application/taxii+json") {
        return Err(format!(
            "{} answered {media:?}, not {TAXII_MEDIA}",
            peer.url
        ));
    }
    let high: i64 = res
        .headers()
        .get(HIGH_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            format!(
                "{} sent no {HIGH_HEADER} header: not a coalesce node?",
                peer.url
            )
        })?;
    if res.content_length().unwrap_or(0) as usize > MAX_PAGE_BYTES {
        return Err(format!(
            "{} sent a page beyond {MAX_PAGE_BYTES} bytes",
            peer.url
        ));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| format!("reading {}: {}", peer.url, error_chain(&e)))?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "{} sent a page beyond {MAX_PAGE_BYTES} bytes",
            peer.url
        ));
    }
    if high < peer.pull.cursor {
        let why = format!(
            "{}'s sequence went backwards ({} < our position {}): its database was restored; full resync",
            peer.url, high, peer.pull.cursor
        );
        store
            .reset_peer_cursor(&peer.name, &why)
            .await
            .map_err(|e| e.to_string())?;
        tracing::warn!("peer {}: {why}", peer.name);
        return Ok(true);
    }
    let envelope: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} sent a page that is not JSON: {e}", peer.url))?;
    let trust = PeerTrust {
        key,
        node_id,
        member: peer.member.clone(),
    };
    let page = read_envelope(&envelope, &trust, peer.pull.cursor, high)
        .map_err(|e| format!("{} sent a malformed page: {e}", peer.url))?;
    let more = page.more;
    let outcome = store
        .apply_pulled(&peer.name, page)
        .await
        .map_err(|e| format!("applying a page of {}: {e}", peer.url))?;
    if outcome.written + outcome.forgotten + outcome.refused > 0 {
        tracing::info!(
            "peer {}: {} applied, {} revoked, {} already held, {} refused",
            peer.name,
            outcome.written,
            outcome.forgotten,
            outcome.held,
            outcome.refused
        );
    }
    Ok(more)
}

/// Asks the peer who it is and checks that its current key is the one
/// configured for it; records its node id.
async fn learn_node_id(
    store: &Store,
    http: &reqwest::Client,
    peer: &Peer,
    credential: &str,
    key: &PublicKey,
) -> Result<String, String> {
    let url = format!("{}/api/v1/node", peer.url.trim_end_matches('/'));
    let res = http
        .get(&url)
        .bearer_auth(credential)
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {}", peer.url, error_chain(&e)))?;
    if !res.status().is_success() {
        return Err(format!("{url} answered {}", res.status()));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| format!("reading {url}: {}", error_chain(&e)))?;
    let node: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{url} is not a coalesce node: {e}"))?;
    let id = node
        .get("id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| format!("{url} names no node id"))?
        .to_string();
    let current = node
        .get("keys")
        .and_then(|k| k.get(0))
        .and_then(|k| k.get("public_key"))
        .and_then(serde_json::Value::as_str);
    if current != Some(key.to_text().as_str()) {
        return Err(format!(
            "{} holds key {}, not the key configured for peer {} ({})",
            peer.url,
            current.unwrap_or("none"),
            peer.name,
            key.fingerprint()
        ));
    }
    store
        .set_peer_node_id(&peer.name, &id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

/// An error with its causes (reqwest's own message hides them).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Pokes every connected peer after this node writes a record of its own.
async fn poke_peers(store: Store, http: reqwest::Client) {
    // At start every peer is poked once: a node back from a stop or a
    // partition is pulled at once, not at the peers' next poll.
    let mut last = -1;
    loop {
        tokio::time::sleep(POKE_CHECK).await;
        let high = match store.own_high_seq().await {
            Ok(h) => h,
            Err(_) => continue,
        };
        if high <= last {
            continue;
        }
        last = high;
        let Ok(peers) = store.peers().await else {
            continue;
        };
        for p in peers
            .into_iter()
            .filter(|p| !p.paused && p.pull.has_credential)
        {
            let Ok(Some(credential)) = store.peer_credential(&p.name).await else {
                continue;
            };
            let http = http.clone();
            tokio::spawn(async move {
                let url = format!("{}/api/v1/federation/poke", p.url.trim_end_matches('/'));
                let sent = http
                    .post(&url)
                    .bearer_auth(credential)
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                if let Err(e) = sent {
                    tracing::debug!("poke of {} failed: {}", p.name, error_chain(&e));
                }
            });
        }
    }
}
