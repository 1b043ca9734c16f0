//! Fresh databases for tests, on the backend the environment chooses:
//! `COALESCE_TEST_POSTGRES=postgres://USER@HOST:PORT/postgres` runs the suite
//! on PostgreSQL (a new database per test); otherwise a new SQLite file.

use crate::{Result, Store};

/// The database URL of a new, empty database.
pub async fn fresh_database_url() -> Result<String> {
    let name = format!("coalesce_test_{}", uuid::Uuid::now_v7().simple());
    match std::env::var("COALESCE_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&admin).await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            Ok(format!("{base}/{name}"))
        }
        _ => {
            let path = sqlite_test_dir().join(format!("{name}.db"));
            Ok(format!("sqlite://{}", path.display()))
        }
    }
}

/// Where this test process keeps its SQLite databases: a directory of its
/// own under the system's temporary directory. A test cannot remove its
/// database (the store outlives the test's last line), so each process
/// first removes the directories of test processes that have ended —
/// thousands of files a run otherwise leave behind, gigabytes in a day.
fn sqlite_test_dir() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join("coalesce-tests");
        // Whether a process is alive is known from /proc (Linux); elsewhere
        // nothing is removed.
        if std::path::Path::new("/proc/self").exists() {
            for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
                let ended = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
                if ended {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(std::process::id().to_string());
        if std::fs::create_dir_all(&dir).is_err() {
            return std::env::temp_dir();
        }
        dir
    })
    .clone()
}

/// A store on a new, empty database.
pub async fn fresh_store() -> Result<Store> {
    Store::open(&fresh_database_url().await?).await
}

/// Which backend the tests run on, for messages.
pub fn backend() -> &'static str {
    if std::env::var("COALESCE_TEST_POSTGRES")
        .map(|v| !v.is_empty())
        .unwrap_or(false)
    {
        "postgres"
    } else {
        "sqlite"
    }
}

/// The password of every user [`seed_small`] creates.
pub const SEED_PASSWORD: &str = "correct horse battery staple";

/// A small coalition for tests: USA (secretariat), GBR, FRA, IRQ (partner);
/// group `small-group` = USA, GBR; users `usa` (coordinator), `gbr`, `fra`,
/// `irq` (contributors), `viewer` (GBR, viewer) and `admin` (USA, admin).
pub async fn seed_small(store: &Store) -> Result<()> {
    use coalesce_domain::registry::NewMember;
    use coalesce_domain::{MemberCode, Role, Username};
    for (code, role) in [
        ("USA", "member"),
        ("GBR", "member"),
        ("FRA", "member"),
        ("IRQ", "partner"),
    ] {
        store
            .create_member(
                None,
                &NewMember::parse(code, code, "state", role, Some("2014-09-05"))?,
            )
            .await?;
    }
    store.set_setting("secretariat", "USA").await?;
    let g = crate::registry::NewGroup::parse(
        "small-group",
        "Small group",
        "small_group",
        "",
        &["USA".into(), "GBR".into()],
    )?;
    store.create_group(None, &g).await?;
    store
        .create_line_of_effort(None, "humanitarian", "Addressing humanitarian crises", "")
        .await?;
    let phc = crate::accounts::hash_password(SEED_PASSWORD)?;
    for (u, m, r) in [
        ("usa", "USA", Role::Coordinator),
        ("gbr", "GBR", Role::Contributor),
        ("fra", "FRA", Role::Contributor),
        ("irq", "IRQ", Role::Contributor),
        ("viewer", "GBR", Role::Viewer),
        ("admin", "USA", Role::Admin),
    ] {
        store
            .insert_user(None, &Username::parse(u)?, &MemberCode::parse(m)?, r, &phc)
            .await?;
    }
    Ok(())
}

/// Runs a statement on the store's database directly, as an operator with
/// a database client would (tests of what the database itself refuses).
pub async fn execute_raw(store: &Store, sql: &str) -> Result<u64> {
    Ok(sqlx::query(sql).execute(&store.pool).await?.rows_affected())
}

/// Every place in the database at `url` that still holds one of `needles`
/// (matched without case): `table.column holds "needle"`, for tests that
/// show data is gone. Every table and every column, cast to text (SQLite's
/// full-text tables and their term list included; PostgreSQL's tsvectors
/// as their terms).
pub async fn find_everywhere(url: &str, needles: &[&str]) -> Result<Vec<String>> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    let sqlite = url.starts_with("sqlite:");
    let tables: Vec<(String,)> = sqlx::query_as(if sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    } else {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_type = 'BASE TABLE' ORDER BY table_name"
    })
    .fetch_all(&mut conn)
    .await?;
    let mut found = Vec::new();
    for (table,) in tables {
        let columns: Vec<String> = if sqlite {
            sqlx::query_as::<_, (String,)>("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut conn)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect()
        } else {
            sqlx::query_as::<_, (String,)>(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(&table)
            .fetch_all(&mut conn)
            .await?
            .into_iter()
            .map(|c| c.0)
            .collect()
        };
        for column in columns {
            for needle in needles {
                // SQLite: also the raw bytes (text with a NUL in it is
                // compared only up to the NUL), in either case.
                let sql = if sqlite {
                    format!(
                        "SELECT COUNT(*) FROM \"{table}\" WHERE lower(CAST(\"{column}\" AS TEXT)) LIKE $1 \
                         OR instr(CAST(\"{column}\" AS BLOB), CAST($2 AS BLOB)) > 0 \
                         OR instr(CAST(\"{column}\" AS BLOB), CAST($3 AS BLOB)) > 0"
                    )
                } else {
                    format!(
                        "SELECT COUNT(*) FROM \"{table}\" WHERE lower(CAST(\"{column}\" AS TEXT)) LIKE $1"
                    )
                };
                let mut q =
                    sqlx::query_as::<_, (i64,)>(&sql).bind(format!("%{}%", needle.to_lowercase()));
                if sqlite {
                    q = q.bind(needle.to_lowercase()).bind(needle.to_string());
                }
                let (n,): (i64,) = q.fetch_one(&mut conn).await?;
                if n > 0 {
                    found.push(format!("{table}.{column} holds {needle:?} ({n} rows)"));
                }
            }
        }
    }
    conn.close().await?;
    Ok(found)
}
