//! Federation's wire (issue 15): this node's records as the STIX objects
//! of its TAXII collection of records, and a peer's objects read back,
//! checked and verified before the store applies them.
//!
//! A version travels as its kind's one STIX form (what any TAXII client
//! reads) whose coalesce record extension also carries what the origin
//! signed — the body as canonical JSON, the TLP, the version's time — with
//! the signature, the signing key and the origin's sequence number. A
//! version with parts its reader may not read (a commitment's link to a
//! pledge) is served redacted, as every read redacts it, and signed by the
//! origin as served. A
//! receiving node applies the signed body, never the STIX properties, so
//! nothing a relay or a proxy changes in them reaches a record. A
//! revocation is an `x-coalesce-revocation` object with the record's
//! identity and the version that narrowed it, signed, with no content.

use crate::ApiError;
use coalesce_domain::record::{body_from_json, Kind, Record, Replica, Status};
use coalesce_domain::{Marking, MemberCode};
use coalesce_exchange::stix::{stix_id, timestamp};
use coalesce_exchange::stix_record::{
    project_record_with, record_extension_id, revocation_definitions, revocation_extension_id,
};
use coalesce_federation::{signed_revocation, signed_version, PublicKey};
use coalesce_store::federation::{Arrival, FeedItem, FeedVersion, PulledPage, Refusal, Revocation};
use coalesce_store::stix::Projection;
use coalesce_store::{Principal, Store, StoreError};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

pub use coalesce_exchange::stix_record::REVOCATION_TYPE;

/// The header in which a feed page names the highest sequence number of
/// the serving node's own records.
pub const HIGH_HEADER: &str = "x-coalesce-seq-high";
/// How the node serves the peer pulling (relay, the members it is served
/// as): a change makes the peer pull again from the beginning.
pub const VIEW_HEADER: &str = "x-coalesce-view";

/// A page of the feed as STIX objects.
pub struct FeedObjects {
    /// Each item's object, then the identities, marking and extension
    /// definitions they refer to (once each).
    pub objects: Vec<Value>,
    pub more: bool,
    /// The sequence number to continue after (`next`).
    pub next: Option<i64>,
    /// The highest sequence number of the node's own records.
    pub high: i64,
    /// How the node serves this peer (see [`VIEW_HEADER`]).
    pub view: String,
    /// The first and last item's time (ms), for the date-added headers.
    pub first_at_ms: Option<i64>,
    pub last_at_ms: Option<i64>,
}

/// This node's records after `after` as peer user `p` is served them.
pub async fn feed_objects(
    store: &Store,
    p: &Principal,
    after: i64,
    added_after_ms: Option<i64>,
    limit: i64,
) -> Result<FeedObjects, ApiError> {
    let feed = store.feed(p, after, added_after_ms, limit).await?;
    let ctx = store.stix_context(p).await?;
    let mut objects = Vec::with_capacity(feed.items.len());
    let mut extra: Vec<Value> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut times = Vec::new();
    for item in &feed.items {
        match item {
            FeedItem::Version(v) => {
                times.push(v.at_ms);
                let Some(mut made) = version_objects(store, p, &ctx, v).await? else {
                    // No form for this reader (it refers to what the reader
                    // may not read): the page moves past it.
                    continue;
                };
                objects.push(made.remove(0));
                for o in made {
                    if let Some(id) = o.get("id").and_then(Value::as_str) {
                        if seen.insert(id.to_string()) {
                            extra.push(o);
                        }
                    }
                }
            }
            FeedItem::Revoked(r) => objects.push(revocation_object(store, r)?),
        }
    }
    if feed.items.iter().any(|i| matches!(i, FeedItem::Revoked(_))) {
        for o in revocation_definitions(&ctx.node()) {
            if let Some(id) = o.get("id").and_then(Value::as_str) {
                if seen.insert(id.to_string()) {
                    extra.push(o);
                }
            }
        }
    }
    let next = feed.items.last().map(FeedItem::seq).filter(|_| feed.more);
    objects.extend(extra);
    Ok(FeedObjects {
        objects,
        more: feed.more,
        next,
        high: feed.high,
        view: feed.view,
        first_at_ms: times.first().copied(),
        last_at_ms: times.last().copied(),
    })
}

