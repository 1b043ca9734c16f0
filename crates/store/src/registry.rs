//! Members, groups and lines of effort. Everyone authenticated reads them;
//! coordinators of the secretariat member change them.

use crate::{audit, conflict_on_unique, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::registry::NewMember;
use coalesce_domain::{GroupKind, MemberCode, Slug};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub role: String,
    pub joined: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    /// Member codes, sorted.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub slug: Slug,
    pub name: String,
    pub kind: GroupKind,
    pub description: String,
    pub members: BTreeSet<MemberCode>,
}

impl NewGroup {
    pub fn parse(
        slug: &str,
        name: &str,
        kind: &str,
        description: &str,
        members: &[String],
    ) -> Result<Self> {
        Ok(NewGroup {
            slug: Slug::parse(slug)?,
            name: coalesce_domain::text::required_line("name", name, 200)?,
            kind: GroupKind::parse(kind)?,
            description: coalesce_domain::text::body("description", description, 5000)?,
            members: members
                .iter()
                .map(|m| MemberCode::parse(m))
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineOfEffort {
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl Store {
    pub(crate) async fn require_registry_manager(&self, p: Option<&Principal>) -> Result<()> {
        let Some(p) = p else { return Ok(()) }; // the CLI and the demo loader act as the node itself
        let secretariat = self.secretariat().await?;
        if p.role
            .can_manage_registry(secretariat.as_ref() == Some(&p.member))
        {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "only coordinators of the secretariat member manage the registry".into(),
            ))
        }
    }

    pub async fn list_members(&self) -> Result<Vec<Member>> {
        let rows = sqlx::query("SELECT code, name, kind, role, joined FROM members ORDER BY code")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(member_from_row).collect()
    }

    pub async fn get_member(&self, code: &str) -> Result<Member> {
        let row = sqlx::query("SELECT code, name, kind, role, joined FROM members WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        member_from_row(&row)
    }

    pub async fn create_member(&self, actor: Option<&Principal>, m: &NewMember) -> Result<Member> {
        self.require_registry_manager(actor).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO members (code, name, kind, role, joined, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(m.code.as_str())
            .bind(&m.name)
            .bind(m.kind.as_str())
            .bind(m.role.as_str())
            .bind(m.joined.clone())
            .bind(now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(|e| conflict_on_unique(e, crate::ConflictCode::AlreadyExists, || format!("member {} already exists", m.code)))?;
        // A new member reads what is marked COALITION.
        crate::rollup::rebuild(
            &mut w,
            crate::rollup::Readers::Members(&[m.code.to_string()]),
        )
        .await?;
        crate::counts::rebuild(&mut w.tx, Some(&[m.code.to_string()])).await?;
        audit::append(
            &mut w.tx,
            actor,
            "member.create",
            m.code.as_str(),
            &serde_json::to_value(m).unwrap_or_default(),
        )
        .await?;
        w.commit().await?;
        self.get_member(m.code.as_str()).await
    }

    /// Groups with their members; `member` limits to groups that member is in.
    pub async fn list_groups(&self) -> Result<Vec<Group>> {
        let rows =
            sqlx::query("SELECT slug, name, kind, description FROM coalition_groups ORDER BY slug")
                .fetch_all(self.pool())
                .await?;
        let links: Vec<(String, String)> = sqlx::query_as(
            "SELECT group_slug, member_code FROM group_members ORDER BY group_slug, member_code",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let slug: String = r.try_get("slug")?;
                let members = links
                    .iter()
                    .filter(|(g, _)| *g == slug)
                    .map(|(_, m)| m.clone())
                    .collect();
                Ok(Group {
                    slug,
                    name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    description: r.try_get("description")?,
                    members,
                })
            })
            .collect()
    }

    pub async fn get_group(&self, slug: &str) -> Result<Group> {
        let r = sqlx::query(
            "SELECT slug, name, kind, description FROM coalition_groups WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let members: Vec<(String,)> = sqlx::query_as(
            "SELECT member_code FROM group_members WHERE group_slug = $1 ORDER BY member_code",
        )
        .bind(slug)
        .fetch_all(self.pool())
        .await?;
        Ok(Group {
            slug: r.try_get("slug")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            description: r.try_get("description")?,
            members: members.into_iter().map(|m| m.0).collect(),
        })
    }

    /// The groups a member belongs to now.
    pub async fn groups_of(&self, member: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT group_slug FROM group_members WHERE member_code = $1 ORDER BY group_slug",
        )
        .bind(member)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn create_group(&self, actor: Option<&Principal>, g: &NewGroup) -> Result<Group> {
        self.require_registry_manager(actor).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO coalition_groups (slug, name, kind, description, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(g.slug.as_str())
            .bind(&g.name)
            .bind(g.kind.as_str())
            .bind(&g.description)
            .bind(now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(|e| conflict_on_unique(e, crate::ConflictCode::AlreadyExists, || format!("group {} already exists", g.slug)))?;
        insert_group_members(&mut w, g.slug.as_str(), &g.members).await?;
        let codes: Vec<String> = g.members.iter().map(MemberCode::to_string).collect();
        crate::rollup::rebuild(&mut w, crate::rollup::Readers::Members(&codes)).await?;
        crate::counts::rebuild(&mut w.tx, Some(&codes)).await?;
        let members: Vec<&str> = g.members.iter().map(MemberCode::as_str).collect();
        audit::append(
            &mut w.tx,
            actor,
            "group.create",
            g.slug.as_str(),
            &serde_json::json!({"name": g.name, "kind": g.kind.as_str(), "members": members}),
        )
        .await?;
        w.commit().await?;
        self.get_group(g.slug.as_str()).await
    }

    /// Replaces a group's members. Records marked `GROUP:<slug>` open to new
    /// members and close to removed ones at once.
    pub async fn set_group_members(
        &self,
        actor: Option<&Principal>,
        slug: &Slug,
        members: &BTreeSet<MemberCode>,
    ) -> Result<Group> {
        self.require_registry_manager(actor).await?;
        self.get_group(slug.as_str()).await?;
        let mut w = self.begin_write().await?;
        let after: BTreeSet<String> = members.iter().map(MemberCode::to_string).collect();
        let changed = replace_group_members_in(&mut w, slug.as_str(), &after).await?;
        crate::rollup::rebuild(&mut w, crate::rollup::Readers::Members(&changed)).await?;
        crate::counts::rebuild(&mut w.tx, Some(&changed)).await?;
        let codes: Vec<&str> = members.iter().map(MemberCode::as_str).collect();
        audit::append(
            &mut w.tx,
            actor,
            "group.set_members",
            slug.as_str(),
            &serde_json::json!({ "members": codes }),
        )
        .await?;
        w.commit().await?;
        self.get_group(slug.as_str()).await
    }

    pub async fn list_lines_of_effort(&self) -> Result<Vec<LineOfEffort>> {
        let rows = sqlx::query(
            "SELECT slug, name, description FROM lines_of_effort ORDER BY position, slug",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LineOfEffort {
                    slug: r.try_get("slug")?,
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                })
            })
            .collect()
    }

    pub async fn create_line_of_effort(
        &self,
        actor: Option<&Principal>,
        slug: &str,
        name: &str,
        description: &str,
    ) -> Result<LineOfEffort> {
        self.require_registry_manager(actor).await?;
        let slug = Slug::parse(slug)?;
        let name = coalesce_domain::text::required_line("name", name, 200)?;
        let description = coalesce_domain::text::body("description", description, 5000)?;
        let mut w = self.begin_write().await?;
        let (pos,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM lines_of_effort")
                .fetch_one(&mut *w.tx)
                .await?;
        sqlx::query("INSERT INTO lines_of_effort (slug, name, description, position, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(slug.as_str())
            .bind(&name)
            .bind(&description)
            .bind(pos)
            .bind(now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(|e| conflict_on_unique(e, crate::ConflictCode::AlreadyExists, || format!("line of effort {slug} already exists")))?;
        audit::append(
            &mut w.tx,
            actor,
            "line_of_effort.create",
            slug.as_str(),
            &serde_json::json!({ "name": name }),
        )
        .await?;
        w.commit().await?;
        Ok(LineOfEffort {
            slug: slug.to_string(),
            name,
            description,
        })
    }
}

/// Replaces group `slug`'s members with `after` in the caller's
/// transaction; the records naming it are renumbered for the peers and
/// who left is noted (`records::regroup_in`). Returns the members who
/// joined or left: they now read more or less.
pub(crate) async fn replace_group_members_in(
    w: &mut crate::WriteTx<'_>,
    slug: &str,
    after: &BTreeSet<String>,
) -> Result<Vec<String>> {
    let before: Vec<(String,)> =
        sqlx::query_as("SELECT member_code FROM group_members WHERE group_slug = $1")
            .bind(slug)
            .fetch_all(&mut *w.tx)
            .await?;
    let before: BTreeSet<String> = before.into_iter().map(|(c,)| c).collect();
    if &before == after {
        return Ok(Vec::new());
    }
    sqlx::query("DELETE FROM group_members WHERE group_slug = $1")
        .bind(slug)
        .execute(&mut *w.tx)
        .await?;
    let codes = after
        .iter()
        .map(|c| MemberCode::parse(c))
        .collect::<std::result::Result<BTreeSet<_>, _>>()?;
    insert_group_members(w, slug, &codes).await?;
    crate::records::regroup_in(w, slug, &before, after).await?;
    Ok(before.symmetric_difference(after).cloned().collect())
}

async fn insert_group_members(
    w: &mut crate::WriteTx<'_>,
    slug: &str,
    members: &BTreeSet<MemberCode>,
) -> Result<()> {
    for m in members {
        sqlx::query("INSERT INTO group_members (group_slug, member_code) VALUES ($1, $2)")
            .bind(slug)
            .bind(m.as_str())
            .execute(&mut *w.tx)
            .await
            .map_err(|e| {
                match conflict_on_unique(e, crate::ConflictCode::AlreadyExists, String::new) {
                    StoreError::BadRequest(_) => {
                        StoreError::BadRequest(format!("unknown member {m}"))
                    }
                    other => other,
                }
            })?;
    }
    Ok(())
}

fn member_from_row(r: &sqlx::any::AnyRow) -> Result<Member> {
    Ok(Member {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        role: r.try_get("role")?,
        joined: r.try_get("joined")?,
    })
}
