//! The rows a version writes: the record row and its kept version, the
//! audience rows and sets, the counts, the references; and the helpers the
//! writes share.

use super::*;

/// Rewrites the stored bodies of kind `K` (current and kept versions) as
/// canonical JSON: after a migration wrote them with SQL's JSON functions,
/// whose spacing and number formats differ. Returns how many it rewrote.
pub(crate) async fn canonicalize_bodies<K: Kind>(conn: &mut AnyConnection) -> Result<u64> {
    let mut rewritten = 0;
    for (table, select) in [
        ("records", "SELECT id, body FROM records WHERE kind = $1"),
        (
            "record_versions",
            "SELECT v.id, v.body FROM record_versions v JOIN records r ON r.id = v.record_id WHERE r.kind = $1",
        ),
    ] {
        let rows: Vec<(String, String)> = sqlx::query_as(select)
            .bind(K::NAME)
            .fetch_all(&mut *conn)
            .await?;
        let update = format!("UPDATE {table} SET body = $1 WHERE id = $2");
        for (id, body) in rows {
            let parsed: K::Body =
                body_from_json(&body).map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?;
            let canonical = canonical_json(&parsed)?;
            if canonical != body {
                sqlx::query(&update)
                    .bind(&canonical)
                    .bind(&id)
                    .execute(&mut *conn)
                    .await?;
                rewritten += 1;
            }
        }
    }
    Ok(rewritten)
}

/// Whether `p` may create or change records (viewers may not).
pub fn check_writer(p: &Principal) -> Result<()> {
    if p.role.can_write_records() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "viewers cannot create or change records".into(),
        ))
    }
}

pub(super) fn detail(version: i64) -> serde_json::Value {
    serde_json::json!({ "version": version })
}

pub(super) fn status_of(s: &str) -> Result<Status> {
    Status::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The next node-wide sequence number (writers hold the write lock).
pub(crate) async fn next_seq(conn: &mut AnyConnection) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(s), 0) + 1 FROM (SELECT MAX(seq) AS s FROM record_versions \
         UNION ALL SELECT seq AS s FROM seq_floor) x",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// [`next_seq`], the audit chain's head and the home node of `writer`
/// (see [`hosted_here`]), in one statement: a write holds the write lock
/// for its round trips.
pub(crate) async fn next_seq_and_head(
    conn: &mut AnyConnection,
    writer: &MemberCode,
) -> Result<(i64, audit::Head, Option<String>)> {
    let (n, head_seq, head_hash, home): (i64, Option<i64>, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT COALESCE(MAX(s), 0) + 1, (SELECT seq FROM audit_head WHERE id = 1), \
             (SELECT hash FROM audit_head WHERE id = 1), \
             (SELECT home_node FROM members WHERE code = $1) \
             FROM (SELECT MAX(seq) AS s FROM record_versions UNION ALL SELECT seq AS s FROM seq_floor) x",
        )
        .bind(writer.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok((n, audit::Head::from_row(head_seq.zip(head_hash)), home))
}

/// The current row of record `id` as the node holds it, whatever its kind
/// (a replica's id may name another kind's record).
pub(super) async fn read_current(conn: &mut AnyConnection, id: &str) -> Result<Current> {
    let row = sqlx::query(
        "SELECT r.kind, r.origin, r.origin_node, r.version, r.status, r.audience_key FROM records r WHERE r.id = $1",
    )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Current {
        kind: row.try_get("kind")?,
        origin: row.try_get("origin")?,
        origin_node: row.try_get("origin_node")?,
        version: row.try_get("version")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        audience_key: row.try_get("audience_key")?,
    })
}

/// Record `id` of kind `K` as `p` may read it, with its audience set key:
/// what a change starts from, in one read.
pub(super) async fn read_readable_row<K: Kind>(
    conn: &mut AnyConnection,
    id: &str,
    p: &Principal,
) -> Result<(Record<K::Body>, String)> {
    let sql = format!(
        "SELECT {COLUMNS} FROM records r WHERE r.id = $2 AND r.kind = $3 AND {} AND {}",
        readable("r.id", "$1"),
        refs_filter::<K>("$1")
    );
    let row = sqlx::query(&sql)
        .bind(p.member.as_str())
        .bind(id)
        .bind(K::NAME)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((record_from_row::<K>(&row)?, row.try_get("audience_key")?))
}

