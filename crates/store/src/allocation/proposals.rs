//! The proposal lifecycle after a run: reading proposals (only by users who
//! may read both the offer and the requirement), a coordinator's decision
//! (proposed → accepted | rejected), and the offering member's commitment
//! of an accepted proposal (accepted → committed), which splits its
//! standalone pledge — or commits it whole — in one transaction.

use super::{coordinator, proposal_from_row, Decision, Proposal, MAX_REASON, PROPOSAL_COLUMNS};
use crate::contributions::pledge_body;
use crate::records::VersionOf;
use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::needs::{Contribution, ContributionDraft, Measure, Status};
use coalesce_domain::needs::{ContributionBody, ContributionRecordKind};
use coalesce_domain::record::Record;

impl Store {
    /// Proposals the caller may read (both offer and requirement readable),
    /// of one run, or of the caller's member's offers (`mine`), oldest first.
    pub async fn list_proposals(
        &self,
        p: &Principal,
        run_id: Option<&str>,
        mine: bool,
    ) -> Result<Vec<Proposal>> {
        let sql = format!(
            "SELECT {PROPOSAL_COLUMNS} FROM allocation_proposals ap \
             JOIN contributions c ON c.id = ap.contribution_id JOIN requirements r ON r.id = ap.requirement_id \
             WHERE ($2 = '' OR ap.run_id = $2) AND ($3 = '' OR c.origin = $3) AND {} AND {} \
             ORDER BY ap.run_id DESC, ap.seq LIMIT 5000",
            crate::audience::readable("c.id", "$1"),
            crate::audience::readable("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(run_id.unwrap_or_default())
            .bind(if mine { p.member.as_str() } else { "" })
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(proposal_from_row).collect()
    }

    pub async fn get_proposal(&self, p: &Principal, id: &str) -> Result<Proposal> {
        let sql = format!(
            "SELECT {PROPOSAL_COLUMNS} FROM allocation_proposals ap \
             JOIN contributions c ON c.id = ap.contribution_id JOIN requirements r ON r.id = ap.requirement_id \
             WHERE ap.id = $2 AND {} AND {}",
            crate::audience::readable("c.id", "$1"),
            crate::audience::readable("r.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        proposal_from_row(&row)
    }

    /// A coordinator of the member that ran the allocation accepts or
    /// rejects a proposal (once; audited).
    pub async fn decide_proposal(
        &self,
        p: &Principal,
        id: &str,
        decision: Decision,
        reason: &str,
    ) -> Result<Proposal> {
        coordinator(p)?;
        let reason = coalesce_domain::text::body("reason", reason, MAX_REASON)?;
        let current = self.get_proposal(p, id).await?;
        self.get_allocation_run(p, &current.run_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::Forbidden(
                    "only coordinators of the member that ran the allocation decide on its proposals"
                        .into(),
                ),
                other => other,
            })?;
        if current.status != "proposed" {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                format!("the proposal was already {}", current.status),
            ));
        }
        let status = match decision {
            Decision::Accept => "accepted",
            Decision::Reject => "rejected",
        };
        let now = now_ms();
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE allocation_proposals SET status = $1, decided_at = $2, decided_by = $3, reason = $4 \
             WHERE id = $5 AND status = 'proposed'",
        )
        .bind(status)
        .bind(now)
        .bind(p.username.as_str())
        .bind(&reason)
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("proposal"));
        }
        audit::append(
            &mut w.tx,
            Some(p),
            &format!("allocation.{}", if status == "accepted" { "accept" } else { "reject" }),
            id,
            &serde_json::json!({ "offer": current.contribution_id, "requirement": current.requirement_id }),
        )
        .await?;
        w.commit().await?;
        self.get_proposal(p, id).await
    }

    /// The offering member commits an accepted proposal: in one transaction
    /// the proposed amount becomes a committed contribution against the
    /// requirement (same contributors, title and marking as the offer), the
    /// offer keeps the rest (closed as cancelled when nothing is left, with
    /// the allocation named in its audit entry), and the proposal is marked
    /// committed. Returns the new contribution.
    pub async fn commit_proposal(&self, p: &Principal, id: &str) -> Result<Contribution> {
        crate::records::check_writer(p)?;
        let prop = self.get_proposal(p, id).await?;
        if prop.offer_member != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} commit its offers",
                prop.offer_member
            )));
        }
        if prop.status != "accepted" {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                format!(
                    "only an accepted proposal is committed; this one is {}",
                    prop.status
                ),
            ));
        }
        let offer = self.fetch_contribution(p, &prop.contribution_id).await?;
        if offer.status != Status::Pledged || offer.requirement_id.is_some() {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                "the offer is no longer an open pledge",
            ));
        }
        let left = offer.measure.amount() - prop.amount;
        if left < 0 {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                format!(
                    "the offer has only {} left, the proposal moves {}",
                    offer.measure.amount(),
                    prop.amount
                ),
            ));
        }
        let moved = Measure::parse(offer.measure.kind(), prop.amount, offer.measure.unit())?;
        let draft = ContributionDraft {
            title: offer.title.clone(),
            description: offer.description.clone(),
            contributors: offer
                .contributors
                .iter()
                .chain(&offer.proposed_contributors)
                .map(|m| coalesce_domain::MemberCode::parse(m))
                .collect::<Result<_, _>>()?,
            requirement_id: Some(prop.requirement_id.clone()),
            line_of_effort: None,
            category: None,
            measure: moved,
            place: None,
            window: None,
            marking: offer.marking.clone(),
            // The part committed keeps the offer's suppliers and carriers.
            parties: offer.parties.clone(),
        };
        let resolved = self.resolve_contribution(p, &draft).await?;
        // No audit entry for this read: the commitment that follows is.
        let offer_record = self
            .fetch_record::<ContributionRecordKind>(p, &offer.id)
            .await?;
        if left == 0 {
            return self
                .commit_whole_offer(p, id, &prop, offer_record, resolved)
                .await;
        }
        let node = self.node_id().await?;
        let now = now_ms();
        let mut w = self.begin_write().await?;
        // The part: recorded as a pledge, then committed against the
        // requirement (two versions, as a pledge committed by hand).
        let items = crate::records::checked::<ContributionRecordKind>(
            p,
            vec![(pledge_body(&draft, resolved), offer.marking.clone())],
        )?;
        let part = self
            .create_in::<ContributionRecordKind>(&mut w, &node, p, items, now)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        // The part keeps the offer's co-contributors as they stand: those who
        // confirmed the offer stand by its part too (their figures follow).
        let part_ids = [part.id.clone()];
        crate::rollup::remove(&mut w, &part_ids).await?;
        sqlx::query(
            "UPDATE contribution_members SET \
             confirmed_at = (SELECT o.confirmed_at FROM contribution_members o WHERE o.contribution_id = $1 AND o.member_code = contribution_members.member_code), \
             confirmed_by = (SELECT o.confirmed_by FROM contribution_members o WHERE o.contribution_id = $1 AND o.member_code = contribution_members.member_code) \
             WHERE contribution_id = $2",
        )
        .bind(&offer.id)
        .bind(&part.id)
        .execute(&mut *w.tx)
        .await?;
        crate::rollup::add(&mut w, &part_ids).await?;
        let committed = ContributionBody {
            status: Status::Committed,
            ..part.body.clone()
        };
        self.write_version_in::<ContributionRecordKind>(
            &mut w,
            &node,
            p,
            &part.id,
            Some((committed, part.marking.clone())),
            VersionOf {
                if_version: Some(part.version),
                verb: "commit",
                detail: Some(
                    serde_json::json!({ "from": "pledged", "to": "committed", "proposal": id }),
                ),
                at_ms: now,
            },
        )
        .await?;
        // The offer keeps the rest.
        let rest = ContributionBody {
            measure: Measure::parse(offer.measure.kind(), left, offer.measure.unit())?,
            ..offer_record.body.clone()
        };
        self.write_version_in::<ContributionRecordKind>(
            &mut w,
            &node,
            p,
            &offer.id,
            Some((rest, offer_record.marking.clone())),
            VersionOf {
                if_version: Some(offer_record.version),
                verb: "allocate",
                detail: Some(serde_json::json!({
                    "to": part.id, "requirement": prop.requirement_id, "proposal": id
                })),
                at_ms: now,
            },
        )
        .await
        .map_err(offer_changed)?;
        proposal_committed(&mut w, p, id, &part.id).await?;
        w.commit().await?;
        self.get_contribution(p, &part.id).await
    }

    /// Commits a proposal that moves a whole pledge: the pledge itself
    /// becomes the committed contribution against the requirement (a new
    /// version; its place and window are then the requirement's, as for a
    /// part split off), so no cancelled remainder counts what was committed.
    async fn commit_whole_offer(
        &self,
        p: &Principal,
        proposal_id: &str,
        prop: &Proposal,
        offer: Record<ContributionBody>,
        (line_of_effort, category, _, _): crate::needs::OwnParts,
    ) -> Result<Contribution> {
        let node = self.node_id().await?;
        let body = ContributionBody {
            requirement_id: Some(prop.requirement_id.clone()),
            line_of_effort,
            category,
            status: Status::Committed,
            place: None,
            window: None,
            ..offer.body.clone()
        };
        let mut w = self.begin_write().await?;
        self.write_version_in::<ContributionRecordKind>(
            &mut w,
            &node,
            p,
            &offer.id,
            Some((body, offer.marking.clone())),
            VersionOf {
                if_version: Some(offer.version),
                verb: "commit",
                detail: Some(serde_json::json!({
                    "from": "pledged", "to": "committed", "proposal": proposal_id
                })),
                at_ms: now_ms(),
            },
        )
        .await
        .map_err(offer_changed)?;
        proposal_committed(&mut w, p, proposal_id, &offer.id).await?;
        w.commit().await?;
        self.get_contribution(p, &offer.id).await
    }
}

/// A version conflict on the offer: it changed since the proposal was read.
fn offer_changed(e: StoreError) -> StoreError {
    match e {
        StoreError::Conflict(c) if c.code == crate::ConflictCode::VersionConflict => {
            StoreError::changed_meanwhile("offer")
        }
        other => other,
    }
}

/// Marks an accepted proposal committed to `contribution_id` (audited).
async fn proposal_committed(
    w: &mut crate::WriteTx<'_>,
    p: &Principal,
    proposal_id: &str,
    contribution_id: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE allocation_proposals SET status = 'committed', committed_contribution_id = $1 WHERE id = $2 AND status = 'accepted'",
    )
    .bind(contribution_id)
    .bind(proposal_id)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::changed_meanwhile("proposal"));
    }
    audit::append(
        &mut w.tx,
        Some(p),
        "allocation.commit",
        proposal_id,
        &serde_json::json!({ "contribution": contribution_id }),
    )
    .await
}
