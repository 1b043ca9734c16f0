//! Users, password checks and tokens. Passwords are kept as Argon2id PHC
//! strings; session and API tokens only as SHA-256 hashes, so a copy of the
//! database gives no way in.

use crate::{audit, conflict_on_unique, now_ms, Principal, Result, Store, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use coalesce_domain::{MemberCode, Role, Username};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// How long a browser or login session lasts.
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub member: String,
    pub role: String,
    pub disabled: bool,
}

/// Argon2id with the crate's default (OWASP-recommended) parameters.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::BadRequest(format!("cannot hash password: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random token (256 bits, URL-safe) and its stored hash.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A hash to verify against when the user does not exist, so that a failed
/// login takes as long for an unknown user as for a wrong password.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

impl Store {
    /// Who may add a user of `member`: see [`Store::check_user_manager`].
    async fn check_user_creator(
        &self,
        actor: Option<&Principal>,
        member: &MemberCode,
    ) -> Result<()> {
        self.check_user_manager(actor, member, ("add", "added"))
            .await
    }

    /// Who may add or manage (role, password, tokens) a user of `member`:
    /// `actor` None is the node itself (CLI, demo loader); otherwise an
    /// administrator of that member, or of the member the registry made the
    /// secretariat (the `secretariat` setting, whose change is audited). A
    /// user speaks for its member. `verb` names the act in the refusal.
    pub(crate) async fn check_user_manager(
        &self,
        actor: Option<&Principal>,
        member: &MemberCode,
        (verb, done): (&str, &str),
    ) -> Result<()> {
        let Some(a) = actor else { return Ok(()) };
        if a.role != Role::Admin {
            return Err(StoreError::Forbidden(format!("only admins {verb} users")));
        }
        if &a.member != member && self.secretariat().await?.as_ref() != Some(&a.member) {
            return Err(StoreError::Forbidden(format!(
                "administrators of {} {verb} users of {} only; users of {member} are {done} by its own administrators or the secretariat's",
                a.member, a.member
            )));
        }
        Ok(())
    }

