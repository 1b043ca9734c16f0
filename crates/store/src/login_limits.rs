//! Failed logins, counted in the database so that every process serving it
//! slows the same attacker (the rule is `coalesce_domain::account::login_limit`).
//! Memory is bounded: failures older than a day are forgotten, and past
//! [`MAX_KEYS`] keys the oldest are evicted — never a global reset, which
//! would lift every delay at once.

use crate::{now_ms, Result, Store};
use coalesce_domain::account::login_limit::{
    wait_ms, FORGET_AFTER_MS, FREE_PER_ACCOUNT_AND_CLIENT, FREE_PER_CLIENT,
};

/// The most keys kept (about 100 bytes each).
pub const MAX_KEYS: i64 = 100_000;

fn keys(username: &str, client: &str) -> [(String, i64); 2] {
    [
        (
            format!("pair:{username}\u{1f}{client}"),
            FREE_PER_ACCOUNT_AND_CLIENT,
        ),
        (format!("client:{client}"), FREE_PER_CLIENT),
    ]
}

impl Store {
    /// Seconds `client` must wait before trying `username` again, if any.
    pub async fn login_wait(&self, username: &str, client: &str) -> Result<Option<u64>> {
        let now = now_ms();
        let mut wait: Option<i64> = None;
        for (key, free) in keys(username, client) {
            let row: Option<(i64, i64)> =
                sqlx::query_as("SELECT failures, last_ms FROM login_failures WHERE key = $1")
                    .bind(&key)
                    .fetch_optional(self.pool())
                    .await?;
            if let Some(left) = row.and_then(|(n, last)| wait_ms(n, free, last, now)) {
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        Ok(wait.map(|ms| (ms as u64).div_ceil(1000)))
    }

    /// Counts a failed login of `username` from `client`.
    pub async fn record_login_failure(&self, username: &str, client: &str) -> Result<()> {
        self.record_login_failure_capped(username, client, MAX_KEYS)
            .await
    }

    /// [`Store::record_login_failure`] keeping at most `max_keys` keys (tests
    /// use a small ceiling).
    pub async fn record_login_failure_capped(
        &self,
        username: &str,
        client: &str,
        max_keys: i64,
    ) -> Result<()> {
        let now = now_ms();
        let mut w = self.begin_write().await?;
        for (key, _) in keys(username, client) {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, last_ms) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_ms = excluded.last_ms",
            )
            .bind(&key)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE last_ms < $1")
            .bind(now - FORGET_AFTER_MS)
            .execute(&mut *w.tx)
            .await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures")
            .fetch_one(&mut *w.tx)
            .await?;
        if n > max_keys {
            // The oldest go, down to nine tenths of the ceiling.
            sqlx::query(
                "DELETE FROM login_failures WHERE key IN \
                 (SELECT key FROM login_failures ORDER BY last_ms, key LIMIT $1)",
            )
            .bind(n - max_keys * 9 / 10)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit().await
    }

    /// A successful login clears its account-and-client key (the client's
    /// own count stays: a sprayer that guesses one account is still slowed).
    pub async fn clear_login_failures(&self, username: &str, client: &str) -> Result<()> {
        let [(pair, _), _] = keys(username, client);
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(&pair)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }

    /// How many keys are kept (for tests and operators).
    pub async fn login_failure_keys(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
