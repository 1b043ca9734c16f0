//! How many live records of a kind each member may read, kept up to date in
//! the transaction that writes them, so that a count costs one row lookup
//! rather than a scan of every record with the audience filter (1.3–2.6 s at
//! a million notes). Which members read a record is decided by
//! [`crate::audience::readable`] with the member as the viewer, when the
//! count is adjusted: releasability is still decided in one place.
//!
//! **Invariant:** every write of the record layer that makes a record live,
//! changes its audience or withdraws it adjusts the counts of the audience
//! sets it leaves and enters ([`adjust_sets_into`]); a new member and the members
//! who join or leave a group get theirs recomputed ([`rebuild`]). `tests/releasability.rs` and
//! `tests/reports_releasability.rs` hold the counts equal to the domain rule.

use crate::audience::{readable_set, readers_of_tokens};
use crate::bulk::{Arg, Writes};
use crate::{placeholders, Principal, Result};
use coalesce_domain::{AudienceToken, MemberCode, Slug, Viewer};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Up to how many audience sets [`adjust_sets_into`] counts in SQL (one
/// arm each) rather than from a read of every member's groups.
const FEW_SETS: usize = 4;

/// Recomputes the counts of these members (all members when `None`) by
/// scanning: after a member is added or a group's members change.
pub(crate) async fn rebuild(conn: &mut AnyConnection, readers: Option<&[String]>) -> Result<()> {
    let codes: Vec<String> = match readers {
        Some(codes) => codes.to_vec(),
        None => sqlx::query_as::<_, (String,)>("SELECT code FROM members")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(c,)| c)
            .collect(),
    };
    if codes.is_empty() {
        return Ok(());
    }
    // Every kind of the record layer, from its records' audience sets.
    let delete = format!(
        "DELETE FROM reader_counts WHERE kind IN (SELECT DISTINCT kind FROM records) AND reader IN ({})",
        placeholders(1, codes.len())
    );
    let insert = format!(
        "INSERT INTO reader_counts (kind, reader, n) \
         SELECT r.kind, m.code, COUNT(*) FROM members m JOIN records r ON r.status = 'live' AND {} \
         WHERE m.code IN ({}) GROUP BY r.kind, m.code",
        readable_set("r.audience_key", "m.code"),
        placeholders(1, codes.len())
    );
    for sql in [delete, insert] {
        let mut q = sqlx::query(&sql);
        for c in &codes {
            q = q.bind(c.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds to the counts of `kind` of every member who may read a record of
/// each audience set (set key → how many records). Who reads a set is
/// decided by the domain's rule ([`Viewer::is_in`], which
/// [`crate::audience::readable`] mirrors) over the members and groups as
/// they are in this transaction: one small read and one upsert of at most
/// one row per member, whatever the number of sets in the batch, gathered
/// into `writes`.
pub(crate) async fn adjust_sets_into(
    conn: &mut AnyConnection,
    writes: &mut Writes,
    kind: &str,
    sets: &[(String, i64)],
) -> Result<()> {
    let sets: Vec<&(String, i64)> = sets.iter().filter(|(_, n)| *n != 0).collect();
    if sets.is_empty() {
        return Ok(());
    }
    if sets.len() <= FEW_SETS {
        // A single write (a new record, a change that re-marks one): one
        // upsert, the readers of each set chosen by the audience rule in
        // SQL, rather than a read of every member's groups. The rule reads
        // each set's tokens from a parameter, not from `audience_sets`: a
        // new set's rows may be written beside it. Summed per reader, so
        // the upsert meets each row once.
        let postgres = conn.backend_name() == "PostgreSQL";
        let mut args = vec![Arg::Text(kind.to_string())];
        let mut arms = Vec::with_capacity(sets.len());
        for (key, n) in sets {
            let tokens: Vec<&str> = key.split(',').collect();
            arms.push(format!(
                "SELECT r.code, CAST(${} AS BIGINT) AS n FROM ({}) r",
                args.len() + 1,
                readers_of_tokens(postgres, &format!("${}", args.len() + 2))
            ));
            args.push(Arg::Int(*n));
            args.push(Arg::Text(serde_json::json!(tokens).to_string()));
        }
        let sql = format!(
            "INSERT INTO reader_counts (kind, reader, n) SELECT $1, x.code, x.n FROM \
             (SELECT code, CAST(SUM(n) AS BIGINT) AS n FROM ({}) a GROUP BY code) x WHERE x.n <> 0 \
             ON CONFLICT (kind, reader) DO UPDATE SET n = reader_counts.n + excluded.n",
            arms.join(" UNION ALL ")
        );
        writes.statement(sql, args);
        return Ok(());
    }
    // Every member with its groups, in one read.
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT m.code, gm.group_slug FROM members m LEFT JOIN group_members gm ON gm.member_code = m.code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut groups_of: BTreeMap<&str, std::collections::BTreeSet<Slug>> = BTreeMap::new();
    for (code, group) in &rows {
        let groups = groups_of.entry(code.as_str()).or_default();
        if let Some(g) = group.as_deref().and_then(|g| Slug::parse(g).ok()) {
            groups.insert(g);
        }
    }
    let viewers: Vec<Viewer> = groups_of
        .into_iter()
        .filter_map(|(code, groups)| {
            Some(Viewer {
                member: MemberCode::parse(code).ok()?,
                groups,
            })
        })
        .collect();
    let mut deltas: BTreeMap<&str, i64> = BTreeMap::new();
    for (key, n) in sets {
        let tokens: Vec<AudienceToken> = key
            .split(',')
            .filter_map(|t| AudienceToken::parse(t).ok())
            .collect();
        for v in &viewers {
            if tokens.iter().any(|t| v.is_in(t)) {
                *deltas.entry(v.member.as_str()).or_default() += n;
            }
        }
    }
    let rows: Vec<Vec<Arg>> = deltas
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(reader, n)| {
            vec![
                Arg::Text(kind.to_string()),
                Arg::Text(reader.to_string()),
                Arg::Int(n),
            ]
        })
        .collect();
    writes.rows(
        "reader_counts (kind, reader, n)",
        rows,
        "ON CONFLICT (kind, reader) DO UPDATE SET n = reader_counts.n + excluded.n",
    );
    Ok(())
}

/// How many live records of `kind` (by name) the viewer may read.
pub(crate) async fn count_kind(pool: &sqlx::AnyPool, p: &Principal, kind: &str) -> Result<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT n FROM reader_counts WHERE kind = $1 AND reader = $2")
            .bind(kind)
            .bind(p.member.as_str())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}
