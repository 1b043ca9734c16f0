//! `coalesce backup` and `coalesce restore`, and the scheduled backups of
//! `serve --backup-dir`. SQLite: a consistent copy while the node serves
//! (`VACUUM INTO`); PostgreSQL: `pg_dump --format=custom` and `pg_restore`.
//! A restore is checked: the schema brought up to date and the audit chain
//! verified, or it fails. The node's private key is never in a backup.

use crate::DbArg;
use anyhow::{bail, Context, Result};
use coalesce_store::backup::{postgres_is_empty, sqlite_file_summary, Summary};
use coalesce_store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// What a backup file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Sqlite,
    PgDump,
}

fn format_of(path: &Path) -> Result<Format> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = f.read(&mut head)?;
    if head[..n].starts_with(b"SQLite format 3\0") {
        Ok(Format::Sqlite)
    } else if head[..n].starts_with(b"PGDMP") {
        Ok(Format::PgDump)
    } else {
        bail!(
            "{} is not a coalesce backup (neither a SQLite database nor a pg_dump archive)",
            path.display()
        )
    }
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A PostgreSQL client program: on the PATH, else the newest of Debian's
/// `/usr/lib/postgresql/*/bin`.
fn pg_tool(name: &str) -> Result<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((version, p))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .with_context(|| format!("{name} not found: install PostgreSQL's client programs"))
}