fn corrupt(e: impl std::fmt::Display) -> ApiError {
    ApiError::from(StoreError::Corrupt(e.to_string()))
}

/// A version's STIX object (with what was signed in its record extension)
/// and the objects it refers to; `None` when it has no form for `p`.
async fn version_objects(
    store: &Store,
    p: &Principal,
    ctx: &Projection,
    v: &FeedVersion,
) -> Result<Option<Vec<Value>>, ApiError> {
    let marking = Marking::parse(&v.tlp, &v.rel_to).map_err(corrupt)?;
    let status = Status::parse(&v.status).map_err(corrupt)?;
    let made = coalesce_domain::with_kind!(v.kind.as_str(), K => {
        let body: <K as Kind>::Body = body_from_json(&v.body).map_err(corrupt)?;
        let resolved = store.stix_refs(p, &K::references(&body)).await?;
        let r = Record {
            id: v.id.clone(),
            kind: K::NAME,
            origin: v.origin.clone(),
            origin_node: v.origin_node.clone(),
            version: v.version,
            status,
            marking,
            body,
            created_at_ms: v.created_at_ms,
            created_by: String::new(),
            updated_at_ms: v.at_ms,
            updated_by: String::new(),
            seq: v.seq,
        };
        // Parts the reader may not read are taken out, as every read of
        // the layer does; the origin then signs what it serves.
        let (r, redacted) = if K::REDACTED.is_empty() {
            (r, None)
        } else {
            let whole = serde_json::to_value(&r.body).map_err(corrupt)?;
            let r = store.redacted_for::<K>(p, r).await?;
            let shown = serde_json::to_value(&r.body).map_err(corrupt)?;
            (r, (shown != whole).then_some(shown))
        };
        (project_record_with::<K>(&r, &ctx.node(), &resolved), redacted)
    }, _ => return Err(corrupt(format!("record {} is of no known kind {}", v.id, v.kind))));
    let (mut made, redacted) = made;
    let Some(first) = made.first_mut() else {
        return Ok(None);
    };
    // The body as stored is what its signature covers; only a body the
    // reader is shown redacted is signed again, as served.
    let (body, signed) = match redacted {
        None => (
            serde_json::from_str::<Value>(&v.body).map_err(corrupt)?,
            v.signature.clone().zip(v.signed_by.clone()),
        ),
        Some(body) => {
            if v.origin_node != store.node_id().await? {
                // A relayed record this reader would be shown redacted: only
                // its origin could sign that, so it is not relayed.
                return Ok(None);
            }
            let signed = store.sign_payload(&signed_version(
                &v.id,
                &v.kind,
                &v.origin,
                &v.origin_node,
                v.version,
                &v.status,
                &v.tlp,
                &v.rel_to,
                &body,
                v.at_ms,
            ))?;
            (body, signed)
        }
    };
    if let Some(ext) = first
        .get_mut("extensions")
        .and_then(|e| e.get_mut(record_extension_id()))
        .and_then(Value::as_object_mut)
    {
        ext.insert("tlp".into(), json!(v.tlp));
        ext.insert("body".into(), body);
        ext.insert("version_at".into(), json!(v.at_ms));
        ext.insert("seq".into(), json!(v.seq));
        if let Some((s, k)) = signed {
            ext.insert("signature".into(), json!(s));
            ext.insert("signed_by".into(), json!(k));
        }
    }
    Ok(Some(made))
}

