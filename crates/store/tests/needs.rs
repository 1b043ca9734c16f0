//! The needs story through the store (issue 3): IRQ asks for protective
//! equipment for 12 brigades, DEU pledges, commits and delivers in part,
//! IRQ confirms receipt; the summary counts only what the viewer may read.
//! Runs on SQLite by default and on PostgreSQL when COALESCE_TEST_POSTGRES
//! is set.

use coalesce_domain::needs::{
    AdminArea, ContributionDraft, Coordinates, DeliveryDraft, Measure, Place, RequirementDraft,
    Status, Summary, Window,
};
use coalesce_domain::registry::NewMember;
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::needs::ContributionFilter;
use coalesce_store::{testing, Principal, Store, StoreError};

async fn principal(s: &Store, user: &str, member: &str, role: Role) -> Principal {
    let u = Username::parse(user).expect("username");
    let m = MemberCode::parse(member).expect("member");
    let phc = coalesce_store::accounts::hash_password(testing::SEED_PASSWORD).expect("hash");
    let created = s.insert_user(None, &u, &m, role, &phc).await.expect("user");
    Principal {
        user_id: created.id,
        username: u,
        member: m,
        role,
    }
}

async fn world() -> (Store, [Principal; 6]) {
    let s = testing::fresh_store().await.expect("store");
    testing::seed_small(&s).await.expect("seed");
    for c in ["DEU", "AUS"] {
        s.create_member(
            None,
            &NewMember::parse(c, c, "state", "member", None).expect("member"),
        )
        .await
        .expect("member");
    }
    s.create_line_of_effort(None, "military-support", "Military support", "")
        .await
        .expect("line of effort");
    let irq = principal(&s, "irq-needs", "IRQ", Role::Contributor).await;
    let deu = principal(&s, "deu", "DEU", Role::Contributor).await;
    let fra = principal(&s, "fra-needs", "FRA", Role::Contributor).await;
    let gbr = principal(&s, "gbr-needs", "GBR", Role::Contributor).await;
    let usa = principal(&s, "usa-needs", "USA", Role::Contributor).await;
    let viewer = principal(&s, "deu-viewer", "DEU", Role::Viewer).await;
    (s, [irq, deu, fra, gbr, usa, viewer])
}

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

fn requirement(category: &str, loe: &str, measure: Measure, m: Marking) -> RequirementDraft {
    RequirementDraft::parse(
        "Protective equipment for 12 brigades",
        "Helmets and body armour, one set per brigade.",
        "IRQ",
        loe,
        category,
        measure,
        Place::parse(
            "IRQ",
            Some(AdminArea::parse("Baghdad", "IQG07").expect("admin1")),
            Some("Baghdad"),
            Some(Coordinates::from_degrees(33.3152, 44.3661).expect("point")),
        )
        .expect("place"),
        Window::parse("2014-10-01", "2015-03-31").expect("window"),
        1,
        m,
    )
    .expect("requirement draft")
}

fn sets(n: i64) -> Measure {
    Measure::quantity(n, "brigade-set").expect("measure")
}

fn pledge(
    members: &[&str],
    requirement: Option<&str>,
    measure: Measure,
    m: Marking,
) -> ContributionDraft {
    let members: Vec<String> = members.iter().map(|s| s.to_string()).collect();
    ContributionDraft::parse(
        "Protective equipment",
        "",
        &members,
        requirement,
        None,
        None,
        measure,
        None,
        None,
        m,
    )
    .expect("contribution draft")
}

fn delivery(on: &str, n: i64) -> DeliveryDraft {
    DeliveryDraft::parse(on, n, "Handover certificate signed at Baghdad airport").expect("delivery")
}

async fn audit_len(s: &Store) -> usize {
    s.audit_entries(None, 100_000).await.expect("audit").len()
}

