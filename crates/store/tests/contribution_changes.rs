//! Changing a contribution (issue 21): its origin edits what it says, a
//! new version; what others built on stays (contributing members, the
//! requirement, the unit, deliveries); a change of terms asks the
//! co-contributors to confirm again, and the figures kept per reader follow.
//! SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

use coalesce_domain::needs::{
    ContributionDraft, DeliveryDraft, Measure, Place, RequirementDraft, Status, Window,
};
use coalesce_domain::Marking;
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::Dimension;
use coalesce_store::testing::{fresh_database_url, seed_small, SEED_PASSWORD};
use coalesce_store::{ConflictCode, Principal, Store, StoreError};

async fn principal(s: &Store, user: &str) -> Principal {
    s.authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

fn airdrop(title: &str, bundles: i64, town: &str, m: Marking) -> ContributionDraft {
    ContributionDraft::parse(
        title,
        "Water and food dropped to the town.",
        &["USA".into(), "GBR".into()],
        None,
        Some("humanitarian"),
        Some("humanitarian-supplies"),
        Measure::quantity(bundles, "bundle").expect("measure"),
        Some(Place::parse("IRQ", None, Some(town), None).expect("place")),
        Some(Window::parse("2014-08-30", "2014-08-31").expect("window")),
        m,
    )
    .expect("draft")
}

fn conflict(r: Result<impl std::fmt::Debug, StoreError>) -> ConflictCode {
    match r {
        Err(StoreError::Conflict(c)) => c.code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// What GBR's figures say it gives, from the kept per-reader figures and
/// from a scan of the contributions themselves: always equal.
async fn gbr_bundles(s: &Store, reader: &Principal) -> (i64, i64) {
    let of = |totals: Vec<coalesce_store::picture::Total>| {
        totals
            .iter()
            .filter(|t| t.key == "GBR")
            .map(|t| t.pledged + t.committed + t.delivered)
            .sum::<i64>()
    };
    let kept = s
        .contribution_totals(reader, &ContributionFilter::default(), Dimension::Member)
        .await
        .expect("kept figures");
    let scanned = s
        .contribution_totals(
            reader,
            &ContributionFilter {
                category: Some("humanitarian-supplies".into()),
                ..ContributionFilter::default()
            },
            Dimension::Member,
        )
        .await
        .expect("scanned figures");
    (of(kept), of(scanned))
}

#[tokio::test]
async fn an_origin_changes_its_pledge_and_co_contributors_confirm_the_new_terms() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("open");
    seed_small(&s).await.expect("seed");
    let (usa, gbr, fra) = (
        principal(&s, "usa").await,
        principal(&s, "gbr").await,
        principal(&s, "fra").await,
    );
    let coalition = marking("GREEN", &["COALITION"]);
    let c = s
        .create_contribution(
            &usa,
            &airdrop("Amerli airdrop", 100, "Amerli", coalition.clone()),
        )
        .await
        .expect("pledge");
    s.confirm_co_contribution(&gbr, &c.id)
        .await
        .expect("GBR confirms");
    assert_eq!(gbr_bundles(&s, &fra).await, (100, 100));

    // Only its origin changes it; others who read it are refused.
    let retitled = airdrop(
        "Amerli airdrop, first wave",
        100,
        "Amerli",
        coalition.clone(),
    );
    assert!(matches!(
        s.update_contribution(&gbr, &c.id, &retitled, Some(1)).await,
        Err(StoreError::Forbidden(_))
    ));
    // A new title keeps GBR standing by it.
    let v2 = s
        .update_contribution(&usa, &c.id, &retitled, Some(1))
        .await
        .expect("retitled");
    assert_eq!(
        (v2.version, v2.title.as_str()),
        (2, "Amerli airdrop, first wave")
    );
    assert_eq!(v2.contributors, vec!["GBR", "USA"]);
    // A stale version is refused, naming the current one.
    assert_eq!(
        conflict(s.update_contribution(&usa, &c.id, &retitled, Some(1)).await),
        ConflictCode::VersionConflict
    );

    // New terms (more bundles): GBR no longer counts until it confirms them.
    let more = airdrop(
        "Amerli airdrop, first wave",
        140,
        "Amerli",
        coalition.clone(),
    );
    let v3 = s
        .update_contribution(&usa, &c.id, &more, Some(2))
        .await
        .expect("more bundles");
    assert_eq!(v3.measure.amount(), 140);
    assert_eq!(v3.contributors, vec!["USA"]);
    assert_eq!(v3.proposed_contributors, vec!["GBR"]);
    assert_eq!(gbr_bundles(&s, &fra).await, (0, 0));
    s.confirm_co_contribution(&gbr, &c.id)
        .await
        .expect("GBR confirms again");
    assert_eq!(gbr_bundles(&s, &fra).await, (140, 140));

    // What others built on stays.
    let mut with_fra = more.clone();
    with_fra
        .contributors
        .insert(coalesce_domain::MemberCode::parse("FRA").expect("code"));
    assert_eq!(
        conflict(s.update_contribution(&usa, &c.id, &with_fra, None).await),
        ConflictCode::ImmutableField
    );
    let mut in_tonnes = more.clone();
    in_tonnes.measure = Measure::quantity(140, "tonne").expect("measure");
    assert_eq!(
        conflict(s.update_contribution(&usa, &c.id, &in_tonnes, None).await),
        ConflictCode::ImmutableField
    );
    // A co-contributor must still read it: re-marked away from GBR, refused.
    let usa_only = airdrop(
        "Amerli airdrop, first wave",
        140,
        "Amerli",
        marking("AMBER", &["FRA"]),
    );
    assert!(matches!(
        s.update_contribution(&usa, &c.id, &usa_only, None).await,
        Err(StoreError::Invalid(_))
    ));

    // Committed and delivered in part: never below what was delivered;
    // reduced to exactly that, it is delivered.
    s.commit_contribution(&usa, &c.id).await.expect("commit");
    s.deliver_contribution(
        &usa,
        &c.id,
        &DeliveryDraft::parse("2014-08-31", 109, "Dropped over Amerli").expect("delivery"),
    )
    .await
    .expect("deliver");
    let below = airdrop(
        "Amerli airdrop, first wave",
        100,
        "Amerli",
        coalition.clone(),
    );
    assert!(matches!(
        s.update_contribution(&usa, &c.id, &below, None).await,
        Err(StoreError::Invalid(_))
    ));
    let exactly = airdrop("Amerli airdrop", 109, "Amerli", coalition.clone());
    let done = s
        .update_contribution(&usa, &c.id, &exactly, None)
        .await
        .expect("reduced to what arrived");
    assert_eq!((done.status, done.delivered), (Status::Delivered, 109));
    let deliveries = s
        .contribution_deliveries(&usa, &c.id)
        .await
        .expect("deliveries");
    assert_eq!(deliveries.len(), 1, "the delivery recorded stays");
    let more_again = airdrop("Amerli airdrop", 120, "Amerli", coalition.clone());
    assert_eq!(
        conflict(s.update_contribution(&usa, &c.id, &more_again, None).await),
        ConflictCode::ImmutableField
    );

    // Every version kept and readable; every change audited.
    let versions = s
        .contribution_versions(&fra, &c.id)
        .await
        .expect("versions");
    assert_eq!(versions.len() as i64, done.version);
    let audit = s.audit_entries(None, 10_000).await.expect("audit");
    let updates = audit
        .iter()
        .filter(|e| e.action == "contribution.update" && e.subject == c.id)
        .count();
    assert_eq!(updates, 3);
}

#[tokio::test]
async fn a_contribution_keeps_its_requirement_and_a_cancelled_one_does_not_change() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("open");
    seed_small(&s).await.expect("seed");
    let (irq, gbr) = (principal(&s, "irq").await, principal(&s, "gbr").await);
    let coalition = marking("GREEN", &["COALITION"]);
    let r = s
        .create_requirement(
            &irq,
            &RequirementDraft::parse(
                "Water for Ramadi",
                "",
                "IRQ",
                "humanitarian",
                "water",
                Measure::quantity(20, "truck").expect("measure"),
                Place::parse("IRQ", None, Some("Ramadi"), None).expect("place"),
                Window::parse("2015-06-01", "2015-06-30").expect("window"),
                2,
                coalition.clone(),
            )
            .expect("requirement"),
        )
        .await
        .expect("requirement");
    let pledge = |title: &str, n: i64, requirement: Option<&str>| {
        ContributionDraft::parse(
            title,
            "",
            &["GBR".into()],
            requirement,
            requirement.is_none().then_some("humanitarian"),
            requirement.is_none().then_some("water"),
            Measure::quantity(n, "truck").expect("measure"),
            requirement
                .is_none()
                .then(|| Place::parse("IRQ", None, Some("Hit"), None).expect("place")),
            requirement
                .is_none()
                .then(|| Window::parse("2015-06-01", "2015-06-30").expect("window")),
            coalition.clone(),
        )
        .expect("draft")
    };
    let c = s
        .create_contribution(&gbr, &pledge("Water trucks", 8, Some(&r.id)))
        .await
        .expect("pledge");
    // The place stays the requirement's (not copied) through a change.
    let c2 = s
        .update_contribution(
            &gbr,
            &c.id,
            &pledge("Water trucks", 12, Some(&r.id)),
            Some(1),
        )
        .await
        .expect("12 trucks");
    assert!(c2.place_from_requirement);
    assert_eq!(
        c2.place.as_ref().and_then(|p| p.town.as_deref()),
        Some("Ramadi")
    );
    assert_eq!(
        s.requirement_summary(&irq, &r.id)
            .await
            .expect("summary")
            .pledged,
        12
    );
    // Not moved to no requirement, nor to another.
    assert_eq!(
        conflict(
            s.update_contribution(&gbr, &c.id, &pledge("Water trucks", 12, None), None)
                .await
        ),
        ConflictCode::ImmutableField
    );
    // Bad input changes nothing.
    assert!(s
        .update_contribution(
            &gbr,
            &c.id,
            &pledge("Water trucks", 12, Some("no-such")),
            None
        )
        .await
        .is_err());
    s.cancel_contribution(&gbr, &c.id).await.expect("cancel");
    assert_eq!(
        conflict(
            s.update_contribution(&gbr, &c.id, &pledge("Water trucks", 5, Some(&r.id)), None)
                .await
        ),
        ConflictCode::InvalidTransition
    );
    let now = s.get_contribution(&gbr, &c.id).await.expect("read");
    assert_eq!((now.version, now.measure.amount()), (3, 12));
    // Outside its audience it does not exist, for a change as for a read.
    let hidden = s
        .create_contribution(
            &gbr,
            &ContributionDraft::parse(
                "Trucks",
                "",
                &["GBR".into()],
                None,
                Some("humanitarian"),
                Some("water"),
                Measure::quantity(3, "truck").expect("measure"),
                Some(Place::parse("IRQ", None, Some("Hit"), None).expect("place")),
                Some(Window::parse("2015-06-01", "2015-06-30").expect("window")),
                marking("AMBER", &[]),
            )
            .expect("draft"),
        )
        .await
        .expect("hidden pledge");
    assert!(matches!(
        s.update_contribution(&irq, &hidden.id, &pledge("Trucks", 3, None), None)
            .await,
        Err(StoreError::NotFound)
    ));
}
