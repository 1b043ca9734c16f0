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
//! - A peer that is a plain TAXII 2.1 server (an unsigned import) is
//!   paged by TAXII's own means (`next`, `added_after`) and its objects
//!   go, unsigned, into the STIX object store as imported objects.
//!
//! Ordering never depends on a wall clock: the cursor is the peer's own
//! sequence number (for a plain TAXII server, its own date added).

use coalesce_api::federation::{
    read_envelope, KnownNode, PeerTrust, Pokes, HIGH_HEADER, VIEW_HEADER,
};
use coalesce_api::taxii::{API_ROOT, RECORDS_COLLECTION_ID, TAXII_MEDIA};
use coalesce_federation::PublicKey;
use coalesce_store::federation::PulledPage;
use coalesce_store::peers::Peer;
use coalesce_store::{Store, StoreError};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How often a peer is pulled when nothing pokes this node.
pub(crate) const POLL: Duration = Duration::from_secs(10);
/// How long a peer may take to answer a page.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);
/// The largest page accepted from a peer, in bytes.
pub(crate) const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;
/// The longest wait after errors, in poll intervals.
const MAX_BACKOFF_POLLS: u32 = 6;
/// How often this node looks for its own new writes to poke peers about.
const POKE_CHECK: Duration = Duration::from_millis(200);
/// Objects asked for per page (halved after a page too large, down to
/// one, and doubled back after each page that fits).
const PAGE: i64 = 1_000;

/// How this node pulls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PullConfig {
    /// Between pulls of a peer that does not poke (jittered).
    pub poll: Duration,
    /// The longest a peer may take to answer.
    pub timeout: Duration,
    /// The largest page accepted, in bytes.
    pub max_page_bytes: usize,
}

impl Default for PullConfig {
    fn default() -> Self {
        PullConfig {
            poll: POLL,
            timeout: TIMEOUT,
            max_page_bytes: MAX_PAGE_BYTES,
        }
    }
}

/// Why a pull failed: most errors are only reported; a page beyond the
/// size limit also makes the next one smaller.
enum PullError {
    Failed(String),
    TooLarge(String),
}

impl From<String> for PullError {
    fn from(e: String) -> Self {
        PullError::Failed(e)
    }
}

impl From<&str> for PullError {
    fn from(e: &str) -> Self {
        PullError::Failed(e.to_string())
    }
}

