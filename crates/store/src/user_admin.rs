//! What the administration console changes about users beyond adding and
//! disabling them: roles, a password reset, and API tokens (listed without
//! their secret, issued once, revoked). Who may: as for adding a user —
//! an administrator of the user's member, or of the secretariat's.
//! Every change is audited; none touches a record's content.

use crate::accounts::{hash_password, insert_token_in, User};
use crate::{audit, Principal, Result, Store, StoreError};
use coalesce_domain::{MemberCode, Role};
use sqlx::Row;

/// An API token as the console lists it: never the token, only the first
/// characters of its hash, which name it for revocation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: String,
    pub username: String,
    pub member: String,
    pub label: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// Characters of the token's hash that name it.
const TOKEN_ID_LEN: usize = 16;

/// The longest label of a token.
pub const MAX_TOKEN_LABEL: usize = 100;

/// A password to read off a screen and type by hand: 16 letters and digits
/// without look-alikes (about 79 bits), in four groups.
pub fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let mut out = String::with_capacity(19);
    for group in 0..4 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            out.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
        }
    }
    out
}

/// Ends a user's sessions (its API tokens stay) and audits `action` on
/// it, in the caller's transaction.
async fn end_sessions_audited(
    conn: &mut sqlx::AnyConnection,
    actor: &Principal,
    user: &User,
    action: &str,
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query("DELETE FROM tokens WHERE user_id = $1 AND kind = 'session'")
        .bind(&user.id)
        .execute(&mut *conn)
        .await?;
    audit::append(conn, Some(actor), action, &user.username, &detail).await
}

impl Store {
    /// The user `actor` may manage: an administrator's console holds its
    /// own member's users (the secretariat's, every member's). Another
    /// member's user is, to it, no user at all (404): the console does not
    /// tell which member a username belongs to, nor that it exists.
    pub(crate) async fn managed_user(&self, actor: &Principal, username: &str) -> Result<User> {
        let scope = self.console_scope(actor).await?;
        let user = self
            .user_by_name(username)
            .await?
            .ok_or(StoreError::NotFound)?;
        if scope.is_some_and(|m| m.as_str() != user.member) {
            return Err(StoreError::NotFound);
        }
        Ok(user)
    }

