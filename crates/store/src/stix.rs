//! The node's STIX objects (issue 6): what its TAXII 2.1 collection serves
//! and STIX import writes.
//!
//! Every version of every object is a row of `stix_objects` with its own
//! marking and audience rows, read only through [`readable`]. Reports,
//! entities and relationships are projected here in the transaction that
//! writes them (so TAXII never lags the records); members add objects by
//! bundle import or TAXII POST. Ownership holds as for records: only the
//! origin member adds versions of or deletes an object, a new version may
//! not widen the audience, and projected objects change only through their
//! record.

use crate::audience::{self, marking_from_columns, readable, rel_to_json};
use crate::bulk::Arg;
pub use crate::stix_projection::Projection;
pub(crate) use crate::stix_projection::{marking_key, NodeOwn};
use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::{AudienceToken, Marking, MemberCode, Slug, Tlp, Viewer};
use coalesce_exchange::stix_in::{self, Incoming, MarkingKind};
use serde_json::Value;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The most objects one TAXII page returns.
pub const MAX_TAXII_PAGE: i64 = 10_000;

/// Which versions of each object a read returns (`match[version]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionMatch {
    pub all: bool,
    pub first: bool,
    pub last: bool,
    /// Exact versions, in µs.
    pub at: Vec<i64>,
}

impl VersionMatch {
    pub fn last() -> Self {
        VersionMatch {
            last: true,
            ..Default::default()
        }
    }
    pub fn all() -> Self {
        VersionMatch {
            all: true,
            ..Default::default()
        }
    }
}

/// A TAXII read: filters, the page position and size.
#[derive(Debug, Clone)]
pub struct StixFilter {
    /// Only versions added after this (µs).
    pub added_after_us: Option<i64>,
    /// Continue after this (date added µs, seq): the `next` of a page.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: VersionMatch,
    /// Empty: any.
    pub spec_versions: Vec<String>,
}

impl Default for StixFilter {
    fn default() -> Self {
        StixFilter {
            added_after_us: None,
            after: None,
            limit: 1_000,
            ids: Vec::new(),
            types: Vec::new(),
            versions: VersionMatch::last(),
            spec_versions: Vec::new(),
        }
    }
}

/// One object version as read.
#[derive(Debug, Clone)]
pub struct StixRow {
    pub seq: i64,
    pub stix_id: String,
    pub version: String,
    pub date_added_us: i64,
    pub tlp: Tlp,
    /// The object's JSON (absent for manifest and version reads).
    pub body: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StixPage {
    pub rows: Vec<StixRow>,
    /// More rows match after the last of these.
    pub more: bool,
    /// The keyset of the last row read for this page (a row left out when
    /// read, see `hide_unreadable_refs`, still moves the page on).
    pub last_read: Option<(i64, i64)>,
}

impl StixPage {
    /// The keyset to continue from.
    pub fn next(&self) -> Option<(i64, i64)> {
        if !self.more {
            return None;
        }
        self.last_read
            .or_else(|| self.rows.last().map(|r| (r.date_added_us, r.seq)))
    }
}

/// What became of one object of an add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddOutcome {
    /// The object's id (or, when it had none, its position: `#3`).
    pub id: String,
    pub version: Option<String>,
    /// Why it was refused; `None` when it is held.
    pub error: Option<String>,
    /// Held already, unchanged.
    pub already_held: bool,
}

/// Now, in microseconds since the epoch (TAXII's timestamps).
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// The marking an object asks for. A REL TO marking definition itself is
/// readable by the audience it names (and GREEN); everything else carries
/// its own `object_marking_refs`.
pub(crate) fn requested_marking(
    inc: &Incoming,
    lookup: impl Fn(&str) -> Option<MarkingKind>,
) -> std::result::Result<Marking, String> {
    if inc.object_type == "marking-definition" && inc.marking_refs.is_empty() {
        if let Some(tokens) = stix_in::rel_to_in_definition(&inc.body) {
            return Marking::new(Tlp::Green, tokens?).map_err(|e| e.to_string());
        }
    }
    stix_in::marking_of(&inc.marking_refs, lookup)
}

const KEPT_FROM_RECORD: &str =
    "this object is kept by coalesce from its record; change the record instead";

/// The rows already held for an object id (newest version first).
struct Held {
    seq: i64,
    origin: String,
    source: String,
    marking: Marking,
    version_us: i64,
    body: String,
}

