//! Property test: every read path of reports, entities, relationships,
//! search and correlation candidates agrees with the domain's audience rule
//! (`Marking::readable_by`), for random groups, markings and members, on
//! SQLite (and PostgreSQL when COALESCE_TEST_POSTGRES is set).

use coalesce_domain::registry::NewMember;
use coalesce_domain::reports::{EntityDraft, RelationshipType, ReportDraft};
use coalesce_domain::{AudienceToken, Marking, MemberCode, Role, Slug, Tlp, Username, Viewer};
use coalesce_store::registry::NewGroup;
use coalesce_store::reports::SearchFilter;
use coalesce_store::{testing, Principal, StoreError};
use proptest::prelude::*;
use std::collections::BTreeSet;

const CODES: [&str; 5] = ["USA", "GBR", "FRA", "DEU", "TUR"];
const GROUPS: [&str; 2] = ["small-group", "ff-task-force"];
/// Spellings of one name: every entity is a correlation candidate of every other.
const SPELLINGS: [&str; 4] = [
    "Abu Muhammad al-Tunisi",
    "Abou Mohamed Tounsi",
    "Muhammad al-Tunisi",
    "ابو محمد التونسي",
];

type Tokens = Vec<(u8, usize)>;

#[derive(Debug, Clone)]
struct World {
    groups: Vec<BTreeSet<usize>>,
    /// (origin, tlp, rel_to)
    entities: Vec<(usize, usize, Tokens)>,
    /// (origin, tlp, rel_to, linked entity)
    reports: Vec<(usize, usize, Tokens, Option<usize>)>,
    /// (origin, from, to, tlp, rel_to)
    relationships: Vec<(usize, usize, usize, usize, Tokens)>,
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
        prop::collection::vec((0..CODES.len(), 0..5usize, tokens()), 1..6),
        prop::collection::vec(
            (
                0..CODES.len(),
                0..5usize,
                tokens(),
                prop::option::of(0..6usize),
            ),
            0..6,
        ),
        prop::collection::vec(
            (0..CODES.len(), 0..6usize, 0..6usize, 0..5usize, tokens()),
            0..4,
        ),
    )
        .prop_map(|(groups, entities, reports, relationships)| World {
            groups,
            entities,
            reports,
            relationships,
        })
}

