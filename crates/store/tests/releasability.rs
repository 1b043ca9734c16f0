//! Property test of the releasability core: random members, groups, markings
//! and users; through every read path of the store (get, list pages, count,
//! versions) a user sees exactly the records whose audience holds its member.
//! The oracle is `Marking::readable_by`, the rule written down in the domain.

use coalesce_domain::note::NoteDraft;
use coalesce_domain::registry::NewMember;
use coalesce_domain::{AudienceToken, Marking, MemberCode, Role, Slug, Tlp, Username, Viewer};
use coalesce_store::registry::NewGroup;
use coalesce_store::{testing, Principal, StoreError};
use proptest::prelude::*;
use std::collections::BTreeSet;

const CODES: [&str; 6] = ["USA", "GBR", "FRA", "DEU", "IRQ", "NATO"];
const GROUPS: [&str; 3] = ["small-group", "ff-task-force", "wg-finance"];

/// Audience tokens as (kind, index) pairs; see [`token`].
type Tokens = Vec<(u8, usize)>;

#[derive(Debug, Clone)]
struct World {
    /// group index -> member indexes
    groups: Vec<BTreeSet<usize>>,
    /// (origin index, tlp index, rel_to tokens as (kind, index), updated marking)
    records: Vec<(usize, usize, Tokens, Option<Tokens>)>,
}

fn token(kind: u8, i: usize) -> AudienceToken {
    match kind % 3 {
        0 => AudienceToken::Member(MemberCode::parse(CODES[i % CODES.len()]).expect("code")),
        1 => AudienceToken::Group(Slug::parse(GROUPS[i % GROUPS.len()]).expect("slug")),
        _ => AudienceToken::Coalition,
    }
}

fn tokens_strategy() -> impl Strategy<Value = Vec<(u8, usize)>> {
    // Coalition is rare (1 in 9) so that most records are restricted.
    prop::collection::vec(
        (
            prop_oneof![4 => Just(0u8), 4 => Just(1u8), 1 => Just(2u8)],
            0..6usize,
        ),
        0..4,
    )
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(
            prop::collection::btree_set(0..CODES.len(), 0..4),
            GROUPS.len(),
        ),
        prop::collection::vec(
            (
                0..CODES.len(),
                0..5usize,
                tokens_strategy(),
                prop::option::of(tokens_strategy()),
            ),
            0..24,
        ),
    )
        .prop_map(|(groups, records)| World { groups, records })
}

fn marking(tlp: usize, toks: &[(u8, usize)]) -> Marking {
    Marking::new(Tlp::ALL[tlp % 5], toks.iter().map(|(k, i)| token(*k, *i))).expect("marking")
}

