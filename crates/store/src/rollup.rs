//! Per-reader figures of the contributions (table `picture_rollup`): totals
//! by line, category, country and member, per requirement, and per month,
//! so that a dashboard over a million contributions reads a few hundred rows
//! instead of checking releasability a million times.
//!
//! Which members may read a contribution is decided by the one
//! releasability filter, [`crate::audience::readable`], evaluated with the
//! member as the viewer, when the figures are written:
//! - a contribution's figures are added for its readers when it is written
//!   ([`add`]) and taken away before it changes ([`remove`]), in the same
//!   transaction;
//! - a change of who may read what without a contribution changing — a
//!   member joining, a group's members changing — recomputes the figures of
//!   the members concerned ([`rebuild`]).
//!
//! The figures are therefore always what a scan of the readable
//! contributions would give; `tests/needs_releasability.rs` holds the two
//! equal after random writes and group changes.

use crate::{audience::readable, placeholders, Dialect, Result, WriteTx};

/// Whose figures [`rebuild`] recomputes.
pub(crate) enum Readers<'a> {
    Members(&'a [String]),
    All,
}

/// One dimension of the figures: what its rows are grouped by.
struct Dim {
    name: &'static str,
    /// The group key, over `r` (the readable pairs) and `join`.
    key: &'static str,
    /// Whether kind, unit and status are kept (totals) or not (trend counts).
    by_measure: bool,
    join: &'static str,
    /// Only the pairs this condition keeps (on `r`), or all.
    only: &'static str,
    /// The line of effort column: the contribution's, or `''` where the
    /// group key alone is looked up (a requirement).
    line: &'static str,
    /// Whether confirmed receipts are summed (requirement figures).
    received: bool,
}

const DIMS: [Dim; 7] = [
    Dim {
        name: "line",
        key: "r.loe",
        by_measure: true,
        join: "",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "category",
        key: "r.category",
        by_measure: true,
        join: "",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "country",
        key: "r.country",
        by_measure: true,
        join: "",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "member",
        key: "cm.member_code",
        by_measure: true,
        join: "JOIN contribution_members cm ON cm.contribution_id = r.cid AND cm.confirmed_at IS NOT NULL",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "pledged",
        key: "r.month",
        by_measure: false,
        join: "",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "delivered",
        key: "SUBSTR(d.delivered_on, 1, 7)",
        by_measure: false,
        join: "JOIN contribution_deliveries d ON d.contribution_id = r.cid",
        only: "",
        line: "r.loe",
        received: false,
    },
    Dim {
        name: "requirement",
        key: "r.rid",
        by_measure: true,
        join: "",
        only: "WHERE r.rid IS NOT NULL",
        line: "''",
        received: true,
    },
];

