//! Allocation in the product (issue 5): what a coordinator's run of the
//! engine keeps, and the proposal lifecycle
//! proposed → accepted | rejected, accepted → committed.
//!
//! Ownership holds: a coordinator accepts or rejects a proposal (a record of
//! its own member's run), but only the offering member's users commit an
//! accepted proposal, which splits their standalone pledge: the proposed
//! amount becomes a committed contribution against the requirement, and the
//! pledge keeps the rest (or is closed when nothing is left).
//!
//! Releasability: a run is a marked record of its member (TLP:AMBER, no
//! REL TO), read through [`crate::audience::readable`]; what it says about
//! requirements and offers — gaps, surplus, totals — is shown only for those
//! its reader may read when it reads the run (a requirement narrowed since
//! drops out). A proposal is read only by users who may read both its offer
//! and its requirement.

use crate::contributions::pledge_body;
use crate::picture::RequirementFigures;
use crate::records::VersionOf;
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::allocation_run::{AllocationRunBody, AllocationRunKind, ProposedMatch};
use coalesce_domain::needs::{Contribution, ContributionDraft, Measure, Status};
use coalesce_domain::needs::{ContributionBody, ContributionRecordKind};
use coalesce_domain::record::Record;
use coalesce_domain::Role;
use serde::Serialize;
use sqlx::Row;

/// A proposed match as the engine made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub contribution_id: String,
    pub requirement_id: String,
    pub amount: i64,
    pub explanation: String,
}

/// A run as the engine made it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    pub requirements: i64,
    pub offers: i64,
    pub compatible_pairs: i64,
    pub requested: i64,
    pub proposed: i64,
    /// The engine's gaps with their reasons (JSON).
    pub gaps: serde_json::Value,
    /// Offers the open needs did not (fully) take (JSON).
    pub surplus: serde_json::Value,
    pub proposals: Vec<NewProposal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub id: String,
    pub member: String,
    pub run_at_ms: i64,
    pub run_by: String,
    pub requirements: i64,
    pub offers: i64,
    /// `None` when the run took in records its reader may not read now.
    pub compatible_pairs: Option<i64>,
    pub requested: i64,
    pub proposed: i64,
    pub gaps: serde_json::Value,
    pub surplus: serde_json::Value,
}

/// Which of the offers and requirements a run names its reader may read now.
struct ReadableParts {
    offers: std::collections::BTreeSet<String>,
    requirements: std::collections::BTreeSet<String>,
}

