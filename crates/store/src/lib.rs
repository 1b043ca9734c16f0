//! Storage of coalesce: one `Store` over SQLite (default, embedded) or
//! PostgreSQL, chosen by the database URL.
//!
//! Both backends run the same runtime SQL through sqlx's `Any` driver; the
//! few places where they differ (connection pragmas, migrations, write
//! serialisation) are behind [`Dialect`]. This crate is the only one that
//! knows SQL. Every query that reads a marked record filters through
//! [`audience::readable`], so lists, counts and fetches cannot bypass the
//! releasability rule. Every change and its audit entry commit together.

pub mod accounts;
pub mod allocation;
pub mod audience;
pub mod audit;
pub mod backup;
mod bulk;
mod conditions;
mod contribution_lifecycle;
mod contributions;
mod counts;
mod entities;
pub mod federation;
pub mod fund;
pub mod inbox;
pub mod indicators;
mod legacy_needs;
pub mod login_limits;
pub mod meetings;
mod migrate;
pub mod needs;
pub mod node;
pub mod notes;
pub mod peers;
pub mod picture;
mod read_audit;
pub mod records;
pub mod registry;
pub mod registry_replica;
pub mod report;
pub mod reports;
pub mod rescreen;
mod rollup;
pub mod screening;
mod search;
pub mod sources;
pub mod stix;
mod stix_projection;
mod stix_read;
pub mod testing;
pub mod user_admin;

