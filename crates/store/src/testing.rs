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
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
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
    if std::env::var("COALESCE_TEST_POSTGRES").map(|v| !v.is_empty()).unwrap_or(false) {
        "postgres"
    } else {
        "sqlite"
    }
}
