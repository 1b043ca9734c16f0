//! A contribution's life after it is recorded: pledged → committed →
//! delivered (in parts) / cancelled as the pure transition function of
//! `domain::needs` allows, receipt confirmed by the requesting member, the
//! parties changed — each a new kept version, with the per-reader figures
//! (`rollup`) taken away before and added after in the same transaction.

use crate::needs::{insert_version, parties_json, transition_error};
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::needs::{Contribution, Delivery, DeliveryDraft, Transition};

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
        let current = self.fetch_own_contribution(p, id).await?;
        let next = current.progress().apply(t).map_err(transition_error)?;
        let version = current.version + 1;
        let now = at_ms;
        let mut w = self.begin_write().await?;
        let ids = [id.to_string()];
        crate::rollup::remove(&mut w, &ids).await?;
        let done = sqlx::query(
            "UPDATE contributions SET status = $1, delivered = $2, version = $3, updated_at = $4, updated_by = $5 \
             WHERE id = $6 AND version = $7",
        )
        .bind(next.status.as_str())
        .bind(next.delivered)
        .bind(version)
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(current.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("contribution"));
        }
        // Audit entries name states, versions and ids, never amounts.
        let mut detail = serde_json::json!({
            "from": current.status,
            "to": next.status,
            "version": version,
        });
        if let Some(d) = delivery {
            let (seq,): (i64,) = sqlx::query_as(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM contribution_deliveries WHERE contribution_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await?;
            sqlx::query(
                "INSERT INTO contribution_deliveries (id, contribution_id, seq, delivered_on, amount, evidence, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id_at(now))
            .bind(id)
            .bind(seq)
            .bind(&d.delivered_on)
            .bind(d.amount)
            .bind(&d.evidence)
            .bind(now)
            .bind(p.username.as_str())
            .execute(&mut *w.tx)
            .await?;
            detail["delivery"] = serde_json::json!({ "seq": seq });
        }
        crate::rollup::add(&mut w, &ids).await?;
        let after = Contribution {
            status: next.status,
            delivered: next.delivered,
            ..current.clone()
        };
        self.finish_contribution_change(
            w,
            p,
            &current,
            after,
            now,
            &format!("contribution.{}", t.name()),
            &detail,
        )
        .await
    }

    /// A contribution the caller's member may change: a writer's, of its
    /// origin (403 for others who may read it, 404 for those who may not).
    async fn fetch_own_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ));
        }
        let current = self.fetch_contribution(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this contribution",
                current.origin
            )));
        }
        Ok(current)
    }

    /// Keeps the new version of a changed contribution and audits the
    /// change, in the writing transaction, then commits and reads it back.
    #[allow(clippy::too_many_arguments)]
    async fn finish_contribution_change(
        &self,
        mut w: crate::WriteTx<'_>,
        p: &Principal,
        current: &Contribution,
        after: Contribution,
        now: i64,
        action: &str,
        detail: &serde_json::Value,
    ) -> Result<Contribution> {
        let after = Contribution {
            version: current.version + 1,
            updated_at_ms: now,
            updated_by: p.username.to_string(),
            ..after
        };
        insert_version(
            &mut w,
            "contribution_versions",
            "contribution_id",
            &current.id,
            after.version,
            &after.own_fields(),
            &current.marking,
            now,
            p,
        )
        .await?;
        audit::append(&mut w.tx, Some(p), action, &current.id, detail).await?;
        w.commit().await?;
        self.fetch_contribution(p, &current.id).await
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
        let current = self.fetch_own_contribution(p, id).await?;
        coalesce_domain::needs::Party::check_list(parties)?;
        if if_version.is_some_and(|v| v != current.version) {
            return Err(StoreError::Conflict(crate::Conflict {
                code: crate::ConflictCode::VersionConflict,
                detail: format!(
                    "the contribution is at version {}; reload and try again",
                    current.version
                ),
                current_version: Some(current.version),
            }));
        }
        let version = current.version + 1;
        let now = now_ms();
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE contributions SET parties = $1, version = $2, updated_at = $3, updated_by = $4 \
             WHERE id = $5 AND version = $6",
        )
        .bind(parties_json(parties))
        .bind(version)
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(current.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("contribution"));
        }
        let after = Contribution {
            parties: parties.to_vec(),
            ..current.clone()
        };
        let detail = serde_json::json!({
            "version": version,
            "parties": parties.iter().map(|x| format!("{} {}", x.role.as_str(), x.name)).collect::<Vec<_>>(),
        });
        self.finish_contribution_change(w, p, &current, after, now, "contribution.parties", &detail)
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
        self.confirm_receipt_at(p, contribution_id, seq, now_ms())
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
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ));
        }
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
        // The requirement figures count what was received.
        let ids = [contribution_id.to_string()];
        crate::rollup::remove(&mut w, &ids).await?;
        let done = sqlx::query(
            "UPDATE contribution_deliveries SET received_at = $1, received_by = $2, received_member = $3 \
             WHERE contribution_id = $4 AND seq = $5 AND received_at IS NULL",
        )
        .bind(now)
        .bind(p.username.as_str())
        .bind(p.member.as_str())
        .bind(contribution_id)
        .bind(seq)
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
            &serde_json::json!({ "seq": seq, "requirement": rid }),
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