    /// Gives a user another role; its sessions end, so the new role holds
    /// from its next request. An administrator cannot change its own role
    /// (a node must keep one). Audited as `user.role`.
    pub async fn set_user_role(
        &self,
        actor: &Principal,
        username: &str,
        role: &str,
    ) -> Result<User> {
        let role = Role::parse(role)?;
        let mut user = self.managed_user(actor, username).await?;
        if user.id == actor.user_id {
            return Err(StoreError::BadRequest(
                "you cannot change your own role; another administrator can".into(),
            ));
        }
        if user.role == role.as_str() {
            return Ok(user);
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(&user.id)
            .execute(&mut *w.tx)
            .await?;
        end_sessions_audited(
            &mut w.tx,
            actor,
            &user,
            "user.role",
            serde_json::json!({"from": user.role, "to": role.as_str()}),
        )
        .await?;
        w.commit().await?;
        user.role = role.as_str().into();
        Ok(user)
    }

    /// A new password for a user, returned once to give to them: the old
    /// one stops working and the user's sessions end (its API tokens stay:
    /// revoke them apart). Audited as `user.password_reset`.
    pub async fn reset_password(&self, actor: &Principal, username: &str) -> Result<String> {
        let user = self.managed_user(actor, username).await?;
        let password = random_password();
        let pw = password.clone();
        let phc = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| StoreError::BadRequest(format!("hashing failed: {e}")))??;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&phc)
            .bind(&user.id)
            .execute(&mut *w.tx)
            .await?;
        end_sessions_audited(
            &mut w.tx,
            actor,
            &user,
            "user.password_reset",
            serde_json::json!({}),
        )
        .await?;
        w.commit().await?;
        Ok(password)
    }

    /// Every API token of the node (no secret: see [`ApiToken`]), newest
    /// first.
    pub async fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        self.api_tokens(None).await
    }

    /// Which users' accounts an administrator's console shows: `None`, all
    /// (the secretariat's administrators, who manage every member's users),
    /// or those of its own member (a member's administrator on a node that
    /// hosts several members). Refused for anyone but an administrator.
    pub async fn console_scope(&self, actor: &Principal) -> Result<Option<MemberCode>> {
        if actor.role != Role::Admin {
            return Err(StoreError::Forbidden(
                "only administrators manage users".into(),
            ));
        }
        if self.secretariat().await?.as_ref() == Some(&actor.member) {
            Ok(None)
        } else {
            Ok(Some(actor.member.clone()))
        }
    }

    /// The users an administrator manages (see [`Store::console_scope`]).
    pub async fn users_managed_by(&self, actor: &Principal) -> Result<Vec<User>> {
        let scope = self.console_scope(actor).await?;
        let mut users = self.list_users().await?;
        users.retain(|u| scope.as_ref().is_none_or(|m| u.member == m.as_str()));
        Ok(users)
    }

    /// The API tokens of the users an administrator manages.
    pub async fn api_tokens_managed_by(&self, actor: &Principal) -> Result<Vec<ApiToken>> {
        let scope = self.console_scope(actor).await?;
        let mut tokens = self.api_tokens(None).await?;
        tokens.retain(|t| scope.as_ref().is_none_or(|m| t.member == m.as_str()));
        Ok(tokens)
    }

    /// The API tokens, or the one named `id`.
    async fn api_tokens(&self, id: Option<&str>) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT t.hash, u.username, u.member_code, t.label, t.created_at, t.expires_at \
             FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.kind = 'api' AND ($1 IS NULL OR substr(t.hash, 1, 16) = $1) \
             ORDER BY t.created_at DESC, t.hash",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get("hash")?;
                Ok(ApiToken {
                    id: hash.chars().take(TOKEN_ID_LEN).collect(),
                    username: r.try_get("username")?,
                    member: r.try_get("member_code")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect()
    }

    /// Issues an API token for a user (shown once; only its hash is kept),
    /// named by `label`, valid `ttl_ms` or until revoked. Audited as
    /// `token.create` with who issued it.
    pub async fn issue_api_token(
        &self,
        actor: &Principal,
        username: &str,
        label: &str,
        ttl_ms: Option<i64>,
    ) -> Result<String> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_TOKEN_LABEL {
            return Err(StoreError::BadRequest(format!(
                "a token needs a label of 1 to {MAX_TOKEN_LABEL} characters (what uses it)"
            )));
        }
        if ttl_ms.is_some_and(|t| t <= 0) {
            return Err(StoreError::BadRequest(
                "a token's lifetime must be positive".into(),
            ));
        }
        let user = self.managed_user(actor, username).await?;
        if user.disabled {
            return Err(StoreError::BadRequest(format!(
                "user {username} is disabled"
            )));
        }
        let mut w = self.begin_write().await?;
        let (token, hash) = insert_token_in(&mut w.tx, &user.id, "api", label, ttl_ms).await?;
        audit::append(
            &mut w.tx,
            Some(actor),
            "token.create",
            username,
            &serde_json::json!({"kind": "api", "label": label, "token": &hash[..TOKEN_ID_LEN]}),
        )
        .await?;
        w.commit().await?;
        Ok(token)
    }

    /// Revokes the API token named `id` (see [`ApiToken`]). Audited as
    /// `token.revoke`.
    pub async fn revoke_api_token(&self, actor: &Principal, id: &str) -> Result<ApiToken> {
        if id.len() != TOKEN_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound);
        }
        let token = self
            .api_tokens(Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        self.managed_user(actor, &token.username).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM tokens WHERE kind = 'api' AND substr(hash, 1, 16) = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(actor),
            "token.revoke",
            &token.username,
            &serde_json::json!({"label": token.label, "token": id}),
        )
        .await?;
        w.commit().await?;
        Ok(token)
    }
}
