//! What waits for a member's users to act: deliveries to confirm, records
//! made in its name to confirm, pledges to commit, allocation proposals to
//! decide or commit, screening matches after a list update. Each is a set
//! query over records the reader may read ([`crate::audience::readable`] on
//! every marked table joined), counted, with the first few to link to.

use crate::{audience::readable, Principal, Result, Store};
use serde::Serialize;
use sqlx::Row;

/// How many of each kind of task are listed (all are counted).
pub const LISTED: i64 = 5;

/// One thing to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// Where it is acted on (`/contributions/{id}`, …).
    pub path: String,
    pub title: String,
    /// A short line on what is asked (a date, an amount, a list).
    pub detail: String,
}

/// One kind of task: how many wait, and the first [`LISTED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Tasks {
    pub count: i64,
    pub items: Vec<Task>,
}

/// Everything that waits for the reader's member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Inbox {
    /// Deliveries against the member's requirements whose receipt it has
    /// not confirmed.
    pub deliveries_to_confirm: Tasks,
    /// Requirements recorded in the member's name it has not confirmed.
    pub requirements_to_confirm: Tasks,
    /// Contributions naming the member as a contributor it has not
    /// confirmed.
    pub contributions_to_confirm: Tasks,
    /// The member's pledges not committed yet.
    pub pledges_to_commit: Tasks,
    /// Proposals of the member's allocation runs to accept or reject
    /// (coordinators decide them).
    pub proposals_to_decide: Tasks,
    /// Accepted proposals for the member's offers, to commit.
    pub proposals_to_commit: Tasks,
    /// Matches found on the member's records when a list was updated.
    pub screening_matches: Tasks,
}