fn revocation_object(store: &Store, r: &Revocation) -> Result<Value, ApiError> {
    let payload = signed_revocation(&r.id, &r.kind, &r.origin, &r.origin_node, r.version);
    let signed = store.sign_payload(&payload)?;
    let mut ext = Map::new();
    ext.insert("extension_type".into(), json!("property-extension"));
    ext.insert("kind".into(), json!(r.kind));
    ext.insert("record_id".into(), json!(r.id));
    ext.insert("version".into(), json!(r.version));
    ext.insert("status".into(), json!("revoked"));
    ext.insert("origin".into(), json!(r.origin));
    ext.insert("origin_node".into(), json!(r.origin_node));
    ext.insert("seq".into(), json!(r.seq));
    if let Some((s, k)) = signed {
        ext.insert("signature".into(), json!(s));
        ext.insert("signed_by".into(), json!(k));
    }
    let now = timestamp(coalesce_store::now_ms());
    let mut extensions = Map::new();
    extensions.insert(
        revocation_extension_id(),
        json!({ "extension_type": "new-sdo" }),
    );
    extensions.insert(record_extension_id(), Value::Object(ext));
    Ok(json!({
        "type": REVOCATION_TYPE,
        "spec_version": "2.1",
        "id": stix_id(REVOCATION_TYPE, &format!("{}:{}", r.id, r.version)),
        "created": now,
        "modified": now,
        "extensions": extensions,
    }))
}

/// A node whose signatures this node knows: a configured peer's keys
/// (current first, then those it retired), the member it hosts, and its
/// node id once learned.
#[derive(Debug, Clone)]
pub struct KnownNode {
    pub keys: Vec<PublicKey>,
    pub member: String,
    pub node_id: Option<String>,
}

impl KnownNode {
    fn key(&self, signed_by: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.to_text() == signed_by)
    }
}

/// What a peer is trusted to send: records of the member it hosts,
/// written on its node (`node_id`), signed with one of its keys; with
/// relay on, also CLEAR and GREEN records of the other nodes this node
/// knows (`relayed`), signed by their own keys. This node's own records
/// coming back through a relay are skipped, never applied.
pub struct PeerTrust {
    pub peer: KnownNode,
    pub node_id: String,
    /// Empty unless relay is on for this peer.
    pub relayed: Vec<KnownNode>,
    pub own_node: String,
    /// The registry's home node of each member that has one: a record of
    /// a member must come from the node hosting it.
    pub home_nodes: std::collections::BTreeMap<String, String>,
}

impl PeerTrust {
    /// Whether node `node` hosts `member`: as the registry says, or, for a
    /// member with no home node here, when `node`'s peer is of `member`.
    fn hosts(&self, member: &str, node: &str, peer_member: &str) -> bool {
        match self.home_nodes.get(member) {
            Some(home) => home == node,
            None => member == peer_member,
        }
    }
}

fn refusal(reason: &str, object: &str, detail: impl Into<String>) -> Refusal {
    Refusal {
        reason: reason.into(),
        object: object.into(),
        detail: detail.into(),
    }
}