    /// A user by name.
    pub(crate) async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT id, username, member_code, role, disabled FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Adds a user (see `check_user_creator` for who may).
    pub async fn create_user(
        &self,
        actor: Option<&Principal>,
        username: &str,
        member: &str,
        role: &str,
        password: &str,
    ) -> Result<User> {
        let username = Username::parse(username)?;
        let member = MemberCode::parse(member)?;
        // Refused before the password is hashed (Argon2id is slow on purpose).
        self.check_user_creator(actor, &member).await?;
        let role = Role::parse(role)?;
        coalesce_domain::account::check_password(password)?;
        let pw = password.to_string();
        let phc = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| StoreError::BadRequest(format!("hashing failed: {e}")))??;
        self.insert_user(actor, &username, &member, role, &phc)
            .await
    }

    /// Adds a user whose password is already hashed (the demo loader hashes
    /// its one shared password once).
    pub async fn insert_user(
        &self,
        actor: Option<&Principal>,
        username: &Username,
        member: &MemberCode,
        role: Role,
        phc: &str,
    ) -> Result<User> {
        self.check_user_creator(actor, member).await?;
        self.get_member(member.as_str())
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::BadRequest(format!("unknown member {member}")),
                other => other,
            })?;
        let mut w = self.begin_write().await?;
        let id = insert_user_in(&mut w.tx, username.as_str(), member, role, phc).await?;
        audit::append(
            &mut w.tx,
            actor,
            "user.create",
            username.as_str(),
            &serde_json::json!({"member": member, "role": role}),
        )
        .await?;
        w.commit().await?;
        Ok(User {
            id,
            username: username.to_string(),
            member: member.to_string(),
            role: role.as_str().into(),
            disabled: false,
        })
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT id, username, member_code, role, disabled FROM users ORDER BY username",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Disables (or re-enables) a user; disabling ends all its sessions and tokens.
    pub async fn set_user_disabled(
        &self,
        actor: Option<&Principal>,
        username: &str,
        disabled: bool,
    ) -> Result<User> {
        // An administrator disables the users of its member (the
        // secretariat's, anyone's); the CLI on the node's host, anyone.
        if let Some(a) = actor {
            self.managed_user(a, username).await?;
        }
        let mut w = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, username, member_code, role, disabled FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&mut *w.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut user = user_from_row(&row)?;
        set_disabled_in(&mut w.tx, username, disabled).await?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        audit::append(&mut w.tx, actor, action, username, &serde_json::json!({})).await?;
        w.commit().await?;
        user.disabled = disabled;
        Ok(user)
    }

    /// The language the user chose for the web interface, if any.
    pub async fn user_locale(&self, p: &Principal) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT locale FROM users WHERE id = $1")
                .bind(&p.user_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Sets (or with `None` clears) the language the user reads the web
    /// interface in: a code the interface has a catalogue for, checked by
    /// the caller; at most 16 characters here. Audited.
    pub async fn set_user_locale(&self, p: &Principal, locale: Option<&str>) -> Result<()> {
        if locale.is_some_and(|l| l.is_empty() || l.len() > 16) {
            return Err(StoreError::BadRequest(
                "a language code is 1 to 16 characters".into(),
            ));
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale)
            .bind(&p.user_id)
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "user.locale",
            p.username.as_str(),
            &serde_json::json!({ "locale": locale }),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Checks a username and password. Every attempt, good or bad, is audited.
    /// What a remembered login depends on: the user's password hash, role
    /// and member, or `None` once the user is disabled or gone. A cache of
    /// verified credentials compares it on every use, so a disabled user or
    /// a changed password ends the cached login at once.
    pub async fn credential_stamp(&self, username: &str) -> Result<Option<String>> {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT password_hash, role, member_code FROM users WHERE username = $1 AND disabled = 0",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(hash, role, member)| format!("{role}\n{member}\n{hash}")))
    }

    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
        client: &str,
    ) -> Result<Option<Principal>> {
        let row = sqlx::query("SELECT id, username, member_code, role, password_hash, disabled FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        let (phc, candidate) = match &row {
            Some(r) => (
                r.try_get::<String, _>("password_hash")?,
                Some(principal_from_row(r)?),
            ),
            None => (
                DUMMY_HASH
                    .get_or_init(|| hash_password("dummy password for timing").unwrap_or_default())
                    .clone(),
                None,
            ),
        };
        let disabled = row
            .as_ref()
            .map(|r| r.try_get::<i64, _>("disabled"))
            .transpose()?
            .unwrap_or(0)
            != 0;
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &phc))
            .await
            .unwrap_or(false);
        let logged_name = if Username::parse(username).is_ok() {
            username
        } else {
            "(invalid username)"
        };
        match candidate {
            Some(p) if ok && !disabled => {
                self.audit_event(
                    p.username.as_str(),
                    p.member.as_str(),
                    "login",
                    p.username.as_str(),
                    &serde_json::json!({ "client": client }),
                )
                .await?;
                Ok(Some(p))
            }
            _ => {
                let reason = if candidate.is_none() {
                    "unknown user"
                } else if disabled {
                    "user disabled"
                } else {
                    "wrong password"
                };
                self.audit_event(
                    crate::SYSTEM_ACTOR,
                    crate::SYSTEM_ACTOR,
                    "login_failed",
                    logged_name,
                    &serde_json::json!({ "client": client, "reason": reason }),
                )
                .await?;
                Ok(None)
            }
        }
    }

    /// Issues a token for `p`; only its hash is stored. Returns the token.
    pub async fn create_token(
        &self,
        p: &Principal,
        kind: &str,
        ttl_ms: Option<i64>,
    ) -> Result<String> {
        let mut w = self.begin_write().await?;
        let (token, _) = insert_token_in(&mut w.tx, &p.user_id, kind, "", ttl_ms).await?;
        if kind == "api" {
            audit::append(
                &mut w.tx,
                Some(p),
                "token.create",
                p.username.as_str(),
                &serde_json::json!({ "kind": kind }),
            )
            .await?;
        }
        w.commit().await?;
        Ok(token)
    }

    /// An enabled user by name, as the principal its requests would be
    /// (the CLI reads as a named user, so releasability holds there too).
    pub async fn principal_for_username(&self, username: &str) -> Result<Option<Principal>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.member_code, u.role FROM users u WHERE u.username = $1 AND u.disabled = 0",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(principal_from_row).transpose()
    }

    /// The user a live token belongs to, if any.
    pub async fn principal_for_token(&self, token: &str) -> Result<Option<Principal>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.member_code, u.role FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.hash = $1 AND u.disabled = 0 AND (t.expires_at IS NULL OR t.expires_at > $2)",
        )
        .bind(token_hash(token))
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(principal_from_row).transpose()
    }

    /// Ends a session or revokes a token (logout).
    pub async fn revoke_token(&self, p: &Principal, token: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM tokens WHERE hash = $1 AND user_id = $2")
            .bind(token_hash(token))
            .bind(&p.user_id)
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "logout",
            p.username.as_str(),
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await
    }
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        member: r.try_get("member_code")?,
        role: r.try_get("role")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub(crate) fn principal_from_row(r: &sqlx::any::AnyRow) -> Result<Principal> {
    let corrupt = |e: coalesce_domain::DomainError| StoreError::Corrupt(e.to_string());
    Ok(Principal {
        user_id: r.try_get("id")?,
        username: Username::parse(&r.try_get::<String, _>("username")?).map_err(corrupt)?,
        member: MemberCode::parse(&r.try_get::<String, _>("member_code")?).map_err(corrupt)?,
        role: Role::parse(&r.try_get::<String, _>("role")?).map_err(corrupt)?,
    })
}