use coalesce_domain::{DomainError, MemberCode, Role, Username};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// SQL placeholders `$first`, `$first+1`, … for `n` bound values (an
/// `IN (…)` list).
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ids in `IN (…)` chunks of at most 500, each padded (its last id
/// repeated, which changes no answer) to one of a few lengths: a
/// connection then prepares and keeps a handful of statements for a set
/// query, not one per list length (prepared statements are cached per
/// connection, and a long export would fill the caches with hundreds).
pub(crate) fn in_chunks<T: Copy>(ids: &[T]) -> Vec<Vec<T>> {
    const LENGTHS: [usize; 5] = [1, 10, 50, 200, 500];
    ids.chunks(500)
        .map(|c| {
            let len = LENGTHS
                .iter()
                .copied()
                .find(|l| *l >= c.len())
                .unwrap_or(c.len());
            let mut v = c.to_vec();
            if let Some(last) = c.last() {
                v.resize(len, *last);
            }
            v
        })
        .collect()
}

impl Dialect {
    /// SQL for the UTC month (YYYY-MM) of a column of epoch milliseconds.
    pub(crate) fn month_of_ms(self, col: &str) -> String {
        match self {
            Dialect::Sqlite => format!("strftime('%Y-%m', {col} / 1000, 'unixepoch')"),
            Dialect::Postgres => {
                format!("to_char(to_timestamp({col} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')")
            }
        }
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The change cannot be made in the record's present state (typed: see
    /// [`ConflictCode`]).
    #[error("{0}")]
    Conflict(Conflict),
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error("{0}")]
    BadRequest(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A fund operation of a batch refused by a ledger rule (`rule`, a
    /// stable code); nothing of the batch was written.
    #[error("operation {operation}: {message}")]
    Ledger {
        operation: usize,
        rule: &'static str,
        message: String,
    },
    /// A batch (import) refused as a whole: (line, reason) of each bad row.
    #[error("{} rows cannot be imported", .0.len())]
    Rows(Vec<(u64, String)>),
}

/// Why a change conflicts with the record's present state; each is a stable
/// code in problem documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictCode {
    /// The record is at another version than the one the change was made
    /// against (`if_version`), or changed while this change was made.
    VersionConflict,
    /// The record was withdrawn; a withdrawn record does not change.
    AlreadyWithdrawn,
    /// The lifecycle does not allow this step from the present state.
    InvalidTransition,
    /// A field that never changes after creation was given another value.
    ImmutableField,
    /// The id is taken.
    DuplicateId,
    /// A member, group, user, line of effort or indicator of that name exists.
    AlreadyExists,
}

impl ConflictCode {
    pub const ALL: [ConflictCode; 6] = [
        ConflictCode::VersionConflict,
        ConflictCode::AlreadyWithdrawn,
        ConflictCode::InvalidTransition,
        ConflictCode::ImmutableField,
        ConflictCode::DuplicateId,
        ConflictCode::AlreadyExists,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::VersionConflict => "version_conflict",
            ConflictCode::AlreadyWithdrawn => "already_withdrawn",
            ConflictCode::InvalidTransition => "invalid_transition",
            ConflictCode::ImmutableField => "immutable_field",
            ConflictCode::DuplicateId => "duplicate_id",
            ConflictCode::AlreadyExists => "already_exists",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{detail}")]
pub struct Conflict {
    pub code: ConflictCode,
    pub detail: String,
    /// For `version_conflict`: the version the record is at now.
    pub current_version: Option<i64>,
}

impl StoreError {
    pub fn conflict(code: ConflictCode, detail: impl Into<String>) -> StoreError {
        StoreError::Conflict(Conflict {
            code,
            detail: detail.into(),
            current_version: None,
        })
    }

    /// `if_version` named another version than the record's `current`.
    pub fn stale(what: &str, current: i64, asked: i64) -> StoreError {
        StoreError::Conflict(Conflict {
            code: ConflictCode::VersionConflict,
            detail: format!("the {what} is at version {current}, not {asked}"),
            current_version: Some(current),
        })
    }

    /// The record changed between reading it and writing the change.
    pub fn changed_meanwhile(what: &str) -> StoreError {
        StoreError::conflict(
            ConflictCode::VersionConflict,
            format!("the {what} changed meanwhile; reload and try again"),
        )
    }

    pub fn withdrawn(what: &str) -> StoreError {
        StoreError::conflict(
            ConflictCode::AlreadyWithdrawn,
            format!("the {what} was withdrawn"),
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The authenticated user on whose behalf a store call is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub username: Username,
    pub member: MemberCode,
    pub role: Role,
}

/// Who an audit entry names when no user is logged in (CLI, demo loader).
pub const SYSTEM_ACTOR: &str = "-";

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// Serialises write transactions in this process: SQLite has one writer
    /// anyway, and the audit chain needs each append to see the last one.
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// How many search documents hold a word, remembered for a while:
    /// FTS5 counts a word by reading its whole posting list (tens of ms for
    /// a word in every document), and search asks for every query word.
    word_counts:
        Arc<std::sync::Mutex<std::collections::HashMap<String, (i64, std::time::Instant)>>>,
    /// Up to how many matches of its words a search is ranked by FTS5's
    /// `bm25()` rather than in Rust (`reports::NATIVE_BM25_MAX_MATCHES`).
    native_bm25_max: Arc<std::sync::atomic::AtomicI64>,
    /// The node's id (the `node_id` setting), read once: it never changes.
    node_id: Arc<tokio::sync::OnceCell<String>>,
    /// The node's signing key, once the node has loaded it
    /// (`set_node_key`): every version written here is then signed.
    node_key: Arc<std::sync::RwLock<Option<Arc<coalesce_federation::NodeKey>>>>,
    /// The queue the audit entries of reads are written through
    /// (`read_audit`).
    read_audits: Arc<read_audit::ReadAudits>,
    /// Days a record about a person is kept when its writer gives no day
    /// (`set_retention_days`; [`coalesce_domain::personal`]).
    retention_days: Arc<std::sync::atomic::AtomicU32>,
    /// SQLite: the task copying the WAL back into the database
    /// ([`checkpoint_in_background`]); it ends with the last clone.
    _checkpointer: Option<Arc<AbortOnDrop>>,
}

/// A task that ends when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How often SQLite's WAL is copied back into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// The write-ahead log's size, in pages, past which a committing writer
/// copies it back itself (SQLite's default is 1,000: every big commit
/// would then pay for the copy and its two fsyncs). A backstop: the task
/// of [`checkpoint_in_background`] normally copies it long before.
const WAL_PAGES_BEFORE_THE_WRITER_CHECKPOINTS: u32 = 20_000;

/// The size the WAL file is cut back to once copied back (without it,
/// the file keeps the largest size it ever had).
const WAL_BYTES_KEPT: u32 = 64 << 20;

/// Copies SQLite's WAL back into the database every [`CHECKPOINT_EVERY`],
/// beside the writer rather than at the end of its commits (a pulled page
/// of a thousand records commits a few MB; copying them in the same
/// breath cost the apply a sixth of its time). PASSIVE: it never waits
/// for a reader or the writer; what it cannot copy yet, the next one does.
fn checkpoint_in_background(pool: AnyPool) -> AbortOnDrop {
    AbortOnDrop(tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failed_in_a_row = 0u32;
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                Ok(_) => failed_in_a_row = 0,
                Err(e) => {
                    failed_in_a_row += 1;
                    // Said once a streak: a writer still checkpoints past
                    // WAL_PAGES_BEFORE_THE_WRITER_CHECKPOINTS.
                    if failed_in_a_row == 3 {
                        tracing::warn!("copying the WAL back into the database fails: {e}");
                    }
                }
            }
        }
    }))
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

/// Now, in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A new UUIDv7 whose time part is `at_ms` (so seeded historical records sort
/// by their own dates). Ids made in the same millisecond by this process are
/// increasing (a 26-bit counter: the 12 bits of `rand_a` and the first 14 of
/// `rand_b`, RFC 9562's method 1), so "newest first" by id is exact — for up
/// to 60 million ids of one millisecond; 48 random bits follow.
pub(crate) fn new_id_at(at_ms: i64) -> String {
    // The counters of the milliseconds ids were last made at (least
    // recently used one replaced): ids of one millisecond still count up
    // when ids of other times (an import at a given time, a write now) are
    // made between them.
    /// (millisecond, counter, when last used) of each slot; uses so far.
    type Counters = ([(i64, u32, u64); 8], u64);
    const COUNTER_MAX: u32 = (1 << 26) - 1;
    static RECENT: std::sync::Mutex<Counters> = std::sync::Mutex::new(([(i64::MIN, 0, 0); 8], 0));
    let mut bytes = [0u8; 10];
    // The thread's CSPRNG (seeded from the OS): an id's random part needs
    // no system call of its own (a pulled page makes a thousand ids).
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
    let counter = {
        let mut guard = RECENT.lock().unwrap_or_else(|e| e.into_inner());
        let (recent, uses) = &mut *guard;
        *uses += 1;
        let (slot, next) = match recent.iter().position(|(ms, ..)| *ms == at_ms) {
            Some(i) => (i, recent[i].1.saturating_add(1).min(COUNTER_MAX)),
            None => {
                // The count starts low in the range (its first 16th),
                // leaving room to count up.
                let lru = (0..recent.len()).min_by_key(|&i| recent[i].2).unwrap_or(0);
                (
                    lru,
                    u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]) & 0x3f_ffff,
                )
            }
        };
        recent[slot] = (at_ms, next, *uses);
        next
    };
    // Counter bits 25..14 into rand_a (the builder puts the version in the
    // top 4 bits of bytes 0..2), bits 13..0 after rand_b's 2 variant bits.
    let rand_a = (counter >> 14) as u16;
    bytes[..2].copy_from_slice(&rand_a.to_be_bytes());
    bytes[2] = ((counter >> 8) & 0x3f) as u8;
    bytes[3] = (counter & 0xff) as u8;
    let ms = u64::try_from(at_ms).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &bytes)
        .into_uuid()
        .to_string()
}