/// Makes `v` the record's current version: the record row, its audience
/// rows, the counts, and the kept version row.
pub(super) async fn replace_current(
    conn: &mut AnyConnection,
    kind: &str,
    current: &Current,
    v: &VersionRow<'_>,
    tokens: &[String],
) -> Result<()> {
    let mut writes = Writes::default();
    replace_current_into(conn, &mut writes, kind, current, v, tokens).await?;
    if writes.run(conn).await? != 1 {
        return Err(StoreError::changed_meanwhile("record"));
    }
    Ok(())
}

/// As [`replace_current`], gathered into `writes`: its record row update is
/// the checked part, which must change one row (else the record changed
/// meanwhile).
pub(super) async fn replace_current_into(
    conn: &mut AnyConnection,
    writes: &mut Writes,
    kind: &str,
    current: &Current,
    v: &VersionRow<'_>,
    tokens: &[String],
) -> Result<()> {
    writes.checked(
        "UPDATE records SET version = $1, status = $2, tlp = $3, rel_to = $4, audience_key = $5, body = $6, \
         updated_at = $7, updated_by = $8, seq = $9 WHERE id = $10 AND version = $11"
            .to_string(),
        vec![
            Arg::Int(v.version),
            Arg::Text(v.status.as_str().to_string()),
            Arg::Text(v.marking.tlp.as_str().to_string()),
            Arg::Text(rel_to_json(v.marking)),
            Arg::Text(v.audience_key.to_string()),
            Arg::Text(v.body.to_string()),
            Arg::Int(v.at),
            Arg::Text(v.author.to_string()),
            Arg::Int(v.seq),
            Arg::Text(v.id.to_string()),
            Arg::Int(current.version),
        ],
    );
    // The counts move by the net change of each set (one upsert, which
    // meets a reader once); the new version's audience set gets its token
    // rows whether or not it counts: its version row is read through them.
    let mut sets: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
    if current.status == Status::Live {
        sets.entry(current.audience_key.clone()).or_default().0 -= 1;
    }
    let new = sets.entry(v.audience_key.to_string()).or_default();
    new.0 += i64::from(v.status == Status::Live);
    new.1 = tokens.to_vec();
    add_counts_into(conn, writes, kind, &sets).await?;
    if current.audience_key != v.audience_key {
        // Rows of tokens it no longer has go, new ones come: the two parts
        // touch different rows (see `Writes`).
        let postgres = conn.backend_name() == "PostgreSQL";
        writes.statement(
            format!(
                "DELETE FROM audience WHERE subject_id = $1 AND token NOT IN ({})",
                crate::bulk::json_texts(postgres, "$2")
            ),
            vec![
                Arg::Text(v.id.to_string()),
                Arg::Text(serde_json::json!(tokens).to_string()),
            ],
        );
        let rows: Vec<Vec<Arg>> = tokens
            .iter()
            .map(|t| vec![Arg::Text(v.id.to_string()), Arg::Text(t.clone())])
            .collect();
        writes.rows(
            "audience (subject_id, token)",
            rows,
            "ON CONFLICT (subject_id, token) DO NOTHING",
        );
    }
    let vid = new_id_at(v.at);
    writes.rows(VERSION_INSERT, vec![version_args(v, &vid)], "");
    Ok(())
}

/// Adds `n` to the live count of `kind` under audience set `key`; a set
/// seen for the first time gets its token rows (`tokens`).
pub(super) async fn add_count(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
    tokens: &[String],
    n: i64,
) -> Result<()> {
    let one = BTreeMap::from([(key.to_string(), (n, tokens.to_vec()))]);
    add_counts(conn, kind, &one).await
}

/// Adds to the counts of `kind` of every member who may read records of
/// these audience sets (key → (n, tokens)); a set seen for the first time
/// gets its token rows. Two statements however many sets.
pub(super) async fn add_counts(
    conn: &mut AnyConnection,
    kind: &str,
    added: &BTreeMap<String, (i64, Vec<String>)>,
) -> Result<()> {
    let mut writes = Writes::default();
    add_counts_into(conn, &mut writes, kind, added).await?;
    writes.run(conn).await.map(drop)
}

