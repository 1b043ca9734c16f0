//! Meetings' follow-up in the database (issue 17): commitments whose
//! progress comes from contributions (partial deliveries, cancelled),
//! fund pledges in other currencies and indicator targets, as each reader
//! may read them; overdue judged at a given instant (the clock is the
//! caller's, never slept on); carry-over into the next meeting of a group
//! and the history it leaves; reminders at D-7 and D-1 and the escalation
//! to the chair, each sent once; calendar tokens; and every bad input
//! refused with nothing written. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

use coalesce_domain::meetings::{
    utc_instant, AgendaItem, Attendee, Commitment, CommitmentKind, CommitmentState, Level, Link,
    LinkTarget, Meeting, MeetingKind, MeetingType, NoticeKind, Outcome, OutcomeType,
};
use coalesce_domain::needs::{ContributionDraft, DeliveryDraft, Measure};
use coalesce_domain::Marking;
use coalesce_ledger::fund::Op;
use coalesce_ledger::Currency;
use coalesce_store::fund::FundOperation;
use coalesce_store::meetings::{BoardFilter, CalendarToken};
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{Principal, Store, StoreError};

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

fn coalition() -> Marking {
    marking("GREEN", &["COALITION"])
}

async fn principal(s: &Store, user: &str) -> Principal {
    s.authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn ms(utc: &str) -> i64 {
    utc_instant("t", utc).expect("instant").as_millisecond()
}

fn meeting(title: &str, starts: &str, tz: &str, group: Option<&str>) -> Meeting {
    Meeting {
        meeting_type: MeetingType::SmallGroup,
        title: title.into(),
        place: "Lancaster House, London".into(),
        starts: starts.into(),
        ends: format!("{}T23:00:00Z", &starts[..10]),
        time_zone: tz.into(),
        host: "GBR".into(),
        chair: Some("GBR".into()),
        group: group.map(str::to_string),
        attendance: vec![
            Attendee {
                member: "USA".into(),
                level: Level::Minister,
                delegation: 3,
            },
            Attendee {
                member: "GBR".into(),
                level: Level::Minister,
                delegation: 5,
            },
        ],
        agenda: vec![AgendaItem {
            number: 0,
            title: "Expert working groups".into(),
            outcomes: vec![Outcome {
                outcome_type: OutcomeType::Decision,
                text: "Establish expert-level working groups.".into(),
                adopted_by: vec!["USA".into(), "GBR".into()],
            }],
            follows_up: None,
        }],
        source: String::new(),
    }
}

fn commitment(meeting: &str, owner: &str, due: &str, links: Vec<Link>) -> Commitment {
    Commitment {
        meeting: meeting.into(),
        agenda_item: Some(1),
        owner: owner.into(),
        what: format!("{owner} delivers"),
        due: due.into(),
        line_of_effort: Some("humanitarian".into()),
        links,
        state: CommitmentState::Open,
        dropped_reason: String::new(),
        discussed: vec![],
        source: String::new(),
    }
}

fn link(target: LinkTarget, id: &str, weight: u32) -> Link {
    Link {
        target,
        id: id.into(),
        weight,
        target_value: None,
    }
}

async fn contribution(s: &Store, p: &Principal, n: i64, m: Marking) -> String {
    let d = ContributionDraft::parse(
        "Water tanks",
        "",
        &[p.member.as_str().to_string()],
        None,
        Some("humanitarian"),
        Some("water"),
        Measure::quantity(n, "tank").expect("measure"),
        Some(
            coalesce_domain::needs::Place::parse("IRQ", None, Some("Amerli"), None).expect("place"),
        ),
        Some(coalesce_domain::needs::Window::parse("2015-01-22", "2015-06-30").expect("window")),
        m,
    )
    .expect("draft");
    s.create_contribution(p, &d).await.expect("contribution").id
}

async fn world() -> (Store, Principal, Principal, Principal) {
    let s = fresh_store().await.expect("store");
    seed_small(&s).await.expect("seed");
    let usa = principal(&s, "usa").await;
    let gbr = principal(&s, "gbr").await;
    let fra = principal(&s, "fra").await;
    (s, usa, gbr, fra)
}

async fn audit_len(s: &Store) -> usize {
    s.audit_entries(None, 100_000).await.expect("audit").len()
}

#[tokio::test]
async fn progress_comes_from_the_parts_as_each_reader_may_read_them() {
    let (s, usa, gbr, fra) = world().await;
    let m = s
        .create_record::<MeetingKind>(
            &usa,
            meeting("London", "2015-01-22T09:00:00Z", "Europe/London", None),
            coalition(),
        )
        .await
        .expect("meeting");
    // GBR's 12 tanks, 6 delivered, readable by all; a cancelled one; and
    // one releasable to GBR and USA only.
    let half = contribution(&s, &gbr, 12, coalition()).await;
    s.commit_contribution(&gbr, &half).await.expect("commit");
    s.deliver_contribution(
        &gbr,
        &half,
        &DeliveryDraft::parse("2015-02-01", 6, "handed over").expect("delivery"),
    )
    .await
    .expect("deliver");
    let cancelled = contribution(&s, &gbr, 10, coalition()).await;
    s.cancel_contribution(&gbr, &cancelled)
        .await
        .expect("cancel");
    let narrow = contribution(&s, &gbr, 4, marking("AMBER", &["USA"])).await;
    s.commit_contribution(&gbr, &narrow).await.expect("commit");
    s.deliver_contribution(
        &gbr,
        &narrow,
        &DeliveryDraft::parse("2015-02-01", 4, "all").expect("delivery"),
    )
    .await
    .expect("deliver");
    // A EUR pledge to a fund, half paid in; the fund's base is USD.
    let fund = s
        .create_record::<coalesce_domain::fund::FundKind>(
            &usa,
            coalesce_domain::fund::Fund {
                name: "FFS".into(),
                agent: "UNDP".into(),
                base_currency: "USD".into(),
                fee_bp: 100,
                indirect_bp: 700,
                windows: vec![coalesce_domain::fund::FundWindow {
                    code: "W1".into(),
                    name: "Public works".into(),
                }],
                opened: "2015-06-01".into(),
                source: String::new(),
            },
            coalition(),
        )
        .await
        .expect("fund");
    s.grant_fund_manager("usa", true).await.expect("grant");
    s.import_rates(
        Some(&usa),
        &[(
            1,
            coalesce_ledger::rates::Rate {
                from: Currency::parse("EUR").expect("EUR"),
                to: Currency::parse("USD").expect("USD"),
                date: "2015-06-01".into(),
                value: coalesce_ledger::rates::Decimal::parse("1.1").expect("rate"),
                source: coalesce_ledger::rates::RateSource::Manual("test".into()),
            },
        )],
    )
    .await
    .expect("rates");
    let op = |id: &str, op: Op| FundOperation {
        id: Some(id.into()),
        op,
        value_date: "2015-06-01".into(),
        marking: None,
        stated_currency: None,
    };
    let eur = Currency::parse("EUR").expect("EUR");
    s.fund_operations(
        Some(&usa),
        &fund.id,
        &[
            op(
                "deu-2015",
                Op::Pledge {
                    donor: "DEU".into(),
                    amount: 200_000_000,
                    currency: eur,
                },
            ),
            op(
                "deu-commit",
                Op::Commit {
                    pledge: "deu-2015".into(),
                    amount: None,
                },
            ),
            op(
                "deu-dep-1",
                Op::Deposit {
                    commitment: "deu-2015".into(),
                    amount: 100_000_000,
                },
            ),
        ],
    )
    .await
    .expect("fund operations");
    let c = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(
                &m.id,
                "GBR",
                "2015-06-30",
                vec![
                    link(LinkTarget::Contribution, &half, 2),
                    link(LinkTarget::Contribution, &cancelled, 1),
                    link(LinkTarget::Contribution, &narrow, 1),
                    link(LinkTarget::FundPledge, "deu-2015", 4),
                ],
            ),
            coalition(),
        )
        .await
        .expect("commitment");
    let now = ms("2015-06-01T00:00:00Z");
    // USA reads every part: (2×0.5 + 1×0 + 1×1 + 4×0.5) / 8 = 0.5.
    let v = s.commitment_view(&usa, &c.id, now).await.expect("view");
    assert_eq!(v.progress.share, Some(0.5));
    assert!(!v.progress.partial);
    assert!(!v.overdue);
    // FRA may not read the narrow contribution: it counts in no sum, and
    // FRA is told the progress is partial and shown nothing of the part.
    let v = s.commitment_view(&fra, &c.id, now).await.expect("view");
    assert!(v.progress.partial);
    assert_eq!(v.progress.share, Some(3.0 / 7.0));
    // Not even its id: the part comes redacted, its weight kept.
    assert!(v.parts.iter().all(|p| p.link.id != narrow));
    let hidden: Vec<_> = v.parts.iter().filter(|p| p.share.is_none()).collect();
    assert_eq!(hidden.len(), 1);
    assert!(hidden[0].link.id.is_empty() && hidden[0].label.is_none());
    let read = s
        .get_record::<CommitmentKind>(&fra, &c.id)
        .await
        .expect("read");
    assert!(read.body.links.iter().all(|l| l.id != narrow));
    let versions = s
        .record_versions::<CommitmentKind>(&fra, &c.id)
        .await
        .expect("versions");
    assert!(versions
        .iter()
        .all(|v| v.body.links.iter().all(|l| l.id != narrow)));
    // Overdue from the end of the due day in the meeting's zone: London
    // keeps summer time on 30 June, so the day ends at 23:00Z.
    let end = ms("2015-06-30T23:00:00Z");
    assert!(
        !s.commitment_view(&usa, &c.id, end - 1)
            .await
            .expect("v")
            .overdue
    );
    assert!(
        s.commitment_view(&usa, &c.id, end)
            .await
            .expect("v")
            .overdue
    );
    // The board puts overdue first and filters by owner and overdue.
    let done = s
        .create_record::<CommitmentKind>(
            &usa,
            Commitment {
                state: CommitmentState::Done,
                ..commitment(&m.id, "USA", "2015-03-01", vec![])
            },
            coalition(),
        )
        .await
        .expect("done");
    let board = s
        .commitment_board(&usa, &BoardFilter::default(), end)
        .await
        .expect("board");
    assert_eq!(board.len(), 2);
    assert_eq!(board[0].record.id, c.id);
    assert!(board[0].overdue && !board[1].overdue);
    let only = s
        .commitment_board(
            &usa,
            &BoardFilter {
                overdue_only: true,
                ..BoardFilter::default()
            },
            end,
        )
        .await
        .expect("board");
    assert_eq!(only.len(), 1);
    let usa_only = s
        .commitment_board(
            &usa,
            &BoardFilter {
                owner: Some("USA".into()),
                ..BoardFilter::default()
            },
            end,
        )
        .await
        .expect("board");
    assert_eq!(
        usa_only.iter().map(|v| &v.record.id).collect::<Vec<_>>(),
        vec![&done.id]
    );
}