impl Store {
    /// Opens (and creates, for SQLite) the database at `url` and brings its
    /// schema up to date. `sqlite://PATH`, `sqlite::memory:` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (dialect, url) = if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(StoreError::BadRequest(
                    "sqlite URL has no path: use sqlite://PATH".into(),
                ));
            }
            let sep = if rest.contains('?') { '&' } else { '?' };
            (Dialect::Sqlite, format!("sqlite://{rest}{sep}mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Dialect::Postgres, url.to_string())
        } else {
            return Err(StoreError::BadRequest(format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            )));
        };
        let opts = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::BadRequest(format!("invalid database URL: {e}")))?;
        let pool_opts = match dialect {
            Dialect::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL: readers never wait for the writer; synchronous
                        // NORMAL in WAL keeps every committed write across a
                        // process kill.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                            .await?;
                        let wal = format!(
                            "PRAGMA wal_autocheckpoint = {WAL_PAGES_BEFORE_THE_WRITER_CHECKPOINTS}; \
                             PRAGMA journal_size_limit = {WAL_BYTES_KEPT};"
                        );
                        conn.execute(wal.as_str()).await?;
                        Ok(())
                    })
                }),
            Dialect::Postgres => AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // No JIT: a statement whose estimate crosses
                        // jit_above_cost spends a second compiling what runs
                        // in milliseconds (the figures upsert of a 500-row
                        // import batch: 1.1 s of JIT for 0.15 s of work).
                        // Index reads priced as on an SSD with the working
                        // set cached, not a spinning disk's 4: else the
                        // releasability check of 500 contributions × 62
                        // members hashes all 7M audience rows (4.4 s)
                        // instead of 31,000 index probes (0.28 s).
                        // Only where the operator left them at the server's
                        // default (postgresql.conf, ALTER DATABASE or ROLE
                        // win); a server without JIT has no such row.
                        conn.execute(
                            "SELECT set_config(name, CASE name WHEN 'jit' THEN 'off' ELSE '1.1' END, false) \
                             FROM pg_settings WHERE name IN ('jit', 'random_page_cost') AND source = 'default'",
                        )
                        .await?;
                        Ok(())
                    })
                }),
        };
        let pool = pool_opts
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(one_line(&e.to_string())))?;
        let checkpointer =
            (dialect == Dialect::Sqlite).then(|| Arc::new(checkpoint_in_background(pool.clone())));
        let store = Store {
            pool,
            dialect,
            _checkpointer: checkpointer,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
            word_counts: Arc::default(),
            native_bm25_max: Arc::new(std::sync::atomic::AtomicI64::new(
                reports::NATIVE_BM25_MAX_MATCHES,
            )),
            node_id: Arc::default(),
            node_key: Arc::default(),
            read_audits: Arc::default(),
            retention_days: Arc::new(std::sync::atomic::AtomicU32::new(
                coalesce_domain::personal::DEFAULT_RETENTION_DAYS,
            )),
        };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// Ranks searches whose words match more than `matches` documents in
    /// Rust instead of with FTS5's `bm25()` (-1: always in Rust). For tests
    /// and tuning; the default suits a million reports on two cores.
    pub fn set_native_bm25_max(&self, matches: i64) {
        self.native_bm25_max
            .store(matches, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction; the returned guard keeps other writers of
    /// this process out until it is dropped.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx<'_>> {
        let guard = self.write_lock.lock().await;
        let mut tx = match self.dialect {
            // Take SQLite's write lock at once: a deferred transaction that
            // reads first (the audit chain's previous hash) and writes after
            // cannot wait for a writer that committed in between (it gets
            // "database is locked" at once, past the busy timeout).
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        };
        if self.dialect == Dialect::Postgres {
            // Other processes (CLI, other replicas) writing to the same
            // database wait here, so the audit chain stays linear. Not sent
            // with the BEGIN: sqlx rolls back a transaction dropped while
            // its lock is awaited only once `begin` has returned, so a
            // request cancelled in the wait would hand the pool a
            // connection inside a transaction that holds the lock.
            tx.execute("SELECT pg_advisory_xact_lock(7261)").await?;
        }
        Ok(WriteTx {
            tx,
            dialect: self.dialect,
            _guard: guard,
        })
    }

    /// A read-only transaction that sees one snapshot for all its
    /// statements (SQLite's deferred transaction in WAL mode; PostgreSQL
    /// asked for repeatable read), so that reads made together agree.
    pub(crate) async fn begin_snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.pool.begin().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Writes the queued audit entries of reads, then closes the pool.
    pub async fn close(&self) {
        self.flush_read_audits().await;
        self.pool.close().await;
    }

    /// A key/value setting of the node (e.g. the secretariat member).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            None,
            "setting.set",
            key,
            &serde_json::json!({ "value": value }),
        )
        .await?;
        w.commit().await
    }

    /// A secret of the node (32 random bytes), made on first use and kept in
    /// the database so every process serving it shares it. Never audited
    /// or shown: it keys what the node hands out (TAXII `next` tokens).
    pub async fn node_secret(&self, name: &str) -> Result<[u8; 32]> {
        let key = format!("secret:{name}");
        if self.setting(&key).await?.is_none() {
            let mut b = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
            let w = self.begin_write().await?;
            let mut w = w;
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(&key)
            .bind(hex::encode(b))
            .execute(&mut *w.tx)
            .await?;
            w.commit().await?;
        }
        let value = self.setting(&key).await?.unwrap_or_default();
        let mut out = [0u8; 32];
        hex::decode_to_slice(&value, &mut out)
            .map_err(|e| StoreError::Corrupt(format!("node secret {name}: {e}")))?;
        Ok(out)
    }

    /// The member whose coordinators manage the registry.
    pub async fn secretariat(&self) -> Result<Option<MemberCode>> {
        Ok(self
            .setting("secretariat")
            .await?
            .and_then(|s| MemberCode::parse(&s).ok()))
    }

    /// True when the database holds no members yet (a fresh node).
    pub async fn is_empty(&self) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }
}

