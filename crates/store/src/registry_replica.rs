//! The registry across nodes (issue 15): members with their home nodes,
//! groups and lines of effort, as the secretariat's node serves them and
//! every other node applies them.
//!
//! - **Home nodes.** Each member's users are hosted by exactly one node
//!   (`members.home_node`; none: this node). A node originates records only
//!   for the members it hosts (`records::check_hosted`), and refuses a
//!   record of a member that arrives from another node than its home.
//!   Moving a member is an audited registry change (`member.home`).
//! - **The snapshot** is the whole registry, a member without a home node
//!   named as hosted by the serving node (the secretariat's node hosts the
//!   members without a node of their own). It is small (tens of members),
//!   so it travels whole, signed by the secretariat's node (`app`).
//! - **Applying** a snapshot is one transaction: members added or changed
//!   (a new member reads what is marked COALITION: its counts and figures
//!   are built), groups added or changed and their members replaced (those
//!   who joined or left read more or less at once: their counts are
//!   rebuilt), lines of effort added or renamed, the secretariat setting,
//!   and the snapshot's digest (a snapshot already applied changes
//!   nothing). Nothing the snapshot leaves out is deleted: records name
//!   members and groups, and a member gone from the secretariat's registry
//!   is kept here, audited as such.

use crate::{audit, now_ms, Principal, Result, Store, StoreError, SYSTEM_ACTOR};
use coalesce_domain::{GroupKind, MemberCode, Slug};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A member as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberEntry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub role: String,
    pub joined: Option<String>,
    /// The node hosting its users.
    pub home_node: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    /// Member codes, sorted.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineEntry {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// The whole registry of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySnapshot {
    pub secretariat: Option<String>,
    pub members: Vec<MemberEntry>,
    pub groups: Vec<GroupEntry>,
    /// In their order.
    pub lines: Vec<LineEntry>,
}

/// What applying a snapshot changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistryApplied {
    pub members_added: Vec<String>,
    pub members_changed: Vec<String>,
    /// Held here, absent from the snapshot: kept.
    pub members_kept: Vec<String>,
    pub groups_added: Vec<String>,
    pub groups_changed: Vec<String>,
    pub lines_changed: Vec<String>,
    pub secretariat_changed: bool,
}

impl RegistryApplied {
    pub fn is_empty(&self) -> bool {
        self.members_added.is_empty()
            && self.members_changed.is_empty()
            && self.groups_added.is_empty()
            && self.groups_changed.is_empty()
            && self.lines_changed.is_empty()
            && !self.secretariat_changed
    }
}

/// A member's row: code, name, kind, role, joined, home node.
type MemberRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// The setting that keeps the digest of the snapshot last applied.
const DIGEST_SETTING: &str = "registry_digest";

impl Store {
    /// This node's registry, whole; a member with no home node is named as
    /// hosted here.
    pub async fn registry_snapshot(&self) -> Result<RegistrySnapshot> {
        let node = self.node_id().await?;
        let rows: Vec<MemberRow> = sqlx::query_as(
            "SELECT code, name, kind, role, joined, home_node FROM members ORDER BY code",
        )
        .fetch_all(self.pool())
        .await?;
        let members = rows
            .into_iter()
            .map(|(code, name, kind, role, joined, home)| MemberEntry {
                code,
                name,
                kind,
                role,
                joined,
                home_node: home.unwrap_or_else(|| node.clone()),
            })
            .collect();
        let groups = self
            .list_groups()
            .await?
            .into_iter()
            .map(|g| GroupEntry {
                slug: g.slug,
                name: g.name,
                kind: g.kind,
                description: g.description,
                members: g.members,
            })
            .collect();
        let lines = self
            .list_lines_of_effort()
            .await?
            .into_iter()
            .map(|l| LineEntry {
                slug: l.slug,
                name: l.name,
                description: l.description,
            })
            .collect();
        Ok(RegistrySnapshot {
            secretariat: self.secretariat().await?.map(|m| m.to_string()),
            members,
            groups,
            lines,
        })
    }

