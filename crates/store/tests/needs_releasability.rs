//! Property test of releasability over the needs read paths: random members,
//! groups, requirements and contributions with random markings; through
//! get, list pages, count, versions, deliveries and the per-requirement
//! summary, a user sees exactly the records whose audience holds its member,
//! and the summary counts exactly the contributions it may read. The oracle
//! is `Marking::readable_by` and `Summary::compute`, written in the domain.

use coalesce_domain::indicators::{IndicatorDraft, ValueDraft};
use coalesce_domain::needs::Status;
use coalesce_domain::needs::{
    ContributionDraft, Counted, DeliveryDraft, Measure, Place, Progress, RequirementDraft, Summary,
    Transition, Window,
};
use coalesce_domain::registry::NewMember;
use coalesce_domain::{AudienceToken, Marking, MemberCode, Role, Slug, Tlp, Username, Viewer};
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::{Dimension, Total};
use coalesce_store::registry::NewGroup;
use coalesce_store::{testing, Principal, StoreError};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const CODES: [&str; 5] = ["USA", "GBR", "FRA", "DEU", "IRQ"];
const GROUPS: [&str; 2] = ["small-group", "wg-stabilisation"];

type Tokens = Vec<(u8, usize)>;

#[derive(Debug, Clone)]
struct World {
    groups: Vec<BTreeSet<usize>>,
    /// (origin, tlp, rel_to, updated rel_to)
    requirements: Vec<(usize, usize, Tokens, Option<Tokens>)>,
    /// (origin, requirement index or standalone, tlp, rel_to, amount, lifecycle step 0..4)
    contributions: Vec<(usize, Option<usize>, usize, Tokens, i64, u8)>,
    /// A group's new members, set after everything is written (who may
    /// read what changes without any record changing).
    regroup: Option<(usize, BTreeSet<usize>)>,
}

fn token(kind: u8, i: usize) -> AudienceToken {
    match kind % 3 {
        0 => AudienceToken::Member(MemberCode::parse(CODES[i % CODES.len()]).expect("code")),
        1 => AudienceToken::Group(Slug::parse(GROUPS[i % GROUPS.len()]).expect("slug")),
        _ => AudienceToken::Coalition,
    }
}

fn tokens() -> impl Strategy<Value = Tokens> {
    prop::collection::vec(
        (
            prop_oneof![4 => Just(0u8), 3 => Just(1u8), 1 => Just(2u8)],
            0..5usize,
        ),
        0..3,
    )
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(
            prop::collection::btree_set(0..CODES.len(), 0..3),
            GROUPS.len(),
        ),
        prop::collection::vec(
            (
                0..CODES.len(),
                0..5usize,
                tokens(),
                prop::option::of(tokens()),
            ),
            0..5,
        ),
        prop::collection::vec(
            (
                0..CODES.len(),
                prop::option::of(0..5usize),
                0..5usize,
                tokens(),
                1i64..6,
                0u8..4,
            ),
            0..10,
        ),
        prop::option::of((
            0..GROUPS.len(),
            prop::collection::btree_set(0..CODES.len(), 0..4),
        )),
    )
        .prop_map(|(groups, requirements, contributions, regroup)| World {
            groups,
            requirements,
            contributions,
            regroup,
        })
}

fn marking(tlp: usize, toks: &[(u8, usize)]) -> Marking {
    Marking::new(Tlp::ALL[tlp % 5], toks.iter().map(|(k, i)| token(*k, *i))).expect("marking")
}

