use super::*;

pub(crate) fn wales() -> Meeting {
    Meeting {
        meeting_type: MeetingType::Summit,
        title: "NATO summit, Wales".into(),
        place: "Newport, Wales".into(),
        starts: "2014-09-04T09:00:00+01:00".into(),
        ends: "2014-09-05T17:00:00+01:00".into(),
        time_zone: "Europe/London".into(),
        host: "GBR".into(),
        chair: None,
        group: Some("small-group".into()),
        attendance: vec![Attendee {
            member: "USA".into(),
            level: Level::HeadOfState,
            delegation: 40,
        }],
        agenda: vec![AgendaItem {
            number: 7,
            title: "Lines of effort".into(),
            outcomes: vec![Outcome {
                outcome_type: OutcomeType::Decision,
                text: "Five lines of effort.".into(),
                adopted_by: vec!["USA".into(), "GBR".into()],
            }],
            follows_up: None,
        }],
        source: String::new(),
    }
}

fn commitment() -> Commitment {
    Commitment {
        meeting: "m1".into(),
        agenda_item: Some(1),
        owner: "DEU".into(),
        what: "Deliver equipment to the Kurdish Peshmerga".into(),
        due: "2014-10-31".into(),
        line_of_effort: Some("security-assistance".into()),
        links: vec![],
        state: CommitmentState::Open,
        dropped_reason: String::new(),
        discussed: vec![],
        source: String::new(),
    }
}

#[test]
fn a_meeting_is_stored_in_utc_numbered_and_round_trips_through_stix() {
    let m = MeetingKind::validate(wales()).expect("valid");
    assert_eq!(m.starts, "2014-09-04T08:00:00Z");
    assert_eq!(m.agenda[0].number, 1);
    assert_eq!(m.chair(), "GBR");
    assert_eq!(local_time(&m.starts, &m.time_zone), "2014-09-04 09:00 BST");
    // What an edit form shows is what it reads back.
    let typed = local_input(&m.starts, &m.time_zone);
    assert_eq!(typed, "2014-09-04T09:00");
    assert_eq!(
        local_to_utc("starts", &typed, &m.time_zone).expect("back"),
        m.starts
    );
    assert_eq!(
        local_input("2014-09-04T08:00:30Z", &m.time_zone),
        "2014-09-04T09:00:30",
        "seconds kept when there are some"
    );
    let resolved = std::collections::BTreeMap::new();
    let refs = StixRefs {
        origin_identity: "identity--x",
        created: "2026-01-01T00:00:00.000Z",
        resolved: &resolved,
    };
    let props = MeetingKind::stix_properties(&m, &refs).expect("a form");
    assert_eq!(
        MeetingKind::from_stix(&props.object, &props.extension).expect("back"),
        m
    );
    let refs = MeetingKind::references(&m);
    assert!(refs.contains(&Reference {
        target: RefTarget::Group,
        id: "small-group".into()
    }));
    assert!(refs.contains(&Reference {
        target: RefTarget::Member,
        id: "USA".into()
    }));
}