async fn held_versions(conn: &mut AnyConnection, stix_id: &str) -> Result<Vec<Held>> {
    let rows: Vec<(i64, String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT seq, origin, source, tlp, rel_to, version_us, body FROM stix_objects WHERE stix_id = $1 ORDER BY version_us DESC",
    )
    .bind(stix_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(seq, origin, source, tlp, rel_to, version_us, body)| {
            Ok(Held {
                seq,
                origin,
                source,
                marking: marking_from_columns(&tlp, &rel_to)?,
                version_us,
                body,
            })
        })
        .collect()
}

/// Recomputes which of an origin's versions of an object is first and
/// which latest.
pub(crate) async fn refresh_flags(
    conn: &mut AnyConnection,
    stix_id: &str,
    origin: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE stix_objects SET \
         is_latest = CASE WHEN version_us = (SELECT MAX(s.version_us) FROM stix_objects s WHERE s.stix_id = $1 AND s.origin = $2) THEN 1 ELSE 0 END, \
         is_first = CASE WHEN version_us = (SELECT MIN(s.version_us) FROM stix_objects s WHERE s.stix_id = $1 AND s.origin = $2) THEN 1 ELSE 0 END \
         WHERE stix_id = $1 AND origin = $2",
    )
    .bind(stix_id)
    .bind(origin)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The next `date_added` (µs): after every one held, and not before now.
pub(crate) async fn next_date_added(conn: &mut AnyConnection) -> Result<i64> {
    let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(date_added) FROM stix_objects")
        .fetch_one(&mut *conn)
        .await?;
    Ok(now_us().max(max.unwrap_or(0) + 1))
}

/// A row to insert.
pub(crate) struct NewRow<'a> {
    pub(crate) inc: &'a Incoming,
    pub(crate) marking: &'a Marking,
    pub(crate) origin: &'a MemberCode,
    pub(crate) source: &'a str,
    pub(crate) date_added: i64,
}

pub(crate) async fn insert_row(
    conn: &mut AnyConnection,
    r: &NewRow<'_>,
    flags: bool,
) -> Result<()> {
    let subject = crate::new_id_at(now_ms());
    let version_us = r.inc.version_us.unwrap_or(r.date_added);
    let version = r
        .inc
        .version
        .clone()
        .unwrap_or_else(|| stix_in::format_timestamp_us(r.date_added));
    let flag = i64::from(flags);
    audience::check_tokens(conn, r.marking, r.origin).await?;
    // The object and its audience in one round trip on PostgreSQL; the
    // subject is new, so it has no audience rows to replace.
    let mut writes = crate::bulk::Writes::default();
    writes.statement(
        "INSERT INTO stix_objects (subject_id, stix_id, object_type, spec_version, version, version_us, date_added, \
         origin, tlp, rel_to, source, is_latest, is_first, body, claim_added) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, \
         COALESCE((SELECT MIN(s.claim_added) FROM stix_objects s WHERE s.stix_id = $2 AND s.origin = $8), $7))"
            .into(),
        vec![
            Arg::Text(subject.clone()),
            Arg::Text(r.inc.id.clone()),
            Arg::Text(r.inc.object_type.clone()),
            Arg::Text(r.inc.spec_version.clone()),
            Arg::Text(version),
            Arg::Int(version_us),
            Arg::Int(r.date_added),
            Arg::Text(r.origin.to_string()),
            Arg::Text(r.marking.tlp.as_str().to_string()),
            Arg::Text(rel_to_json(r.marking)),
            Arg::Text(r.source.to_string()),
            Arg::Int(flag),
            Arg::Text(r.inc.body.to_string()),
        ],
    );
    writes.rows(
        "audience (subject_id, token)",
        r.marking
            .audience(r.origin)
            .iter()
            .map(|t| vec![Arg::Text(subject.clone()), Arg::Text(t.as_string())])
            .collect(),
        "",
    );
    writes.run(conn).await?;
    Ok(())
}

