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

/// The start of every account-and-client key of `username`.
fn pair_prefix(username: &str) -> String {
    format!("pair:{username}\u{1f}")
}

fn keys(username: &str, client: &str) -> [(String, i64); 2] {
    [
        (
            format!("{}{client}", pair_prefix(username)),
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

    /// The users with failed logins counted against them (from any
    /// client), most recent first: username, failures, the last one (ms),
    /// and the seconds the most delayed client must still wait (0: none).
    pub async fn login_lockouts(&self) -> Result<Vec<Lockout>> {
        let now = now_ms();
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT key, failures, last_ms FROM login_failures WHERE key LIKE 'pair:%' ORDER BY last_ms DESC LIMIT 1000",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<Lockout> = Vec::new();
        for (key, failures, last_ms) in rows {
            let Some((username, _client)) = key
                .strip_prefix("pair:")
                .and_then(|k| k.split_once('\u{1f}'))
            else {
                continue;
            };
            let wait = wait_ms(failures, FREE_PER_ACCOUNT_AND_CLIENT, last_ms, now)
                .map_or(0, |ms| (ms as u64).div_ceil(1000));
            match out.iter_mut().find(|l| l.username == username) {
                Some(l) => {
                    l.failures += failures;
                    l.wait_seconds = l.wait_seconds.max(wait);
                }
                None => out.push(Lockout {
                    username: username.to_string(),
                    failures,
                    last_ms,
                    wait_seconds: wait,
                }),
            }
        }
        Ok(out)
    }

    /// An administrator lifts the delays on a user's logins (its failures
    /// from every client are forgotten; a client's own count, which slows
    /// a sprayer across accounts, stays). Audited as `user.unlock`.
    pub async fn unlock_user(&self, actor: &crate::Principal, username: &str) -> Result<u64> {
        // Of its member (the secretariat's administrators: anyone's).
        self.managed_user(actor, username).await?;
        let mut w = self.begin_write().await?;
        let known = sqlx::query("SELECT 1 AS one FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *w.tx)
            .await?;
        if known.is_none() {
            return Err(crate::StoreError::NotFound);
        }
        let prefix = pair_prefix(username);
        let done = sqlx::query("DELETE FROM login_failures WHERE substr(key, 1, length($1)) = $1")
            .bind(&prefix)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        crate::audit::append(
            &mut w.tx,
            Some(actor),
            "user.unlock",
            username,
            &serde_json::json!({ "failures_forgotten_from_clients": done }),
        )
        .await?;
        w.commit().await?;
        Ok(done)
    }
}

/// A user with failed logins counted against it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Lockout {
    pub username: String,
    pub failures: i64,
    pub last_ms: i64,
    /// Seconds before the next try is let through (0: now).
    pub wait_seconds: u64,
}
