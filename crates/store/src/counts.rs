//! How many live records of a kind each member may read, kept up to date in
//! the transaction that writes them, so that a count costs one row lookup
//! rather than a scan of every record with the audience filter (1.3–2.6 s at
//! a million notes). Which members read a record is decided by
//! [`crate::audience::readable`] with the member as the viewer, when the
//! count is adjusted: releasability is still decided in one place.
//!
//! **Invariant:** every write that makes a counted record live, changes its
//! audience or withdraws it calls [`adjust`] (−1 before, +1 after); a new
//! member and the members who join or leave a group get theirs recomputed
//! ([`rebuild`]). `tests/releasability.rs` and
//! `tests/reports_releasability.rs` hold the counts equal to the domain rule.

use crate::audience::{readable, readable_set};
use crate::bulk::{insert_rows_then, Arg};
use crate::{placeholders, Principal, Result};
use coalesce_domain::{AudienceToken, MemberCode, Slug, Viewer};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// A kind whose readable records are counted: the rows that are live and the
/// column of their record id.
pub(crate) struct Counted {
    pub kind: &'static str,
    live: &'static str,
    id_col: &'static str,
}

pub(crate) const REQUIREMENT: Counted = Counted {
    kind: "requirement",
    live: "requirements r WHERE r.revoked = 0",
    id_col: "r.id",
};

const COUNTED: [&Counted; 1] = [&REQUIREMENT];

/// Adds `delta` to the count of every member who may read record `id` of
/// `kind` with its audience rows as they are now. One statement.
pub(crate) async fn adjust(
    conn: &mut AnyConnection,
    kind: &Counted,
    id: &str,
    delta: i64,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO reader_counts (kind, reader, n) SELECT $1, m.code, $2 FROM members m WHERE {} \
         ON CONFLICT (kind, reader) DO UPDATE SET n = reader_counts.n + excluded.n",
        readable("$3", "m.code")
    );
    sqlx::query(&sql)
        .bind(kind.kind)
        .bind(delta)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

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
    let list = placeholders(2, codes.len());
    for kind in COUNTED {
        let delete = format!("DELETE FROM reader_counts WHERE kind = $1 AND reader IN ({list})");
        let insert = format!(
            "INSERT INTO reader_counts (kind, reader, n) \
             SELECT $1, m.code, (SELECT COUNT(*) FROM {} AND {}) FROM members m WHERE m.code IN ({list})",
            kind.live,
            readable(kind.id_col, "m.code"),
        );
        for sql in [delete, insert] {
            let mut q = sqlx::query(&sql).bind(kind.kind);
            for c in &codes {
                q = q.bind(c.as_str());
            }
            q.execute(&mut *conn).await?;
        }
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
/// they are in this transaction: two small reads and one upsert of at most
/// one row per member, whatever the number of sets in the batch.
pub(crate) async fn adjust_sets(
    conn: &mut AnyConnection,
    kind: &str,
    sets: &[(String, i64)],
) -> Result<()> {
    if sets.is_empty() {
        return Ok(());
    }
    let members: Vec<(String,)> = sqlx::query_as("SELECT code FROM members")
        .fetch_all(&mut *conn)
        .await?;
    let memberships: Vec<(String, String)> =
        sqlx::query_as("SELECT member_code, group_slug FROM group_members")
            .fetch_all(&mut *conn)
            .await?;
    let viewers: Vec<Viewer> = members
        .iter()
        .filter_map(|(code,)| {
            let member = MemberCode::parse(code).ok()?;
            let groups = memberships
                .iter()
                .filter(|(m, _)| m == code)
                .filter_map(|(_, g)| Slug::parse(g).ok())
                .collect();
            Some(Viewer { member, groups })
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
    insert_rows_then(
        conn,
        "reader_counts (kind, reader, n)",
        &rows,
        "ON CONFLICT (kind, reader) DO UPDATE SET n = reader_counts.n + excluded.n",
    )
    .await
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

/// How many live records of `kind` the viewer may read.
pub(crate) async fn count(pool: &sqlx::AnyPool, p: &Principal, kind: &Counted) -> Result<i64> {
    count_kind(pool, p, kind.kind).await
}