/// As [`add_counts`], the statements gathered into `writes`.
pub(super) async fn add_counts_into(
    conn: &mut AnyConnection,
    writes: &mut Writes,
    kind: &str,
    added: &BTreeMap<String, (i64, Vec<String>)>,
) -> Result<()> {
    let tokens: Vec<Vec<Arg>> = added
        .iter()
        .flat_map(|(key, (_, tokens))| {
            tokens
                .iter()
                .map(move |t| vec![Arg::Text(key.clone()), Arg::Text(t.clone())])
        })
        .collect();
    writes.rows(
        "audience_sets (set_key, token)",
        tokens,
        "ON CONFLICT (set_key, token) DO NOTHING",
    );
    let sets: Vec<(String, i64)> = added.iter().map(|(k, (n, _))| (k.clone(), *n)).collect();
    crate::counts::adjust_sets_into(conn, writes, kind, &sets).await
}

/// Checks that every thing the records refer to exists here and, for a
/// marked thing (an entity), that the writer may read it (once per distinct
/// reference); else names the first that does not, the same way whether it
/// is missing or hidden.
pub(super) async fn check_references<'a>(
    conn: &mut AnyConnection,
    refs: impl Iterator<Item = &'a Reference>,
    writer: &MemberCode,
) -> Result<()> {
    let distinct: BTreeSet<&Reference> = refs.collect();
    for r in distinct {
        let (n,): (i64,) = match r.target {
            RefTarget::Party => continue,
            RefTarget::Indicator => {
                sqlx::query_as("SELECT COUNT(*) FROM indicators WHERE slug = $1")
                    .bind(&r.id)
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::Member => {
                sqlx::query_as("SELECT COUNT(*) FROM members WHERE code = $1")
                    .bind(&r.id)
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::Group => {
                sqlx::query_as("SELECT COUNT(*) FROM coalition_groups WHERE slug = $1")
                    .bind(&r.id)
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::LineOfEffort => {
                sqlx::query_as("SELECT COUNT(*) FROM lines_of_effort WHERE slug = $1")
                    .bind(&r.id)
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::Fund | RefTarget::Meeting | RefTarget::Contribution => {
                let sql = format!(
                    "SELECT COUNT(*) FROM records f WHERE f.id = $1 AND f.kind = $3 AND f.status = 'live' AND {}",
                    readable("f.id", "$2")
                );
                sqlx::query_as(&sql)
                    .bind(&r.id)
                    .bind(writer.as_str())
                    .bind(r.target.as_str())
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::FundPledge => {
                let sql = format!(
                    "SELECT COUNT(*) FROM ledger_transfers t WHERE t.id = $1 AND t.code = 'pledge' AND t.phase = 'pending' AND {}",
                    crate::audience::readable_set("t.audience_key", "$2")
                );
                sqlx::query_as(&sql)
                    .bind(&r.id)
                    .bind(writer.as_str())
                    .fetch_one(&mut *conn)
                    .await?
            }
            RefTarget::Entity => {
                let sql = format!(
                    "SELECT COUNT(*) FROM entities e WHERE e.id = $1 AND e.withdrawn = 0 AND {}",
                    readable("e.id", "$2")
                );
                sqlx::query_as(&sql)
                    .bind(&r.id)
                    .bind(writer.as_str())
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        if n == 0 {
            let whose = if r.target.has_audience() {
                " you may read"
            } else {
                ""
            };
            return Err(DomainError::InvalidField {
                field: r.target.as_str(),
                reason: format!("there is no {} {:?}{whose}", r.target.as_str(), r.id),
            }
            .into());
        }
    }
    Ok(())
}

/// The condition that hides a record (`r`) from the member bound at
/// `member_param` when it refers to a marked thing of `targets` that member
/// may not read: what a record says about something is not shown to those
/// who may not see that thing. (A fund pledge is marked by its transfer's
/// audience set, not by audience rows: no kind is hidden with one.)
pub(super) fn refs_readable(member_param: &str, targets: &[RefTarget]) -> String {
    let marked: Vec<String> = targets
        .iter()
        .filter(|t| t.has_audience() && **t != RefTarget::FundPledge)
        .map(|t| format!("'{}'", t.as_str()))
        .collect();
    format!(
        "NOT EXISTS (SELECT 1 FROM record_refs g WHERE g.record_id = r.id AND g.target IN ({}) AND NOT {})",
        marked.join(", "),
        readable("g.ref_id", member_param)
    )
}

/// Makes `refs` what record `id` refers to.
pub(super) async fn replace_refs(
    conn: &mut AnyConnection,
    id: &str,
    refs: &[Reference],
) -> Result<()> {
    let mut writes = Writes::default();
    replace_refs_into(conn.backend_name() == "PostgreSQL", &mut writes, id, refs);
    writes.run(conn).await?;
    Ok(())
}

/// As [`replace_refs`], gathered into `writes`: those it no longer has go,
/// new ones come (two parts touching different rows).
pub(super) fn replace_refs_into(postgres: bool, writes: &mut Writes, id: &str, refs: &[Reference]) {
    let rows = ref_args(id, refs);
    // A target is a fixed word: '|' cannot occur in it.
    let kept: Vec<String> = refs
        .iter()
        .map(|r| format!("{}|{}", r.target.as_str(), r.id))
        .collect();
    writes.statement(
        format!(
            "DELETE FROM record_refs WHERE record_id = $1 AND target || '|' || ref_id NOT IN ({})",
            crate::bulk::json_texts(postgres, "$2")
        ),
        vec![
            Arg::Text(id.to_string()),
            Arg::Text(serde_json::json!(kept).to_string()),
        ],
    );
    writes.rows(
        REF_INSERT,
        rows,
        "ON CONFLICT (target, ref_id, record_id) DO NOTHING",
    );
}

pub(super) fn ref_args(id: &str, refs: &[Reference]) -> Vec<Vec<Arg>> {
    refs.iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|r| {
            vec![
                Arg::Text(id.to_string()),
                Arg::Text(r.target.as_str().to_string()),
                Arg::Text(r.id.clone()),
            ]
        })
        .collect()
}

pub(super) const REF_INSERT: &str = "record_refs (record_id, target, ref_id)";
pub(super) const RECORD_INSERT: &str = "records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body, created_at, created_by, updated_at, updated_by, seq)";
/// As [`RECORD_INSERT`], for a replica: with the peer it came from.
pub(super) const RECORD_VIA_INSERT: &str = "records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body, created_at, created_by, updated_at, updated_by, seq, via)";
pub(super) const VERSION_INSERT: &str = "record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq, signature, signed_by)";
/// The version columns as they were before migration 37 (the moves onto
/// the layer run mid-migration, before versions had signatures).
pub(super) const UNSIGNED_VERSION_INSERT: &str = "record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)";

/// A version's values for [`UNSIGNED_VERSION_INSERT`].
pub(super) fn unsigned_version_args(v: &VersionRow<'_>, vid: &str) -> Vec<Arg> {
    let mut args = version_args(v, vid);
    args.truncate(13);
    args
}

pub(super) fn record_args<K: Kind>(
    v: &VersionRow<'_>,
    origin: &str,
    created_at: i64,
    created_by: &str,
) -> Vec<Arg> {
    vec![
        Arg::Text(v.id.to_string()),
        Arg::Text(K::NAME.to_string()),
        Arg::Text(origin.to_string()),
        Arg::Text(v.origin_node.to_string()),
        Arg::Int(v.version),
        Arg::Text(v.status.as_str().to_string()),
        Arg::Text(v.marking.tlp.as_str().to_string()),
        Arg::Text(rel_to_json(v.marking)),
        Arg::Text(v.audience_key.to_string()),
        Arg::Text(v.body.to_string()),
        Arg::Int(created_at),
        Arg::Text(created_by.to_string()),
        Arg::Int(v.at),
        Arg::Text(v.author.to_string()),
        Arg::Int(v.seq),
    ]
}

pub(super) fn version_args(v: &VersionRow<'_>, vid: &str) -> Vec<Arg> {
    let provenance = match v.provenance {
        Provenance::Local => "local",
        Provenance::Peer { .. } => "peer",
    };
    vec![
        Arg::Text(vid.to_string()),
        Arg::Text(v.id.to_string()),
        Arg::Int(v.version),
        Arg::Text(v.status.as_str().to_string()),
        Arg::Text(v.marking.tlp.as_str().to_string()),
        Arg::Text(rel_to_json(v.marking)),
        Arg::Text(v.audience_key.to_string()),
        Arg::Text(v.body.to_string()),
        Arg::Text(v.author.to_string()),
        Arg::Int(v.at),
        Arg::Text(provenance.to_string()),
        Arg::Text(v.origin_node.to_string()),
        Arg::Int(v.seq),
        Arg::MaybeText(v.signature.as_ref().map(|s| s.0.clone())),
        Arg::MaybeText(v.signature.as_ref().map(|s| s.1.clone())),
    ]
}