impl Store {
    /// What waits for `p`'s member (every list over what `p` may read).
    pub async fn inbox(&self, p: &Principal) -> Result<Inbox> {
        let c_live = "EXISTS (SELECT 1 FROM records lr WHERE lr.id = c.id AND lr.status = 'live')";
        Ok(Inbox {
            deliveries_to_confirm: self
                .tasks(
                    p,
                    &format!(
                        "FROM contribution_deliveries d JOIN contributions c ON c.id = d.contribution_id \
                         JOIN requirements r ON r.id = c.requirement_id \
                         WHERE d.received_at IS NULL AND r.requesting_member = $2 AND r.revoked = 0 \
                         AND {c_live} AND {} AND {}",
                        readable("c.id", "$1"),
                        readable("r.id", "$1")
                    ),
                    "'/contributions/' || c.id",
                    "c.id",
                    "c.title",
                    "'delivered ' || d.delivered_on || ' against ' || r.title",
                    "d.delivered_on, d.id",
                )
                .await?,
            requirements_to_confirm: self
                .tasks(
                    p,
                    &format!(
                        "FROM requirements r WHERE r.requesting_member = $2 AND r.revoked = 0 \
                         AND r.requester_confirmed_at IS NULL AND {}",
                        readable("r.id", "$1")
                    ),
                    "'/requirements/' || r.id",
                    "r.id",
                    "r.title",
                    "'recorded by ' || r.origin || ' in your name'",
                    "r.id",
                )
                .await?,
            contributions_to_confirm: self
                .tasks(
                    p,
                    &format!(
                        "FROM contribution_members m JOIN contributions c ON c.id = m.contribution_id \
                         WHERE m.member_code = $2 AND m.confirmed_at IS NULL AND c.status <> 'cancelled' \
                         AND {c_live} AND {}",
                        readable("c.id", "$1")
                    ),
                    "'/contributions/' || c.id",
                    "c.id",
                    "c.title",
                    "'recorded by ' || c.origin || ' with you as a contributor'",
                    "c.id",
                )
                .await?,
            pledges_to_commit: self
                .tasks(
                    p,
                    &format!(
                        "FROM contributions c WHERE c.origin = $2 AND c.status = 'pledged' \
                         AND {c_live} AND {}",
                        readable("c.id", "$1")
                    ),
                    "'/contributions/' || c.id",
                    "c.id",
                    "c.title",
                    "'pledged, not committed'",
                    "c.id",
                )
                .await?,
            proposals_to_decide: if p.role >= coalesce_domain::Role::Coordinator {
                self.tasks(
                    p,
                    &format!(
                        "FROM allocation_proposals ap JOIN records ar ON ar.id = ap.run_id \
                         JOIN contributions c ON c.id = ap.contribution_id \
                         JOIN requirements r ON r.id = ap.requirement_id \
                         WHERE ap.status = 'proposed' AND ar.origin = $2 AND {} AND {}",
                        readable("c.id", "$1"),
                        readable("r.id", "$1")
                    ),
                    "'/allocation'",
                    "c.id",
                    "c.title",
                    "'proposed for ' || r.title",
                    "ap.run_id, ap.seq",
                )
                .await?
            } else {
                Tasks::default()
            },
            proposals_to_commit: self
                .tasks(
                    p,
                    &format!(
                        "FROM allocation_proposals ap JOIN contributions c ON c.id = ap.contribution_id \
                         JOIN requirements r ON r.id = ap.requirement_id \
                         WHERE ap.status = 'accepted' AND c.origin = $2 AND {} AND {}",
                        readable("c.id", "$1"),
                        readable("r.id", "$1")
                    ),
                    "'/allocation'",
                    "c.id",
                    "c.title",
                    "'accepted for ' || r.title || ': commit it'",
                    "ap.run_id, ap.seq",
                )
                .await?,
            screening_matches: self
                .tasks(
                    p,
                    &format!(
                        "FROM screening_rescreen_findings f JOIN screening_rescreens s ON s.id = f.rescreen_id \
                         JOIN records rr ON rr.id = f.record_id \
                         WHERE rr.origin = $2 AND rr.status = 'live' AND {}",
                        readable("rr.id", "$1")
                    ),
                    "'/screen/lists/' || s.version_id",
                    "f.record_id",
                    "f.caption",
                    "'a party of your ' || f.record_kind || ' matches ' || f.entry_id",
                    "s.finished_at DESC, f.record_id",
                )
                .await?,
        })
    }

    /// Counts the rows of `from_where` and lists the first [`LISTED`]
    /// ordered by `order`; `$1` is the reader's member, `$2` too (the
    /// member the tasks are for).
    // Each argument is one SQL expression of the same task; a struct would
    // only name them again at every call.
    #[allow(clippy::too_many_arguments)]
    async fn tasks(
        &self,
        p: &Principal,
        from_where: &str,
        path: &str,
        rid: &str,
        title: &str,
        detail: &str,
        order: &str,
    ) -> Result<Tasks> {
        let member = p.member.as_str();
        let count: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n {from_where}"))
            .bind(member)
            .bind(member)
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        if count == 0 {
            return Ok(Tasks::default());
        }
        let rows = sqlx::query(&format!(
            "SELECT {path} AS path, {rid} AS rid, (SELECT t.tlp FROM records t WHERE t.id = {rid}) AS tlp, \
             {title} AS title, {detail} AS detail {from_where} ORDER BY {order} LIMIT {LISTED}"
        ))
        .bind(member)
        .bind(member)
        .fetch_all(self.pool())
        .await?;
        let mut read: Vec<(String, coalesce_domain::Tlp)> = Vec::new();
        for r in &rows {
            let tlp: String = r.try_get("tlp")?;
            read.push((r.try_get("rid")?, coalesce_domain::Tlp::parse(&tlp)?));
        }
        self.audit_read_tlps(
            p,
            "inbox.read",
            "inbox",
            read.iter().map(|(i, t)| (i.as_str(), *t)),
        )
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(Task {
                    path: r.try_get("path")?,
                    title: r.try_get("title")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Tasks { count, items })
    }
}