/// Runs the pullers and the poker until the process ends.
pub(crate) async fn run(store: Store, pokes: Arc<Pokes>, config: PullConfig) {
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5).min(config.timeout))
        .timeout(config.timeout)
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
                            config,
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
    config: PullConfig,
) {
    let poll = config.poll;
    let first_backoff = (poll / 4).min(Duration::from_millis(500));
    let mut backoff = first_backoff;
    // Pages are halved after one too large; they grow back by doubling,
    // never beyond half the size that last failed until 64 pages fit.
    let (mut page_size, mut ceiling, mut fitted) = (PAGE, PAGE, 0u32);
    // A plain TAXII server's `next` token, within one run of pages.
    let mut import_next: Option<String> = None;
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
        let pulled = if peer.import_collection.is_some() {
            pull_import_page(
                &store,
                &http,
                &peer,
                page_size,
                config.max_page_bytes,
                &mut import_next,
            )
            .await
        } else {
            pull_page(&store, &http, &peer, page_size, config.max_page_bytes).await
        };
        let pulled = match pulled {
            Err(PullError::TooLarge(e)) if page_size > 1 => {
                page_size = (page_size / 2).max(1);
                (ceiling, fitted) = (page_size, 0);
                Err(format!("{e}; asking for {page_size} objects a page"))
            }
            Err(PullError::TooLarge(e)) => Err(format!(
                "{e}: one object is beyond the limit (--max-page-bytes)"
            )),
            Err(PullError::Failed(e)) => Err(e),
            Ok(more) => Ok(more),
        };
        match pulled {
            Ok(more) => {
                backoff = first_backoff;
                fitted += 1;
                if fitted % 64 == 0 {
                    ceiling = (ceiling * 2).min(PAGE);
                }
                page_size = (page_size * 2).min(ceiling);
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

/// Pages a run of at most this many pages before looking at the peer
/// again (paused, removed, changed).
const RUN_PAGES: usize = 50;

/// A page as fetched from a peer.
struct Fetched {
    /// The peer's highest sequence number when it read the page.
    high: i64,
    /// How the peer serves this node (relay, the members served as).
    view: Option<String>,
    bytes: Vec<u8>,
    took: Duration,
}

/// What fetching a page found.
enum Fetch {
    Page(Fetched),
    /// The peer refused our position, or its sequence went back behind
    /// it (a restored database), or it serves this node otherwise now:
    /// start again from the beginning. `true` when it is an error to
    /// report; then whether to sweep at the end what it no longer serves
    /// (not after a restore: what it lost may be held only here).
    Resync(String, bool, bool),
}

/// Fetches the page after `cursor` from `peer`: the answer's status,
/// media type, high mark and size checked. No writes: the caller decides
/// (a fetch may run while the previous page is being applied).
async fn fetch_page(
    http: reqwest::Client,
    peer: Arc<Peer>,
    credential: Arc<str>,
    cursor: i64,
    page_size: i64,
    max_bytes: usize,
) -> Result<Fetch, PullError> {
    let url = format!(
        "{}/taxii2/{API_ROOT}/collections/{RECORDS_COLLECTION_ID}/objects/?next={cursor}&limit={page_size}",
        peer.url.trim_end_matches('/'),
    );
    let started = std::time::Instant::now();
    let res = http
        .get(&url)
        .bearer_auth(&*credential)
        .header(reqwest::header::ACCEPT, TAXII_MEDIA)
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {}", peer.url, error_chain(&e)))?;
    let status = res.status();
    if status == reqwest::StatusCode::BAD_REQUEST && cursor > 0 {
        return Ok(Fetch::Resync(
            format!(
                "{} refused our position {cursor} ({status}): full resync",
                peer.url
            ),
            true,
            false,
        ));
    }
    if !status.is_success() {
        let text = res.text().await.unwrap_or_default();
        let detail: String = text.chars().take(300).collect();
        return Err(match status.as_u16() {
            401 | 403 => format!("{} refused our credential ({status}): {detail}", peer.url),
            _ => format!("{} answered {status}: {detail}", peer.url),
        }
        .into());
    }
    check_taxii_media(&res, &peer.url)?;
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
    let view = res
        .headers()
        .get(VIEW_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = read_limited(res, &peer, max_bytes).await?;
    if let (Some(was), Some(now)) = (&peer.pull.served_view, &view) {
        if was != now && cursor > 0 {
            return Ok(Fetch::Resync(
                format!(
                    "{} now serves this node as {now} (was {was}): what it skipped may be this node's now; full resync",
                    peer.url
                ),
                false,
                true,
            ));
        }
    }
    if high < cursor {
        return Ok(Fetch::Resync(
            format!(
                "{}'s sequence went backwards ({high} < our position {cursor}): its database was restored; full resync",
                peer.url
            ),
            false,
            false,
        ));
    }
    Ok(Fetch::Page(Fetched {
        high,
        view,
        bytes,
        took: started.elapsed(),
    }))
}

/// Starts pulling `peer` again from its beginning, for the reason `why`.
async fn resync(
    store: &Store,
    peer: &Peer,
    why: String,
    is_error: bool,
    sweep: bool,
) -> Result<bool, PullError> {
    store
        .reset_peer_cursor(&peer.name, &why, sweep)
        .await
        .map_err(|e| e.to_string())?;
    if is_error {
        return Err(why.into());
    }
    tracing::warn!("peer {}: {why}", peer.name);
    Ok(true)
}

/// Pulls and applies a run of pages from `peer` (at most [`RUN_PAGES`]);
/// whether more follow. While a page is applied the next one is already
/// being fetched and verified, so the peer serving, this node verifying
/// and this node applying overlap; each page is still applied in order,
/// with its cursor, in one transaction.
async fn pull_page(
    store: &Store,
    http: &reqwest::Client,
    peer: &Peer,
    page_size: i64,
    max_bytes: usize,
) -> Result<bool, PullError> {
    let credential: Arc<str> = store
        .peer_credential(&peer.name)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("not connected: no credential")?
        .into();
    let keys = peer_keys(peer)?;
    let key = keys[0].clone();
    let node_id = match &peer.pull.node_id {
        Some(id) => id.clone(),
        None => learn_node_id(store, http, peer, &credential, &key).await?,
    };
    if peer.registry_source {
        // The registry first: what the records name (members, groups) and
        // who hosts whom come from it.
        pull_registry(store, http, peer, &credential, &keys, &node_id).await?;
    }
    // What it sent that named a member or group unknown here then applies
    // once the registry holds more.
    if store
        .retry_awaiting_registry(&peer.name)
        .await
        .map_err(|e| e.to_string())?
    {
        tracing::warn!(
            "peer {}: the registry holds members or groups its refused objects named: full resync",
            peer.name
        );
        return Ok(true);
    }
    let trust = Arc::new(PeerTrust {
        peer: KnownNode {
            keys,
            member: peer.member.clone(),
            node_id: Some(node_id.clone()),
        },
        node_id,
        relayed: if peer.relay {
            known_nodes(store).await?
        } else {
            Vec::new()
        },
        own_node: store.node_id().await.map_err(|e| e.to_string())?,
        home_nodes: store.home_nodes().await.map_err(|e| e.to_string())?,
    });
    let shared = Arc::new(peer.clone());
    // Fetches and verifies the page after a cursor (verifying is CPU work:
    // off the async threads).
    let fetch = |cursor: i64| {
        let (http, peer, credential, trust) = (
            http.clone(),
            shared.clone(),
            credential.clone(),
            trust.clone(),
        );
        async move {
            let fetched =
                match fetch_page(http, peer.clone(), credential, cursor, page_size, max_bytes)
                    .await?
                {
                    Fetch::Page(f) => f,
                    Fetch::Resync(why, is_error, sweep) => return Ok(Err((why, is_error, sweep))),
                };
            let started = std::time::Instant::now();
            let url = peer.url.clone();
            let Fetched {
                high,
                view,
                bytes,
                took,
            } = fetched;
            let size = bytes.len();
            let page = tokio::task::spawn_blocking(move || {
                let envelope: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("{url} sent a page that is not JSON: {e}"))?;
                read_envelope(&envelope, &trust, cursor, high)
                    .map(|page| PulledPage { view, ..page })
                    .map_err(|e| format!("{url} sent a malformed page: {e}"))
            })
            .await
            .map_err(|e| format!("verifying a page of {}: {e}", peer.url))??;
            Ok::<_, PullError>(Ok((page, size, took, started.elapsed())))
        }
    };
    let mut ready = fetch(peer.pull.cursor).await?;
    for _ in 0..RUN_PAGES {
        let (page, size, took, verified) = match ready {
            Ok(p) => p,
            Err((why, is_error, sweep)) => return resync(store, peer, why, is_error, sweep).await,
        };
        let (more, next, echoes) = (page.more, page.cursor, page.echoes);
        // The next page is fetched and verified while this one is applied.
        let prefetch = more.then(|| tokio::spawn(fetch(next)));
        let started = std::time::Instant::now();
        let applied = store
            .apply_pulled(&peer.name, page)
            .await
            .map_err(|e| format!("applying a page of {}: {e}", peer.url));
        let outcome = match applied {
            Ok(o) => o,
            Err(e) => {
                if let Some(p) = prefetch {
                    p.abort();
                }
                return Err(e.into());
            }
        };
        tracing::debug!(
            "peer {}: page of {size} bytes fetched in {took:?}, read and verified in {verified:?}, applied in {:?}",
            peer.name,
            started.elapsed()
        );
        if outcome.written + outcome.forgotten + outcome.refused > 0 {
            tracing::info!(
                "peer {}: {} applied, {} revoked, {} already held, {} refused, {} of this node's own skipped",
                peer.name,
                outcome.written,
                outcome.forgotten,
                outcome.held,
                outcome.refused,
                echoes
            );
        }
        let Some(prefetch) = prefetch else {
            return Ok(false);
        };
        ready = prefetch
            .await
            .map_err(|e| format!("fetching from {}: {e}", peer.url))??;
    }
    // A long catch-up: the peer is looked at again, then the run goes on.
    Ok(true)
}

/// Fetches the registry from the secretariat's node (`peer`) unless the
/// one held is current, verifies its signature and applies it.
async fn pull_registry(
    store: &Store,
    http: &reqwest::Client,
    peer: &Peer,
    credential: &str,
    keys: &[PublicKey],
    node_id: &str,
) -> Result<(), String> {
    let held = store.registry_digest().await.map_err(|e| e.to_string())?;
    let Some(doc) = get_json(http, peer, "/api/v1/federation/registry", credential, held).await?
    else {
        return Ok(());
    };
    let known = KnownNode {
        keys: keys.to_vec(),
        member: peer.member.clone(),
        node_id: Some(node_id.to_string()),
    };
    let (snapshot, digest) = coalesce_api::federation::read_registry(&doc, &known, node_id)
        .map_err(|e| format!("{}: {e}", peer.url))?;
    let applied = store
        .apply_registry(&peer.name, &snapshot, &digest)
        .await
        .map_err(|e| format!("applying the registry of {}: {e}", peer.url))?;
    if !applied.is_empty() {
        tracing::info!("registry from {}: {applied:?}", peer.name);
    }
    Ok(())
}

/// Refuses an answer that is not a TAXII envelope's media type (`from`
/// names who answered).
fn check_taxii_media(res: &reqwest::Response, from: &str) -> Result<(), String> {
    let media = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if media.starts_with("application/taxii+json") {
        Ok(())
    } else {
        Err(format!("{from} answered {media:?}, not {TAXII_MEDIA}"))
    }
}

/// A page's body, read in chunks so that one beyond `max_bytes` is never
/// held whole.
async fn read_limited(
    mut res: reqwest::Response,
    peer: &Peer,
    max_bytes: usize,
) -> Result<Vec<u8>, PullError> {
    let too_large =
        || PullError::TooLarge(format!("{} sent a page beyond {max_bytes} bytes", peer.url));
    if res.content_length().unwrap_or(0) as usize > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|e| format!("reading {}: {}", peer.url, error_chain(&e)))?
    {
        if bytes.len() + chunk.len() > max_bytes {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Pulls and imports one page of a plain TAXII 2.1 server's collection
/// (an unsigned-import peer; its URL is the API root): standard paging,
/// `next` within a run and `added_after` (the server's last date added,
/// kept as the cursor once a run ends) between runs; whether more follow.
async fn pull_import_page(
    store: &Store,
    http: &reqwest::Client,
    peer: &Peer,
    page_size: i64,
    max_bytes: usize,
    next: &mut Option<String>,
) -> Result<bool, PullError> {
    let credential = store
        .peer_credential(&peer.name)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("not connected: no credential")?;
    let collection = peer.import_collection.as_deref().unwrap_or_default();
    let url = format!(
        "{}/collections/{collection}/objects/",
        peer.url.trim_end_matches('/')
    );
    let mut query = vec![("limit", page_size.to_string())];
    match next.as_ref() {
        Some(n) => query.push(("next", n.clone())),
        None if peer.pull.cursor > 0 => query.push((
            "added_after",
            coalesce_exchange::stix_in::format_timestamp_us(peer.pull.cursor),
        )),
        None => {}
    }
    let req = http
        .get(&url)
        .query(&query)
        .header(reqwest::header::ACCEPT, TAXII_MEDIA);
    // A TAXII server's user and password (HTTP Basic), else a bearer token.
    let req = match credential.split_once(':') {
        Some((user, password)) => req.basic_auth(user, Some(password)),
        None => req.bearer_auth(&credential),
    };
    let res = req
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {}", peer.url, error_chain(&e)))?;
    let status = res.status();
    if !status.is_success() {
        let detail: String = res
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        // An expired `next`: the run starts again from the cursor.
        *next = None;
        return Err(format!("{url} answered {status}: {detail}").into());
    }
    check_taxii_media(&res, &url)?;
    let last_added = res
        .headers()
        .get("x-taxii-date-added-last")
        .and_then(|v| v.to_str().ok())
        .and_then(coalesce_exchange::stix_in::parse_timestamp_us);
    let bytes = read_limited(res, peer, max_bytes).await?;
    let envelope: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{url} sent a page that is not JSON: {e}"))?;
    let objects = match envelope.get("objects") {
        None => Vec::new(),
        Some(serde_json::Value::Array(a)) => a.clone(),
        Some(_) => return Err(format!("{url} sent a page whose `objects` is not a list").into()),
    };
    let more = envelope
        .get("more")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    *next = match (
        more,
        envelope.get("next").and_then(serde_json::Value::as_str),
    ) {
        (true, Some(n)) => Some(n.to_string()),
        (true, None) => {
            return Err(format!("{url} says more follow but gives no `next`").into());
        }
        (false, _) => None,
    };
    // The position moves once a run has seen everything up to the last
    // date added (objects sharing that time were all on its pages).
    let cursor = if more { None } else { last_added };
    let outcome = store
        .apply_imported(&peer.name, &objects, cursor, more)
        .await
        .map_err(|e| format!("importing a page of {url}: {e}"))?;
    if outcome.written + outcome.refused > 0 {
        tracing::info!(
            "peer {} (unsigned import): {} imported, {} already held, {} refused",
            peer.name,
            outcome.written,
            outcome.held,
            outcome.refused
        );
    }
    Ok(more)
}

/// GETs `path` of `peer` as JSON; `None` when `etag` names what it would
/// send (304).
async fn get_json(
    http: &reqwest::Client,
    peer: &Peer,
    path: &str,
    credential: &str,
    etag: Option<String>,
) -> Result<Option<serde_json::Value>, String> {
    let url = format!("{}{path}", peer.url.trim_end_matches('/'));
    let mut req = http.get(&url).bearer_auth(credential);
    if let Some(tag) = etag {
        req = req.header(reqwest::header::IF_NONE_MATCH, format!("\"{tag}\""));
    }
    let res = req
        .send()
        .await
        .map_err(|e| format!("cannot reach {}: {}", peer.url, error_chain(&e)))?;
    if res.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    if !res.status().is_success() {
        return Err(format!("{url} answered {}", res.status()));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| format!("reading {url}: {}", error_chain(&e)))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("{url} sent what is not JSON: {e}"))
}

/// A peer's keys: the one configured first, then those it retired.
fn peer_keys(peer: &Peer) -> Result<Vec<PublicKey>, String> {
    std::iter::once(&peer.public_key)
        .chain(&peer.retired_keys)
        .map(|k| PublicKey::parse(k).map_err(|e| format!("peer {}'s key {k}: {e}", peer.name)))
        .collect()
}

/// Every node this node knows the keys of (its peers that are coalesce
/// nodes): whose records a relay may bring.
async fn known_nodes(store: &Store) -> Result<Vec<KnownNode>, String> {
    let peers = store.peers().await.map_err(|e| e.to_string())?;
    peers
        .iter()
        .filter(|p| p.import_collection.is_none())
        .map(|p| {
            Ok(KnownNode {
                keys: peer_keys(p)?,
                member: p.member.clone(),
                node_id: p.pull.node_id.clone(),
            })
        })
        .collect()
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
    let node = get_json(http, peer, "/api/v1/node", credential, None)
        .await?
        .ok_or("answered 304 to a request without a digest")?;
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

/// Pokes every connected peer after this node writes a record of its own,
/// and every relay peer after this node applies another node's record too.
async fn poke_peers(store: Store, http: reqwest::Client) {
    // At start every peer is poked once: a node back from a stop or a
    // partition is pulled at once, not at the peers' next poll.
    let (mut last_own, mut last_any) = (-1, -1);
    loop {
        tokio::time::sleep(POKE_CHECK).await;
        let (Ok(own), Ok(any)) = (store.own_high_seq().await, store.high_seq().await) else {
            continue;
        };
        let (own_moved, any_moved) = (own > last_own, any > last_any);
        if !own_moved && !any_moved {
            continue;
        }
        (last_own, last_any) = (own, any);
        let Ok(peers) = store.peers().await else {
            continue;
        };
        for p in peers.into_iter().filter(|p| {
            !p.paused
                && p.pull.has_credential
                && p.import_collection.is_none()
                && (own_moved || p.relay)
        }) {
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
