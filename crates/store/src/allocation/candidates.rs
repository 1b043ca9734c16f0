//! Building the allocation problem from the database: what a coordinator's
//! run of the engine takes in — the open, confirmed requirements the
//! coordinator may read with their figures, and the standalone pledges
//! (offers not yet against a requirement) it may read, up to
//! [`MAX_RUN_RECORDS`] of each.

use super::{coordinator, MAX_RUN_RECORDS};
use crate::picture::RequirementFigures;
use crate::{Principal, Result, Store};
use coalesce_domain::needs::{Contribution, Status};

impl Store {
    /// What an allocation run takes in: the open requirements the
    /// coordinator may read with their figures, and the standalone pledges
    /// (offers not yet against a requirement) it may read.
    pub async fn allocation_candidates(
        &self,
        p: &Principal,
    ) -> Result<(Vec<RequirementFigures>, Vec<Contribution>)> {
        coordinator(p)?;
        // One after the other: side by side (two connections) measured
        // slower on two cores (bench/allocate/api.sh).
        let requirements = self.open_requirements(p).await?;
        let offers = self.standalone_pledges(p).await?;
        Ok((requirements, offers))
    }

    /// The open requirements `p` may read, with their figures.
    async fn open_requirements(&self, p: &Principal) -> Result<Vec<RequirementFigures>> {
        // A requirement recorded in another member's name takes nothing
        // until that member confirms it asks for it.
        let mut requirements = self
            .requirements_with_figures_upto(p, "", MAX_RUN_RECORDS)
            .await?;
        requirements.retain(|f| f.requirement.requester_confirmed);
        Ok(requirements)
    }

    /// The pledges `p` may read that are not against a requirement.
    async fn standalone_pledges(&self, p: &Principal) -> Result<Vec<Contribution>> {
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
        Ok(offers)
    }
}