#[tokio::test]
async fn a_commitment_is_read_only_with_its_meeting() {
    let (s, usa, gbr, fra) = world().await;
    let m = s
        .create_record::<MeetingKind>(
            &usa,
            meeting(
                "Small group",
                "2015-01-22T09:00:00Z",
                "Europe/London",
                Some("small-group"),
            ),
            marking("AMBER", &["GROUP:small-group"]),
        )
        .await
        .expect("meeting");
    // Marked for the whole coalition, but made at a small-group meeting.
    let c = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(&m.id, "GBR", "2015-06-30", vec![]),
            coalition(),
        )
        .await
        .expect("commitment");
    let now = ms("2015-02-01T00:00:00Z");
    assert!(s.commitment_view(&gbr, &c.id, now).await.is_ok());
    assert!(matches!(
        s.commitment_view(&fra, &c.id, now).await,
        Err(StoreError::NotFound)
    ));
    assert!(s
        .commitment_board(&fra, &BoardFilter::default(), now)
        .await
        .expect("board")
        .is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    let (s, usa, gbr, _fra) = world().await;
    let m = s
        .create_record::<MeetingKind>(
            &usa,
            meeting("London", "2015-01-22T09:00:00Z", "Europe/London", None),
            coalition(),
        )
        .await
        .expect("meeting");
    let before = audit_len(&s).await;
    let field_of = |e: StoreError| match e {
        StoreError::Invalid(coalesce_domain::DomainError::InvalidField { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    // An end before its start.
    let mut bad = meeting("x", "2015-01-22T09:00:00Z", "Europe/London", None);
    bad.ends = "2015-01-21T09:00:00Z".into();
    let e = s
        .create_record::<MeetingKind>(&usa, bad, coalition())
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "ends");
    // An attendee that is not a member.
    let mut bad = meeting("x", "2015-01-22T09:00:00Z", "Europe/London", None);
    bad.attendance[0].member = "ZZZ".into();
    let e = s
        .create_record::<MeetingKind>(&usa, bad, coalition())
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "member");
    // A group that does not exist.
    let bad = meeting("x", "2015-01-22T09:00:00Z", "Europe/London", Some("nope"));
    let e = s
        .create_record::<MeetingKind>(&usa, bad, coalition())
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "group");
    // A due date before the meeting.
    let e = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(&m.id, "GBR", "2015-01-21", vec![]),
            coalition(),
        )
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "due");
    // An agenda item the meeting does not have.
    let e = s
        .create_record::<CommitmentKind>(
            &usa,
            Commitment {
                agenda_item: Some(7),
                ..commitment(&m.id, "GBR", "2015-06-30", vec![])
            },
            coalition(),
        )
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "agenda_item");
    // A link to a contribution that does not exist, and to one the
    // writer may not read: the same refusal.
    let hidden = contribution(&s, &gbr, 3, marking("AMBER", &["GBR"])).await;
    let before_links = audit_len(&s).await;
    for id in ["01900000-0000-7000-8000-000000000000", hidden.as_str()] {
        let e = s
            .create_record::<CommitmentKind>(
                &usa,
                commitment(
                    &m.id,
                    "GBR",
                    "2015-06-30",
                    vec![link(LinkTarget::Contribution, id, 1)],
                ),
                coalition(),
            )
            .await
            .expect_err("refused");
        assert_eq!(field_of(e), "contribution");
    }
    // A pledge that is not there, an indicator that is not.
    for (t, id, field) in [
        (LinkTarget::FundPledge, "nope", "fund_pledge"),
        (LinkTarget::Indicator, "nope", "indicator"),
    ] {
        let e = s
            .create_record::<CommitmentKind>(
                &usa,
                commitment(&m.id, "GBR", "2015-06-30", vec![link(t, id, 1)]),
                coalition(),
            )
            .await
            .expect_err("refused");
        assert_eq!(field_of(e), field);
    }
    // A meeting that is not there.
    let e = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(
                "01900000-0000-7000-8000-000000000000",
                "GBR",
                "2015-06-30",
                vec![],
            ),
            coalition(),
        )
        .await
        .expect_err("refused");
    assert_eq!(field_of(e), "meeting");
    assert_eq!(audit_len(&s).await, before_links);
    assert!(before_links > before, "the hidden contribution was written");
    let board = s
        .commitment_board(&usa, &BoardFilter::default(), 0)
        .await
        .expect("board");
    assert!(board.is_empty());
}