    /// The home node of every member that has one here.
    pub async fn home_nodes(&self) -> Result<BTreeMap<String, String>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, home_node FROM members WHERE home_node IS NOT NULL ORDER BY code",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// Moves member `code`'s users to node `node` (`None`: this node), a
    /// registry change: coordinators of the secretariat member, or the node
    /// itself; audited.
    pub async fn set_home_node(
        &self,
        actor: Option<&Principal>,
        code: &MemberCode,
        node: Option<&str>,
    ) -> Result<()> {
        self.require_registry_manager(actor).await?;
        if let Some(n) = node {
            if n.is_empty() || n.len() > 100 || n.chars().any(char::is_whitespace) {
                return Err(StoreError::BadRequest(format!("{n:?} is not a node id")));
            }
        }
        let own = self.node_id().await?;
        let node = node.filter(|n| *n != own);
        let mut w = self.begin_write().await?;
        let n = sqlx::query("UPDATE members SET home_node = $1 WHERE code = $2")
            .bind(node)
            .bind(code.as_str())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &mut w.tx,
            actor,
            "member.home",
            code.as_str(),
            &serde_json::json!({ "home_node": node.unwrap_or(&own) }),
        )
        .await?;
        w.commit().await
    }

    /// The digest of the registry snapshot last applied here.
    pub async fn registry_digest(&self) -> Result<Option<String>> {
        self.setting(DIGEST_SETTING).await
    }

    /// Applies the registry snapshot `snap` that the secretariat's node
    /// (peer `peer`) served, verified by the caller (see the module).
    pub async fn apply_registry(
        &self,
        peer: &str,
        snap: &RegistrySnapshot,
        digest: &str,
    ) -> Result<RegistryApplied> {
        check_snapshot(snap)?;
        let own = self.node_id().await?;
        let mut out = RegistryApplied::default();
        let mut w = self.begin_write().await?;
        let held: Vec<MemberRow> =
            sqlx::query_as("SELECT code, name, kind, role, joined, home_node FROM members")
                .fetch_all(&mut *w.tx)
                .await?;
        let held: BTreeMap<String, MemberRow> =
            held.into_iter().map(|row| (row.0.clone(), row)).collect();
        for m in &snap.members {
            // This node's own id is stored as "here" (NULL), as before.
            let home = (m.home_node != own).then_some(m.home_node.as_str());
            match held.get(&m.code) {
                None => {
                    sqlx::query(
                        "INSERT INTO members (code, name, kind, role, joined, created_at, home_node) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&m.code)
                    .bind(&m.name)
                    .bind(&m.kind)
                    .bind(&m.role)
                    .bind(&m.joined)
                    .bind(now_ms())
                    .bind(home)
                    .execute(&mut *w.tx)
                    .await?;
                    out.members_added.push(m.code.clone());
                }
                Some((_, name, kind, role, joined, h)) => {
                    if (name, kind, role, joined, h.as_deref())
                        != (&m.name, &m.kind, &m.role, &m.joined, home)
                    {
                        sqlx::query(
                            "UPDATE members SET name = $1, kind = $2, role = $3, joined = $4, \
                             home_node = $5 WHERE code = $6",
                        )
                        .bind(&m.name)
                        .bind(&m.kind)
                        .bind(&m.role)
                        .bind(&m.joined)
                        .bind(home)
                        .bind(&m.code)
                        .execute(&mut *w.tx)
                        .await?;
                        out.members_changed.push(m.code.clone());
                    }
                }
            }
        }
        let in_snapshot: BTreeSet<&str> = snap.members.iter().map(|m| m.code.as_str()).collect();
        out.members_kept = held
            .keys()
            .filter(|c| !in_snapshot.contains(c.as_str()))
            .cloned()
            .collect();
        // Who reads more or less now: new members, and members who joined
        // or left a group.
        let mut readers: BTreeSet<String> = out.members_added.iter().cloned().collect();
        for g in &snap.groups {
            let row: Option<(String, String, String)> = sqlx::query_as(
                "SELECT name, kind, description FROM coalition_groups WHERE slug = $1",
            )
            .bind(&g.slug)
            .fetch_optional(&mut *w.tx)
            .await?;
            match row {
                None => {
                    sqlx::query(
                        "INSERT INTO coalition_groups (slug, name, kind, description, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&g.slug)
                    .bind(&g.name)
                    .bind(&g.kind)
                    .bind(&g.description)
                    .bind(now_ms())
                    .execute(&mut *w.tx)
                    .await?;
                    out.groups_added.push(g.slug.clone());
                }
                Some(fields)
                    if fields != (g.name.clone(), g.kind.clone(), g.description.clone()) =>
                {
                    sqlx::query(
                        "UPDATE coalition_groups SET name = $1, kind = $2, description = $3 WHERE slug = $4",
                    )
                    .bind(&g.name)
                    .bind(&g.kind)
                    .bind(&g.description)
                    .bind(&g.slug)
                    .execute(&mut *w.tx)
                    .await?;
                    out.groups_changed.push(g.slug.clone());
                }
                Some(_) => {}
            }
            let after: BTreeSet<String> = g.members.iter().cloned().collect();
            let moved = crate::registry::replace_group_members_in(&mut w, &g.slug, &after).await?;
            if !moved.is_empty() {
                readers.extend(moved);
                if !out.groups_added.contains(&g.slug) && !out.groups_changed.contains(&g.slug) {
                    out.groups_changed.push(g.slug.clone());
                }
            }
        }
        for (i, l) in snap.lines.iter().enumerate() {
            let row: Option<(String, String, i64)> = sqlx::query_as(
                "SELECT name, description, position FROM lines_of_effort WHERE slug = $1",
            )
            .bind(&l.slug)
            .fetch_optional(&mut *w.tx)
            .await?;
            let position = i as i64 + 1;
            match row {
                None => {
                    sqlx::query(
                        "INSERT INTO lines_of_effort (slug, name, description, position, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&l.slug)
                    .bind(&l.name)
                    .bind(&l.description)
                    .bind(position)
                    .bind(now_ms())
                    .execute(&mut *w.tx)
                    .await?;
                    out.lines_changed.push(l.slug.clone());
                }
                Some(fields) if fields != (l.name.clone(), l.description.clone(), position) => {
                    sqlx::query(
                        "UPDATE lines_of_effort SET name = $1, description = $2, position = $3 WHERE slug = $4",
                    )
                    .bind(&l.name)
                    .bind(&l.description)
                    .bind(position)
                    .bind(&l.slug)
                    .execute(&mut *w.tx)
                    .await?;
                    out.lines_changed.push(l.slug.clone());
                }
                Some(_) => {}
            }
        }
        let secretariat: Option<(String,)> =
            sqlx::query_as("SELECT value FROM settings WHERE key = 'secretariat'")
                .fetch_optional(&mut *w.tx)
                .await?;
        if secretariat.map(|s| s.0) != snap.secretariat {
            match &snap.secretariat {
                Some(s) => {
                    sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ('secretariat', $1) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(s)
                    .execute(&mut *w.tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM settings WHERE key = 'secretariat'")
                        .execute(&mut *w.tx)
                        .await?;
                }
            }
            out.secretariat_changed = true;
        }
        if !readers.is_empty() {
            let readers: Vec<String> = readers.into_iter().collect();
            crate::rollup::rebuild(&mut w, crate::rollup::Readers::Members(&readers)).await?;
            crate::counts::rebuild(&mut w.tx, Some(&readers)).await?;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(DIGEST_SETTING)
        .bind(digest)
        .execute(&mut *w.tx)
        .await?;
        if !out.is_empty() {
            audit::append_named(
                &mut w.tx,
                SYSTEM_ACTOR,
                "-",
                "registry.replicate",
                peer,
                &serde_json::json!({ "digest": digest, "applied": out }),
            )
            .await?;
        }
        w.commit().await?;
        Ok(out)
    }
}

/// Refuses a snapshot with a malformed entry before anything is written.
fn check_snapshot(snap: &RegistrySnapshot) -> Result<()> {
    let bad = |what: String| StoreError::BadRequest(format!("the registry served: {what}"));
    let mut codes = BTreeSet::new();
    for m in &snap.members {
        MemberCode::parse(&m.code).map_err(|e| bad(e.to_string()))?;
        coalesce_domain::text::required_line("name", &m.name, 200)
            .map_err(|e| bad(e.to_string()))?;
        if !["state", "organisation"].contains(&m.kind.as_str())
            || !["member", "partner"].contains(&m.role.as_str())
        {
            return Err(bad(format!(
                "member {} is of kind {} and role {}",
                m.code, m.kind, m.role
            )));
        }
        if m.home_node.is_empty() || m.home_node.len() > 100 {
            return Err(bad(format!("member {} has no home node", m.code)));
        }
        if !codes.insert(m.code.as_str()) {
            return Err(bad(format!("member {} twice", m.code)));
        }
    }
    let mut slugs = BTreeSet::new();
    for g in &snap.groups {
        Slug::parse(&g.slug).map_err(|e| bad(e.to_string()))?;
        GroupKind::parse(&g.kind).map_err(|e| bad(e.to_string()))?;
        if !slugs.insert(g.slug.as_str()) {
            return Err(bad(format!("group {} twice", g.slug)));
        }
        if let Some(m) = g.members.iter().find(|m| !codes.contains(m.as_str())) {
            return Err(bad(format!(
                "group {} names {m}, no member of the registry",
                g.slug
            )));
        }
    }
    let mut lines = BTreeSet::new();
    for l in &snap.lines {
        Slug::parse(&l.slug).map_err(|e| bad(e.to_string()))?;
        if !lines.insert(l.slug.as_str()) {
            return Err(bad(format!("line of effort {} twice", l.slug)));
        }
    }
    if let Some(s) = &snap.secretariat {
        if !codes.contains(s.as_str()) {
            return Err(bad(format!(
                "the secretariat {s} is no member of the registry"
            )));
        }
    }
    Ok(())
}