pub(crate) struct WriteTx<'a> {
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) dialect: Dialect,
    _guard: tokio::sync::MutexGuard<'a, ()>,
}

impl WriteTx<'_> {
    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// Errors from drivers can span lines; the CLI prints one.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps a unique-constraint violation to a conflict `code` with `msg`.
pub(crate) fn conflict_on_unique(
    e: sqlx::Error,
    code: ConflictCode,
    msg: impl FnOnce() -> String,
) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::conflict(code, msg());
        }
        if db.is_foreign_key_violation() {
            return StoreError::BadRequest(format!(
                "refers to something that does not exist: {}",
                one_line(db.message())
            ));
        }
    }
    StoreError::Database(e)
}

#[cfg(test)]
mod tests {
    #[test]
    fn in_lists_come_in_a_few_lengths_and_hold_every_id() {
        let ids: Vec<String> = (0..1234).map(|i| format!("id-{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let chunks = super::in_chunks(&ids);
        let lengths: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(lengths, [500, 500, 500], "234 padded to 500");
        let held: std::collections::BTreeSet<&str> = chunks.iter().flatten().copied().collect();
        assert_eq!(held.len(), 1234);
        assert_eq!(super::in_chunks(&ids[..7])[0].len(), 10);
        assert_eq!(super::in_chunks(&ids[..1])[0], ["id-0"]);
        assert!(super::in_chunks::<&str>(&[]).is_empty());
    }

    #[test]
    fn ids_of_one_millisecond_increase_and_carry_their_time() {
        // Far more than the 4,096 a 12-bit counter held.
        let ids: Vec<String> = (0..20_000)
            .map(|_| super::new_id_at(1_420_070_400_000))
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        // Ids of other times made in between do not restart the count.
        let a = super::new_id_at(1_420_070_400_001);
        let _other = super::new_id_at(1_500_000_000_000);
        let b = super::new_id_at(1_420_070_400_001);
        assert!(a < b, "{a} < {b}");
        let u = uuid::Uuid::parse_str(&ids[0]).expect("uuid");
        assert_eq!(u.get_version_num(), 7);
        let (secs, _) = u.get_timestamp().expect("timestamp").to_unix();
        assert_eq!(secs, 1_420_070_400);
        assert!(super::new_id_at(1_000) < ids[0], "older times sort first");
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
    }
}
