//! Backups and checks (issue 20): a consistent copy of a SQLite database
//! while the node serves (`VACUUM INTO`, one read transaction), what a
//! database holds to compare a backup with its restore, whether a restore
//! target is empty, the schema's version (`/readyz`) and the database's
//! own integrity check (`coalesce doctor`). PostgreSQL's dump and restore
//! are `pg_dump` and `pg_restore`, driven by the command line.

use crate::{Dialect, Result, Store, StoreError};
use sqlx::Connection;
use std::path::Path;

/// What a database holds, printed by `backup` and `restore` so that an
/// operator can see the restore is the backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The last migration applied.
    pub schema_version: i64,
    /// Records of every kind held (own and replicas).
    pub records: i64,
    /// Entries of the audit log, and the hash at its head.
    pub audit_entries: i64,
    pub audit_head: String,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schema {}, {} records, audit log {} entries (head {})",
            self.schema_version,
            self.records,
            self.audit_entries,
            if self.audit_head.is_empty() {
                "-"
            } else {
                &self.audit_head
            }
        )
    }
}

async fn summary_on(conn: &mut sqlx::AnyConnection) -> Result<Summary> {
    let (schema_version,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut *conn)
            .await?;
    let (records,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
        .fetch_one(&mut *conn)
        .await?;
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (audit_entries, audit_head) = head.unwrap_or((0, String::new()));
    Ok(Summary {
        schema_version: schema_version.unwrap_or(0),
        records,
        audit_entries,
        audit_head,
    })
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `path` (which
    /// must not exist) while the node goes on serving: `VACUUM INTO` reads
    /// in one transaction, so the copy is the database as of one commit.
    pub async fn backup_into(&self, path: &Path) -> Result<()> {
        if self.dialect() != Dialect::Sqlite {
            return Err(StoreError::BadRequest(
                "a PostgreSQL database is backed up with pg_dump (coalesce backup drives it)"
                    .into(),
            ));
        }
        if path.exists() {
            return Err(StoreError::BadRequest(format!(
                "{} exists: a backup is never written over a file",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::BadRequest(format!("{} is not UTF-8", path.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The database answers, and its schema: (the newest migration
    /// applied, the newest this build knows). For `/readyz`.
    pub async fn schema_versions(&self) -> Result<(i64, i64)> {
        let (applied,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM schema_migrations")
                .fetch_one(self.pool())
                .await?;
        Ok((
            applied.unwrap_or(0),
            crate::migrate::newest_known(self.dialect()),
        ))
    }

    /// The database's own check of its files: SQLite's `PRAGMA
    /// integrity_check` (every page, index and constraint); PostgreSQL
    /// answers a query (its storage is checked by the server). The
    /// problems found, none when sound.
    pub async fn integrity_problems(&self) -> Result<Vec<String>> {
        match self.dialect() {
            Dialect::Sqlite => {
                let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_all(self.pool())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| r.0)
                    .filter(|r| r != "ok")
                    .collect())
            }
            Dialect::Postgres => {
                sqlx::query("SELECT 1").execute(self.pool()).await?;
                Ok(Vec::new())
            }
        }
    }

    /// The pool's connections: (open, idle).
    pub fn pool_connections(&self) -> (u32, u32) {
        (self.pool().size(), self.pool().num_idle() as u32)
    }

    /// Entries in the audit log (its head's number: no scan).
    pub async fn audit_length(&self) -> Result<i64> {
        let head: Option<(i64,)> = sqlx::query_as("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_optional(self.pool())
            .await?;
        Ok(head.map_or(0, |h| h.0))
    }

    /// What this database holds (see [`Summary`]).
    pub async fn summary(&self) -> Result<Summary> {
        let mut conn = self.pool().acquire().await?;
        summary_on(&mut conn).await
    }
}

/// What the SQLite database file at `path` holds, read without changing
/// it (no migration, read-only): for a backup just written.
pub async fn sqlite_file_summary(path: &Path) -> Result<Summary> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    let summary = summary_on(&mut conn).await;
    conn.close().await?;
    summary
}

/// Whether the PostgreSQL database at `url` holds no tables (a restore
/// target that nothing would be lost in).
pub async fn postgres_is_empty(url: &str) -> Result<bool> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    Ok(n == 0)
}
