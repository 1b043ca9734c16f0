use super::*;
use proptest::prelude::*;

#[test]
fn currencies_are_sorted_and_checked() {
    assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
    assert!(Measure::money(100, "USD").is_ok());
    assert!(Measure::money(100, "IQD").is_ok());
    assert!(Measure::money(100, "usd").is_err());
    assert!(Measure::money(100, "XXX").is_err());
    assert!(Measure::money(0, "EUR").is_err());
    assert!(Measure::money(-5, "EUR").is_err());
    assert!(Measure::money(MAX_AMOUNT + 1, "EUR").is_err());
}

#[test]
fn quantities_need_a_unit() {
    let m = Measure::quantity(12, "brigade-set").expect("valid");
    assert_eq!(
        (m.kind(), m.amount(), m.unit()),
        ("quantity", 12, "brigade-set")
    );
    assert!(Measure::quantity(12, "").is_err());
    assert!(Measure::quantity(12, "Sets").is_err());
    assert!(Measure::quantity(12, "1set").is_err());
    assert!(!m.same_unit(&Measure::quantity(1, "kit").expect("valid")));
    assert!(!m.same_unit(&Measure::money(12, "USD").expect("valid")));
    assert_eq!(Measure::parse("money", 5, "EUR"), Measure::money(5, "EUR"));
    assert!(Measure::parse("gold", 5, "EUR").is_err());
}

#[test]
fn places_windows_priorities() {
    assert!(Place::parse("IRQ", None, Some("Amerli"), None).is_ok());
    assert!(Place::parse("NATO", None, None, None).is_err());
    assert!(Place::parse("ZZZ", None, None, None).is_err());
    assert!(AdminArea::parse("Salah al-Din", "IQG18").is_ok());
    assert!(AdminArea::parse("Salah al-Din", "iq18").is_err());
    assert!(AdminArea::parse("", "IQG18").is_err());
    let c = Coordinates::from_degrees(34.724, 44.585).expect("valid");
    assert_eq!(c.lat_micro, 34_724_000);
    assert!(Coordinates::from_degrees(91.0, 0.0).is_err());
    assert!(Coordinates::from_degrees(f64::NAN, 0.0).is_err());
    assert!(Coordinates::from_micro(0, 180_000_001).is_err());
    assert!(Window::parse("2014-09-01", "2014-09-01").is_ok());
    assert!(Window::parse("2014-09-02", "2014-09-01").is_err());
    assert!(Window::parse("2014-02-30", "2014-09-01").is_err());
    assert!(Priority::parse(0).is_err());
    assert!(Priority::parse(6).is_err());
    assert_eq!(Priority::parse(1).map(Priority::get), Ok(1));
}

fn marking(rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse("GREEN", &rel).expect("marking")
}

#[test]
fn requester_must_read_the_requirement() {
    let d = |rel: &[&str]| {
        RequirementDraft::parse(
            "Protective equipment for 12 brigades",
            "",
            "IRQ",
            "military-support",
            "protective-equipment",
            Measure::quantity(12, "brigade-set").expect("m"),
            Place::parse("IRQ", None, None, None).expect("p"),
            Window::parse("2014-10-01", "2015-03-31").expect("w"),
            1,
            marking(rel),
        )
        .expect("draft")
    };
    let usa = MemberCode::parse("USA").expect("c");
    let irq = MemberCode::parse("IRQ").expect("c");
    assert!(d(&[]).check_requester_reads(&irq).is_ok());
    assert!(d(&[]).check_requester_reads(&usa).is_err());
    assert!(d(&["IRQ"]).check_requester_reads(&usa).is_ok());
    assert!(d(&["COALITION"]).check_requester_reads(&usa).is_ok());
    assert!(d(&["GROUP:small-group"])
        .check_requester_reads(&usa)
        .is_err());
}

#[test]
fn contributions_name_their_members() {
    let m = Measure::money(100_000, "USD").expect("m");
    let joint = ContributionDraft::parse(
        "Amerli airdrop",
        "",
        &["USA".into(), "FRA".into(), "AUS".into(), "GBR".into()],
        None,
        Some("humanitarian"),
        Some("humanitarian-supplies"),
        m.clone(),
        Some(Place::parse("IRQ", None, Some("Amerli"), None).expect("place")),
        Some(Window::parse("2014-08-30", "2014-09-01").expect("window")),
        marking(&["COALITION"]),
    )
    .expect("draft");
    let standalone_without_place = ContributionDraft::parse(
        "x",
        "",
        &["USA".into()],
        None,
        Some("humanitarian"),
        Some("humanitarian-supplies"),
        m.clone(),
        None,
        None,
        marking(&[]),
    );
    assert!(standalone_without_place.is_err());
    assert_eq!(joint.contributors.len(), 4);
    assert!(joint
        .check_origin(&MemberCode::parse("USA").expect("c"))
        .is_ok());
    assert!(joint
        .check_origin(&MemberCode::parse("DEU").expect("c"))
        .is_err());
    assert!(joint
        .check_against(&Measure::money(5, "USD").expect("m"))
        .is_ok());
    assert!(joint
        .check_against(&Measure::money(5, "EUR").expect("m"))
        .is_err());
    let none = ContributionDraft::parse(
        "x",
        "",
        &[],
        Some("r"),
        None,
        None,
        m.clone(),
        None,
        None,
        marking(&[]),
    );
    assert!(none.is_err());
    let standalone_without_category = ContributionDraft::parse(
        "x",
        "",
        &["USA".into()],
        None,
        None,
        None,
        m,
        None,
        None,
        marking(&[]),
    );
    assert!(standalone_without_category.is_err());
    assert!(DeliveryDraft::parse("2014-09-01", 0, "").is_err());
    assert!(DeliveryDraft::parse("2014-09-01", 3, "waybill 17").is_ok());
}