fn marking(tlp: usize, toks: &[(u8, usize)]) -> Marking {
    Marking::new(Tlp::ALL[tlp % 5], toks.iter().map(|(k, i)| token(*k, *i))).expect("marking")
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
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
    let viewers: Vec<Viewer> = principals
        .iter()
        .map(|p| Viewer {
            member: p.member.clone(),
            groups: w
                .groups
                .iter()
                .enumerate()
                .filter(|(_, ms)| ms.iter().any(|i| CODES[*i] == p.member.as_str()))
                .map(|(gi, _)| Slug::parse(GROUPS[gi]).expect("slug"))
                .collect(),
        })
        .collect();

    // Entities: (id, origin, marking)
    let mut ents: Vec<(String, MemberCode, Marking)> = vec![];
    for (i, (origin, tlp, toks)) in w.entities.iter().enumerate() {
        let p = &principals[*origin];
        let m = marking(*tlp, toks);
        let d = EntityDraft::parse(
            "person",
            SPELLINGS[i % SPELLINGS.len()],
            &[],
            Some("1984"),
            None,
            &[],
            None,
            None,
            None,
            m.clone(),
        )
        .expect("entity");
        let e = s.create_entity(p, &d).await.map_err(fail)?;
        ents.push((e.id, p.member.clone(), m));
    }
    // Reports: (id, origin, marking, linked entity id)
    let mut reps: Vec<(String, MemberCode, Marking, Option<String>)> = vec![];
    for (origin, tlp, toks, link) in &w.reports {
        let p = &principals[*origin];
        let viewer = &viewers[*origin];
        let m = marking(*tlp, toks);
        let link = link
            .filter(|i| *i < ents.len())
            .map(|i| &ents[i])
            .filter(|(_, o, em)| em.readable_by(o, viewer))
            .map(|(id, ..)| id.clone());
        let links: Vec<(String, String)> = link
            .iter()
            .map(|id| (id.clone(), "traveller".to_string()))
            .collect();
        let d = ReportDraft::parse(
            "foreign-fighter-travel",
            "Travel of Tunisi to Raqqa",
            "Crossed at Akcakale",
            None,
            Some("2014-10-01"),
            m.clone(),
            &links,
        )
        .expect("report");
        let r = s.create_report(p, &d).await.map_err(fail)?;
        reps.push((r.id, p.member.clone(), m, link));
    }
    // Relationships between entities the recording member may read.
    let mut rels: Vec<(String, MemberCode, Marking, usize, usize)> = vec![];
    for (origin, from, to, tlp, toks) in &w.relationships {
        let (from, to) = (*from % ents.len(), *to % ents.len());
        let p = &principals[*origin];
        let v = &viewers[*origin];
        if from == to
            || !ents[from].2.readable_by(&ents[from].1, v)
            || !ents[to].2.readable_by(&ents[to].1, v)
        {
            continue;
        }
        let m = marking(*tlp, toks);
        let x = s
            .relate(
                p,
                &ents[from].0,
                &ents[to].0,
                RelationshipType::TravelledWith,
                "",
                &m,
            )
            .await
            .map_err(fail)?;
        rels.push((x.id, p.member.clone(), m, from, to));
    }

    for (p, viewer) in principals.iter().zip(&viewers) {
        let can = |m: &Marking, o: &MemberCode| m.readable_by(o, viewer);
        let readable_ents: BTreeSet<String> = ents
            .iter()
            .filter(|(_, o, m)| can(m, o))
            .map(|(id, ..)| id.clone())
            .collect();
        for (id, o, m) in &ents {
            let got = s.get_entity(p, id).await;
            if can(m, o) {
                prop_assert!(got.is_ok());
                // Correlation candidates: exactly the other readable entities
                // (they all share name keys).
                let cands: BTreeSet<String> = s
                    .correlation_candidates(p, id)
                    .await
                    .map_err(fail)?
                    .into_iter()
                    .map(|e| e.id)
                    .collect();
                let want: BTreeSet<String> =
                    readable_ents.iter().filter(|x| *x != id).cloned().collect();
                prop_assert_eq!(cands, want, "candidates of {} for {}", id, p.member);
                // Relationships: the relationship and both ends readable.
                let rs: BTreeSet<String> = s
                    .relationships_of(p, id)
                    .await
                    .map_err(fail)?
                    .into_iter()
                    .map(|x| x.id)
                    .collect();
                let want: BTreeSet<String> = rels
                    .iter()
                    .filter(|(_, ro, rm, f, t)| {
                        (ents[*f].0 == *id || ents[*t].0 == *id)
                            && can(rm, ro)
                            && can(&ents[*f].2, &ents[*f].1)
                            && can(&ents[*t].2, &ents[*t].1)
                    })
                    .map(|(x, ..)| x.clone())
                    .collect();
                prop_assert_eq!(rs, want);
            } else {
                prop_assert!(matches!(got, Err(StoreError::NotFound)));
                prop_assert!(matches!(
                    s.correlation_candidates(p, id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
        prop_assert_eq!(
            s.count_entities(p).await.map_err(fail)? as usize,
            readable_ents.len()
        );
        let listed: BTreeSet<String> = s
            .list_entities(p, None, None, 500)
            .await
            .map_err(fail)?
            .items
            .into_iter()
            .map(|e| e.id)
            .collect();
        prop_assert_eq!(&listed, &readable_ents);

        let readable_reps: BTreeSet<String> = reps
            .iter()
            .filter(|(_, o, m, _)| can(m, o))
            .map(|(id, ..)| id.clone())
            .collect();
        for (id, o, m, link) in &reps {
            let got = s.get_report(p, id).await;
            if can(m, o) {
                let r = got.map_err(fail)?;
                // Links only to entities the viewer may read.
                let want: Vec<String> = link
                    .iter()
                    .filter(|e| readable_ents.contains(*e))
                    .cloned()
                    .collect();
                prop_assert_eq!(
                    r.entities
                        .iter()
                        .map(|l| l.entity_id.clone())
                        .collect::<Vec<_>>(),
                    want
                );
                prop_assert_eq!(s.report_versions(p, id).await.map_err(fail)?.len(), 1);
            } else {
                prop_assert!(matches!(got, Err(StoreError::NotFound)));
                prop_assert!(matches!(
                    s.report_versions(p, id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
        prop_assert_eq!(
            s.count_reports(p).await.map_err(fail)? as usize,
            readable_reps.len()
        );
        let listed: BTreeSet<String> = s
            .list_reports(p, None, None, None, 500)
            .await
            .map_err(fail)?
            .items
            .into_iter()
            .map(|r| r.id)
            .collect();
        prop_assert_eq!(&listed, &readable_reps);
        // Reports about an entity: readable reports linking to it.
        for (eid, ..) in ents.iter().filter(|(id, ..)| readable_ents.contains(id)) {
            let about: BTreeSet<String> = s
                .list_reports(p, None, Some(eid), None, 500)
                .await
                .map_err(fail)?
                .items
                .into_iter()
                .map(|r| r.id)
                .collect();
            let want: BTreeSet<String> = reps
                .iter()
                .filter(|(id, _, _, l)| {
                    readable_reps.contains(id) && l.as_deref() == Some(eid.as_str())
                })
                .map(|(id, ..)| id.clone())
                .collect();
            prop_assert_eq!(about, want);
        }
        // Search: reports by their words, entities by their names.
        let found: BTreeSet<String> = s
            .search(p, "Tunisi Raqqa", &SearchFilter::default(), 500)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|h| h.id)
            .collect();
        prop_assert_eq!(&found, &readable_reps, "search for {}", p.member);
        let found: BTreeSet<String> = s
            .search(
                p,
                "Tunisi",
                &SearchFilter {
                    record: Some("entity".into()),
                    ..Default::default()
                },
                500,
            )
            .await
            .map_err(fail)?
            .into_iter()
            .map(|h| h.id)
            .collect();
        let want: BTreeSet<String> = ents
            .iter()
            .enumerate()
            .filter(|(i, (id, ..))| {
                readable_ents.contains(id) && SPELLINGS[i % SPELLINGS.len()].contains("Tunisi")
            })
            .map(|(_, (id, ..))| id.clone())
            .collect();
        prop_assert_eq!(found, want);
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
    fn every_report_and_entity_read_path_follows_the_audience_rule(w in world()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
        rt.block_on(check_world(w))?;
    }
}