#[tokio::test]
async fn open_items_are_carried_over_within_a_group_and_keep_their_history() {
    let (s, usa, gbr, _fra) = world().await;
    let first = s
        .create_record::<MeetingKind>(
            &usa,
            meeting(
                "Small group, London",
                "2015-01-22T09:00:00Z",
                "Europe/London",
                Some("small-group"),
            ),
            coalition(),
        )
        .await
        .expect("meeting");
    let second = s
        .create_record::<MeetingKind>(
            &usa,
            meeting(
                "Small group, Paris",
                "2015-06-02T09:00:00Z",
                "Europe/Paris",
                Some("small-group"),
            ),
            coalition(),
        )
        .await
        .expect("meeting");
    let other = s
        .create_record::<MeetingKind>(
            &usa,
            meeting("Plenary", "2015-03-02T09:00:00Z", "Europe/Brussels", None),
            coalition(),
        )
        .await
        .expect("meeting");
    let open = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(&first.id, "GBR", "2015-05-31", vec![]),
            coalition(),
        )
        .await
        .expect("open");
    s.create_record::<CommitmentKind>(
        &usa,
        Commitment {
            state: CommitmentState::Done,
            ..commitment(&first.id, "USA", "2015-05-31", vec![])
        },
        coalition(),
    )
    .await
    .expect("done");
    // Into a meeting of another group: refused, nothing written.
    let before = audit_len(&s).await;
    let e = s
        .carry_over(&usa, &other.id, Some(&first.id))
        .await
        .expect_err("refused");
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    // Into an earlier meeting, or by another member than the meeting's.
    assert!(s
        .carry_over(&usa, &first.id, Some(&second.id))
        .await
        .is_err());
    assert!(matches!(
        s.carry_over(&gbr, &second.id, None).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(audit_len(&s).await, before);
    // The group's previous meeting by default: its open item only.
    let out = s.carry_over(&usa, &second.id, None).await.expect("carried");
    assert_eq!(out.from, first.id);
    assert_eq!(out.carried, vec![open.id.clone()]);
    assert_eq!(out.agenda_item, 2);
    let m = s
        .get_record::<MeetingKind>(&usa, &second.id)
        .await
        .expect("m");
    assert_eq!(
        m.body.agenda[1].follows_up.as_deref(),
        Some(first.id.as_str())
    );
    // Its history names both meetings; the board of the second meeting
    // lists it.
    let v = s
        .commitment_view(&usa, &open.id, ms("2015-06-02T00:00:00Z"))
        .await
        .expect("view");
    let met: Vec<&str> = v.history.iter().map(|h| h.meeting.as_str()).collect();
    assert_eq!(met, vec![first.id.as_str(), second.id.as_str()]);
    let board = s
        .commitment_board(
            &usa,
            &BoardFilter {
                meeting: Some(second.id.clone()),
                ..BoardFilter::default()
            },
            0,
        )
        .await
        .expect("board");
    assert_eq!(board.len(), 1);
    // Run again: nothing new carried, no second follow-up item.
    let again = s.carry_over(&usa, &second.id, None).await.expect("again");
    assert!(again.carried.is_empty());
    let m = s
        .get_record::<MeetingKind>(&usa, &second.id)
        .await
        .expect("m");
    assert_eq!(m.body.agenda.len(), 2);
}

#[tokio::test]
async fn reminders_and_the_escalation_are_sent_once_to_those_who_may_read() {
    let (s, usa, gbr, fra) = world().await;
    // A Baghdad meeting chaired by USA; an item of GBR due 30 June.
    let mut m = meeting("Baghdad", "2015-01-22T09:00:00Z", "Asia/Baghdad", None);
    m.chair = Some("USA".into());
    let m = s
        .create_record::<MeetingKind>(&usa, m, coalition())
        .await
        .expect("meeting");
    let c = s
        .create_record::<CommitmentKind>(
            &usa,
            commitment(&m.id, "GBR", "2015-06-30", vec![]),
            coalition(),
        )
        .await
        .expect("commitment");
    let notices = |p: Principal| {
        let s = s.clone();
        async move {
            s.digest(&p, ms("2015-07-02T00:00:00Z"))
                .await
                .expect("digest")
                .iter()
                .map(|n| n.notice)
                .collect::<Vec<_>>()
        }
    };
    // Before D-7 (21:00Z on 22 June is midnight in Baghdad): nothing.
    assert_eq!(
        s.send_commitment_notices(ms("2015-06-22T20:59:59Z"))
            .await
            .expect("send"),
        0
    );
    // D-7: the owner's users (gbr and viewer, both of GBR), once.
    assert_eq!(
        s.send_commitment_notices(ms("2015-06-22T21:00:00Z"))
            .await
            .expect("send"),
        2
    );
    assert_eq!(
        s.send_commitment_notices(ms("2015-06-23T10:00:00Z"))
            .await
            .expect("send"),
        0
    );
    assert_eq!(notices(gbr.clone()).await, vec![NoticeKind::DueIn7Days]);
    // D-1.
    assert_eq!(
        s.send_commitment_notices(ms("2015-06-28T21:00:00Z"))
            .await
            .expect("send"),
        2
    );
    // Overdue at the end of 30 June in Baghdad: to the chair's users
    // (usa, admin), who may read it; never to FRA.
    assert_eq!(
        s.send_commitment_notices(ms("2015-06-30T21:00:00Z"))
            .await
            .expect("send"),
        2
    );
    assert_eq!(notices(usa.clone()).await, vec![NoticeKind::Overdue]);
    assert!(notices(fra.clone()).await.is_empty());
    assert_eq!(
        s.send_commitment_notices(ms("2015-07-01T21:00:00Z"))
            .await
            .expect("send"),
        0
    );
    // Marked read.
    assert_eq!(s.mark_notices_read(&gbr).await.expect("read"), 2);
    // A narrowed commitment leaves the digest of those who may no longer
    // read it.
    s.change_record::<CommitmentKind>(
        &usa,
        &c.id,
        c.body.clone(),
        marking("AMBER", &["USA"]),
        Some(c.version),
    )
    .await
    .expect("narrowed");
    assert!(notices(gbr.clone()).await.is_empty());
    // Done: nothing more is sent, even with a new due date.
    let now = s
        .get_record::<CommitmentKind>(&usa, &c.id)
        .await
        .expect("c");
    s.change_record::<CommitmentKind>(
        &usa,
        &c.id,
        Commitment {
            state: CommitmentState::Done,
            due: "2015-09-30".into(),
            ..now.body.clone()
        },
        now.marking.clone(),
        Some(now.version),
    )
    .await
    .expect("done");
    assert_eq!(
        s.send_commitment_notices(ms("2015-09-29T12:00:00Z"))
            .await
            .expect("send"),
        0
    );
}

#[tokio::test]
async fn calendar_tokens_open_one_users_feed_until_revoked() {
    let (s, usa, gbr, _fra) = world().await;
    let t = s.create_calendar_token(&gbr).await.expect("token");
    match s.calendar_token(&t).await.expect("lookup") {
        CalendarToken::Valid(p) => assert_eq!(p.username.as_str(), "gbr"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.calendar_token("not-a-token").await.expect("lookup"),
        CalendarToken::Unknown
    ));
    // Not an API token: the API does not take it.
    assert!(s.principal_for_token(&t).await.expect("lookup").is_none());
    assert_eq!(s.revoke_calendar_tokens(&gbr).await.expect("revoke"), 1);
    assert!(matches!(
        s.calendar_token(&t).await.expect("lookup"),
        CalendarToken::Revoked
    ));
    // Another user's tokens are untouched by gbr's revocation.
    let u = s.create_calendar_token(&usa).await.expect("token");
    s.revoke_calendar_tokens(&gbr).await.expect("revoke");
    assert!(matches!(
        s.calendar_token(&u).await.expect("lookup"),
        CalendarToken::Valid(_)
    ));
}

/// A meeting's writer changes it from the whole meeting: the follow-up of
/// a meeting since re-marked away from the writer is hidden when it reads
/// the meeting, and kept by the change it makes.
#[tokio::test]
async fn a_change_keeps_the_follow_up_its_writer_may_no_longer_read() {
    let (s, usa, gbr, fra) = world().await;
    let earlier = s
        .create_record::<MeetingKind>(
            &usa,
            meeting("Earlier", "2014-12-03T09:00:00Z", "Europe/London", None),
            coalition(),
        )
        .await
        .expect("earlier");
    let mut later = meeting("Later", "2015-01-22T09:00:00Z", "Europe/London", None);
    later.agenda[0].follows_up = Some(earlier.id.clone());
    let later = s
        .create_record::<MeetingKind>(&gbr, later, coalition())
        .await
        .expect("later");
    // USA re-marks its meeting away from GBR.
    s.change_record::<MeetingKind>(
        &usa,
        &earlier.id,
        earlier.body.clone(),
        marking("AMBER", &[]),
        None,
    )
    .await
    .expect("re-marked");
    let shown = s
        .get_record::<MeetingKind>(&gbr, &later.id)
        .await
        .expect("read");
    assert_eq!(shown.body.agenda[0].follows_up, None, "hidden from GBR");
    let whole = s
        .record_for_change::<MeetingKind>(&gbr, &later.id)
        .await
        .expect("whole");
    assert_eq!(
        whole.body.agenda[0].follows_up.as_deref(),
        Some(earlier.id.as_str())
    );
    // Only its origin's users get it so.
    assert!(matches!(
        s.record_for_change::<MeetingKind>(&fra, &later.id).await,
        Err(StoreError::Forbidden(_))
    ));
    let mut retitled = whole.body.clone();
    retitled.title = "Later, retitled".into();
    s.change_record::<MeetingKind>(&gbr, &later.id, retitled, coalition(), Some(1))
        .await
        .expect("retitled");
    let kept = s
        .get_record::<MeetingKind>(&usa, &later.id)
        .await
        .expect("USA reads");
    assert_eq!(kept.body.title, "Later, retitled");
    assert_eq!(
        kept.body.agenda[0].follows_up.as_deref(),
        Some(earlier.id.as_str()),
        "the follow-up is kept"
    );
}
