//! Adds N notes with random markings to a database that already holds the
//! demo scenario (`coalesce demo --no-serve --database URL`), for load tests.
//! Usage: seed_notes URL N [--one-by-one [--then-change]]
//! Notes go through the record layer in batches of 1,000 (one transaction
//! each, the way an import or a peer's feed writes them); `--one-by-one`
//! writes each in its own transaction, as a user's form does;
//! `--then-change` then changes each of them once, one transaction each
//! (a new text, and every other one re-marked), and prints that rate too.

use coalesce_domain::note::{NoteDraft, NoteKind};
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::{Principal, Store};
use rand::{Rng, SeedableRng};

/// Notes per transaction.
const BATCH: usize = 1_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        anyhow::bail!("usage: seed_notes DATABASE_URL N [--one-by-one [--then-change]]");
    };
    let one_by_one = args.iter().any(|a| a == "--one-by-one");
    let then_change = args.iter().any(|a| a == "--then-change");
    anyhow::ensure!(
        one_by_one || !then_change,
        "--then-change changes notes written with --one-by-one"
    );
    let store = Store::open(url).await?;
    let users = store.list_users().await?;
    let principals: Vec<Principal> = users
        .iter()
        .filter(|u| u.role == "contributor" || u.role == "coordinator")
        .map(|u| {
            Ok(Principal {
                user_id: u.id.clone(),
                username: Username::parse(&u.username)?,
                member: MemberCode::parse(&u.member)?,
                role: Role::parse(&u.role)?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    anyhow::ensure!(!principals.is_empty(), "no users: load the demo first");
    let codes: Vec<String> = principals.iter().map(|p| p.member.to_string()).collect();
    let groups = ["GROUP:small-group", "GROUP:core-ten", "COALITION"];
    let tlps = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let start = std::time::Instant::now();
    let t0 = 1_420_070_400_000i64; // 2015-01-01
    let mut batch = Vec::with_capacity(BATCH);
    let mut written = Vec::new();
    let random_marking = |rng: &mut rand::rngs::StdRng| {
        let mut rel: Vec<String> = (0..rng.gen_range(0..4))
            .map(|_| codes[rng.gen_range(0..codes.len())].clone())
            .collect();
        if rng.gen_bool(0.3) {
            rel.push(groups[rng.gen_range(0..groups.len())].to_string());
        }
        Marking::parse(tlps[rng.gen_range(0..tlps.len())], &rel)
    };
    for i in 0..n {
        let marking = random_marking(&mut rng)?;
        let draft = NoteDraft::parse(
            &format!("Load note {i}"),
            "Synthetic note for the load test.",
            marking,
            None,
        )?;
        let at = t0 + i as i64 * 60_000;
        if one_by_one {
            let p = &principals[rng.gen_range(0..principals.len())];
            let note = store.create_note_at(p, &draft, at).await?;
            if then_change {
                written.push((p, note.id, draft.marking.clone()));
            }
        } else {
            batch.push(draft.into_body());
            if batch.len() == BATCH || i + 1 == n {
                let p = &principals[rng.gen_range(0..principals.len())];
                store
                    .create_records_at::<NoteKind>(p, std::mem::take(&mut batch), at)
                    .await?;
            }
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!(
                "{} notes ({:.0}/s)",
                i + 1,
                (i + 1) as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "seeded {n} notes in {secs:.1}s: {:.0} notes/s ({})",
        n as f64 / secs,
        if one_by_one {
            "one transaction each"
        } else {
            "batches of 1,000"
        }
    );
    if then_change {
        let start = std::time::Instant::now();
        for (i, (p, id, marking)) in written.iter().enumerate() {
            let marking = if i % 2 == 0 {
                random_marking(&mut rng)?
            } else {
                marking.clone()
            };
            let draft = NoteDraft::parse(
                &format!("Load note {i}, changed"),
                "Synthetic note for the load test, changed once.",
                marking,
                None,
            )?;
            store.update_note(p, id, &draft, Some(1)).await?;
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "changed {n} notes in {secs:.1}s: {:.0} changes/s (one transaction each, every other one re-marked)",
            n as f64 / secs
        );
    }
    Ok(())
}