/// The marking of every allocation run: its member's alone.
fn run_marking() -> coalesce_domain::Marking {
    coalesce_domain::Marking {
        tlp: coalesce_domain::Tlp::Amber,
        rel_to: Default::default(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub id: String,
    pub run_id: String,
    pub seq: i64,
    pub contribution_id: String,
    /// The offering member (the contribution's origin).
    pub offer_member: String,
    pub offer_title: String,
    pub requirement_id: String,
    pub requirement_title: String,
    pub amount: i64,
    /// `quantity` or `money`, and the unit or currency (the requirement's).
    pub kind: String,
    pub unit: String,
    pub explanation: String,
    /// `proposed`, `accepted`, `rejected` or `committed`.
    pub status: String,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub committed_contribution_id: Option<String>,
}

/// A coordinator's decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject,
}

const MAX_REASON: usize = 2_000;
/// The most requirements and offers one run takes in.
pub const MAX_RUN_RECORDS: i64 = 100_000;

const PROPOSAL_COLUMNS: &str = "ap.id, ap.run_id, ap.seq, ap.contribution_id, c.origin AS offer_member, c.title AS offer_title, \
     ap.requirement_id, r.title AS requirement_title, ap.amount, r.kind, r.unit, ap.explanation, ap.status, \
     ap.decided_at, ap.decided_by, ap.reason, ap.committed_contribution_id";

fn proposal_from_row(r: &sqlx::any::AnyRow) -> Result<Proposal> {
    Ok(Proposal {
        id: r.try_get("id")?,
        run_id: r.try_get("run_id")?,
        seq: r.try_get("seq")?,
        contribution_id: r.try_get("contribution_id")?,
        offer_member: r.try_get("offer_member")?,
        offer_title: r.try_get("offer_title")?,
        requirement_id: r.try_get("requirement_id")?,
        requirement_title: r.try_get("requirement_title")?,
        amount: r.try_get("amount")?,
        kind: r.try_get("kind")?,
        unit: r.try_get("unit")?,
        explanation: r.try_get("explanation")?,
        status: r.try_get("status")?,
        decided_at_ms: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        reason: r.try_get("reason")?,
        committed_contribution_id: r.try_get("committed_contribution_id")?,
    })
}

const RUN_COLUMNS: &str =
    "x.id, x.member, x.run_at, x.run_by, x.requirements, x.offers, x.compatible_pairs, \
     x.requested, x.proposed, x.gaps, x.surplus";

fn run_from_row(r: &sqlx::any::AnyRow) -> Result<Run> {
    Ok(Run {
        id: r.try_get("id")?,
        member: r.try_get("member")?,
        run_at_ms: r.try_get("run_at")?,
        run_by: r.try_get("run_by")?,
        requirements: r.try_get("requirements")?,
        offers: r.try_get("offers")?,
        compatible_pairs: Some(r.try_get("compatible_pairs")?),
        requested: r.try_get("requested")?,
        proposed: r.try_get("proposed")?,
        gaps: serde_json::from_str(&r.try_get::<String, _>("gaps")?)
            .map_err(|e| StoreError::Corrupt(format!("gaps column: {e}")))?,
        surplus: serde_json::from_str(&r.try_get::<String, _>("surplus")?)
            .map_err(|e| StoreError::Corrupt(format!("surplus column: {e}")))?,
    })
}

fn coordinator(p: &Principal) -> Result<()> {
    if p.role < Role::Coordinator {
        return Err(StoreError::Forbidden(
            "only coordinators run allocations and decide on proposals".into(),
        ));
    }
    Ok(())
}

impl Store {
    /// What an allocation run takes in: the open requirements the
    /// coordinator may read with their figures, and the standalone pledges
    /// (offers not yet against a requirement) it may read.
    pub async fn allocation_candidates(
        &self,
        p: &Principal,
    ) -> Result<(Vec<RequirementFigures>, Vec<Contribution>)> {
        coordinator(p)?;
        // A requirement recorded in another member's name takes nothing
        // until that member confirms it asks for it.
        let mut requirements = self
            .requirements_with_figures_upto(p, "", MAX_RUN_RECORDS)
            .await?;
        requirements.retain(|f| f.requirement.requester_confirmed);
        let filter = crate::needs::ContributionFilter {
            status: Some(Status::Pledged),
            ..Default::default()
        };
        let mut offers = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .list_contributions(p, &filter, cursor.as_deref(), crate::notes::MAX_PAGE)
                .await?;
            offers.extend(
                page.items
                    .into_iter()
                    .filter(|c| c.requirement_id.is_none()),
            );
            match page.next {
                Some(c) if (offers.len() as i64) < MAX_RUN_RECORDS => cursor = Some(c),
                _ => break,
            }
        }
        Ok((requirements, offers))
    }

    /// Keeps a run and its proposals (audited). Every proposal must name an
    /// offer and a requirement the coordinator may read.
    pub async fn save_allocation_run(&self, p: &Principal, run: &NewRun) -> Result<Run> {
        coordinator(p)?;
        for np in &run.proposals {
            self.fetch_contribution(p, &np.contribution_id).await?;
            self.fetch_requirement(p, &np.requirement_id).await?;
            if np.amount <= 0 {
                return Err(StoreError::BadRequest(
                    "a proposal moves a positive amount".into(),
                ));
            }
        }
        let body = AllocationRunBody {
            requirements: run.requirements,
            offers: run.offers,
            compatible_pairs: Some(run.compatible_pairs),
            requested: run.requested,
            proposed: run.proposed,
            gaps: run.gaps.clone(),
            surplus: run.surplus.clone(),
            proposals: run
                .proposals
                .iter()
                .enumerate()
                .map(|(i, np)| ProposedMatch {
                    seq: i as i64 + 1,
                    contribution_id: np.contribution_id.clone(),
                    requirement_id: np.requirement_id.clone(),
                    amount: np.amount,
                    explanation: np.explanation.clone(),
                })
                .collect(),
        };
        let r = self
            .create_record::<AllocationRunKind>(p, body, run_marking())
            .await?;
        self.get_allocation_run(p, &r.id).await
    }

    /// A run its reader may read (its member's users), as they may read it
    /// now (see [`Store::run_as_read_by`]).
    pub async fn get_allocation_run(&self, p: &Principal, id: &str) -> Result<Run> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM allocation_runs x WHERE x.id = $2 AND {}",
            crate::audience::readable("x.id", "$1")
        ))
        .bind(p.member.as_str())
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(self.run_as_read_by(p, run_from_row(&row)?).await?.0)
    }

    /// The newest run the caller may read, if any.
    pub async fn latest_allocation_run(&self, p: &Principal) -> Result<Option<Run>> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM allocation_runs x WHERE x.member = $1 AND {} ORDER BY x.id DESC LIMIT 1",
            crate::audience::readable("x.id", "$1")
        ))
        .bind(p.member.as_str())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some(self.run_as_read_by(p, run_from_row(&r)?).await?.0)),
            None => Ok(None),
        }
    }

    /// What a kept run says about requirements and offers, as far as `p`
    /// may read them now: gaps of readable requirements, surplus of
    /// readable offers, and totals recomputed from those and the readable
    /// proposals (they equal the kept totals when everything is readable;
    /// the count of compatible pairs is kept only then).
    /// Returns also which of the offers and requirements the run names `p`
    /// may read.
    async fn run_as_read_by(&self, p: &Principal, mut run: Run) -> Result<(Run, ReadableParts)> {
        let proposals: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT contribution_id, requirement_id, amount FROM allocation_proposals WHERE run_id = $1",
        )
        .bind(&run.id)
        .fetch_all(self.pool())
        .await?;
        let field = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let entries = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
        let (gaps, surplus) = (entries(&run.gaps), entries(&run.surplus));
        let requirement_ids: Vec<String> = gaps
            .iter()
            .map(|g| field(g, "requirement"))
            .chain(proposals.iter().map(|x| x.1.clone()))
            .collect();
        let offer_ids: Vec<String> = surplus
            .iter()
            .map(|s| field(s, "offer"))
            .chain(proposals.iter().map(|x| x.0.clone()))
            .collect();
        let readable_requirements = self
            .readable_among(p, "requirements", &requirement_ids)
            .await?;
        let readable_offers = self.readable_among(p, "contributions", &offer_ids).await?;
        let all_readable = requirement_ids
            .iter()
            .all(|r| readable_requirements.contains(r))
            && offer_ids.iter().all(|o| readable_offers.contains(o));
        let gaps: Vec<serde_json::Value> = gaps
            .into_iter()
            .filter(|g| readable_requirements.contains(&field(g, "requirement")))
            .collect();
        let surplus: Vec<serde_json::Value> = surplus
            .into_iter()
            .filter(|s| readable_offers.contains(&field(s, "offer")))
            .collect();
        let gap_ids: std::collections::BTreeSet<String> =
            gaps.iter().map(|g| field(g, "requirement")).collect();
        let seen: Vec<&(String, String, i64)> = proposals
            .iter()
            .filter(|x| readable_offers.contains(&x.0) && readable_requirements.contains(&x.1))
            .collect();
        let mut requirements = gap_ids.clone();
        requirements.extend(seen.iter().map(|x| x.1.clone()));
        let mut offers: std::collections::BTreeSet<String> =
            surplus.iter().map(|s| field(s, "offer")).collect();
        offers.extend(seen.iter().map(|x| x.0.clone()));
        run.requirements = requirements.len() as i64;
        run.offers = offers.len() as i64;
        run.proposed = seen.iter().map(|x| x.2).sum();
        // A requirement with a gap says what it asked; one fully met asked
        // what its proposals cover.
        run.requested = gaps
            .iter()
            .map(|g| g["requested"].as_i64().unwrap_or(0))
            .sum::<i64>()
            + seen
                .iter()
                .filter(|x| !gap_ids.contains(&x.1))
                .map(|x| x.2)
                .sum::<i64>();
        if !all_readable {
            run.compatible_pairs = None;
        }
        run.gaps = serde_json::Value::Array(gaps);
        run.surplus = serde_json::Value::Array(surplus);
        Ok((
            run,
            ReadableParts {
                offers: readable_offers,
                requirements: readable_requirements,
            },
        ))
    }

    /// A run as a record of the layer, for its STIX form, as `p` may read
    /// it now: what [`Store::get_allocation_run`] shows (gaps and surplus of
    /// readable records, totals over them, no count of compatible pairs
    /// unless everything it took in is readable), and only the proposals
    /// whose offer and requirement `p` may read.
    pub async fn allocation_run_record(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<AllocationRunBody>> {
        let r = self.get_record::<AllocationRunKind>(p, id).await?;
        let b = &r.body;
        let kept = Run {
            id: r.id.clone(),
            member: r.origin.clone(),
            run_at_ms: r.created_at_ms,
            run_by: r.created_by.clone(),
            requirements: b.requirements,
            offers: b.offers,
            compatible_pairs: b.compatible_pairs,
            requested: b.requested,
            proposed: b.proposed,
            gaps: b.gaps.clone(),
            surplus: b.surplus.clone(),
        };
        let (shown, readable) = self.run_as_read_by(p, kept).await?;
        let body = AllocationRunBody {
            requirements: shown.requirements,
            offers: shown.offers,
            compatible_pairs: shown.compatible_pairs,
            requested: shown.requested,
            proposed: shown.proposed,
            gaps: shown.gaps,
            surplus: shown.surplus,
            proposals: b
                .proposals
                .iter()
                .filter(|m| {
                    readable.offers.contains(&m.contribution_id)
                        && readable.requirements.contains(&m.requirement_id)
                })
                .cloned()
                .collect(),
        };
        Ok(r.with_body(body))
    }

    /// Which of `ids` (of records in `table`) `p` may read.
    async fn readable_among(
        &self,
        p: &Principal,
        table: &str,
        ids: &[String],
    ) -> Result<std::collections::BTreeSet<String>> {
        let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
        let unique: Vec<&String> = unique.into_iter().collect();
        let mut found = std::collections::BTreeSet::new();
        for chunk in unique.chunks(500) {
            let sql = format!(
                "SELECT t.id FROM {table} t WHERE t.id IN ({}) AND {}",
                crate::placeholders(2, chunk.len()),
                crate::audience::readable("t.id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(p.member.as_str());
            for id in chunk {
                q = q.bind(id.as_str());
            }
            found.extend(q.fetch_all(self.pool()).await?.into_iter().map(|(id,)| id));
        }
        Ok(found)
    }

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

/// Writes the typed rows of allocation runs as written (the layer's hook):
/// the run (what its reads filter and sum) and its proposals, each then
/// waiting for the coordinator's decision and the offering member's
/// commitment, their own acts kept on the proposal's row. A run never
/// changes once made.
pub(crate) async fn project_runs(
    w: &mut crate::WriteTx<'_>,
    written: &[&Record<AllocationRunBody>],
) -> Result<()> {
    use crate::bulk::{insert_rows_then, Arg};
    let mut runs = Vec::with_capacity(written.len());
    let mut proposals = Vec::new();
    for r in written {
        let b = &r.body;
        runs.push(vec![
            Arg::Text(r.id.clone()),
            Arg::Text(r.origin.clone()),
            Arg::Int(r.created_at_ms),
            Arg::Text(r.created_by.clone()),
            Arg::Int(b.requirements),
            Arg::Int(b.offers),
            Arg::Int(b.compatible_pairs.unwrap_or(0)),
            Arg::Int(b.requested),
            Arg::Int(b.proposed),
            Arg::Text(b.gaps.to_string()),
            Arg::Text(b.surplus.to_string()),
        ]);
        for m in &b.proposals {
            proposals.push(vec![
                Arg::Text(new_id_at(r.created_at_ms)),
                Arg::Text(r.id.clone()),
                Arg::Int(m.seq),
                Arg::Text(m.contribution_id.clone()),
                Arg::Text(m.requirement_id.clone()),
                Arg::Int(m.amount),
                Arg::Text(m.explanation.clone()),
                Arg::Text("proposed".into()),
            ]);
        }
    }
    insert_rows_then(
        &mut w.tx,
        "allocation_runs (id, member, run_at, run_by, requirements, offers, compatible_pairs, requested, proposed, gaps, surplus)",
        &runs,
        "ON CONFLICT (id) DO NOTHING",
    )
    .await?;
    insert_rows_then(
        &mut w.tx,
        "allocation_proposals (id, run_id, seq, contribution_id, requirement_id, amount, explanation, status)",
        &proposals,
        "ON CONFLICT (run_id, seq) DO NOTHING",
    )
    .await
}

/// Migration 27 moves the runs made before onto the layer: each one
/// version, as it was made, under its member's marking. Their typed rows
/// and proposals (with the decisions and commitments on them) stay.
pub(crate) async fn move_legacy_runs(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    use crate::records::legacy::{move_onto_layer, node_id_in, LegacyRecord, LegacyVersion};
    let mut proposals: std::collections::BTreeMap<String, Vec<ProposedMatch>> =
        std::collections::BTreeMap::new();
    let rows: Vec<(String, i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT run_id, seq, contribution_id, requirement_id, amount, explanation FROM allocation_proposals ORDER BY run_id, seq",
    )
    .fetch_all(&mut *w.tx)
    .await?;
    for (run, seq, contribution_id, requirement_id, amount, explanation) in rows {
        proposals.entry(run).or_default().push(ProposedMatch {
            seq,
            contribution_id,
            requirement_id,
            amount,
            explanation,
        });
    }
    let rows = sqlx::query(&format!(
        "SELECT {RUN_COLUMNS} FROM allocation_runs x ORDER BY x.run_at, x.id"
    ))
    .fetch_all(&mut *w.tx)
    .await?;
    let mut legacy = Vec::with_capacity(rows.len());
    for row in &rows {
        let run = run_from_row(row)?;
        legacy.push(LegacyRecord {
            origin: coalesce_domain::MemberCode::parse(&run.member)?,
            created_at_ms: run.run_at_ms,
            created_by: run.run_by.clone(),
            withdrawn: false,
            versions: vec![LegacyVersion {
                version: 1,
                status: coalesce_domain::record::Status::Live,
                body: AllocationRunBody {
                    requirements: run.requirements,
                    offers: run.offers,
                    compatible_pairs: run.compatible_pairs,
                    requested: run.requested,
                    proposed: run.proposed,
                    gaps: run.gaps,
                    surplus: run.surplus,
                    proposals: proposals.remove(&run.id).unwrap_or_default(),
                },
                marking: run_marking(),
                author: run.run_by,
                at_ms: run.run_at_ms,
            }],
            id: run.id,
        });
    }
    let node = node_id_in(&mut w.tx).await?;
    move_onto_layer::<AllocationRunKind>(&mut w.tx, &node, legacy).await
}
