//! Inserting many rows in one statement, on both backends: the rows travel
//! as one JSON array bound to one parameter and are unpacked by the
//! database (`json_each` on SQLite, `json_array_elements` on PostgreSQL).
//! Binding thousands of `$n` values costs more than the insert itself
//! (SQLite resolves each `$n` by scanning every parameter's name), and one
//! statement per row costs a round trip to the database thread each.

use crate::Result;
use sqlx::AnyConnection;

/// The texts of the JSON array bound at $1 as a subquery, per backend
/// (for `col IN (…)` where the table side is the small one).
pub(crate) fn json_array_values(postgres: bool) -> &'static str {
    if postgres {
        "SELECT json_array_elements_text(CAST($1 AS JSON))"
    } else {
        "SELECT value FROM json_each($1)"
    }
}

/// A value of a row to insert.
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    /// A nullable column: its type is the variant's, whatever the value.
    MaybeText(Option<String>),
    MaybeInt(Option<i64>),
}

/// How many rows one INSERT carries.
const ROWS_PER_STATEMENT: usize = 2_000;

/// Inserts rows into `table_columns` (e.g. `audience (subject_id, token)`).
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    table_columns: &str,
    rows: &[Vec<Arg>],
) -> Result<()> {
    insert_rows_then(conn, table_columns, rows, "").await
}

/// As [`insert_rows`], each statement ending with `tail` (`ON CONFLICT …`).
pub(crate) async fn insert_rows_then(
    conn: &mut AnyConnection,
    table_columns: &str,
    rows: &[Vec<Arg>],
    tail: &str,
) -> Result<()> {
    let postgres = conn.backend_name() == "PostgreSQL";
    if !postgres {
        return insert_rows_sqlite(conn, table_columns, rows, tail).await;
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let Some(first) = chunk.first() else {
            continue;
        };
        let columns: Vec<String> = first
            .iter()
            .enumerate()
            .map(|(i, a)| match (postgres, a) {
                (true, Arg::Text(_) | Arg::MaybeText(_)) => format!("e->>{i}"),
                (true, Arg::Int(_) | Arg::MaybeInt(_)) => format!("CAST(e->>{i} AS BIGINT)"),
                (false, _) => format!("json_extract(e.value, '$[{i}]')"),
            })
            .collect();
        let source = if postgres {
            "json_array_elements(CAST($1 AS JSON)) AS e"
        } else {
            "json_each($1) AS e"
        };
        // `WHERE true`: SQLite reads `ON CONFLICT` after a bare
        // `SELECT … FROM` as a join constraint.
        let sql = format!(
            "INSERT INTO {table_columns} SELECT {} FROM {source} WHERE true {tail}",
            columns.join(", ")
        );
        let json: Vec<serde_json::Value> = chunk
            .iter()
            .map(|row| {
                row.iter()
                    .map(|a| match a {
                        Arg::Text(s) => serde_json::Value::from(s.as_str()),
                        Arg::Int(i) => serde_json::Value::from(*i),
                        Arg::MaybeText(s) => serde_json::Value::from(s.as_deref()),
                        Arg::MaybeInt(i) => serde_json::Value::from(*i),
                    })
                    .collect()
            })
            .collect();
        sqlx::query(&sql)
            .bind(serde_json::Value::Array(json).to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The most `?` parameters one SQLite statement carries (its limit is
/// 32,766).
const SQLITE_PARAMETERS: usize = 32_000;

/// [`insert_rows_then`] on SQLite: multi-row `VALUES` with anonymous `?`
/// parameters, bound by position (no parameter name is looked up), so a
/// row's columns are not taken out of a JSON text one parse at a time (a
/// record's row carries its whole body).
async fn insert_rows_sqlite(
    conn: &mut AnyConnection,
    table_columns: &str,
    rows: &[Vec<Arg>],
    tail: &str,
) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let width = first.len().max(1);
    let per_statement = (SQLITE_PARAMETERS / width).clamp(1, ROWS_PER_STATEMENT);
    let row = format!("({})", vec!["?"; width].join(", "));
    for chunk in rows.chunks(per_statement) {
        let values = vec![row.as_str(); chunk.len()].join(", ");
        let sql = format!("INSERT INTO {table_columns} VALUES {values} {tail}");
        let mut q = sqlx::query(&sql);
        for a in chunk.iter().flatten() {
            q = match a {
                Arg::Text(s) => q.bind(s.as_str()),
                Arg::Int(i) => q.bind(*i),
                Arg::MaybeText(s) => q.bind(s.as_deref()),
                Arg::MaybeInt(i) => q.bind(*i),
            };
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
