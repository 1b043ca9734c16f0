//! Appending to and verifying the hash-chained audit log.

use crate::bulk::{Arg, Writes};
use crate::{now_ms, Principal, Result, Store, SYSTEM_ACTOR};
use coalesce_domain::audit::{entry_hash, AuditEntry, ChainBreak, ChainVerifier, GENESIS_HASH};
use sqlx::{AnyConnection, Row};

/// Appends one entry inside the caller's write transaction, so the entry
/// commits (or rolls back) with the change it records.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    actor: Option<&Principal>,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    append_named(
        conn,
        actor.map(|p| p.username.as_str()).unwrap_or(SYSTEM_ACTOR),
        actor.map(|p| p.member.as_str()).unwrap_or(SYSTEM_ACTOR),
        action,
        subject,
        detail,
    )
    .await
}

pub(crate) async fn append_named(
    conn: &mut AnyConnection,
    actor: &str,
    member: &str,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let mut writes = Writes::default();
    append_into(
        conn,
        &mut writes,
        actor,
        member,
        &[(action.to_string(), subject.to_string(), detail.clone())],
    )
    .await?;
    writes.run(conn).await.map(drop)
}

/// Appends one entry per `(action, subject, detail)`, in order, by the same
/// actor: the head is read and written once for the whole batch.
pub(crate) async fn append_many(
    conn: &mut AnyConnection,
    actor: Option<&Principal>,
    entries: &[(String, String, serde_json::Value)],
) -> Result<()> {
    let mut writes = Writes::default();
    append_into(
        conn,
        &mut writes,
        actor.map(|p| p.username.as_str()).unwrap_or(SYSTEM_ACTOR),
        actor.map(|p| p.member.as_str()).unwrap_or(SYSTEM_ACTOR),
        entries,
    )
    .await?;
    writes.run(conn).await.map(drop)
}

async fn append_into(
    conn: &mut AnyConnection,
    writes: &mut Writes,
    name: &str,
    member: &str,
    entries: &[(String, String, serde_json::Value)],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    append_at(writes, read_head(conn).await?, name, member, entries);
    Ok(())
}

/// The chain's head as it is now (the caller holds the write lock).
async fn read_head(conn: &mut AnyConnection) -> Result<Head> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(Head::from_row(head))
}

/// The audit chain's last entry: its number and hash.
pub(crate) struct Head {
    seq: i64,
    hash: String,
}

impl Head {
    /// From the `seq, hash` of `audit_head` (no row: the chain is empty).
    pub(crate) fn from_row(row: Option<(i64, String)>) -> Head {
        let (seq, hash) = row.unwrap_or((0, GENESIS_HASH.to_string()));
        Head { seq, hash }
    }
}

/// As [`append_many`], gathered into `writes`, after `head` read under the write lock by the
/// caller (with its other reads, one round trip fewer); nothing may append
/// between that read and these writes.
pub(crate) fn append_many_at(
    writes: &mut Writes,
    head: Head,
    actor: Option<&Principal>,
    entries: &[(String, String, serde_json::Value)],
) {
    append_at(
        writes,
        head,
        actor.map(|p| p.username.as_str()).unwrap_or(SYSTEM_ACTOR),
        actor.map(|p| p.member.as_str()).unwrap_or(SYSTEM_ACTOR),
        entries,
    )
}

fn append_at(
    writes: &mut Writes,
    head: Head,
    name: &str,
    member: &str,
    entries: &[(String, String, serde_json::Value)],
) {
    append_each_at(
        writes,
        head,
        entries.iter().map(|(action, subject, detail)| {
            (name, member, action.as_str(), subject.as_str(), detail)
        }),
    )
}

/// One entry of the chain as written: actor, member, action, subject, detail.
type EntryFields<'a> = (&'a str, &'a str, &'a str, &'a str, &'a serde_json::Value);

/// The rows of `entries` chained after `head`, and the new head, into
/// `writes`.
fn append_each_at<'a>(
    writes: &mut Writes,
    head: Head,
    entries: impl Iterator<Item = EntryFields<'a>>,
) {
    let Head {
        mut seq,
        hash: mut prev_hash,
    } = head;
    let at = now_ms();
    let mut rows = Vec::new();
    for (name, member, action, subject, detail) in entries {
        seq += 1;
        let detail = detail.to_string();
        let hash = entry_hash(
            &prev_hash,
            seq,
            at,
            [name, member, action, subject, &detail],
        );
        rows.push(vec![
            Arg::Int(seq),
            Arg::Int(at),
            Arg::Text(name.to_string()),
            Arg::Text(member.to_string()),
            Arg::Text(action.to_string()),
            Arg::Text(subject.to_string()),
            Arg::Text(detail),
            Arg::Text(std::mem::replace(&mut prev_hash, hash.clone())),
            Arg::Text(hash),
        ]);
    }
    if rows.is_empty() {
        return;
    }
    writes.rows(
        "audit_log (seq, at_ms, actor, member, action, subject, detail, prev_hash, hash)",
        rows,
        "",
    );
    writes.statement(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash".into(),
        vec![Arg::Int(seq), Arg::Text(prev_hash)],
    );
}