#[tokio::test]
async fn irq_requirement_deu_delivers_in_part() {
    let (s, [irq, deu, fra, gbr, usa, viewer]) = world().await;
    eprintln!("backend: {}", testing::backend());
    assert_eq!(s.item_categories().await.expect("categories").len(), 12);

    // IRQ posts the requirement, releasable to the whole coalition.
    let r = s
        .create_requirement(
            &irq,
            &requirement(
                "protective-equipment",
                "military-support",
                sets(12),
                marking("GREEN", &["COALITION"]),
            ),
        )
        .await
        .expect("requirement");
    assert_eq!((r.origin.as_str(), r.version, r.priority), ("IRQ", 1, 1));
    assert_eq!(r.place.point.map(|p| p.lat_micro), Some(33_315_200));
    assert_eq!(s.get_requirement(&deu, &r.id).await.expect("deu reads"), r);
    assert_eq!(s.count_requirements(&fra).await.expect("count"), 1);

    // DEU pledges 8, commits, delivers 3 then 2.
    let c = s
        .create_contribution(
            &deu,
            &pledge(
                &["DEU"],
                Some(&r.id),
                sets(8),
                marking("GREEN", &["COALITION"]),
            ),
        )
        .await
        .expect("pledge");
    assert_eq!((c.status, c.delivered, c.version), (Status::Pledged, 0, 1));
    assert_eq!(
        c.category, "protective-equipment",
        "taken from the requirement"
    );
    assert_eq!(c.contributors, vec!["DEU".to_string()]);
    let c = s.commit_contribution(&deu, &c.id).await.expect("commit");
    assert_eq!(c.status, Status::Committed);
    let c = s
        .deliver_contribution(&deu, &c.id, &delivery("2014-11-02", 3))
        .await
        .expect("first delivery");
    assert_eq!((c.status, c.delivered), (Status::Committed, 3));
    let c = s
        .deliver_contribution(&deu, &c.id, &delivery("2014-12-15", 2))
        .await
        .expect("second delivery");
    assert_eq!(
        (c.status, c.delivered, c.version),
        (Status::Committed, 5, 4)
    );

    // IRQ, the requesting member, confirms receipt of the first delivery;
    // nobody else can, and only once.
    assert!(matches!(
        s.confirm_receipt(&deu, &c.id, 1).await,
        Err(StoreError::Forbidden(_))
    ));
    let d = s.confirm_receipt(&irq, &c.id, 1).await.expect("receipt");
    assert_eq!(d.received_member.as_deref(), Some("IRQ"));
    assert!(matches!(
        s.confirm_receipt(&irq, &c.id, 1).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.confirm_receipt(&irq, &c.id, 9).await,
        Err(StoreError::NotFound)
    ));
    let ds = s
        .contribution_deliveries(&fra, &c.id)
        .await
        .expect("deliveries");
    assert_eq!(
        ds.iter().map(|d| (d.seq, d.amount)).collect::<Vec<_>>(),
        vec![(1, 3), (2, 2)]
    );
    assert!(ds[0].received_at_ms.is_some() && ds[1].received_at_ms.is_none());

    let want = Summary {
        requested: 12,
        pledged: 0,
        committed: 3,
        delivered: 5,
        received: 3,
        gap: 4,
        excess: 0,
    };
    assert_eq!(
        s.requirement_summary(&irq, &r.id).await.expect("summary"),
        want
    );
    // The dashboard's figures (kept per reader) agree, receipt included.
    let figures = s
        .requirements_with_figures(&irq, "military-support", 10)
        .await
        .expect("figures");
    assert_eq!(
        figures.iter().map(|f| f.summary).collect::<Vec<_>>(),
        vec![want]
    );

    // FRA pledges 2 (pledges do not close the gap); GBR commits 4 for its
    // eyes only: IRQ's figures do not move, GBR's do.
    let f = s
        .create_contribution(
            &fra,
            &pledge(
                &["FRA"],
                Some(&r.id),
                sets(2),
                marking("GREEN", &["COALITION"]),
            ),
        )
        .await
        .expect("fra pledge");
    let g = s
        .create_contribution(
            &gbr,
            &pledge(&["GBR"], Some(&r.id), sets(4), marking("RED", &[])),
        )
        .await
        .expect("gbr pledge");
    s.commit_contribution(&gbr, &g.id)
        .await
        .expect("gbr commits");
    assert_eq!(
        s.requirement_summary(&irq, &r.id).await.expect("summary"),
        Summary { pledged: 2, ..want }
    );
    assert_eq!(
        s.requirement_summary(&gbr, &r.id).await.expect("summary"),
        Summary {
            pledged: 2,
            committed: 7,
            gap: 0,
            ..want
        }
    );
    assert!(matches!(
        s.get_contribution(&irq, &g.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.count_contributions(&irq, &ContributionFilter::for_requirement(&r.id))
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        s.count_contributions(&gbr, &ContributionFilter::for_requirement(&r.id))
            .await
            .expect("count"),
        3
    );
    let listed = s
        .list_contributions(&irq, &ContributionFilter::for_requirement(&r.id), None, 10)
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 2);

    // FRA cannot change DEU's contribution; nothing changes.
    let before = audit_len(&s).await;
    assert!(matches!(
        s.commit_contribution(&fra, &c.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.deliver_contribution(&fra, &c.id, &delivery("2014-12-20", 1))
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.cancel_contribution(&fra, &c.id).await,
        Err(StoreError::Forbidden(_))
    ));
    // Nor can DEU's viewers, nor IRQ (it only confirms receipt).
    assert!(matches!(
        s.cancel_contribution(&viewer, &c.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.commit_contribution(&irq, &c.id).await,
        Err(StoreError::Forbidden(_))
    ));
    // Lifecycle refusals: overdelivery, cancelling after a delivery,
    // delivering what is only pledged.
    assert!(matches!(
        s.deliver_contribution(&deu, &c.id, &delivery("2014-12-20", 4))
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.cancel_contribution(&deu, &c.id).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.deliver_contribution(&fra, &f.id, &delivery("2014-12-20", 1))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(audit_len(&s).await, before, "refusals write nothing");
    let unchanged = s.get_contribution(&deu, &c.id).await.expect("get");
    assert_eq!((unchanged.version, unchanged.delivered), (4, 5));

    // Bad inputs are refused and nothing is written.
    let before = audit_len(&s).await;
    let n_req = s.count_requirements(&usa).await.expect("count");
    let n_con = s
        .count_contributions(&usa, &ContributionFilter::default())
        .await
        .expect("count");
    let bad_requirements = [
        requirement(
            "rockets",
            "military-support",
            sets(1),
            marking("GREEN", &["COALITION"]),
        ),
        requirement(
            "vehicles",
            "no-such-line",
            sets(1),
            marking("GREEN", &["COALITION"]),
        ),
        // USA records for IRQ but IRQ could not read it.
        requirement(
            "vehicles",
            "military-support",
            sets(1),
            marking("GREEN", &["GBR"]),
        ),
    ];
    for d in &bad_requirements {
        assert!(
            matches!(
                s.create_requirement(&usa, d).await,
                Err(StoreError::BadRequest(_) | StoreError::Invalid(_))
            ),
            "{d:?}"
        );
    }
    assert!(matches!(
        s.create_requirement(&viewer, &bad_requirements[0]).await,
        Err(StoreError::Forbidden(_))
    ));
    for (d, by) in [
        // wrong unit
        (
            pledge(
                &["DEU"],
                Some(&r.id),
                Measure::quantity(1, "kit").expect("m"),
                marking("GREEN", &[]),
            ),
            &deu,
        ),
        // money against a quantity
        (
            pledge(
                &["DEU"],
                Some(&r.id),
                Measure::money(500_000, "EUR").expect("m"),
                marking("GREEN", &[]),
            ),
            &deu,
        ),
        // recorded by a member that is not among the contributors
        (
            pledge(&["FRA"], Some(&r.id), sets(1), marking("GREEN", &[])),
            &deu,
        ),
        // an unknown contributor
        (
            pledge(&["DEU", "ESP"], Some(&r.id), sets(1), marking("GREEN", &[])),
            &deu,
        ),
        // an unknown requirement
        (
            pledge(
                &["DEU"],
                Some("0190b3c4-0000-7000-8000-000000000000"),
                sets(1),
                marking("GREEN", &[]),
            ),
            &deu,
        ),
    ] {
        assert!(
            matches!(
                s.create_contribution(by, &d).await,
                Err(StoreError::BadRequest(_) | StoreError::Invalid(_))
            ),
            "{d:?}"
        );
    }
    assert_eq!(audit_len(&s).await, before);
    assert_eq!(s.count_requirements(&usa).await.expect("count"), n_req);
    assert_eq!(
        s.count_contributions(&usa, &ContributionFilter::default())
            .await
            .expect("count"),
        n_con
    );

    // A requirement DEU may not read is unknown to it, as if it did not exist.
    let secret = s
        .create_requirement(
            &irq,
            &requirement(
                "night-vision",
                "military-support",
                sets(3),
                marking("RED", &["USA"]),
            ),
        )
        .await
        .expect("restricted requirement");
    assert!(matches!(
        s.get_requirement(&deu, &secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        s.get_requirement(&usa, &secret.id).await.is_ok(),
        "RED read, audited"
    );
    assert!(matches!(
        s.requirement_summary(&deu, &secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.create_contribution(
            &deu,
            &pledge(&["DEU"], Some(&secret.id), sets(1), marking("GREEN", &[]))
        )
        .await,
        Err(StoreError::BadRequest(_))
    ));

    // Requirements: only IRQ changes its own; versions kept; unit fixed.
    let mut changed = requirement(
        "protective-equipment",
        "military-support",
        sets(12),
        marking("GREEN", &["COALITION"]),
    );
    changed.priority = coalesce_domain::needs::Priority::parse(2).expect("priority");
    assert!(matches!(
        s.update_requirement(&deu, &r.id, &changed, None).await,
        Err(StoreError::Forbidden(_))
    ));
    let r2 = s
        .update_requirement(&irq, &r.id, &changed, Some(1))
        .await
        .expect("update");
    assert_eq!((r2.version, r2.priority), (2, 2));
    assert!(matches!(
        s.update_requirement(&irq, &r.id, &changed, Some(1)).await,
        Err(StoreError::Conflict(_))
    ));
    let mut other_unit = changed.clone();
    other_unit.measure = Measure::quantity(12, "kit").expect("m");
    assert!(matches!(
        s.update_requirement(&irq, &r.id, &other_unit, None).await,
        Err(StoreError::Conflict(_))
    ));
    let rv = s.requirement_versions(&fra, &r.id).await.expect("versions");
    assert_eq!(rv.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(rv[0].snapshot["priority"], 1);
    let cv = s
        .contribution_versions(&irq, &c.id)
        .await
        .expect("versions");
    assert_eq!(
        cv.iter()
            .map(|v| v.snapshot["status"].as_str().unwrap_or("?").to_string())
            .collect::<Vec<_>>(),
        vec!["pledged", "committed", "committed", "committed"]
    );

    // DEU delivers the rest: delivered.
    let c = s
        .deliver_contribution(&deu, &c.id, &delivery("2015-01-10", 3))
        .await
        .expect("last delivery");
    assert_eq!((c.status, c.delivered), (Status::Delivered, 8));
    // FRA withdraws its pledge.
    let f = s.cancel_contribution(&fra, &f.id).await.expect("cancel");
    assert_eq!(f.status, Status::Cancelled);
    assert_eq!(
        s.requirement_summary(&irq, &r.id).await.expect("summary"),
        Summary {
            requested: 12,
            pledged: 0,
            committed: 0,
            delivered: 8,
            received: 3,
            gap: 4,
            excess: 0
        }
    );

    // A joint, standalone contribution: the Amerli airdrop.
    let airdrop = ContributionDraft::parse(
        "Amerli airdrop",
        "Water, food and medical supplies dropped to Amerli.",
        &["USA".into(), "FRA".into(), "AUS".into(), "GBR".into()],
        None,
        Some("humanitarian"),
        Some("humanitarian-supplies"),
        Measure::quantity(109, "bundle").expect("m"),
        Some(Place::parse("IRQ", None, Some("Amerli"), None).expect("place")),
        Some(Window::parse("2014-08-30", "2014-08-31").expect("window")),
        marking("GREEN", &["COALITION"]),
    )
    .expect("draft");
    let a = s
        .create_contribution(&usa, &airdrop)
        .await
        .expect("airdrop");
    assert_eq!(a.origin, "USA");
    // The others USA names are proposed until each confirms for itself.
    assert_eq!(a.contributors, vec!["USA"]);
    assert_eq!(a.proposed_contributors, vec!["AUS", "FRA", "GBR"]);
    let a = s
        .confirm_co_contribution(&fra, &a.id)
        .await
        .expect("FRA confirms");
    let a = s
        .confirm_co_contribution(&gbr, &a.id)
        .await
        .expect("GBR confirms");
    assert_eq!(a.contributors, vec!["FRA", "GBR", "USA"]);
    assert_eq!(a.proposed_contributors, vec!["AUS"]);
    assert_eq!(a.version, 1, "the origin's record is unchanged");
    for who in [&fra, &deu] {
        assert!(matches!(
            s.confirm_co_contribution(who, &a.id).await,
            Err(StoreError::Conflict(_))
        ));
    }
    assert!(matches!(
        s.commit_contribution(&fra, &a.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.confirm_receipt(&irq, &a.id, 1).await,
        Err(StoreError::Conflict(_))
    ));

    // Withdrawing the requirement: out of lists, no new contributions.
    s.revoke_requirement(&irq, &r.id).await.expect("revoke");
    assert_eq!(s.count_requirements(&deu).await.expect("count"), 0);
    assert!(matches!(
        s.create_contribution(
            &deu,
            &pledge(&["DEU"], Some(&r.id), sets(1), marking("GREEN", &[]))
        )
        .await,
        Err(StoreError::Conflict(_))
    ));

    // Every change audited, the chain intact.
    let entries = s.audit_entries(None, 100_000).await.expect("entries");
    for action in [
        "requirement.create",
        "requirement.update",
        "requirement.withdraw",
        "contribution.pledge",
        "contribution.commit",
        "contribution.deliver",
        "contribution.cancel",
        "contribution.confirm_receipt",
        "contribution.confirm_co_contribution",
    ] {
        assert!(
            entries.iter().any(|e| e.action == action),
            "{action} audited"
        );
    }
    assert!(entries
        .iter()
        .any(|e| e.action == "requirement.read" && e.actor == "usa-needs"));
    s.verify_audit()
        .await
        .expect("verify")
        .expect("intact chain");
    s.close().await;
}

/// Two coordinators defining the same new indicator at the same moment:
/// the create-only definition is checked under the write lock, so exactly
/// one defines it and the other is told it exists (the web form's
/// "define" must never silently redefine). Redefining stays possible.
#[tokio::test]
async fn a_new_indicator_is_defined_once_when_two_coordinators_race() {
    use coalesce_domain::indicators::IndicatorDraft;
    let (s, _) = world().await;
    let a = principal(&s, "irq-coord", "IRQ", Role::Coordinator).await;
    let b = principal(&s, "gbr-coord", "GBR", Role::Coordinator).await;
    let draft = |name: &str| {
        IndicatorDraft::parse(
            "brigades-trained",
            name,
            "",
            "brigades",
            Some("military-support"),
            "increase",
            "sum",
            0.0,
            None,
            &[("2016-12-31".into(), 12.0)],
        )
        .expect("indicator")
    };
    let (first, second) = (
        draft("Brigades trained (IRQ)"),
        draft("Brigades trained (GBR)"),
    );
    let before = audit_len(&s).await;
    let (ra, rb) = tokio::join!(
        s.define_new_indicator(&a, &first),
        s.define_new_indicator(&b, &second)
    );
    let won = match (&ra, &rb) {
        (Ok(i), Err(StoreError::Conflict(c))) | (Err(StoreError::Conflict(c)), Ok(i)) => {
            assert!(c.detail.contains("exists"), "{}", c.detail);
            i.name.clone()
        }
        other => panic!("exactly one definition must win: {other:?}"),
    };
    assert_eq!(
        s.get_indicator("brigades-trained")
            .await
            .expect("defined")
            .name,
        won
    );
    assert_eq!(audit_len(&s).await, before + 1, "one definition audited");
    // Defined, it is refused to its own definer too.
    let again = s.define_new_indicator(&a, &first).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let (changed, created) = s
        .define_indicator(&a, &draft("Brigades trained"))
        .await
        .expect("redefined");
    assert!(!created);
    assert_eq!(changed.name, "Brigades trained");
}
