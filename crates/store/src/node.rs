//! The node's identity as the database keeps it (issue 15): its id (the
//! `node_id` setting), the member it speaks for, and its public keys —
//! the current one and those it had, kept to verify what they signed. The
//! private key is a file beside the node, never a row.

use crate::{audit, now_ms, Result, Store};

/// One of the node's public keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeKeyRow {
    /// `ed25519:<base64url>`.
    pub public_key: String,
    pub created_at_ms: i64,
    /// When a newer key took over; `None` for the current key.
    pub retired_at_ms: Option<i64>,
}

impl Store {
    /// Holds `key` as the node's signing key: from now on every version
    /// written on this node (by any clone of this store) is signed with it.
    /// Its public half is recorded as the current key.
    pub async fn set_node_key(&self, key: coalesce_federation::NodeKey) -> Result<()> {
        self.register_node_key(&key.public().to_text()).await?;
        if let Ok(mut k) = self.node_key.write() {
            *k = Some(std::sync::Arc::new(key));
        }
        Ok(())
    }

    /// The signature of a version written here, if the node holds its key:
    /// `(signature, the signing public key)`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn sign_version(
        &self,
        id: &str,
        kind: &str,
        origin: &str,
        origin_node: &str,
        version: i64,
        status: &str,
        marking: &coalesce_domain::Marking,
        body_json: &str,
        at_ms: i64,
    ) -> Result<Option<(String, String)>> {
        let key = match self.node_key.read() {
            Ok(k) => k.clone(),
            Err(_) => None,
        };
        let Some(key) = key else {
            return Ok(None);
        };
        let body: serde_json::Value = serde_json::from_str(body_json)
            .map_err(|e| crate::StoreError::Corrupt(format!("a body to sign: {e}")))?;
        let rel_to: Vec<String> = marking
            .rel_to
            .iter()
            .map(coalesce_domain::AudienceToken::as_string)
            .collect();
        let payload = coalesce_federation::signed_version(
            id,
            kind,
            origin,
            origin_node,
            version,
            status,
            marking.tlp.as_str(),
            &rel_to,
            &body,
            at_ms,
        );
        let signature = key
            .sign_json(&payload)
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        Ok(Some((signature, key.public().to_text())))
    }

    /// The node's signature over the canonical form of `payload`, if it
    /// holds its key: `(signature, signing public key)`.
    pub fn sign_payload(&self, payload: &serde_json::Value) -> Result<Option<(String, String)>> {
        let key = match self.node_key.read() {
            Ok(k) => k.clone(),
            Err(_) => None,
        };
        let Some(key) = key else {
            return Ok(None);
        };
        let signature = key
            .sign_json(payload)
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        Ok(Some((signature, key.public().to_text())))
    }

    /// The signatures of a record's versions: (version, signature, signing
    /// key), `None` for a version written before the node had its key.
    /// Only for a record the caller has read.
    pub async fn version_signatures(
        &self,
        id: &str,
    ) -> Result<Vec<(i64, Option<String>, Option<String>)>> {
        Ok(sqlx::query_as(
            "SELECT version, signature, signed_by FROM record_versions WHERE record_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records `public_key` as the node's current key, retiring the one
    /// before (kept for verification). Recording the current key again
    /// changes nothing; a retired key is never current again.
    pub async fn register_node_key(&self, public_key: &str) -> Result<NodeKeyRow> {
        let mut w = self.begin_write().await?;
        let existing: Option<(i64, Option<i64>)> =
            sqlx::query_as("SELECT created_at, retired_at FROM node_keys WHERE public_key = $1")
                .bind(public_key)
                .fetch_optional(&mut *w.tx)
                .await?;
        match existing {
            Some((created, None)) => {
                return Ok(NodeKeyRow {
                    public_key: public_key.to_string(),
                    created_at_ms: created,
                    retired_at_ms: None,
                })
            }
            Some((_, Some(_))) => {
                return Err(crate::StoreError::conflict(
                    crate::ConflictCode::InvalidTransition,
                    "this key was retired: a node never signs with a retired key again",
                ))
            }
            None => {}
        }
        let at = now_ms();
        sqlx::query("UPDATE node_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(at)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO node_keys (public_key, created_at, retired_at) VALUES ($1, $2, NULL)",
        )
        .bind(public_key)
        .bind(at)
        .execute(&mut *w.tx)
        .await?;
        audit::append(
            &mut w.tx,
            None,
            "node.key",
            public_key,
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await?;
        Ok(NodeKeyRow {
            public_key: public_key.to_string(),
            created_at_ms: at,
            retired_at_ms: None,
        })
    }

    /// The node's keys, the current one first, then the retired ones,
    /// newest first.
    pub async fn node_keys(&self) -> Result<Vec<NodeKeyRow>> {
        let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT public_key, created_at, retired_at FROM node_keys \
             ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(public_key, created_at_ms, retired_at_ms)| NodeKeyRow {
                public_key,
                created_at_ms,
                retired_at_ms,
            })
            .collect())
    }

    /// The member the node speaks for: the `node_member` setting, else
    /// the registry's secretariat.
    pub async fn node_member(&self) -> Result<Option<String>> {
        match self.setting("node_member").await? {
            Some(m) => Ok(Some(m)),
            None => Ok(self.secretariat().await?.map(|m| m.as_str().to_string())),
        }
    }
}