async fn check_world(mut w: World) -> Result<(), TestCaseError> {
    let s = testing::fresh_store()
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut principals = vec![];
    for c in CODES {
        let kind = if c == "NATO" { "organisation" } else { "state" };
        s.create_member(
            None,
            &NewMember::parse(c, c, kind, "member", None).expect("m"),
        )
        .await
        .expect("member");
    }
    for (gi, members) in w.groups.iter().enumerate() {
        let codes: Vec<String> = members.iter().map(|i| CODES[*i].to_string()).collect();
        s.create_group(
            None,
            &NewGroup::parse(GROUPS[gi], GROUPS[gi], "community", "", &codes).expect("g"),
        )
        .await
        .expect("group");
    }
    let phc = coalesce_store::accounts::hash_password("same password for all").expect("hash");
    for c in CODES {
        let u = Username::parse(&c.to_lowercase()).expect("u");
        let m = MemberCode::parse(c).expect("m");
        let user = s
            .insert_user(None, &u, &m, Role::Contributor, &phc)
            .await
            .expect("user");
        principals.push(Principal {
            user_id: user.id,
            username: u,
            member: m,
            role: Role::Contributor,
        });
    }
    // Create records, some updated to a second marking.
    let mut expected: Vec<(String, MemberCode, Marking, Vec<Marking>)> = vec![];
    for (origin, tlp, toks, update) in &w.records {
        let p = &principals[*origin];
        let m1 = marking(*tlp, toks);
        let n = s
            .create_note(p, &NoteDraft::parse("t", "b", m1.clone(), None).expect("d"))
            .await
            .expect("create");
        let mut versions = vec![m1.clone()];
        let mut current = m1;
        if let Some(t2) = update {
            let m2 = marking(*tlp + 1, t2);
            s.update_note(
                p,
                &n.id,
                &NoteDraft::parse("t2", "b2", m2.clone(), None).expect("d"),
                None,
            )
            .await
            .expect("update");
            versions.push(m2.clone());
            current = m2;
        }
        expected.push((n.id, p.member.clone(), current, versions));
    }
    // After the records are written, the first group's members change: the
    // ones who leave stop reading what is marked to it, the ones who join
    // start (counts kept per reader are recomputed for both).
    let new_members: BTreeSet<usize> = (0..CODES.len())
        .filter(|i| !w.groups[0].contains(i))
        .take(3)
        .collect();
    s.set_group_members(
        None,
        &Slug::parse(GROUPS[0]).expect("slug"),
        &new_members
            .iter()
            .map(|i| MemberCode::parse(CODES[*i]).expect("m"))
            .collect(),
    )
    .await
    .map_err(|e| TestCaseError::fail(e.to_string()))?;
    w.groups[0] = new_members;
    // Every viewer, every read path.
    for p in &principals {
        let groups: BTreeSet<Slug> = w
            .groups
            .iter()
            .enumerate()
            .filter(|(_, ms)| ms.iter().any(|i| CODES[*i] == p.member.as_str()))
            .map(|(gi, _)| Slug::parse(GROUPS[gi]).expect("slug"))
            .collect();
        let viewer = Viewer {
            member: p.member.clone(),
            groups,
        };
        let readable: BTreeSet<String> = expected
            .iter()
            .filter(|(_, o, m, _)| m.readable_by(o, &viewer))
            .map(|(id, ..)| id.clone())
            .collect();

        // get
        for (id, origin, m, versions) in &expected {
            let got = s.get_note(p, id).await;
            if readable.contains(id) {
                let note = got.map_err(|e| {
                    TestCaseError::fail(format!("{} cannot read {id} ({:?}): {e}", p.member, m))
                })?;
                prop_assert_eq!(&note.marking, m);
                // versions: exactly those whose own marking admits the viewer
                let vs = s.note_versions(p, id).await.expect("versions");
                let want: Vec<i64> = versions
                    .iter()
                    .enumerate()
                    .filter(|(_, vm)| vm.readable_by(origin, &viewer))
                    .map(|(i, _)| i as i64 + 1)
                    .collect();
                prop_assert_eq!(vs.iter().map(|v| v.version).collect::<Vec<_>>(), want);
            } else {
                prop_assert!(
                    matches!(got, Err(StoreError::NotFound)),
                    "{} read {} marked {:?}",
                    p.member,
                    id,
                    m
                );
                prop_assert!(matches!(
                    s.note_versions(p, id).await,
                    Err(StoreError::NotFound)
                ));
            }
        }
        // count
        prop_assert_eq!(
            s.count_notes(p).await.expect("count") as usize,
            readable.len()
        );
        // list, walked page by page with a small page size
        let mut seen = BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = s.list_notes(p, cursor.as_deref(), 3).await.expect("list");
            for n in &page.items {
                prop_assert!(seen.insert(n.id.clone()), "duplicate across pages");
            }
            match page.next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        prop_assert_eq!(&seen, &readable, "list for {}", p.member);
    }
    s.close().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn no_user_sees_outside_the_audience_and_all_inside(w in world()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check_world(w))?;
    }
}
