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
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Ok(format!("sqlite://{}", path.display()))
        }
    }
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