/// Reads a peer's TAXII envelope into a page to apply: each object of a
/// version or revocation checked and verified (a bad one becomes a
/// refusal, the others go on), the objects they refer to skipped; the
/// cursor from `next`, else the last sequence number seen, else `cursor`
/// — and the peer's high mark `high` once no more follow.
pub fn read_envelope(
    envelope: &Value,
    trust: &PeerTrust,
    cursor: i64,
    high: i64,
) -> Result<PulledPage, String> {
    let more = envelope
        .get("more")
        .map(|m| m.as_bool().ok_or("`more` is not a boolean"))
        .transpose()?
        .unwrap_or(false);
    let next = match envelope.get("next") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            s.parse::<i64>()
                .map_err(|_| format!("`next` {s:?} is not a sequence number"))?,
        ),
        Some(_) => return Err("`next` is not a string".into()),
    };
    let objects = match envelope.get("objects") {
        None => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err("`objects` is not a list".into()),
    };
    let mut page = PulledPage {
        peer_high: high,
        more,
        from: Some(cursor),
        ..Default::default()
    };
    let mut last_seq = None;
    let mut pending: Vec<(String, Read, Check)> = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        let name = o
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{i}"), str::to_string);
        let Some(ext) = o
            .get("extensions")
            .and_then(|e| e.get(record_extension_id()))
        else {
            // An identity, marking or extension definition it refers to.
            continue;
        };
        if let Some(s) = ext.get("seq").and_then(Value::as_i64) {
            last_seq = Some(last_seq.map_or(s, |l: i64| l.max(s)));
        }
        if ext.get("origin_node").and_then(Value::as_str) == Some(trust.own_node.as_str()) {
            // This node's own record come back through a relay: it is the
            // origin, nothing to apply.
            page.echoes += 1;
            continue;
        }
        let is_revocation = o.get("type").and_then(Value::as_str) == Some(REVOCATION_TYPE);
        let read = if is_revocation {
            read_revocation(ext, trust).map(|(r, c)| (Read::Revoked(r), c))
        } else {
            read_version(o, ext, trust).map(|(a, c)| (Read::Version(a), c))
        };
        match read {
            Ok((r, c)) => pending.push((name, r, c)),
            Err((reason, detail)) => page.refusals.push(refusal(reason, &name, detail)),
        }
    }
    // Every signature of the page at once; when one fails, one by one to
    // find which.
    let batch: Vec<(&[u8], &str, &PublicKey)> = pending
        .iter()
        .map(|(_, _, c)| (c.message.as_slice(), c.signature.as_str(), &c.key))
        .collect();
    let all_good = coalesce_federation::verify_batch(&batch).is_ok();
    for (name, read, c) in pending {
        if !all_good {
            if let Err((reason, detail)) = c.verify() {
                page.refusals.push(refusal(reason, &name, detail));
                continue;
            }
        }
        match read {
            Read::Version(a) => page.versions.push(a),
            Read::Revoked(r) => page.revocations.push(r),
        }
    }
    if more && next.is_none() {
        return Err("the page says more follow but gives no `next`".into());
    }
    page.cursor = next.or(last_seq).unwrap_or(cursor).max(cursor);
    if !more {
        // Everything up to the peer's high mark was considered for us.
        page.cursor = page.cursor.max(high);
    }
    if more && page.cursor <= cursor {
        return Err(format!(
            "the page says more follow but does not move past sequence number {cursor}"
        ));
    }
    Ok(page)
}

type Refused = (&'static str, String);

fn text<'a>(m: &'a Value, f: &str) -> Result<&'a str, Refused> {
    m.get(f)
        .and_then(Value::as_str)
        .ok_or(("malformed", format!("`{f}` is missing or not a string")))
}

fn int(m: &Value, f: &str) -> Result<i64, Refused> {
    m.get(f)
        .and_then(Value::as_i64)
        .ok_or(("malformed", format!("`{f}` is missing or not an integer")))
}

/// The key an object must be signed with: the peer's for its own records
/// (whose origin must be the member it hosts) and for every revocation it
/// serves; with relay on, the origin node's for another node's CLEAR or
/// GREEN record (`tlp`), that node's member being the origin.
fn signer<'a>(
    ext: &Value,
    trust: &'a PeerTrust,
    tlp: Option<&str>,
) -> Result<&'a PublicKey, Refused> {
    let origin = text(ext, "origin")?;
    let origin_node = text(ext, "origin_node")?;
    let Some(signed_by) = ext.get("signed_by").and_then(Value::as_str) else {
        return Err(("unsigned", "the object carries no signature".into()));
    };
    let own = origin_node == trust.node_id;
    if !own && trust.relayed.is_empty() {
        return Err((
            "foreign_origin",
            format!(
                "a record of {origin} written on node {origin_node}: this peer is node {} hosting {} and relays nothing to this node",
                trust.node_id, trust.peer.member
            ),
        ));
    }
    if own || tlp.is_none() {
        if own && !trust.hosts(origin, origin_node, &trust.peer.member) {
            return Err((
                "foreign_origin",
                format!("a record of {origin} written on node {origin_node}, which does not host {origin}"),
            ));
        }
        return trust.peer.key(signed_by).ok_or_else(|| {
            (
                "unknown_key",
                format!("signed by {signed_by}, not by a key configured for this peer"),
            )
        });
    }
    if !matches!(tlp, Some("CLEAR" | "GREEN")) {
        return Err((
            "not_relayable",
            format!("a relayed record marked TLP:{}", tlp.unwrap_or("?")),
        ));
    }
    let Some((node, key)) = trust
        .relayed
        .iter()
        .find_map(|n| n.key(signed_by).map(|k| (n, k)))
    else {
        return Err((
            "unknown_key",
            format!("relayed, signed by {signed_by}: no node this node knows holds that key"),
        ));
    };
    let bound = match node.node_id.as_deref() {
        Some(id) => id == origin_node,
        // Never pulled from: its key is bound to its member alone.
        None => node.member == origin,
    };
    if !bound || !trust.hosts(origin, origin_node, &node.member) {
        return Err((
            "foreign_origin",
            format!(
                "a record of {origin} written on node {origin_node}, signed by the key of the node hosting {}",
                node.member
            ),
        ));
    }
    Ok(key)
}