/// Inserts a user row in the caller's transaction; returns its id. (The
/// caller audits: `insert_user` as `user.create`, a peer's as `peer.add`.)
pub(crate) async fn insert_user_in(
    conn: &mut sqlx::AnyConnection,
    username: &str,
    member: &MemberCode,
    role: Role,
    phc: &str,
) -> Result<String> {
    let at = now_ms();
    let id = crate::new_id_at(at);
    sqlx::query("INSERT INTO users (id, username, member_code, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)")
        .bind(&id)
        .bind(username)
        .bind(member.as_str())
        .bind(role.as_str())
        .bind(phc)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map_err(|e| conflict_on_unique(e, crate::ConflictCode::AlreadyExists, || format!("user {username} already exists")))?;
    Ok(id)
}

/// A new token of `kind` for the user, valid `ttl_ms` from now or until
/// revoked, in the caller's transaction: the token (to hand over once) and
/// its hash (all that is kept).
pub(crate) async fn insert_token_in(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    kind: &str,
    label: &str,
    ttl_ms: Option<i64>,
) -> Result<(String, String)> {
    let (token, hash) = new_token();
    let now = now_ms();
    sqlx::query("INSERT INTO tokens (hash, user_id, kind, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&hash)
        .bind(user_id)
        .bind(kind)
        .bind(label)
        .bind(now)
        .bind(ttl_ms.map(|t| now + t))
        .execute(&mut *conn)
        .await?;
    Ok((token, hash))
}

/// Disables (or enables) a user in the caller's transaction; disabling
/// revokes its sessions and tokens.
pub(crate) async fn set_disabled_in(
    conn: &mut sqlx::AnyConnection,
    username: &str,
    disabled: bool,
) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
        .bind(i64::from(disabled))
        .bind(username)
        .execute(&mut *conn)
        .await?;
    if disabled {
        sqlx::query(
            "DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)",
        )
        .bind(username)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