/// Appends entries of several actors, in order, under the caller's write
/// lock: the head is read once and the rows go in one [`Writes`] (the
/// queued audit entries of reads, a group at a time), not two round trips
/// per entry.
pub(crate) async fn append_each(
    conn: &mut AnyConnection,
    entries: &[EntryFields<'_>],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let head = read_head(conn).await?;
    let mut writes = Writes::default();
    append_each_at(&mut writes, head, entries.iter().copied());
    writes.run(conn).await.map(drop)
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at_ms: r.try_get("at_ms")?,
        actor: r.try_get("actor")?,
        member: r.try_get("member")?,
        action: r.try_get("action")?,
        subject: r.try_get("subject")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Entries about running the node rather than about a marked record, as
/// SQL `LIKE` patterns of their action: about the accounts (their subject
/// is a username) …
const ACCOUNT_ACTIONS: [&str; 4] = [
    "login%", // login, login_failed, login_rate_limited
    "logout", "user.%", "token.%",
];

/// … and about the registry and the node's settings, which every
/// administrator may see.
const REGISTRY_ACTIONS: [&str; 6] = [
    "member.%",
    "group.%",
    "line_of_effort.%",
    "screening.list_%",
    "screening.rescreen",
    "setting.%",
];

/// What an audit listing is narrowed to (each empty for any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Actions starting with this (`login`, `note.`, `user.unlock`).
    pub action: String,
    /// The acting username, exactly.
    pub actor: String,
    /// The subject (a record id, a username), exactly.
    pub subject: String,
}

const ENTRY_COLUMNS: &str = "seq, at_ms, actor, member, action, subject, detail, prev_hash, hash";

impl Store {
    /// Records an event that changes nothing else (a login, a failed login,
    /// a read of an AMBER or RED record).
    pub async fn audit_event(
        &self,
        actor: &str,
        member: &str,
        action: &str,
        subject: &str,
        detail: &serde_json::Value,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        append_named(&mut w.tx, actor, member, action, subject, detail).await?;
        w.commit().await
    }

    /// The newest entries first, up to `limit`, before sequence `before`.
    pub async fn audit_entries(&self, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// The entries `p` may see, newest first: those about records its
    /// member may read (the one audience filter decides), its own member's
    /// actions, and — for administrators, who run the node — operational
    /// entries (logins, users, tokens, registry, settings, sanctions lists).
    /// Nobody sees another member's work on records released elsewhere.
    pub async fn audit_entries_for(
        &self,
        p: &Principal,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_entries_filtered(p, before, limit, &AuditFilter::default())
            .await
    }

    /// [`Store::audit_entries_for`], narrowed by `filter`.
    pub async fn audit_entries_filtered(
        &self,
        p: &Principal,
        before: Option<i64>,
        limit: i64,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>> {
        let like = |patterns: &[&str]| {
            patterns
                .iter()
                .map(|a| format!("action LIKE '{a}'"))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        // Administrators see how the node runs: the node operator (the
        // secretariat's) every account's entries, a member's administrator
        // those about its own member's users only.
        let operator = if p.role == coalesce_domain::Role::Admin {
            let accounts = match self.console_scope(p).await? {
                None => format!(" OR {}", like(&ACCOUNT_ACTIONS)),
                Some(_) => format!(
                    " OR (({}) AND subject IN (SELECT username FROM users WHERE member_code = $3))",
                    like(&ACCOUNT_ACTIONS)
                ),
            };
            format!(" OR {}{accounts}", like(&REGISTRY_ACTIONS))
        } else {
            String::new()
        };
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq < $1 AND (member = $3 {operator} OR {}) \
             AND ($4 = '' OR substr(action, 1, length($4)) = $4) AND ($5 = '' OR actor = $5) \
             AND ($6 = '' OR subject = $6) ORDER BY seq DESC LIMIT $2",
            crate::audience::readable("audit_log.subject", "$3")
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .bind(p.member.as_str())
        .bind(filter.action.as_str())
        .bind(filter.actor.as_str())
        .bind(filter.subject.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Walks the whole chain in pages and checks every link and the head.
    /// Returns the number of entries verified or the first break.
    pub async fn verify_audit(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let mut verifier = ChainVerifier::default();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000"
            ))
            .bind(verifier.head().0)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                if let Err(b) = verifier.push(&entry_from_row(row)?) {
                    return Ok(Err(b));
                }
            }
        }
        let (last_seq, last_hash) = verifier.head();
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(match head {
            None if last_seq == 0 => Ok(0),
            None => Err(ChainBreak {
                seq: 1,
                reason: "the chain head record is missing".into(),
            }),
            Some((seq, hash)) if seq == last_seq && hash == last_hash => Ok(last_seq as u64),
            Some((seq, _)) if seq > last_seq => Err(ChainBreak {
                seq: last_seq + 1,
                reason: format!(
                    "entries {}..={seq} were removed from the end of the log",
                    last_seq + 1
                ),
            }),
            Some((seq, _)) => Err(ChainBreak {
                seq,
                reason: "the chain head does not match the last entry".into(),
            }),
        })
    }
}
