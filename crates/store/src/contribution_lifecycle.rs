//! A contribution's life after it is recorded: pledged → committed →
//! delivered (in parts) / cancelled as the pure transition function of
//! `domain::needs` allows, the parties changed — each a new version written
//! through the record layer, whose hook takes the per-reader figures
//! (`rollup`) away before and adds them after in the same transaction —
//! and receipt confirmed by the requesting member (its own act, kept on
//! the delivery, not a version of the contribution).

use crate::needs::transition_error;
use crate::records::VersionOf;
use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::needs::{
    Contribution, ContributionBody, ContributionDraft, ContributionRecordKind, Delivery,
    DeliveryDraft, Receipt, Transition,
};
use coalesce_domain::record::Record;
use std::collections::BTreeSet;

impl Store {
    /// pledged → committed.
    pub async fn commit_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        self.transition(p, id, Transition::Commit, None, now_ms())
            .await
    }

    /// pledged → committed at `at_ms` (for the demo loader).
    pub async fn commit_contribution_at(
        &self,
        p: &Principal,
        id: &str,
        at_ms: i64,
    ) -> Result<Contribution> {
        self.transition(p, id, Transition::Commit, None, at_ms)
            .await
    }

    /// pledged or committed → cancelled (refused once something was delivered).
    pub async fn cancel_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        self.transition(p, id, Transition::Cancel, None, now_ms())
            .await
    }

    /// Records a (partial) delivery of a committed contribution; when the
    /// deliveries reach its amount it becomes `delivered`. Overdelivery is
    /// refused.
    pub async fn deliver_contribution(
        &self,
        p: &Principal,
        id: &str,
        delivery: &DeliveryDraft,
    ) -> Result<Contribution> {
        self.deliver_contribution_at(p, id, delivery, now_ms())
            .await
    }

    /// A delivery recorded at `at_ms` (for the demo loader).
    pub async fn deliver_contribution_at(
        &self,
        p: &Principal,
        id: &str,
        delivery: &DeliveryDraft,
        at_ms: i64,
    ) -> Result<Contribution> {
        self.transition(
            p,
            id,
            Transition::Deliver(delivery.amount),
            Some(delivery),
            at_ms,
        )
        .await
    }

    async fn transition(
        &self,
        p: &Principal,
        id: &str,
        t: Transition,
        delivery: Option<&DeliveryDraft>,
        at_ms: i64,
    ) -> Result<Contribution> {
        let record = self.own_record(p, id).await?;
        let from = record.body.status;
        let next = record.body.progress().apply(t).map_err(transition_error)?;
        let mut body = ContributionBody {
            status: next.status,
            ..record.body.clone()
        };
        // Audit entries name states, versions and ids, never amounts.
        let mut detail = serde_json::json!({ "from": from, "to": next.status });
        if let Some(d) = delivery {
            body = body.with_delivery(d);
            detail["delivery"] = serde_json::json!({ "seq": body.deliveries.len() });
        }
        self.change_contribution(p, &record, body, t.name(), detail, at_ms, false, None)
            .await
    }

    /// A contribution as the layer holds it, when the caller's member may
    /// change it: a writer's, of its origin (403 for others who may read
    /// it, 404 for those who may not). No audit entry: the change that
    /// follows is audited.
    async fn own_record(&self, p: &Principal, id: &str) -> Result<Record<ContributionBody>> {
        crate::records::check_writer(p)?;
        let record = self.fetch_record::<ContributionRecordKind>(p, id).await?;
        only_its_origin(p, &record.origin)?;
        Ok(record)
    }

    /// Writes the new version of a contribution through the layer (whose
    /// hook takes its figures away before and adds them after), guarded by
    /// the version it was read at, audited as `contribution.<verb>`. With
    /// `reconfirm`, the co-contributors who stood by it stand by it no
    /// longer (it counts for them again once each confirms the new terms).
    /// With `unless_withdrawn`, the change is refused when that requirement
    /// (the one it answers) is withdrawn, as `p` may read it, checked under
    /// the write lock: a requirement withdrawn since asks for nothing more.
    /// One `p` may no longer read tells nothing, and the change goes on.
    #[allow(clippy::too_many_arguments)]
    async fn change_contribution(
        &self,
        p: &Principal,
        record: &Record<ContributionBody>,
        body: ContributionBody,
        verb: &str,
        detail: serde_json::Value,
        at_ms: i64,
        reconfirm: bool,
        unless_withdrawn: Option<&str>,
    ) -> Result<Contribution> {
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        if let Some(rid) = unless_withdrawn {
            let sql = format!(
                "SELECT r.revoked FROM requirements r WHERE r.id = $2 AND {}",
                crate::audience::readable("r.id", "$1")
            );
            let revoked: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(p.member.as_str())
                .bind(rid)
                .fetch_optional(&mut *w.tx)
                .await?;
            if revoked.is_some_and(|(r,)| r != 0) {
                return Err(StoreError::conflict(
                    crate::ConflictCode::InvalidTransition,
                    format!(
                        "requirement {rid} was withdrawn: the contribution's amount, place and window stay \
                         (close it at what was delivered, cancel it, or record its deliveries)"
                    ),
                ));
            }
        }
        self.write_version_in::<ContributionRecordKind>(
            &mut w,
            &node,
            p,
            &record.id,
            Some((body, record.marking.clone())),
            VersionOf {
                if_version: Some(record.version),
                verb,
                detail: Some(detail),
                at_ms,
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(c) if c.code == crate::ConflictCode::VersionConflict => {
                StoreError::changed_meanwhile("contribution")
            }
            other => other,
        })?;
        if reconfirm {
            let ids = [record.id.clone()];
            crate::rollup::remove(&mut w, &ids).await?;
            sqlx::query(
                "UPDATE contribution_members SET confirmed_at = NULL, confirmed_by = NULL \
                 WHERE contribution_id = $1 AND member_code <> $2",
            )
            .bind(&record.id)
            .bind(&record.origin)
            .execute(&mut *w.tx)
            .await?;
            crate::rollup::add(&mut w, &ids).await?;
        }
        w.commit().await?;
        self.fetch_contribution(p, &record.id).await
    }

    /// Changes what a contribution says (users of its origin only; a new
    /// version against `if_version` when given): title, description, the
    /// amount, its own place and window (none: its requirement's), line
    /// of effort and category when standalone, marking and parties. What
    /// others built on stays: the contributing members, the requirement it
    /// answers, its unit or currency, the deliveries recorded. Never below
    /// what was delivered; a delivered contribution's amount is what was
    /// delivered; a cancelled one does not change. A change of amount,
    /// place or window asks the co-contributors to confirm again.
    pub async fn update_contribution(
        &self,
        p: &Principal,
        id: &str,
        draft: &ContributionDraft,
        if_version: Option<i64>,
    ) -> Result<Contribution> {
        use coalesce_domain::needs::Status;
        let record = self.own_record(p, id).await?;
        let old = &record.body;
        if let Some(v) = if_version.filter(|v| *v != record.version) {
            return Err(StoreError::stale("contribution", record.version, v));
        }
        if old.status == Status::Cancelled {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                "a cancelled contribution does not change (pledge a new one)",
            ));
        }
        let immutable =
            |why: String| StoreError::conflict(crate::ConflictCode::ImmutableField, why);
        // The same members in any order: a client lists them as it likes.
        let named: BTreeSet<String> = draft.contributors.iter().map(|m| m.to_string()).collect();
        if named != old.contributors.iter().cloned().collect::<BTreeSet<_>>() {
            return Err(immutable(format!(
                "the contributing members are {}; they cannot change (cancel it and pledge anew)",
                old.contributors.join(", ")
            )));
        }
        if draft.requirement_id != old.requirement_id {
            return Err(immutable(match &old.requirement_id {
                Some(r) => format!("the contribution answers requirement {r}; that cannot change"),
                None => {
                    "a standalone pledge is matched to a requirement by allocation, not by an edit"
                        .into()
                }
            }));
        }
        if !draft.measure.same_unit(&old.measure) {
            return Err(immutable(format!(
                "the contribution counts {} in {:?}; that cannot change",
                old.measure.kind(),
                old.measure.unit()
            )));
        }
        let amount = draft.measure.amount();
        let delivered = old.delivered();
        // As its reader writes it: money in major units with its currency.
        let shown = |n: i64| match &old.measure {
            coalesce_domain::needs::Measure::Money { currency, .. } => format!(
                "{} {currency}",
                coalesce_exchange::money::format_minor(n, currency)
            ),
            coalesce_domain::needs::Measure::Quantity { unit, .. } => format!("{n} {unit}"),
        };
        if amount < delivered {
            return Err(StoreError::Invalid(
                coalesce_domain::DomainError::InvalidField {
                    field: "amount",
                    reason: format!(
                        "{} are already delivered; the amount cannot be less",
                        shown(delivered)
                    ),
                },
            ));
        }
        if old.status == Status::Delivered && amount != delivered {
            return Err(immutable(format!(
                "the contribution is delivered: its amount is the {} delivered",
                shown(delivered)
            )));
        }
        self.check_contributors_read(p, &draft.contributors, &draft.marking)
            .await?;
        let (line_of_effort, category) = match &old.requirement_id {
            // Against a requirement: the requirement's, which a draft may
            // repeat but not contradict.
            Some(_) => {
                for (given, kept, what) in [
                    (&draft.line_of_effort, &old.line_of_effort, "line of effort"),
                    (&draft.category, &old.category, "item category"),
                ] {
                    if given.as_ref().is_some_and(|g| g.as_str() != kept) {
                        return Err(StoreError::BadRequest(format!(
                            "the requirement's {what} is {kept}"
                        )));
                    }
                }
                (old.line_of_effort.clone(), old.category.clone())
            }
            None => {
                let (Some(loe), Some(cat), Some(_), Some(_)) = (
                    &draft.line_of_effort,
                    &draft.category,
                    &draft.place,
                    &draft.window,
                ) else {
                    return Err(StoreError::BadRequest(
                        "a standalone contribution names its line of effort, item category, place and time window".into(),
                    ));
                };
                self.check_exists(&[
                    ("lines_of_effort", "slug", loe.as_str(), "line of effort"),
                    ("item_categories", "slug", cat.as_str(), "item category"),
                ])
                .await?;
                (loe.to_string(), cat.to_string())
            }
        };
        // Reducing a committed pledge to what has arrived closes it.
        let status = if old.status == Status::Committed && delivered > 0 && amount == delivered {
            Status::Delivered
        } else {
            old.status
        };
        let body = ContributionBody {
            line_of_effort,
            category,
            title: draft.title.clone(),
            description: draft.description.clone(),
            measure: draft.measure.clone(),
            place: draft.place.clone(),
            window: draft.window.clone(),
            status,
            parties: draft.parties.clone(),
            ..old.clone()
        };
        let reconfirm =
            body.measure != old.measure || body.place != old.place || body.window != old.window;
        // An allocation that offered it as it was is decided first: its
        // proposal would commit a part under terms the offer no longer has.
        let retermed =
            reconfirm || body.line_of_effort != old.line_of_effort || body.category != old.category;
        // A requirement withdrawn since asks for nothing more: its pledge
        // keeps its terms, but may still be closed at what was delivered
        // (a part-delivered pledge cannot be cancelled). Checked under the
        // write lock (see `change_contribution`).
        let closing = status == Status::Delivered
            && old.status == Status::Committed
            && body.place == old.place
            && body.window == old.window;
        let terms_of_withdrawn = if reconfirm && !closing {
            old.requirement_id.clone()
        } else {
            None
        };
        if retermed {
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM allocation_proposals \
                 WHERE contribution_id = $1 AND status IN ('proposed', 'accepted')",
            )
            .bind(id)
            .fetch_one(self.pool())
            .await?;
            if open > 0 {
                return Err(StoreError::conflict(
                    crate::ConflictCode::InvalidTransition,
                    format!(
                        "the contribution is offered in {open} allocation proposal(s) still open; \
                         commit or reject them before changing its amount, place, window, line of effort or category"
                    ),
                ));
            }
        }
        // Audit entries name states and what changed, never amounts.
        let detail = serde_json::json!({
            "from": old.status, "to": status, "reconfirm": reconfirm,
        });
        let mut changed = record.clone();
        changed.marking = draft.marking.clone();
        self.change_contribution(
            p,
            &changed,
            body,
            "update",
            detail,
            now_ms(),
            reconfirm,
            terms_of_withdrawn.as_deref(),
        )
        .await
    }

    /// Replaces the parties of a contribution (suppliers, carriers, ...):
    /// only users of its origin member, a new kept version, audited. The
    /// figures do not change. `if_version` guards against a change meanwhile.
    pub async fn set_contribution_parties(
        &self,
        p: &Principal,
        id: &str,
        parties: &[coalesce_domain::needs::Party],
        if_version: Option<i64>,
    ) -> Result<Contribution> {
        let record = self.own_record(p, id).await?;
        coalesce_domain::needs::Party::check_list(parties)?;
        if if_version.is_some_and(|v| v != record.version) {
            return Err(StoreError::Conflict(crate::Conflict {
                code: crate::ConflictCode::VersionConflict,
                detail: format!(
                    "the contribution is at version {}; reload and try again",
                    record.version
                ),
                current_version: Some(record.version),
            }));
        }
        let body = ContributionBody {
            parties: parties.to_vec(),
            ..record.body.clone()
        };
        // The entry says how many parties, not who they are.
        let detail = serde_json::json!({ "parties": parties.len() });
        self.change_contribution(p, &record, body, "parties", detail, now_ms(), false, None)
            .await
    }

    /// The requesting member of the requirement confirms that it received
    /// delivery `seq` of a contribution. Only users of the requesting member
    /// may; once per delivery. Recorded on the delivery and audited (the
    /// contribution itself, which its origin owns, is not changed).
    pub async fn confirm_receipt(
        &self,
        p: &Principal,
        contribution_id: &str,
        seq: i64,
    ) -> Result<Delivery> {
        self.confirm_receipt_of(p, contribution_id, seq, &Receipt::default(), now_ms())
            .await
    }

    /// Receipt confirmed at `at_ms` (for the demo loader).
    pub async fn confirm_receipt_at(
        &self,
        p: &Principal,
        contribution_id: &str,
        seq: i64,
        at_ms: i64,
    ) -> Result<Delivery> {
        self.confirm_receipt_of(p, contribution_id, seq, &Receipt::default(), at_ms)
            .await
    }

    /// Receipt confirmed with what the requesting member says arrived: how
    /// much (not more than delivered), the day, a note. The figures count
    /// what was received.
    pub async fn confirm_receipt_of(
        &self,
        p: &Principal,
        contribution_id: &str,
        seq: i64,
        receipt: &Receipt,
        at_ms: i64,
    ) -> Result<Delivery> {
        crate::records::check_writer(p)?;
        let c = self.fetch_contribution(p, contribution_id).await?;
        let Some(rid) = &c.requirement_id else {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                "a standalone contribution has no requesting member to confirm receipt",
            ));
        };
        let requester = match self.fetch_requirement(p, rid).await {
            Ok(r) => r.requesting_member,
            Err(StoreError::NotFound) => String::new(),
            Err(e) => return Err(e),
        };
        if requester != p.member.as_str() {
            return Err(StoreError::Forbidden(
                "only users of the requesting member confirm receipt".into(),
            ));
        }
        let now = at_ms;
        let mut w = self.begin_write().await?;
        // Checked in the writing transaction, against the delivery as it is.
        let delivered: Option<(i64, String)> = sqlx::query_as(
            "SELECT amount, delivered_on FROM contribution_deliveries WHERE contribution_id = $1 AND seq = $2",
        )
        .bind(contribution_id)
        .bind(seq)
        .fetch_optional(&mut *w.tx)
        .await?;
        if let Some((amount, on)) = &delivered {
            receipt.check_against(*amount, on)?;
        }
        // The requirement figures count what was received.
        let ids = [contribution_id.to_string()];
        crate::rollup::remove(&mut w, &ids).await?;
        let done = sqlx::query(
            "UPDATE contribution_deliveries SET received_at = $1, received_by = $2, received_member = $3, \
             received_amount = $6, received_on = $7, received_note = $8 \
             WHERE contribution_id = $4 AND seq = $5 AND received_at IS NULL",
        )
        .bind(now)
        .bind(p.username.as_str())
        .bind(p.member.as_str())
        .bind(contribution_id)
        .bind(seq)
        .bind(receipt.amount)
        .bind(receipt.received_on.as_deref())
        .bind((!receipt.note.is_empty()).then_some(receipt.note.as_str()))
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM contribution_deliveries WHERE contribution_id = $1 AND seq = $2",
            )
            .bind(contribution_id)
            .bind(seq)
            .fetch_one(&mut *w.tx)
            .await?;
            return Err(if n == 0 {
                StoreError::NotFound
            } else {
                StoreError::conflict(
                    crate::ConflictCode::InvalidTransition,
                    "receipt of this delivery was already confirmed",
                )
            });
        }
        audit::append(
            &mut w.tx,
            Some(p),
            "contribution.confirm_receipt",
            contribution_id,
            &serde_json::json!({ "seq": seq, "requirement": rid, "received_amount": receipt.amount, "received_on": receipt.received_on }),
        )
        .await?;
        crate::rollup::add(&mut w, &ids).await?;
        w.commit().await?;
        self.contribution_deliveries(p, contribution_id)
            .await?
            .into_iter()
            .find(|d| d.seq == seq)
            .ok_or(StoreError::NotFound)
    }
}

/// Refuses a user of another member than the contribution's `origin`
/// (who may read it, but not change it).
pub(crate) fn only_its_origin(p: &Principal, origin: &str) -> Result<()> {
    if origin == p.member.as_str() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "only users of {origin} change this contribution"
        )))
    }
}