/// A signature to check: the key that must have made it (see
/// [`signer`]), over the canonical bytes of what was signed. A page's
/// checks are verified together ([`coalesce_federation::verify_batch`]).
struct Check {
    key: PublicKey,
    message: Vec<u8>,
    signature: String,
}

impl Check {
    fn verify(&self) -> Result<(), Refused> {
        self.key
            .verify(&self.message, &self.signature)
            .map_err(|e| ("bad_signature", e.to_string()))
    }
}

/// What must hold for the object's signature over `payload` (see
/// [`signer`]); the signature itself is checked with the page's others.
fn check(
    ext: &Value,
    trust: &PeerTrust,
    payload: &Value,
    tlp: Option<&str>,
) -> Result<Check, Refused> {
    let key = signer(ext, trust, tlp)?;
    let Some(signature) = ext.get("signature").and_then(Value::as_str) else {
        return Err(("unsigned", "the object carries no signature".into()));
    };
    let message =
        coalesce_federation::canonical(payload).map_err(|e| ("malformed", e.to_string()))?;
    Ok(Check {
        key: key.clone(),
        message,
        signature: signature.to_string(),
    })
}

/// A version or revocation read from a page, its signature to check.
enum Read {
    Version(Arrival),
    Revoked(Revocation),
}

fn read_revocation(ext: &Value, trust: &PeerTrust) -> Result<(Revocation, Check), Refused> {
    let r = Revocation {
        id: text(ext, "record_id")?.to_string(),
        kind: text(ext, "kind")?.to_string(),
        origin: text(ext, "origin")?.to_string(),
        origin_node: text(ext, "origin_node")?.to_string(),
        version: int(ext, "version")?,
        seq: int(ext, "seq")?,
    };
    let c = check(
        ext,
        trust,
        &signed_revocation(&r.id, &r.kind, &r.origin, &r.origin_node, r.version),
        None,
    )?;
    Ok((r, c))
}

fn read_version(o: &Value, ext: &Value, trust: &PeerTrust) -> Result<(Arrival, Check), Refused> {
    let malformed = |e: String| ("malformed", e);
    let id = text(ext, "record_id")?;
    uuid::Uuid::parse_str(id).map_err(|_| malformed(format!("record_id {id:?} is not a UUID")))?;
    let kind = text(ext, "kind")?;
    let origin = text(ext, "origin")?;
    let origin_node = text(ext, "origin_node")?;
    let version = int(ext, "version")?;
    let status_text = text(ext, "status")?;
    let tlp = text(ext, "tlp")?;
    let at_ms = int(ext, "version_at")?;
    let rel_to: Vec<String> = ext
        .get("rel_to")
        .and_then(Value::as_array)
        .ok_or(malformed("`rel_to` is missing or not a list".into()))?
        .iter()
        .map(|t| t.as_str().map(str::to_string))
        .collect::<Option<_>>()
        .ok_or(malformed("a REL TO token is not a string".into()))?;
    let body = ext
        .get("body")
        .filter(|b| b.is_object())
        .ok_or(malformed("`body` is missing or not an object".into()))?;
    let c = check(
        ext,
        trust,
        &signed_version(
            id,
            kind,
            origin,
            origin_node,
            version,
            status_text,
            tlp,
            &rel_to,
            body,
            at_ms,
        ),
        Some(tlp),
    )?;
    let marking = Marking::parse(tlp, &rel_to).map_err(|e| malformed(e.to_string()))?;
    let status = Status::parse(status_text).map_err(|e| malformed(e.to_string()))?;
    let origin = MemberCode::parse(origin).map_err(|e| malformed(e.to_string()))?;
    if version < 1 {
        return Err(malformed(format!("version {version} is not ≥ 1")));
    }
    let created_at_ms = o
        .get("created")
        .and_then(Value::as_str)
        .and_then(coalesce_exchange::stix_in::parse_timestamp_us)
        .map_or(at_ms, |us| us.div_euclid(1_000));
    let signature = (c.signature.clone(), c.key.to_text());
    Ok((
        Arrival {
            kind: kind.to_string(),
            replica: Replica {
                id: id.to_string(),
                origin,
                origin_node: origin_node.to_string(),
                version,
                status,
                marking,
                body: body.clone(),
                created_at_ms,
                at_ms,
            },
            signature,
        },
        c,
    ))
}