/// Is `new` (TLP and audience) no wider than `old` today: a TLP as strict
/// or stricter, and every member who may read `new` may read `old`?
async fn narrows(
    conn: &mut AnyConnection,
    origin: &MemberCode,
    old: &Marking,
    new: &Marking,
) -> Result<bool> {
    if new.tlp < old.tlp {
        return Ok(false);
    }
    let old_a = old.audience(origin);
    for t in new.audience(origin) {
        if old_a.contains(&t) {
            continue;
        }
        // A member must read the old version under the domain's rule, with
        // the groups it belongs to now. A new group or COALITION is not
        // narrower unless the old audience is everyone: a group may gain
        // members later.
        let AudienceToken::Member(m) = &t else {
            if old_a.contains(&AudienceToken::Coalition) {
                continue;
            }
            return Ok(false);
        };
        let groups: Vec<(String,)> =
            sqlx::query_as("SELECT group_slug FROM group_members WHERE member_code = $1")
                .bind(m.as_str())
                .fetch_all(&mut *conn)
                .await?;
        let viewer = Viewer {
            member: m.clone(),
            groups: groups
                .into_iter()
                .filter_map(|(g,)| Slug::parse(&g).ok())
                .collect(),
        };
        if !old.readable_by(origin, &viewer) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What a marking reference stands for, from the node's store: a marking
/// definition the node wrote itself or `member` imported, and `member` may
/// read (another member's definition cannot mark your objects: its content
/// is its owner's to choose, and it might not be yours to see).
async fn stored_marking_kind(
    conn: &mut AnyConnection,
    id: &str,
    member: &MemberCode,
) -> Result<Option<MarkingKind>> {
    let sql = format!(
        "SELECT o.body FROM stix_objects o WHERE o.stix_id = $1 AND o.object_type = 'marking-definition' \
         AND (o.source = 'shared' OR o.origin = $2) AND {} \
         ORDER BY CASE WHEN o.source = 'shared' THEN 0 ELSE 1 END, o.version_us DESC LIMIT 1",
        readable("o.subject_id", "$2")
    );
    let row: Option<(String,)> = sqlx::query_as(&sql)
        .bind(id)
        .bind(member.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row
        .and_then(|(b,)| serde_json::from_str::<Value>(&b).ok())
        .and_then(|v| stix_in::marking_kind_of_definition(&v).ok()))
}

/// How often (in objects) a watched STIX addition reports its progress
/// and asks whether to go on.
pub const STIX_PROGRESS_EVERY: usize = 200;

impl Store {
    /// What an export made for `p` is built with: every member's name, the
    /// node's member (the secretariat, else `p`'s), the marking key.
    pub async fn stix_context(&self, p: &Principal) -> Result<Projection> {
        let mut conn = self.pool().acquire().await?;
        let names: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM members")
            .fetch_all(&mut *conn)
            .await?;
        let member = self
            .secretariat()
            .await?
            .map_or_else(|| p.member.to_string(), |m| m.to_string());
        Ok(Projection {
            names: names.into_iter().collect(),
            member,
            marking_key: marking_key(&mut conn).await?,
        })
    }

    /// Adds STIX objects for `p`'s member. Each object is checked (STIX
    /// 2.1 rules, known markings, ownership, no widening); with
    /// `all_or_nothing` any refusal writes nothing and is returned as
    /// [`StoreError::Rows`] (position, reason), otherwise every object is
    /// written or refused on its own. Returns one outcome per object.
    pub async fn stix_add(
        &self,
        p: &Principal,
        objects: &[Value],
        all_or_nothing: bool,
        via: &str,
    ) -> Result<Vec<AddOutcome>> {
        let all = self
            .stix_add_watched(p, objects, all_or_nothing, via, |_, _| true)
            .await?;
        all.ok_or_else(|| StoreError::BadRequest("the addition was stopped".into()))
    }

    /// [`Store::stix_add`] for long work (a job): `go_on(done, total)` is
    /// asked every [`STIX_PROGRESS_EVERY`] objects; when it answers false
    /// the transaction is rolled back (nothing written) and `Ok(None)` is
    /// returned. The bundle is one transaction: other writers wait for
    /// it, readers do not (WAL / MVCC); its size is bounded by the node's
    /// STIX body limit.
    pub async fn stix_add_watched(
        &self,
        p: &Principal,
        objects: &[Value],
        all_or_nothing: bool,
        via: &str,
        mut go_on: impl FnMut(usize, usize) -> bool + Send,
    ) -> Result<Option<Vec<AddOutcome>>> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden("viewers cannot add objects".into()));
        }
        let checked: Vec<std::result::Result<Incoming, String>> =
            objects.iter().map(stix_in::check_object).collect();
        let is_definition = |c: &std::result::Result<Incoming, String>| {
            c.as_ref()
                .is_ok_and(|inc| inc.object_type == "marking-definition")
        };
        let mut w = self.begin_write().await?;
        let node_own = NodeOwn::read(&mut w.tx).await?;
        let mut date_added = next_date_added(&mut w.tx).await?;
        let mut outcomes: Vec<Option<AddOutcome>> = vec![None; objects.len()];
        let mut added: Vec<&str> = Vec::new();
        // Marking definitions first: the envelope's own definitions mark
        // its other objects only once they are accepted.
        let mut envelope: BTreeMap<String, MarkingKind> = BTreeMap::new();
        let mut stored: BTreeMap<String, Option<MarkingKind>> = BTreeMap::new();
        // Objects looked at so far, over both passes.
        let mut done = 0usize;
        for pass_definitions in [true, false] {
            // Marking definitions the objects refer to that only the store knows.
            for inc in checked.iter().flatten() {
                for r in &inc.marking_refs {
                    if stix_in::tlp_of_id(r).is_none()
                        && !envelope.contains_key(r)
                        && !stored.contains_key(r)
                    {
                        let k = stored_marking_kind(&mut w.tx, r, &p.member).await?;
                        stored.insert(r.clone(), k);
                    }
                }
            }
            for (i, c) in checked.iter().enumerate() {
                if is_definition(c) != pass_definitions {
                    continue;
                }
                done += 1;
                if done.is_multiple_of(STIX_PROGRESS_EVERY) && !go_on(done, objects.len()) {
                    // Dropping the transaction rolls it back.
                    return Ok(None);
                }
                let inc = match c {
                    Ok(inc) => inc,
                    Err(e) => {
                        let id = objects[i]
                            .get("id")
                            .and_then(Value::as_str)
                            .map_or_else(|| format!("#{}", i + 1), str::to_string);
                        outcomes[i] = Some(AddOutcome {
                            id,
                            version: None,
                            error: Some(e.clone()),
                            already_held: false,
                        });
                        continue;
                    }
                };
                let mut outcome = AddOutcome {
                    id: inc.id.clone(),
                    version: inc.version.clone(),
                    error: None,
                    already_held: false,
                };
                let lookup = |r: &str| {
                    envelope
                        .get(r)
                        .cloned()
                        .or_else(|| stored.get(r).cloned().flatten())
                };
                let added_one = if node_own.claims(inc) {
                    // The node's own object: it writes its own when a
                    // record needs it; nobody else's copy stands for it.
                    Ok(false)
                } else {
                    self.add_one(&mut w.tx, p, inc, &lookup, date_added).await?
                };
                match added_one {
                    Ok(true) => {
                        added.push(&inc.id);
                        date_added += 1;
                    }
                    Ok(false) => outcome.already_held = true,
                    Err(e) => outcome.error = Some(e),
                }
                if pass_definitions && outcome.error.is_none() {
                    if let Ok(k) = stix_in::marking_kind_of_definition(&inc.body) {
                        envelope.insert(inc.id.clone(), k);
                    }
                }
                outcomes[i] = Some(outcome);
            }
        }
        let outcomes: Vec<AddOutcome> = outcomes.into_iter().flatten().collect();
        let refused: Vec<(u64, String)> = outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                o.error
                    .as_ref()
                    .map(|e| (i as u64 + 1, format!("{}: {e}", o.id)))
            })
            .collect();
        if all_or_nothing && !refused.is_empty() {
            return Err(StoreError::Rows(refused));
        }
        if !added.is_empty() || !refused.is_empty() {
            audit::append(
                &mut w.tx,
                Some(p),
                "stix.add",
                via,
                &serde_json::json!({ "added": added, "refused": refused.len() }),
            )
            .await?;
        }
        w.commit().await?;
        go_on(objects.len(), objects.len());
        Ok(Some(outcomes))
    }

    /// Writes one checked object: `Ok(true)` written, `Ok(false)` held
    /// already, `Err(reason)` refused.
    async fn add_one(
        &self,
        conn: &mut AnyConnection,
        p: &Principal,
        inc: &Incoming,
        lookup: &impl Fn(&str) -> Option<MarkingKind>,
        date_added: i64,
    ) -> Result<std::result::Result<bool, String>> {
        let marking = match requested_marking(inc, lookup) {
            Ok(m) => m,
            Err(e) => return Ok(Err(e)),
        };
        // An unknown REL TO token refuses this object alone.
        match crate::audience::check_tokens(conn, &marking, &p.member).await {
            Ok(()) => {}
            Err(StoreError::Invalid(e)) => return Ok(Err(e.to_string())),
            Err(e) => return Err(e),
        }
        // Another member's object under this id that `p` may read: not
        // `p`'s to change. One `p` may not read does not exist for it: `p`
        // gets its own object under the id, answered as for a free id, and
        // readers of the other's are still served the other's (migration 28).
        let sql = format!(
            "SELECT o.source FROM stix_objects o WHERE o.stix_id = $1 AND o.origin <> $2 AND {} \
             ORDER BY o.seq LIMIT 1",
            readable("o.subject_id", "$2")
        );
        let theirs: Option<(String,)> = sqlx::query_as(&sql)
            .bind(&inc.id)
            .bind(p.member.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        if let Some((source,)) = theirs {
            return Ok(Err(if source == "import" {
                "only users of the member that added this object add versions of it".into()
            } else {
                KEPT_FROM_RECORD.into()
            }));
        }
        let held: Vec<Held> = held_versions(conn, &inc.id)
            .await?
            .into_iter()
            .filter(|h| h.origin == p.member.as_str())
            .collect();
        if let Some(latest) = held.first() {
            if let Some(same) = held.iter().find(|h| Some(h.version_us) == inc.version_us) {
                let same_body =
                    serde_json::from_str::<Value>(&same.body).ok().as_ref() == Some(&inc.body);
                return Ok(if same_body {
                    Ok(false)
                } else {
                    Err("this version is held with other content; a new version needs a later `modified`".into())
                });
            }
            if latest.source != "import" {
                return Ok(Err(KEPT_FROM_RECORD.into()));
            }
            if inc.object_type == "marking-definition" {
                return Ok(Err("a marking definition does not change".into()));
            }
            let origin = &p.member;
            if !narrows(conn, origin, &latest.marking, &marking).await? {
                return Ok(Err(format!(
                    "the new version's marking ({}) would widen the audience of the version held ({})",
                    marking.banner(origin),
                    latest.marking.banner(origin)
                )));
            }
        }
        let row = NewRow {
            inc,
            marking: &marking,
            origin: &p.member,
            source: "import",
            date_added,
        };
        insert_row(conn, &row, held.is_empty()).await?;
        if !held.is_empty() {
            refresh_flags(conn, &inc.id, p.member.as_str()).await?;
        }
        Ok(Ok(true))
    }

    /// Deletes the versions of an object that `p` may read and that match
    /// `versions` (the origin member's users only; objects kept from
    /// records change only through the record). Returns how many.
    pub async fn stix_delete(
        &self,
        p: &Principal,
        stix_id: &str,
        versions: &VersionMatch,
        spec_versions: &[String],
    ) -> Result<usize> {
        crate::records::check_writer(p)?;
        let f = StixFilter {
            ids: vec![stix_id.to_string()],
            versions: versions.clone(),
            spec_versions: spec_versions.to_vec(),
            limit: MAX_TAXII_PAGE,
            ..Default::default()
        };
        let page = self.stix_objects(p, &f, false).await?;
        if page.rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        let mut w = self.begin_write().await?;
        // The versions `p` is served: one origin's (see migration 28).
        let held: Vec<Held> = held_versions(&mut w.tx, stix_id)
            .await?
            .into_iter()
            .filter(|h| page.rows.iter().any(|r| r.seq == h.seq))
            .collect();
        if held.iter().any(|h| h.source != "import") {
            return Err(StoreError::Forbidden(
                "this object is kept by coalesce from its record; withdraw or change the record instead"
                    .into(),
            ));
        }
        if let Some(h) = held.iter().find(|h| h.origin != p.member.as_str()) {
            return Err(StoreError::Forbidden(format!(
                "only users of {} delete this object",
                h.origin
            )));
        }
        for r in &page.rows {
            sqlx::query(
                "DELETE FROM audience WHERE subject_id = (SELECT subject_id FROM stix_objects WHERE seq = $1)",
            )
            .bind(r.seq)
            .execute(&mut *w.tx)
            .await?;
            sqlx::query("DELETE FROM stix_objects WHERE seq = $1")
                .bind(r.seq)
                .execute(&mut *w.tx)
                .await?;
        }
        refresh_flags(&mut w.tx, stix_id, p.member.as_str()).await?;
        let versions: Vec<&str> = page.rows.iter().map(|r| r.version.as_str()).collect();
        audit::append(
            &mut w.tx,
            Some(p),
            "stix.delete",
            stix_id,
            &serde_json::json!({ "versions": versions }),
        )
        .await?;
        w.commit().await?;
        Ok(page.rows.len())
    }

    /// Keeps a TAXII status resource (readable by the poster's member).
    pub async fn taxii_status_put(&self, p: &Principal, id: &str, body: &Value) -> Result<()> {
        sqlx::query(
            "INSERT INTO taxii_statuses (id, member, username, created_at, body, pending) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(p.member.as_str())
        .bind(p.username.as_str())
        .bind(now_ms())
        .bind(body.to_string())
        .bind(is_pending(body))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Replaces the body of a status resource of `p`'s member (a pending
    /// addition that completed).
    pub async fn taxii_status_update(&self, p: &Principal, id: &str, body: &Value) -> Result<()> {
        let done = sqlx::query(
            "UPDATE taxii_statuses SET body = $1, pending = $4 WHERE id = $2 AND member = $3",
        )
        .bind(body.to_string())
        .bind(id)
        .bind(p.member.as_str())
        .bind(is_pending(body))
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Forgets a status resource of `p`'s member that was never answered
    /// (its addition did not start).
    pub async fn taxii_status_delete(&self, p: &Principal, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM taxii_statuses WHERE id = $1 AND member = $2")
            .bind(id)
            .bind(p.member.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The status resources still pending, any member's: (id, body).
    pub async fn taxii_pending_statuses(&self) -> Result<Vec<(String, Value)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body FROM taxii_statuses WHERE pending = 1 ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        let mut out = Vec::new();
        for (id, body) in rows {
            let v: Value = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("status {id}: {e}")))?;
            out.push((id, v));
        }
        Ok(out)
    }

    /// Replaces a status resource's body whoever's it is (the node's own
    /// sweep at its start).
    pub async fn taxii_status_replace(&self, id: &str, body: &Value) -> Result<()> {
        sqlx::query("UPDATE taxii_statuses SET body = $1, pending = $3 WHERE id = $2")
            .bind(body.to_string())
            .bind(id)
            .bind(is_pending(body))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A TAXII status resource of `p`'s member.
    pub async fn taxii_status_get(&self, p: &Principal, id: &str) -> Result<Value> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM taxii_statuses WHERE id = $1 AND member = $2")
                .bind(id)
                .bind(p.member.as_str())
                .fetch_optional(self.pool())
                .await?;
        let (body,) = row.ok_or(StoreError::NotFound)?;
        serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(format!("status: {e}")))
    }
}

/// Whether a TAXII status resource is still pending (kept as a column:
/// see migration 52).
fn is_pending(body: &Value) -> i64 {
    i64::from(body["status"] == "pending")
}

#[cfg(test)]
mod tests {
    use crate::testing::{fresh_store, seed_small, SEED_PASSWORD};
    use coalesce_domain::reports::{EntityDraft, ReportDraft};
    use coalesce_domain::Marking;

    /// A database written before the STIX object store (its projections
    /// gone) gets them back from the backfill the migration runs.
    #[tokio::test]
    async fn backfill_projects_records_written_before_the_store() {
        let s = fresh_store().await.expect("store");
        seed_small(&s).await.expect("seed");
        let usa = s
            .authenticate("usa", SEED_PASSWORD, "test")
            .await
            .expect("auth")
            .expect("usa");
        let m = Marking::parse("AMBER", &["GBR".to_string()]).expect("m");
        let e = EntityDraft::parse(
            "person",
            "Abu Muhammad al-Tunisi",
            &[],
            None,
            Some("TUN"),
            &[],
            None,
            None,
            None,
            m.clone(),
        )
        .expect("entity");
        let e = s.create_entity(&usa, &e).await.expect("create entity");
        let r = ReportDraft::parse(
            "situation-report",
            "Seen in Raqqa",
            "",
            None,
            None,
            m,
            &[(e.id.clone(), "subject".into())],
        )
        .expect("report");
        s.create_report(&usa, &r).await.expect("create report");
        let before = s.stix_count(&usa).await.expect("count");
        assert!(before >= 2);
        let mut w = s.begin_write().await.expect("tx");
        sqlx::query(
            "DELETE FROM audience WHERE subject_id IN (SELECT subject_id FROM stix_objects)",
        )
        .execute(&mut *w.tx)
        .await
        .expect("delete audience");
        sqlx::query("DELETE FROM stix_objects")
            .execute(&mut *w.tx)
            .await
            .expect("delete objects");
        let n = crate::reports::backfill_stix(&mut w.tx)
            .await
            .expect("backfill");
        w.commit().await.expect("commit");
        assert_eq!(n, 2);
        assert_eq!(s.stix_count(&usa).await.expect("count"), before);
        // Nothing left to do the second time.
        let mut w = s.begin_write().await.expect("tx");
        assert_eq!(
            crate::reports::backfill_stix(&mut w.tx)
                .await
                .expect("again"),
            0
        );
    }
}
