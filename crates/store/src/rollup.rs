//! Per-reader figures of the contributions (table `picture_rollup`), so that
//! a dashboard over a million contributions reads a few hundred rows instead
//! of checking releasability a million times.
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

use crate::{audience::readable, Dialect, Result, WriteTx};

/// Whose figures [`rebuild`] recomputes.
pub(crate) enum Readers<'a> {
    Members(&'a [String]),
    All,
}

/// One dimension of the figures: what its rows are grouped by.
struct Dim {
    name: &'static str,
    key: String,
    /// Whether kind, unit and status are kept (totals) or not (trend counts).
    by_measure: bool,
    join: &'static str,
}

fn dims(dialect: Dialect) -> Vec<Dim> {
    vec![
        Dim {
            name: "line",
            key: "c.line_of_effort".into(),
            by_measure: true,
            join: "",
        },
        Dim {
            name: "category",
            key: "c.category".into(),
            by_measure: true,
            join: "",
        },
        Dim {
            name: "country",
            key: "COALESCE(c.country, '')".into(),
            by_measure: true,
            join: "",
        },
        Dim {
            name: "member",
            key: "cm.member_code".into(),
            by_measure: true,
            join: "JOIN contribution_members cm ON cm.contribution_id = c.id",
        },
        Dim {
            name: "pledged",
            key: dialect.month_of_ms("c.created_at"),
            by_measure: false,
            join: "",
        },
        Dim {
            name: "delivered",
            key: "SUBSTR(d.delivered_on, 1, 7)".into(),
            by_measure: false,
            join: "JOIN contribution_deliveries d ON d.contribution_id = c.id",
        },
    ]
}

/// The upsert that adds `$1` (1 or -1) times the figures of the
/// contributions and readers `scope` selects (a condition on `c` and `m`).
fn upsert_sql(dialect: Dialect, scope: &str) -> String {
    let selects: Vec<String> = dims(dialect)
        .into_iter()
        .map(|d| {
            let (measure, group) = if d.by_measure {
                (
                    "c.kind, c.unit, c.status",
                    format!("m.code, c.line_of_effort, {}, c.kind, c.unit, c.status", d.key),
                )
            } else {
                ("'', '', ''", format!("m.code, c.line_of_effort, {}", d.key))
            };
            let sums = if d.by_measure {
                "$1 * CAST(SUM(c.amount) AS BIGINT), $1 * CAST(SUM(c.delivered) AS BIGINT)"
            } else {
                "CAST(0 AS BIGINT), CAST(0 AS BIGINT)"
            };
            format!(
                "SELECT m.code, '{name}', c.line_of_effort, {key}, {measure}, $1 * CAST(COUNT(*) AS BIGINT), {sums} \
                 FROM contributions c {join} JOIN members m ON {scope} AND {readable} GROUP BY {group}",
                name = d.name,
                key = d.key,
                join = d.join,
                readable = readable("c.id", "m.code"),
            )
        })
        .collect();
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON.
    format!(
        "INSERT INTO picture_rollup (reader, dim, line_of_effort, group_key, kind, unit, status, n, amount, delivered) \
         SELECT * FROM ({}) AS figures WHERE true \
         ON CONFLICT (reader, dim, line_of_effort, group_key, kind, unit, status) DO UPDATE SET \
         n = picture_rollup.n + excluded.n, amount = picture_rollup.amount + excluded.amount, \
         delivered = picture_rollup.delivered + excluded.delivered",
        selects.join(" UNION ALL ")
    )
}

/// Placeholders `$first`, `$first+1`, … for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bound values per statement, under both databases' limits.
const CHUNK: usize = 500;

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
    match readers {
        Readers::All => {
            sqlx::query("DELETE FROM picture_rollup")
                .execute(&mut *w.tx)
                .await?;
            let sql = upsert_sql(w.dialect, "1 = 1");
            sqlx::query(&sql).bind(1_i64).execute(&mut *w.tx).await?;
        }
        Readers::Members(codes) => {
            for chunk in codes.chunks(CHUNK) {
                let list = placeholders(1, chunk.len());
                let delete = format!("DELETE FROM picture_rollup WHERE reader IN ({list})");
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
        }
    }
    Ok(())
}