/// The upsert that adds `$1` (1 or -1) times the figures of the
/// contributions and readers `scope` selects (a condition on `c` and `m`).
/// The readable (contribution, member) pairs are found once, with the
/// columns every dimension needs, and grouped six ways.
fn upsert_sql(dialect: Dialect, scope: &str) -> String {
    let selects: Vec<String> = DIMS
        .iter()
        .map(|d| {
            let (measure, sums) = if d.by_measure {
                (
                    "r.kind, r.unit, r.status",
                    "$1 * CAST(SUM(r.amount) AS BIGINT), $1 * CAST(SUM(r.delivered) AS BIGINT)",
                )
            } else {
                ("'', '', ''", "CAST(0 AS BIGINT), CAST(0 AS BIGINT)")
            };
            // Constants stay out of GROUP BY (PostgreSQL refuses
            // non-integer constants there).
            let mut group = vec!["r.reader", d.line, d.key];
            group.retain(|g| !g.starts_with('\''));
            if d.by_measure {
                group.extend(["r.kind", "r.unit", "r.status"]);
            }
            let group = group.join(", ");
            let received = if d.received {
                "$1 * CAST(COALESCE(SUM((SELECT SUM(COALESCE(dr.received_amount, dr.amount)) FROM contribution_deliveries dr \
                 WHERE dr.contribution_id = r.cid AND dr.received_at IS NOT NULL)), 0) AS BIGINT)"
            } else {
                "CAST(0 AS BIGINT)"
            };
            format!(
                "SELECT r.reader, '{name}', {line}, {key}, {measure}, $1 * CAST(COUNT(*) AS BIGINT), {sums}, {received} \
                 FROM readable_pairs r {join} {only} GROUP BY {group}",
                name = d.name,
                line = d.line,
                key = d.key,
                join = d.join,
                only = d.only,
            )
        })
        .collect();
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON.
    format!(
        "WITH readable_pairs AS MATERIALIZED (SELECT c.id AS cid, m.code AS reader, c.line_of_effort AS loe, \
           c.category AS category, COALESCE(c.country, rq.country, '') AS country, c.kind AS kind, c.unit AS unit, \
           c.status AS status, c.amount AS amount, c.delivered AS delivered, {month} AS month, \
           c.requirement_id AS rid \
           FROM contributions c JOIN members m ON {scope} AND {readable} \
           LEFT JOIN requirements rq ON rq.id = c.requirement_id AND c.country IS NULL AND {readable_requirement}) \
         INSERT INTO picture_rollup (reader, dim, line_of_effort, group_key, kind, unit, status, n, amount, delivered, received) \
         SELECT * FROM ({union}) AS figures WHERE true \
         ON CONFLICT (reader, dim, line_of_effort, group_key, kind, unit, status) DO UPDATE SET \
         n = picture_rollup.n + excluded.n, amount = picture_rollup.amount + excluded.amount, \
         delivered = picture_rollup.delivered + excluded.delivered, received = picture_rollup.received + excluded.received",
        month = dialect.month_of_ms("c.created_at"),
        readable = readable("c.id", "m.code"),
        // A contribution without a place of its own counts under its
        // requirement's country only for readers of the requirement.
        readable_requirement = readable("rq.id", "m.code"),
        union = selects.join(" UNION ALL ")
    )
}

/// Bound values per statement, under both databases' limits.
const CHUNK: usize = 500;

/// Members whose figures one rebuild statement recomputes.
const MEMBERS_AT_ONCE: usize = 4;

async fn adjust(w: &mut WriteTx<'_>, ids: &[String], sign: i64) -> Result<()> {
    for chunk in ids.chunks(CHUNK) {
        let scope = format!("c.id IN ({})", placeholders(2, chunk.len()));
        let sql = upsert_sql(w.dialect, &scope);
        let mut q = sqlx::query(&sql).bind(sign);
        for id in chunk {
            q = q.bind(id);
        }
        q.execute(&mut *w.tx).await?;
    }
    Ok(())
}

/// Adds the figures of contributions as they now are, for every member
/// that may read them.
pub(crate) async fn add(w: &mut WriteTx<'_>, ids: &[String]) -> Result<()> {
    adjust(w, ids, 1).await
}

/// Takes away the figures of contributions as they now are (call before
/// changing them, then [`add`] after).
pub(crate) async fn remove(w: &mut WriteTx<'_>, ids: &[String]) -> Result<()> {
    adjust(w, ids, -1).await
}

/// Recomputes the figures of `readers` from every contribution (after
/// group memberships or the member list changed).
pub(crate) async fn rebuild(w: &mut WriteTx<'_>, readers: Readers<'_>) -> Result<()> {
    let codes: Vec<String> = match readers {
        Readers::Members(codes) => codes.to_vec(),
        Readers::All => {
            let rows: Vec<(String,)> = sqlx::query_as("SELECT code FROM members ORDER BY code")
                .fetch_all(&mut *w.tx)
                .await?;
            rows.into_iter().map(|(c,)| c).collect()
        }
    };
    // A few members at a time: the readable pairs of one member at 1M
    // contributions are up to 1M rows of a temporary table.
    for chunk in codes.chunks(MEMBERS_AT_ONCE) {
        let delete = format!(
            "DELETE FROM picture_rollup WHERE reader IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&delete);
        for code in chunk {
            q = q.bind(code.as_str());
        }
        q.execute(&mut *w.tx).await?;
        let sql = upsert_sql(
            w.dialect,
            &format!("m.code IN ({})", placeholders(2, chunk.len())),
        );
        let mut q = sqlx::query(&sql).bind(1_i64);
        for code in chunk {
            q = q.bind(code.as_str());
        }
        q.execute(&mut *w.tx).await?;
    }
    Ok(())
}
