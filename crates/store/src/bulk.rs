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

/// As [`json_array_values`], the array bound at `param`.
pub(crate) fn json_texts(postgres: bool, param: &str) -> String {
    if postgres {
        format!("SELECT json_array_elements_text(CAST({param} AS JSON))")
    } else {
        format!("SELECT value FROM json_each({param})")
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
        let (sql, json) = postgres_insert(table_columns, chunk, tail);
        sqlx::query(&sql).bind(json).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes gathered to go to the database together: on PostgreSQL as one
/// statement (each write a data-modifying `WITH` part), so a record's
/// rows, its audience, its counts and its audit entry cost one round trip
/// instead of one each (a write holds the node's write lock, so its round
/// trips bound the node's writes per second); on SQLite, where a
/// statement costs no round trip, one after another.
///
/// PostgreSQL runs the parts against one snapshot: no write gathered here
/// may read what another writes (a count that reads a set inserted beside
/// it would miss it), and no two may change the same row (an upsert
/// meeting a row another part upserts fails there, not on SQLite). Foreign
/// keys are checked once the statement ends, so a version may go beside
/// the record it belongs to; unique and check constraints row by row.
///
/// One part may be *checked* ([`Writes::checked`]): [`Writes::run`]
/// answers how many rows it changed (an `UPDATE … WHERE version = $n`
/// that must change exactly one).
#[derive(Default)]
pub(crate) struct Writes {
    parts: Vec<Part>,
    checked: Option<usize>,
}

enum Part {
    Rows {
        table_columns: String,
        rows: Vec<Vec<Arg>>,
        tail: String,
    },
    /// One statement with its own `$1…$n`.
    Statement { sql: String, args: Vec<Arg> },
}

impl Writes {
    /// As [`insert_rows_then`], when the writes run.
    pub(crate) fn rows(&mut self, table_columns: &str, rows: Vec<Vec<Arg>>, tail: &str) {
        if !rows.is_empty() {
            self.parts.push(Part::Rows {
                table_columns: table_columns.to_string(),
                rows,
                tail: tail.to_string(),
            });
        }
    }

    /// A statement numbering its parameters `$1…$n` (no `$` elsewhere in
    /// its text), when the writes run.
    pub(crate) fn statement(&mut self, sql: String, args: Vec<Arg>) {
        self.parts.push(Part::Statement { sql, args });
    }

    /// As [`Writes::statement`], for the one part whose count of changed
    /// rows [`Writes::run`] answers (an `UPDATE` or `DELETE`, its text
    /// not ending in `RETURNING`).
    pub(crate) fn checked(&mut self, sql: String, args: Vec<Arg>) {
        debug_assert!(self.checked.is_none(), "one checked part per write");
        self.checked = Some(self.parts.len());
        self.parts.push(Part::Statement { sql, args });
    }

    /// Runs the writes; answers how many rows the checked part changed
    /// (0 when there is none). A checked part that changed nothing means
    /// the write is to be abandoned: on SQLite the parts after it are not
    /// run (on PostgreSQL all go as one statement), and the caller rolls
    /// the transaction back.
    pub(crate) async fn run(self, conn: &mut AnyConnection) -> Result<u64> {
        let checked = self.checked;
        if conn.backend_name() != "PostgreSQL" || self.parts.len() < 2 {
            let mut changed = 0;
            for (i, part) in self.parts.into_iter().enumerate() {
                match part {
                    Part::Rows {
                        table_columns,
                        rows,
                        tail,
                    } => insert_rows_then(conn, &table_columns, &rows, &tail).await?,
                    Part::Statement { sql, args } => {
                        let done = bind_all(sqlx::query(&sql), &args)
                            .execute(&mut *conn)
                            .await?;
                        if checked == Some(i) {
                            changed = done.rows_affected();
                            if changed == 0 {
                                // Nothing to build on: the rest is not written.
                                return Ok(0);
                            }
                        }
                    }
                }
            }
            return Ok(changed);
        }
        let mut statements = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let mut counted = None;
        for (i, part) in self.parts.into_iter().enumerate() {
            match part {
                Part::Rows {
                    table_columns,
                    rows,
                    tail,
                } => {
                    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                        let (sql, json) = postgres_insert(&table_columns, chunk, &tail);
                        statements.push(renumber(&sql, args.len()));
                        args.push(Arg::Text(json));
                    }
                }
                Part::Statement { sql, args: own } => {
                    let mut sql = renumber(&sql, args.len());
                    if checked == Some(i) {
                        // A part's changed rows show only through RETURNING.
                        sql.push_str(" RETURNING 1");
                        counted = Some(statements.len());
                    }
                    statements.push(sql);
                    args.extend(own);
                }
            }
        }
        let parts: Vec<String> = statements
            .iter()
            .enumerate()
            .map(|(i, s)| format!("w{i} AS ({s})"))
            .collect();
        let result = match counted {
            Some(c) => format!("SELECT COUNT(*) FROM w{c}"),
            None => "SELECT CAST(0 AS BIGINT)".to_string(),
        };
        let sql = format!("WITH {} {result}", parts.join(", "));
        let row = bind_all(sqlx::query(&sql), &args)
            .fetch_one(&mut *conn)
            .await?;
        let changed: i64 = sqlx::Row::try_get(&row, 0)?;
        Ok(u64::try_from(changed).unwrap_or(0))
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = bind_one(q, a);
    }
    q
}

fn bind_one<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    a: &'q Arg,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match a {
        Arg::Text(s) => q.bind(s.as_str()),
        Arg::Int(i) => q.bind(*i),
        Arg::MaybeText(s) => q.bind(s.as_deref()),
        Arg::MaybeInt(i) => q.bind(*i),
    }
}

/// `sql` with each `$n` made `$(n + by)`.
fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut n = String::new();
        while let Some(&(_, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            n.push(d);
            chars.next();
        }
        match n.parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&n),
        }
    }
    out
}

/// The PostgreSQL form of one chunk of [`insert_rows_then`]: its text,
/// whose only parameter `$1` takes the rows as the returned JSON array.
fn postgres_insert(table_columns: &str, chunk: &[Vec<Arg>], tail: &str) -> (String, String) {
    let columns: Vec<String> = chunk
        .first()
        .map(|first| {
            first
                .iter()
                .enumerate()
                .map(|(i, a)| match a {
                    Arg::Text(_) | Arg::MaybeText(_) => format!("e->>{i}"),
                    Arg::Int(_) | Arg::MaybeInt(_) => format!("CAST(e->>{i} AS BIGINT)"),
                })
                .collect()
        })
        .unwrap_or_default();
    let sql = format!(
        "INSERT INTO {table_columns} SELECT {} FROM json_array_elements(CAST($1 AS JSON)) AS e WHERE true {tail}",
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
    (sql, serde_json::Value::Array(json).to_string())
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
        let args: Vec<&Arg> = chunk.iter().flatten().collect();
        let mut q = sqlx::query(&sql);
        for a in args {
            q = bind_one(q, a);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn renumber_shifts_every_parameter_and_nothing_else() {
        assert_eq!(
            renumber(
                "SELECT $1, $10 FROM t WHERE a = $2 AND b = '$' AND c IN ($1)",
                3
            ),
            "SELECT $4, $13 FROM t WHERE a = $5 AND b = '$' AND c IN ($4)"
        );
        assert_eq!(
            renumber("INSERT INTO t VALUES (1)", 5),
            "INSERT INTO t VALUES (1)"
        );
    }
}