fn requirement_draft(origin: &str, m: Marking) -> RequirementDraft {
    RequirementDraft::parse(
        "Vehicles",
        "",
        origin,
        "military-support",
        "vehicles",
        Measure::quantity(10, "kit").expect("measure"),
        Place::parse("IRQ", None, None, None).expect("place"),
        Window::parse("2015-01-01", "2015-06-30").expect("window"),
        3,
        m,
    )
    .expect("draft")
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

struct Expected {
    id: String,
    origin: MemberCode,
    marking: Marking,
    versions: Vec<Marking>,
}

async fn check_world(w: World) -> Result<(), TestCaseError> {
    let s = testing::fresh_store().await.map_err(fail)?;
    for c in CODES {
        s.create_member(
            None,
            &NewMember::parse(c, c, "state", "member", None).expect("m"),
        )
        .await
        .map_err(fail)?;
    }
    for (gi, members) in w.groups.iter().enumerate() {
        let codes: Vec<String> = members.iter().map(|i| CODES[*i].to_string()).collect();
        s.create_group(
            None,
            &NewGroup::parse(GROUPS[gi], GROUPS[gi], "community", "", &codes).expect("g"),
        )
        .await
        .map_err(fail)?;
    }
    s.create_line_of_effort(None, "military-support", "Military support", "")
        .await
        .map_err(fail)?;
    let phc = coalesce_store::accounts::hash_password("same password for all").map_err(fail)?;
    let mut principals = vec![];
    for c in CODES {
        let u = Username::parse(&c.to_lowercase()).expect("u");
        let m = MemberCode::parse(c).expect("m");
        let user = s
            .insert_user(None, &u, &m, Role::Contributor, &phc)
            .await
            .map_err(fail)?;
        principals.push(Principal {
            user_id: user.id,
            username: u,
            member: m,
            role: Role::Contributor,
        });
    }
    let viewers_in = |groups: &[BTreeSet<usize>]| -> Vec<Viewer> {
        principals
            .iter()
            .map(|p| Viewer {
                member: p.member.clone(),
                groups: groups
                    .iter()
                    .enumerate()
                    .filter(|(_, ms)| ms.iter().any(|i| CODES[*i] == p.member.as_str()))
                    .map(|(gi, _)| Slug::parse(GROUPS[gi]).expect("slug"))
                    .collect(),
            })
            .collect()
    };
    let viewers = viewers_in(&w.groups);

    // Requirements (requested by their origin), some re-marked by an update.
    let mut reqs: Vec<Expected> = vec![];
    for (origin, tlp, toks, update) in &w.requirements {
        let p = &principals[*origin];
        let m1 = marking(*tlp, toks);
        let r = s
            .create_requirement(p, &requirement_draft(p.member.as_str(), m1.clone()))
            .await
            .map_err(fail)?;
        let mut e = Expected {
            id: r.id,
            origin: p.member.clone(),
            marking: m1.clone(),
            versions: vec![m1],
        };
        if let Some(t2) = update {
            let m2 = marking(*tlp + 1, t2);
            s.update_requirement(
                p,
                &e.id,
                &requirement_draft(p.member.as_str(), m2.clone()),
                None,
            )
            .await
            .map_err(fail)?;
            e.versions.push(m2.clone());
            e.marking = m2;
        }
        reqs.push(e);
    }

    // Contributions, against a requirement their origin may read, or standalone.
    let mut cons: Vec<(Expected, Option<usize>, Progress)> = vec![];
    let mut values: Vec<(String, MemberCode, Marking, f64)> = vec![];
    let mut received: BTreeMap<String, i64> = BTreeMap::new();
    let coordinator = Principal {
        role: Role::Coordinator,
        ..principals[0].clone()
    };
    s.define_indicator(
        &coordinator,
        &IndicatorDraft::parse(
            "brigades",
            "Brigades",
            "",
            "brigades",
            Some("military-support"),
            "increase",
            "sum",
            0.0,
            None,
            &[("2016-01-01".into(), 12.0)],
        )
        .expect("indicator"),
    )
    .await
    .map_err(fail)?;
    for (origin, against, tlp, toks, amount, step) in &w.contributions {
        let p = &principals[*origin];
        let against = against.filter(|i| *i < reqs.len());
        let m = marking(*tlp, toks);
        let draft = ContributionDraft::parse(
            "Trucks",
            "",
            &[p.member.to_string()],
            against.map(|i| reqs[i].id.as_str()),
            Some("military-support"),
            Some("vehicles"),
            Measure::quantity(*amount, "kit").expect("measure"),
            Some(Place::parse("IRQ", None, None, None).expect("place")),
            Some(Window::parse("2015-01-01", "2015-12-31").expect("window")),
            m.clone(),
        )
        .expect("draft");
        let created = s.create_contribution(p, &draft).await;
        if let Some(i) = against {
            let r = &reqs[i];
            if !r.marking.readable_by(&r.origin, &viewers[*origin]) {
                prop_assert!(
                    matches!(created, Err(StoreError::BadRequest(_))),
                    "{} contributed to a requirement it cannot read",
                    p.member
                );
                continue;
            }
        }
        let c = created.map_err(fail)?;
        let mut progress = Progress::new(*amount);
        let mut versions = 1;
        if *step >= 1 && *step != 3 {
            s.commit_contribution(p, &c.id).await.map_err(fail)?;
            progress = progress
                .apply(Transition::Commit)
                .map_err(|e| fail(format!("{e}")))?;
            versions += 1;
        }
        if *step == 2 {
            s.deliver_contribution(
                p,
                &c.id,
                &DeliveryDraft::parse("2015-02-01", 1, "").expect("d"),
            )
            .await
            .map_err(fail)?;
            progress = progress
                .apply(Transition::Deliver(1))
                .map_err(|e| fail(format!("{e}")))?;
            versions += 1;
            // The requesting member confirms receipt, if it may read the
            // contribution (otherwise, for it, there is none).
            if let Some(i) = against {
                let requester = CODES
                    .iter()
                    .position(|c| *c == reqs[i].origin.as_str())
                    .expect("requester");
                let confirmed = s.confirm_receipt(&principals[requester], &c.id, 1).await;
                if m.readable_by(&p.member, &viewers[requester]) {
                    confirmed.map_err(fail)?;
                    received.insert(c.id.clone(), 1);
                } else {
                    prop_assert!(matches!(confirmed, Err(StoreError::NotFound)));
                }
            }
        }
        if *step == 3 {
            s.cancel_contribution(p, &c.id).await.map_err(fail)?;
            progress = progress
                .apply(Transition::Cancel)
                .map_err(|e| fail(format!("{e}")))?;
            versions += 1;
        }
        // An indicator value under the same marking, by the same member.
        let v = s
            .report_indicator_value(
                p,
                "brigades",
                &ValueDraft::parse("2015-03-01", *amount as f64, "", m.clone()).expect("value"),
            )
            .await
            .map_err(fail)?;
        values.push((v.id, p.member.clone(), m.clone(), *amount as f64));
        cons.push((
            Expected {
                id: c.id,
                origin: p.member.clone(),
                marking: m.clone(),
                versions: vec![m; versions],
            },
            against,
            progress,
        ));
    }

    // Who may read what changes: a group's members are replaced.
    let mut groups = w.groups.clone();
    if let Some((gi, members)) = &w.regroup {
        let codes: BTreeSet<MemberCode> = members
            .iter()
            .map(|i| MemberCode::parse(CODES[*i]).expect("code"))
            .collect();
        s.set_group_members(None, &Slug::parse(GROUPS[*gi]).expect("slug"), &codes)
            .await
            .map_err(fail)?;
        groups[*gi] = members.clone();
    }
    let viewers = viewers_in(&groups);

    for (p, viewer) in principals.iter().zip(&viewers) {
        // Requirements: get, versions, summary, count, list.
        let mut readable_reqs = BTreeSet::new();
        for (ri, r) in reqs.iter().enumerate() {
            if r.marking.readable_by(&r.origin, viewer) {
                readable_reqs.insert(r.id.clone());
                let got = s.get_requirement(p, &r.id).await.map_err(fail)?;
                prop_assert_eq!(&got.marking, &r.marking);
                let vs = s.requirement_versions(p, &r.id).await.map_err(fail)?;
                let want: Vec<i64> = r
                    .versions
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.readable_by(&r.origin, viewer))
                    .map(|(i, _)| i as i64 + 1)
                    .collect();
                prop_assert_eq!(vs.iter().map(|v| v.version).collect::<Vec<_>>(), want);
                let summary = s.requirement_summary(p, &r.id).await.map_err(fail)?;
                let counted = cons
                    .iter()
                    .filter(|(c, against, _)| {
                        *against == Some(ri) && c.marking.readable_by(&c.origin, viewer)
                    })
                    .map(|(c, _, progress)| Counted {
                        progress: *progress,
                        received: received.get(&c.id).copied().unwrap_or(0),
                    });
                prop_assert_eq!(
                    summary,
                    Summary::compute(10, counted),
                    "summary for {}",
                    p.member
                );
            } else {
                prop_assert!(matches!(
                    s.get_requirement(p, &r.id).await,
                    Err(StoreError::NotFound)
                ));
                prop_assert!(matches!(
                    s.requirement_versions(p, &r.id).await,
                    Err(StoreError::NotFound)
                ));
                prop_assert!(matches!(
                    s.requirement_summary(p, &r.id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
        prop_assert_eq!(
            s.count_requirements(p).await.map_err(fail)? as usize,
            readable_reqs.len()
        );
        let mut seen = BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = s
                .list_requirements(p, cursor.as_deref(), 2)
                .await
                .map_err(fail)?;
            for r in &page.items {
                prop_assert!(seen.insert(r.id.clone()), "duplicate across pages");
            }
            match page.next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        prop_assert_eq!(&seen, &readable_reqs);

        // Contributions: get, versions, deliveries, count (all and per
        // requirement), list.
        let mut readable_cons = BTreeSet::new();
        let mut per_req: BTreeMap<usize, usize> = BTreeMap::new();
        for (c, against, progress) in &cons {
            if c.marking.readable_by(&c.origin, viewer) {
                readable_cons.insert(c.id.clone());
                if let Some(i) = against {
                    *per_req.entry(*i).or_default() += 1;
                }
                let got = s.get_contribution(p, &c.id).await.map_err(fail)?;
                prop_assert_eq!(got.progress(), *progress);
                prop_assert_eq!(got.contributors, vec![c.origin.to_string()]);
                let vs = s.contribution_versions(p, &c.id).await.map_err(fail)?;
                prop_assert_eq!(vs.len(), c.versions.len());
                let ds = s.contribution_deliveries(p, &c.id).await.map_err(fail)?;
                prop_assert_eq!(ds.iter().map(|d| d.amount).sum::<i64>(), progress.delivered);
            } else {
                prop_assert!(matches!(
                    s.get_contribution(p, &c.id).await,
                    Err(StoreError::NotFound)
                ));
                prop_assert!(matches!(
                    s.contribution_versions(p, &c.id).await,
                    Err(StoreError::NotFound)
                ));
                prop_assert!(matches!(
                    s.contribution_deliveries(p, &c.id).await,
                    Err(StoreError::NotFound)
                ));
                prop_assert!(matches!(
                    s.commit_contribution(p, &c.id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
        prop_assert_eq!(
            s.count_contributions(p, &ContributionFilter::default())
                .await
                .map_err(fail)? as usize,
            readable_cons.len()
        );
        for (ri, r) in reqs.iter().enumerate() {
            prop_assert_eq!(
                s.count_contributions(p, &ContributionFilter::for_requirement(&r.id))
                    .await
                    .map_err(fail)? as usize,
                per_req.get(&ri).copied().unwrap_or(0)
            );
        }
        let mut seen = BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = s
                .list_contributions(p, &ContributionFilter::default(), cursor.as_deref(), 3)
                .await
                .map_err(fail)?;
            for c in &page.items {
                prop_assert!(seen.insert(c.id.clone()), "duplicate across pages");
            }
            match page.next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        prop_assert_eq!(
            &seen,
            &readable_cons,
            "contributions listed for {}",
            p.member
        );

        // The picture: totals, trend, recent deliveries, requirement
        // figures and duplication count only what the viewer may read.
        let readable: Vec<&(Expected, Option<usize>, Progress)> = cons
            .iter()
            .filter(|(c, ..)| c.marking.readable_by(&c.origin, viewer))
            .collect();
        let all = ContributionFilter::default();
        for by in [
            Dimension::LineOfEffort,
            Dimension::Member,
            Dimension::Country,
            Dimension::Category,
        ] {
            let totals = s.contribution_totals(p, &all, by).await.map_err(fail)?;
            let sum = |f: fn(&Total) -> i64| totals.iter().map(f).sum::<i64>();
            prop_assert_eq!(sum(|t| t.contributions) as usize, readable.len());
            let want = |st: Status| -> i64 {
                readable
                    .iter()
                    .filter(|(.., pr)| pr.status == st)
                    .map(|(.., pr)| match st {
                        Status::Committed => pr.amount - pr.delivered,
                        _ => pr.amount,
                    })
                    .sum()
            };
            prop_assert_eq!(sum(|t| t.pledged), want(Status::Pledged));
            prop_assert_eq!(sum(|t| t.cancelled), want(Status::Cancelled));
            prop_assert_eq!(sum(|t| t.committed), want(Status::Committed));
            prop_assert_eq!(
                sum(|t| t.delivered),
                readable.iter().map(|(.., pr)| pr.delivered).sum::<i64>()
            );
        }
        // The figures kept per reader (filter on the line only) equal a
        // scan of the readable contributions (any other filter; every
        // contribution here is of category "vehicles").
        let line = ContributionFilter {
            line_of_effort: Some("military-support".into()),
            ..ContributionFilter::default()
        };
        let scanned = ContributionFilter {
            category: Some("vehicles".into()),
            ..ContributionFilter::default()
        };
        for by in [
            Dimension::LineOfEffort,
            Dimension::Member,
            Dimension::Country,
            Dimension::Category,
        ] {
            let kept = s.contribution_totals(p, &all, by).await.map_err(fail)?;
            prop_assert_eq!(
                &kept,
                &s.contribution_totals(p, &line, by).await.map_err(fail)?
            );
            prop_assert_eq!(
                &kept,
                &s.contribution_totals(p, &scanned, by).await.map_err(fail)?,
                "totals by {:?} for {}",
                by,
                p.member
            );
        }
        let trend = s.contribution_trend(p, &all).await.map_err(fail)?;
        prop_assert_eq!(&trend, &s.contribution_trend(p, &line).await.map_err(fail)?);
        prop_assert_eq!(
            &trend,
            &s.contribution_trend(p, &scanned).await.map_err(fail)?
        );
        prop_assert_eq!(
            trend.iter().map(|m| m.pledged).sum::<i64>() as usize,
            readable.len()
        );
        let delivered_ids: BTreeSet<String> = readable
            .iter()
            .filter(|(.., pr)| pr.delivered > 0)
            .map(|(c, ..)| c.id.clone())
            .collect();
        prop_assert_eq!(
            trend.iter().map(|m| m.deliveries).sum::<i64>() as usize,
            delivered_ids.len()
        );
        let recent = s.recent_deliveries(p, &all, 100).await.map_err(fail)?;
        let recent_ids: BTreeSet<String> =
            recent.iter().map(|d| d.contribution.id.clone()).collect();
        prop_assert_eq!(&recent_ids, &delivered_ids);
        let figures = s
            .requirements_with_figures(p, "", 500)
            .await
            .map_err(fail)?;
        let fig_ids: BTreeSet<String> = figures.iter().map(|f| f.requirement.id.clone()).collect();
        prop_assert_eq!(&fig_ids, &readable_reqs);
        for f in &figures {
            let want = s
                .requirement_summary(p, &f.requirement.id)
                .await
                .map_err(fail)?;
            prop_assert_eq!(f.summary, want);
        }
        let dup = s.duplication(p, "").await.map_err(fail)?;
        let standalone: BTreeSet<String> = readable
            .iter()
            .filter(|(_, against, pr)| against.is_none() && pr.status != Status::Cancelled)
            .map(|(c, ..)| c.id.clone())
            .collect();
        let grouped: BTreeSet<String> = dup
            .overlapping
            .iter()
            .flatten()
            .map(|c| c.id.clone())
            .collect();
        if standalone.len() >= 2 {
            // All standalone contributions share category, place and window here.
            prop_assert_eq!(&grouped, &standalone);
        } else {
            prop_assert!(grouped.is_empty());
        }
        for o in &dup.over_contributed {
            prop_assert!(readable_reqs.contains(&o.requirement.id));
        }

        // Indicator values: listed and counted only when readable.
        let readable_values: BTreeSet<String> = values
            .iter()
            .filter(|(_, origin, m, _)| m.readable_by(origin, viewer))
            .map(|(id, ..)| id.clone())
            .collect();
        let listed = s
            .list_indicator_values(p, "brigades", None, 500)
            .await
            .map_err(fail)?;
        let listed: BTreeSet<String> = listed.items.into_iter().map(|v| v.id).collect();
        prop_assert_eq!(&listed, &readable_values);
        let (_, standing) = s.indicator_standing(p, "brigades").await.map_err(fail)?;
        let want_sum: f64 = values
            .iter()
            .filter(|(_, origin, m, _)| m.readable_by(origin, viewer))
            .map(|(.., v)| *v)
            .sum();
        prop_assert_eq!(
            standing.actual,
            (!readable_values.is_empty()).then_some(want_sum)
        );
        for (id, origin, m, _) in &values {
            if !m.readable_by(origin, viewer) {
                prop_assert!(matches!(
                    s.get_indicator_value(p, id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
    }
    s.verify_audit()
        .await
        .map_err(fail)?
        .map_err(|b| fail(format!("{b:?}")))?;
    s.close().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn needs_are_read_only_inside_their_audience(w in world()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check_world(w))?;
    }
}