#[test]
fn a_bad_meeting_is_refused_with_the_field() {
    let field = |m: Meeting| match MeetingKind::validate(m) {
        Err(DomainError::InvalidField { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    let mut m = wales();
    m.ends = "2014-09-04T07:00:00Z".into();
    assert_eq!(field(m), "ends");
    let mut m = wales();
    m.time_zone = "Europe/Newport".into();
    assert_eq!(field(m), "time_zone");
    let mut m = wales();
    m.attendance.push(m.attendance[0].clone());
    assert_eq!(field(m), "attendance");
    let mut m = wales();
    m.agenda[0].outcomes[0].adopted_by.clear();
    assert_eq!(field(m), "adopted_by");
    let mut m = wales();
    m.starts = "4 September 2014".into();
    assert_eq!(field(m), "starts");
}

#[test]
fn statement_translations_number_their_paragraphs_alike() {
    let text = |lang: &str, nums: &[&str]| StatementText {
        language: lang.into(),
        title: "Joint statement".into(),
        paragraphs: nums
            .iter()
            .map(|n| Paragraph {
                num: (*n).into(),
                text: format!("paragraph {n}"),
            })
            .collect(),
    };
    let s = Statement {
        meeting: "m1".into(),
        adopted_on: "2014-09-05".into(),
        signatories: vec!["USA".into(), "GBR".into(), "USA".into()],
        texts: vec![text("en", &["1", "2"]), text("ar", &["1", "2"])],
        source: String::new(),
    };
    let ok = StatementKind::validate(s.clone()).expect("valid");
    assert_eq!(ok.signatories, vec!["USA", "GBR"]);
    assert!(ok.text("ar").expect("ar").rtl());
    assert!(!ok.text("fr").expect("falls back").rtl());
    let mut bad = s.clone();
    bad.texts[1] = text("fr", &["1", "3"]);
    assert!(StatementKind::validate(bad).is_err());
    let mut bad = s;
    bad.texts[0] = text("en", &["1", "1"]);
    assert!(StatementKind::validate(bad).is_err());
}

#[test]
fn a_dropped_commitment_says_why_and_only_indicators_take_a_target_value() {
    let mut c = commitment();
    c.state = CommitmentState::Dropped;
    assert!(CommitmentKind::validate(c.clone()).is_err());
    c.dropped_reason = "Overtaken by the London decision".into();
    assert!(CommitmentKind::validate(c.clone()).is_ok());
    c.state = CommitmentState::Open;
    assert!(CommitmentKind::validate(c).is_err());
    let mut c = commitment();
    c.links.push(Link {
        target: LinkTarget::Contribution,
        id: "c1".into(),
        weight: 1,
        target_value: Some(3.0),
    });
    assert!(CommitmentKind::validate(c.clone()).is_err());
    c.links[0].target_value = None;
    c.links[0].weight = 0;
    assert!(CommitmentKind::validate(c).is_err());
    let mut c = commitment();
    c.due = "2014-02-30".into();
    assert!(CommitmentKind::validate(c).is_err());
}

#[test]
fn progress_is_weighted_over_the_parts() {
    let delivered_half = PartFigures::Contribution {
        pledged: 12,
        delivered: 6,
        cancelled: false,
    };
    let paid_all = PartFigures::Pledge {
        amount: 500,
        paid: 500,
        voided: false,
    };
    let p = progress(&[(3, delivered_half), (1, paid_all)]);
    assert_eq!(p.share, Some((3.0 * 0.5 + 1.0) / 4.0));
    assert!(!p.partial);
    // Equal weights: the mean.
    let p = progress(&[(1, delivered_half), (1, paid_all)]);
    assert_eq!(p.share, Some(0.75));
    // Nothing linked: no share.
    assert_eq!(progress(&[]).share, None);
}

#[test]
fn partial_deliveries_overdelivery_and_cancelled_contributions() {
    let c = |pledged, delivered, cancelled| PartFigures::Contribution {
        pledged,
        delivered,
        cancelled,
    };
    assert_eq!(c(12, 4, false).share(), Some(4.0 / 12.0));
    // Delivering more than pledged fulfils the part, no more.
    assert_eq!(c(12, 20, false).share(), Some(1.0));
    // A cancelled contribution fulfils nothing, whatever was delivered.
    assert_eq!(c(12, 6, true).share(), Some(0.0));
    let p = progress(&[(1, c(12, 12, false)), (1, c(10, 5, true))]);
    assert_eq!(p.share, Some(0.5));
}

#[test]
fn money_is_counted_in_the_pledges_own_currency() {
    // A EUR pledge half paid in is half done, whatever the fund's base
    // currency and the rate: the ratio is taken before any conversion.
    let eur = PartFigures::Pledge {
        amount: 200_000_000,
        paid: 100_000_000,
        voided: false,
    };
    let usd = PartFigures::Pledge {
        amount: 500_000_000,
        paid: 500_000_000,
        voided: false,
    };
    assert_eq!(eur.share(), Some(0.5));
    assert_eq!(progress(&[(1, eur), (1, usd)]).share, Some(0.75));
    let voided = PartFigures::Pledge {
        amount: 100,
        paid: 0,
        voided: true,
    };
    assert_eq!(voided.share(), Some(0.0));
}

#[test]
fn indicator_parts_follow_the_direction_of_their_target() {
    let brigades = PartFigures::Indicator {
        baseline: 0.0,
        target: Some(12.0),
        actual: Some(9.0),
    };
    assert_eq!(brigades.share(), Some(0.75));
    // A decreasing indicator (people displaced): from 3.2M toward 2.0M.
    let displaced = PartFigures::Indicator {
        baseline: 3_200_000.0,
        target: Some(2_000_000.0),
        actual: Some(2_900_000.0),
    };
    assert_eq!(displaced.share(), Some(0.25));
    // Wrong way, or nothing yet: nothing done.
    let worse = PartFigures::Indicator {
        baseline: 10.0,
        target: Some(20.0),
        actual: Some(5.0),
    };
    assert_eq!(worse.share(), Some(0.0));
    let none = PartFigures::Indicator {
        baseline: 0.0,
        target: Some(12.0),
        actual: None,
    };
    assert_eq!(none.share(), Some(0.0));
}

#[test]
fn an_unreadable_part_makes_the_progress_partial_and_counts_in_no_sum() {
    let done = PartFigures::Contribution {
        pledged: 1,
        delivered: 1,
        cancelled: false,
    };
    let p = progress(&[(1, done), (5, PartFigures::Unreadable)]);
    assert_eq!(p.share, Some(1.0));
    assert!(p.partial);
    let p = progress(&[(5, PartFigures::Unreadable)]);
    assert_eq!(p.share, None);
    assert!(p.partial);
}

fn ms(utc: &str) -> i64 {
    utc_instant("t", utc).expect("instant").as_millisecond()
}

#[test]
fn overdue_begins_at_midnight_after_the_due_day_in_the_meetings_zone() {
    // Due 31 October in London (GMT that day): overdue from 00:00Z on
    // 1 November, not a millisecond before.
    let end = due_end_ms("2014-10-31", "Europe/London").expect("end");
    assert_eq!(end, ms("2014-11-01T00:00:00Z"));
    let open = CommitmentState::Open;
    assert!(!is_overdue(open, Some(0.5), end, end - 1));
    assert!(is_overdue(open, Some(0.5), end, end));
    // Fulfilled, done or dropped: never overdue.
    assert!(!is_overdue(open, Some(1.0), end, end + 1));
    assert!(!is_overdue(CommitmentState::Done, Some(0.2), end, end + 1));
    assert!(!is_overdue(CommitmentState::Dropped, None, end, end + 1));
    // Nothing linked and not done: overdue.
    assert!(is_overdue(CommitmentState::AtRisk, None, end, end));
}

#[test]
fn overdue_across_time_zones() {
    // The same date ends at different instants: Baghdad (UTC+3) three
    // hours before UTC midnight, Washington (EDT, UTC-4) four after.
    let baghdad = due_end_ms("2015-06-30", "Asia/Baghdad").expect("end");
    let washington = due_end_ms("2015-06-30", "America/New_York").expect("end");
    let utc = due_end_ms("2015-06-30", "UTC").expect("end");
    assert_eq!(baghdad, ms("2015-06-30T21:00:00Z"));
    assert_eq!(utc, ms("2015-07-01T00:00:00Z"));
    assert_eq!(washington, ms("2015-07-01T04:00:00Z"));
    // At 23:30Z on the due date an item of a Baghdad meeting is overdue,
    // one of a Washington meeting is not.
    let now = ms("2015-06-30T23:30:00Z");
    assert!(is_overdue(CommitmentState::Open, Some(0.0), baghdad, now));
    assert!(!is_overdue(
        CommitmentState::Open,
        Some(0.0),
        washington,
        now
    ));
}

#[test]
fn reminders_at_seven_days_and_one_day_before_local_midnight() {
    let tz = "Asia/Baghdad";
    let due = "2015-06-30";
    // D-7 starts at 00:00 on 23 June in Baghdad = 21:00Z on 22 June.
    assert!(reminders_due(due, tz, ms("2015-06-22T20:59:59Z"))
        .expect("ok")
        .is_empty());
    assert_eq!(
        reminders_due(due, tz, ms("2015-06-22T21:00:00Z")).expect("ok"),
        vec![NoticeKind::DueIn7Days]
    );
    assert_eq!(
        reminders_due(due, tz, ms("2015-06-28T21:00:00Z")).expect("ok"),
        vec![NoticeKind::DueIn7Days, NoticeKind::DueTomorrow]
    );
    // Once the due day is over, no reminder: the overdue notice follows.
    assert!(reminders_due(due, tz, ms("2015-06-30T21:00:00Z"))
        .expect("ok")
        .is_empty());
    // Across a change of clocks (London, last Sunday of October 2014):
    // D-1 of 27 October starts at 00:00 BST on the 26th = 23:00Z on the 25th.
    assert_eq!(
        days_before_ms("2014-10-27", "Europe/London", 1).expect("ok"),
        ms("2014-10-25T23:00:00Z")
    );
}