fn run_tool(tool: &str, args: &[&str]) -> Result<()> {
    let program = pg_tool(tool)?;
    let out = std::process::Command::new(&program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    if !out.status.success() {
        bail!(
            "{tool} failed ({}): {}",
            out.status,
            coalesce_store::one_line(&String::from_utf8_lossy(&out.stderr))
        );
    }
    Ok(())
}

/// `pg_dump` of the PostgreSQL database `url` into `file` (its custom
/// format: compressed, restored by `pg_restore`).
fn pg_dump(url: &str, file: &Path) -> Result<()> {
    let file = file.to_str().context("the backup path is not UTF-8")?;
    run_tool(
        "pg_dump",
        &[
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            file,
            url,
        ],
    )
}

/// Writes a backup of the database `url` to `output` (never over a file).
/// Returns what the backup holds, when that can be read from it.
pub(crate) async fn backup(url: &str, output: &Path) -> Result<Option<Summary>> {
    if output.exists() {
        bail!(
            "{} exists: a backup is never written over a file",
            output.display()
        );
    }
    if is_postgres(url) {
        pg_dump(url, output)?;
        return Ok(None);
    }
    if let Some(path) = sqlite_path(url).filter(|p| !p.exists()) {
        bail!("there is no database at {}", path.display());
    }
    let store = Store::open(url)
        .await
        .with_context(|| format!("cannot open database {url}"))?;
    store.backup_into(output).await?;
    store.close().await;
    Ok(Some(sqlite_file_summary(output).await?))
}

pub(crate) async fn run_backup(db: &DbArg, output: &Path) -> Result<ExitCode> {
    let summary = backup(&db.database, output).await?;
    let size = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    println!("backup written: {} ({size} bytes)", output.display());
    if let Some(s) = summary {
        println!("it holds: {s}");
    }
    println!(
        "the node's private key (COALESCE_NODE_KEY) is not in it: keep a copy of the key apart, as private as the key itself"
    );
    Ok(ExitCode::SUCCESS)
}

/// Restores backup `file` into the database `url`: a new SQLite file, or
/// an empty PostgreSQL database (`force`: replace what is there). Then the
/// schema is brought up to date and the audit chain verified.
pub(crate) async fn run_restore(file: &Path, db: &DbArg, force: bool) -> Result<ExitCode> {
    let url = &db.database;
    let format = format_of(file)?;
    if is_postgres(url) {
        if format != Format::PgDump {
            bail!(
                "{} is a SQLite backup: restore it into a sqlite:// database",
                file.display()
            );
        }
        let empty = postgres_is_empty(url)
            .await
            .context("cannot reach the target database")?;
        if !empty && !force {
            bail!("the target database holds tables: restore into an empty database, or give --force to replace what it holds");
        }
        let path = file.to_str().context("the backup path is not UTF-8")?;
        let mut args = vec!["--no-owner", "--no-privileges", "--exit-on-error"];
        if !empty {
            args.extend(["--clean", "--if-exists"]);
        }
        args.extend(["--dbname", url.as_str(), path]);
        run_tool("pg_restore", &args)?;
    } else {
        if format != Format::Sqlite {
            bail!(
                "{} is a PostgreSQL dump: restore it into a postgres:// database",
                file.display()
            );
        }
        let target =
            sqlite_path(url).context("the database URL is neither sqlite:// nor postgres://")?;
        let holds_data = std::fs::metadata(&target).is_ok_and(|m| m.len() > 0);
        if holds_data && !force {
            bail!(
                "{} exists: restore into a new path, or give --force to replace it (stop the node first)",
                target.display()
            );
        }
        // Copied beside the target, then renamed over it: a crash leaves
        // either the old file or the whole backup.
        let partial = target.with_extension("restoring");
        std::fs::copy(file, &partial)
            .with_context(|| format!("cannot copy {} to {}", file.display(), partial.display()))?;
        for stale in ["-wal", "-shm"] {
            let mut p = target.clone().into_os_string();
            p.push(stale);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::rename(&partial, &target)
            .with_context(|| format!("cannot move the restored file to {}", target.display()))?;
    }
    let store = crate::open(db).await?;
    let summary = store.summary().await?;
    match store.verify_audit().await? {
        Ok(_) => {
            println!("restored into {}: {summary}", crate::redact(url));
            println!("audit log intact");
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            eprintln!(
                "restored, but the audit log is broken at entry {}: {}",
                b.seq, b.reason
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Scheduled backups of `serve --backup-dir`.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

const PREFIX: &str = "coalesce-backup-";

/// Backs the database up into `schedule.dir` every `schedule.every` (the
/// first one after one interval), keeping the newest `schedule.keep`
/// backups of this schedule (files named `coalesce-backup-…`; nothing
/// else in the directory is touched). Each backup is audited.
pub(crate) async fn scheduled(store: Store, url: String, schedule: Schedule) {
    let mut tick = tokio::time::interval(schedule.every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let stamp = utc_stamp();
        let ext = if is_postgres(&url) { "pgdump" } else { "db" };
        let file = schedule.dir.join(format!("{PREFIX}{stamp}.{ext}"));
        // Room first, so that never more than `keep` whole backups lie
        // there, even if the node dies between two steps; written under a
        // partial name, renamed once whole.
        prune(&schedule.dir, schedule.keep - 1);
        let partial = file.with_extension(format!("{ext}{PARTIAL}"));
        let outcome = if is_postgres(&url) {
            let (url, partial) = (url.clone(), partial.clone());
            tokio::task::spawn_blocking(move || pg_dump(&url, &partial))
                .await
                .map_err(anyhow::Error::from)
                .and_then(|r| r)
        } else {
            store
                .backup_into(&partial)
                .await
                .map_err(anyhow::Error::from)
        }
        .and_then(|()| {
            std::fs::rename(&partial, &file).with_context(|| {
                format!("cannot rename {} to {}", partial.display(), file.display())
            })
        });
        if outcome.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        let detail = match &outcome {
            Ok(()) => serde_json::json!({ "file": file.display().to_string(), "ok": true }),
            Err(e) => {
                serde_json::json!({ "file": file.display().to_string(), "error": e.to_string() })
            }
        };
        match outcome {
            Ok(()) => tracing::info!("backup written: {}", file.display()),
            Err(e) => tracing::warn!("scheduled backup failed: {e:#}"),
        }
        if let Err(e) = store
            .audit_event(
                "-",
                "-",
                "node.backup",
                &file.display().to_string(),
                &detail,
            )
            .await
        {
            tracing::warn!("the backup could not be audited: {e}");
        }
    }
}

/// UTC time as `YYYYMMDDTHHMMSS.mmmZ` (sorts as it reads).
fn utc_stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

/// What a backup being written is called until it is whole.
const PARTIAL: &str = ".partial";

/// Removes this schedule's backups beyond the newest `keep`, and any
/// partial one a crash left.
fn prune(dir: &Path, keep: usize) {
    let ours: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX))
        })
        .collect();
    let (partial, mut ours): (Vec<PathBuf>, Vec<PathBuf>) = ours
        .into_iter()
        .partition(|p| p.to_string_lossy().ends_with(PARTIAL));
    ours.sort();
    let excess = ours.len().saturating_sub(keep);
    for old in partial.into_iter().chain(ours.into_iter().take(excess)) {
        if let Err(e) = std::fs::remove_file(&old) {
            tracing::warn!("cannot remove the old backup {}: {e}", old.display());
        }
    }
}