#[test]
fn lifecycle() {
    let p = Progress::new(8);
    assert!(matches!(
        p.apply(Transition::Deliver(1)),
        Err(TransitionError::NotAllowed { .. })
    ));
    let p = p.apply(Transition::Commit).expect("commit");
    let p = p.apply(Transition::Deliver(3)).expect("partial");
    assert_eq!((p.status, p.delivered), (Status::Committed, 3));
    assert!(matches!(
        p.apply(Transition::Deliver(6)),
        Err(TransitionError::BadAmount(_))
    ));
    assert!(matches!(
        p.apply(Transition::Cancel),
        Err(TransitionError::NotAllowed { .. })
    ));
    let p = p.apply(Transition::Deliver(5)).expect("rest");
    assert_eq!((p.status, p.delivered), (Status::Delivered, 8));
    assert!(p.apply(Transition::Deliver(1)).is_err());
    let c = Progress::new(2).apply(Transition::Cancel).expect("cancel");
    assert_eq!(c.status, Status::Cancelled);
    assert!(c.apply(Transition::Commit).is_err());
}

#[test]
fn summary_definitions() {
    let committed = Progress::new(8)
        .apply(Transition::Commit)
        .and_then(|p| p.apply(Transition::Deliver(3)))
        .and_then(|p| p.apply(Transition::Deliver(2)))
        .expect("progress");
    let pledged = Progress::new(2);
    let cancelled = Progress::new(5).apply(Transition::Cancel).expect("cancel");
    let s = Summary::compute(
        12,
        [
            Counted {
                progress: committed,
                received: 3,
            },
            Counted {
                progress: pledged,
                received: 0,
            },
            Counted {
                progress: cancelled,
                received: 0,
            },
        ],
    );
    assert_eq!(
        s,
        Summary {
            requested: 12,
            pledged: 2,
            committed: 3,
            delivered: 5,
            received: 3,
            gap: 4,
            excess: 0
        }
    );
    let over = Summary::compute(
        4,
        [Counted {
            progress: Progress::new(6).apply(Transition::Commit).expect("c"),
            received: 0,
        }],
    );
    assert_eq!((over.gap, over.excess), (0, 2));
}

fn transition() -> impl Strategy<Value = Transition> {
    prop_oneof![
        Just(Transition::Commit),
        Just(Transition::Cancel),
        (-3i64..12).prop_map(Transition::Deliver),
    ]
}

proptest! {
    /// No sequence of transitions, accepted or refused, breaks the
    /// invariants; a refused transition changes nothing; delivered never
    /// decreases and never exceeds the amount (overdelivery is refused).
    #[test]
    fn transitions_keep_invariants(
        amount in 1i64..20,
        ts in prop::collection::vec(transition(), 0..30),
    ) {
        let mut p = Progress::new(amount);
        prop_assert!(p.is_consistent());
        for t in ts {
            match p.apply(t) {
                Ok(next) => {
                    prop_assert!(next.is_consistent(), "{:?} --{:?}--> {:?}", p, t, next);
                    prop_assert!(next.delivered >= p.delivered);
                    prop_assert_eq!(next.amount, p.amount);
                    p = next;
                }
                Err(_) => prop_assert!(p.is_consistent()),
            }
        }
    }

    /// The summary's figures are never negative, and gap and excess are
    /// the two sides of the same difference.
    #[test]
    fn summary_is_balanced(
        requested in 1i64..1000,
        cs in prop::collection::vec((1i64..300, prop::collection::vec(transition(), 0..8)), 0..10),
    ) {
        let counted: Vec<Counted> = cs.iter().map(|(amount, ts)| {
            let mut p = Progress::new(*amount);
            for t in ts {
                if let Ok(n) = p.apply(*t) { p = n; }
            }
            Counted { progress: p, received: p.delivered / 2 }
        }).collect();
        let s = Summary::compute(requested, counted.iter().copied());
        prop_assert!(s.pledged >= 0 && s.committed >= 0 && s.delivered >= 0);
        prop_assert!(s.received <= s.delivered);
        prop_assert!(s.gap >= 0 && s.excess >= 0);
        prop_assert_eq!(s.gap - s.excess, requested - s.committed - s.delivered);
        let firm: i64 = counted.iter()
            .filter(|c| matches!(c.progress.status, Status::Committed | Status::Delivered))
            .map(|c| c.progress.amount)
            .sum();
        prop_assert_eq!(s.committed + s.delivered, firm);
    }

    #[test]
    fn parsers_never_panic(s in ".*", n in any::<i64>(), f in any::<f64>()) {
        let _ = Measure::quantity(n, &s);
        let _ = Measure::money(n, &s);
        let _ = AdminArea::parse(&s, &s);
        let _ = Window::parse(&s, &s);
        let _ = Priority::parse(n);
        let _ = Coordinates::from_degrees(f, f);
        let _ = Status::parse(&s);
    }
}