/// One wake-up per peer: a peer's poke (or an operator's `resume`) wakes
/// the task that pulls from it. A poke while the task is busy is kept, so
/// none is lost; several in a row wake it once.
#[derive(Debug, Default)]
pub struct Pokes(
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Notify>>>,
);

impl Pokes {
    /// The wake-up of peer `name`'s puller.
    pub fn of(&self, name: &str) -> std::sync::Arc<tokio::sync::Notify> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(name.to_string()).or_default().clone()
    }

    pub fn poke(&self, name: &str) {
        self.of(name).notify_one();
    }
}

/// The registry as this node serves it to its peers: the snapshot, its
/// digest, and the node's signature over its id and the snapshot
/// (`coalesce_federation::signed_registry`).
pub async fn registry_document(store: &Store) -> Result<Value, ApiError> {
    let snapshot = store.registry_snapshot().await?;
    let registry = serde_json::to_value(&snapshot).map_err(corrupt)?;
    let node = store.node_id().await?;
    let digest = coalesce_federation::digest(&registry).map_err(corrupt)?;
    let signed = store.sign_payload(&coalesce_federation::signed_registry(&node, &registry))?;
    let (signature, signed_by) = signed.unzip();
    Ok(json!({
        "node_id": node,
        "digest": digest,
        "registry": registry,
        "signature": signature,
        "signed_by": signed_by,
    }))
}

/// Reads the registry document the secretariat's node (`peer`, node
/// `node_id`) served: its node id, key and signature checked, the digest
/// recomputed.
pub fn read_registry(
    doc: &Value,
    peer: &KnownNode,
    node_id: &str,
) -> Result<(coalesce_store::registry_replica::RegistrySnapshot, String), String> {
    let served_by = doc.get("node_id").and_then(Value::as_str).unwrap_or("");
    if served_by != node_id {
        return Err(format!(
            "the registry names node {served_by:?}, not this peer's node {node_id}"
        ));
    }
    let registry = doc
        .get("registry")
        .filter(|r| r.is_object())
        .ok_or("the registry document holds no registry")?;
    let (Some(signature), Some(signed_by)) = (
        doc.get("signature").and_then(Value::as_str),
        doc.get("signed_by").and_then(Value::as_str),
    ) else {
        return Err("the registry is not signed".into());
    };
    let key = peer.key(signed_by).ok_or_else(|| {
        format!("the registry is signed by {signed_by}, not by a key configured for this peer")
    })?;
    key.verify_json(
        &coalesce_federation::signed_registry(node_id, registry),
        signature,
    )
    .map_err(|e| format!("the registry's signature: {e}"))?;
    let digest = coalesce_federation::digest(registry).map_err(|e| e.to_string())?;
    let snapshot = serde_json::from_value(registry.clone())
        .map_err(|e| format!("the registry is malformed: {e}"))?;
    Ok((snapshot, digest))
}
