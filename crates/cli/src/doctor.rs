//! `coalesce doctor`: what an operator checks before and after an upgrade,
//! a restore or a scare. Each check prints one line — `ok`, `warn` or
//! `FAIL` — and, when not ok, what to do. Exit 1 when a check fails.

use crate::node::KeyArg;
use crate::DbArg;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Ok,
    Warn,
    Fail,
}

struct Report {
    worst: Level,
}

impl Report {
    fn line(&mut self, level: Level, what: &str, detail: impl AsRef<str>) {
        let tag = match level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        println!("{tag}  {what}: {}", detail.as_ref());
        self.worst = self.worst.max(level);
    }
}

/// Space left where `path` lives: (available bytes, total bytes).
#[cfg(unix)]
fn disk_space(path: &Path) -> Option<(u64, u64)> {
    let s = rustix::fs::statvfs(path).ok()?;
    Some((s.f_bavail * s.f_frsize, s.f_blocks * s.f_frsize))
}

#[cfg(not(unix))]
fn disk_space(_: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_: &Path) -> Option<u32> {
    None
}

pub(crate) async fn run(db: &DbArg, key: &KeyArg) -> Result<ExitCode> {
    let mut r = Report { worst: Level::Ok };
    let sqlite = db
        .database
        .strip_prefix("sqlite://")
        .map(|p| std::path::PathBuf::from(p.split('?').next().unwrap_or(p)));
    if let Some(path) = &sqlite {
        if !path.exists() {
            r.line(
                Level::Fail,
                "database",
                format!("there is no database at {}", path.display()),
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    let store = match coalesce_store::Store::open(&db.database).await {
        Ok(s) => s,
        Err(e) => {
            r.line(
                Level::Fail,
                "database",
                format!("cannot open {}: {e}", crate::redact(&db.database)),
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    r.line(
        Level::Ok,
        "database",
        format!("{} opens", crate::redact(&db.database)),
    );
    match store.schema_versions().await {
        Ok((applied, known)) if applied == known => {
            r.line(Level::Ok, "schema", format!("at migration {applied}"))
        }
        Ok((applied, known)) => r.line(
            Level::Fail,
            "schema",
            format!("at migration {applied}, this binary expects {known}: run a matching coalesce"),
        ),
        Err(e) => r.line(Level::Fail, "schema", e.to_string()),
    }
    match store.integrity_problems().await {
        Ok(p) if p.is_empty() => r.line(
            Level::Ok,
            "integrity",
            "the database's own check finds nothing",
        ),
        Ok(p) => r.line(
            Level::Fail,
            "integrity",
            format!(
                "{} problems, first: {}; restore the latest backup (coalesce restore)",
                p.len(),
                p[0]
            ),
        ),
        Err(e) => r.line(Level::Fail, "integrity", e.to_string()),
    }
    match store.verify_audit().await {
        Ok(Ok(n)) => r.line(Level::Ok, "audit log", format!("intact, {n} entries")),
        Ok(Err(b)) => r.line(
            Level::Fail,
            "audit log",
            format!("broken at entry {}: {}", b.seq, b.reason),
        ),
        Err(e) => r.line(Level::Fail, "audit log", e.to_string()),
    }
    if let Some(path) = &sqlite {
        match mode_of(path) {
            Some(mode) if mode & 0o007 != 0 => r.line(
                Level::Warn,
                "database file",
                format!(
                    "{} is readable by every user (mode {mode:o}): chmod o-rwx it",
                    path.display()
                ),
            ),
            Some(mode) => r.line(Level::Ok, "database file", format!("mode {mode:o}")),
            None => {}
        }
    }
    match crate::node::key_path(&store, &db.database, key).await {
        Ok(path) if !path.exists() => r.line(
            Level::Warn,
            "node key",
            format!(
                "no key at {} yet: `coalesce serve` makes one on its first start",
                path.display()
            ),
        ),
        Ok(path) => match crate::node::read_key(&path) {
            Ok(k) => {
                let current = store
                    .node_keys()
                    .await
                    .ok()
                    .and_then(|keys| keys.into_iter().find(|k| k.retired_at_ms.is_none()))
                    .map(|k| k.public_key);
                match current {
                    Some(c) if c != k.public().to_text() => r.line(
                        Level::Fail,
                        "node key",
                        format!(
                            "{} is not the key this database records ({c}): the wrong key file, or a database of another node",
                            path.display()
                        ),
                    ),
                    _ => r.line(
                        Level::Ok,
                        "node key",
                        format!("{} (mode 600, {})", path.display(), k.public().fingerprint()),
                    ),
                }
            }
            Err(e) => r.line(Level::Fail, "node key", format!("{e:#}")),
        },
        Err(e) => r.line(Level::Warn, "node key", format!("{e:#}")),
    }
    // SQLite's disk is this machine's; PostgreSQL's is its server's to watch.
    let here = sqlite.as_ref().map(|p| {
        p.parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| std::path::PathBuf::from("."))
    });
    match here.as_deref().and_then(|h| disk_space(h).map(|s| (h, s))) {
        Some((here, (free, total))) if free < 1 << 30 || free * 10 < total => r.line(
            Level::Warn,
            "disk",
            format!(
                "{} MiB free of {} MiB where {} is: free some, or move the database",
                free >> 20,
                total >> 20,
                here.display()
            ),
        ),
        Some((_, (free, total))) => r.line(
            Level::Ok,
            "disk",
            format!("{} MiB free of {} MiB", free >> 20, total >> 20),
        ),
        None => {}
    }
    match store.peers().await {
        Ok(peers) => {
            for p in peers {
                let s = &p.pull;
                let failing = s.last_error_at_ms > s.last_success_at_ms;
                if p.paused {
                    r.line(
                        Level::Warn,
                        &format!("peer {}", p.name),
                        "paused (coalesce peer resume)",
                    );
                } else if !s.has_credential {
                    r.line(
                        Level::Warn,
                        &format!("peer {}", p.name),
                        "not connected: keep the credential it issued (coalesce peer connect)",
                    );
                } else if failing {
                    r.line(
                        Level::Warn,
                        &format!("peer {}", p.name),
                        format!(
                            "failing: {} (coalesce peer status)",
                            s.last_error.as_deref().unwrap_or("-")
                        ),
                    );
                } else {
                    r.line(
                        Level::Ok,
                        &format!("peer {}", p.name),
                        format!("at {} of {}", s.cursor, s.peer_high),
                    );
                }
            }
        }
        Err(e) => r.line(Level::Fail, "peers", e.to_string()),
    }
    store.close().await;
    Ok(if r.worst == Level::Fail {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
