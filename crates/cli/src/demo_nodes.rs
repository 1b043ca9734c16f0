//! `coalesce demo --nodes 3` (issue 15): the coalition as three nodes on
//! loopback, each a node like any other — its own SQLite database and
//! Ed25519 key, the same registry, its own users, peered both ways with
//! credentials as operators exchange them — serving at once and pulling
//! from each other:
//!
//! - the secretariat's node (USA), hosting every member but two, and
//!   serving the registry (who hosts whom) that the other two apply;
//! - the United Kingdom's node (GBR);
//! - Iraq's node (IRQ).
//!
//! Each seed note is written on the node of the member that wrote it, and
//! reaches the others by federation alone; so does one note of GBR's
//! released to Iraq only, which appears on Iraq's node and never on the
//! secretariat's. The needs, the fund, the meetings and the reports of the
//! one-node demo are not part of this one: they refer to one another
//! across members, and the loader writes them on one node.

use crate::demo::{hash_password, load_notes, load_registry, load_users, SECRETARIAT};
use crate::demo_sources::{illustrative, keep};
use anyhow::{bail, Context, Result};
use coalesce_api::peers::{add_peer, PeerIn};
use coalesce_domain::note::NoteDraft;
use coalesce_domain::source::Subject;
use coalesce_domain::Marking;
use coalesce_store::Store;
use std::collections::BTreeMap;

/// A node of the demo: its short name, the member it speaks for, and the
/// members it hosts (`None`: every member the others do not host).
struct DemoNode {
    name: &'static str,
    member: &'static str,
    title: &'static str,
}

const NODES: [DemoNode; 3] = [
    DemoNode {
        name: "secretariat",
        member: SECRETARIAT,
        title: "the secretariat's node (USA and every member without a node of its own)",
    },
    DemoNode {
        name: "gbr",
        member: "GBR",
        title: "the United Kingdom's node",
    },
    DemoNode {
        name: "irq",
        member: "IRQ",
        title: "Iraq's node",
    },
];

/// Whether node `i` hosts `member`.
fn hosts(i: usize, member: &str) -> bool {
    match NODES
        .iter()
        .position(|n| n.member == member && n.member != SECRETARIAT)
    {
        Some(j) => i == j,
        None => i == 0,
    }
}

/// The note that shows releasability across nodes.
const GBR_TO_IRQ: (&str, &str) = (
    "For Iraq's liaison: the next humanitarian airdrop window",
    "The next window for airdrops of humanitarian supplies is being agreed with Iraq's Joint Operations Command; details to follow through the liaison officer.",
);

pub async fn run(listen: &str) -> Result<()> {
    let host = listen
        .rsplit_once(':')
        .map(|(h, _)| h)
        .context("--listen is HOST:PORT")?;
    let base_port: u16 = listen
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .context("--listen is HOST:PORT")?;
    let dir = std::env::temp_dir().join(format!("coalesce-demo-nodes-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
    // Bound first: each node's URL is in its peers' registries.
    let mut listeners = Vec::new();
    for i in 0..NODES.len() {
        let port = if base_port == 0 {
            0
        } else {
            base_port
                .checked_add(i as u16)
                .context("--listen's port leaves no room for three nodes")?
        };
        let l = tokio::net::TcpListener::bind((host, port))
            .await
            .with_context(|| format!("cannot listen on {host}:{port}"))?;
        listeners.push(l);
    }
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| l.local_addr().map(|a| format!("http://{a}")))
        .collect::<std::io::Result<_>>()?;

    let password = crate::demo::random_password();
    let phc = hash_password(&password).await?;
    let mut stores = Vec::new();
    let mut keys = Vec::new();
    let mut principals = Vec::new();
    for (i, node) in NODES.iter().enumerate() {
        let url = format!(
            "sqlite://{}",
            dir.join(format!("{}.db", node.name)).display()
        );
        let store = Store::open(&url)
            .await
            .with_context(|| format!("cannot open {url}"))?;
        let key =
            crate::node::load_or_create(&store, &url, &crate::node::KeyArg { node_key: None })
                .await?;
        load_registry(&store).await?;
        store.set_setting("node_member", node.member).await?;
        principals.push(load_users(&store, &phc, &|m| hosts(i, m), node.member).await?);
        keys.push(key.to_text());
        stores.push(store);
    }
    // Every pair, both ways: the server issues a credential, the puller
    // keeps it (once it knows the server as its peer too).
    let mut credentials = Vec::new();
    for (s, server) in NODES.iter().enumerate() {
        for (p, puller) in NODES.iter().enumerate() {
            if s == p {
                continue;
            }
            let added = add_peer(
                &stores[s],
                None,
                &PeerIn {
                    name: puller.name.into(),
                    url: urls[p].clone(),
                    member: puller.member.into(),
                    key: keys[p].clone(),
                    unsigned_import: None,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            credentials.push((p, server.name, added.credential));
        }
    }
    for (p, server, credential) in credentials {
        stores[p]
            .set_peer_credential(None, server, &credential)
            .await?;
    }
    // The secretariat's registry says which node hosts whom; the two
    // capitals apply it as the secretariat's node serves it.
    for (i, node) in NODES.iter().enumerate().skip(1) {
        let id = stores[i].node_id().await?;
        let code = coalesce_domain::MemberCode::parse(node.member)?;
        stores[0].set_home_node(None, &code, Some(&id)).await?;
        stores[i]
            .change_peer(
                None,
                NODES[0].name,
                &coalesce_store::peers::PeerChange {
                    registry_source: Some(true),
                    ..Default::default()
                },
            )
            .await?;
    }
    let mut notes = 0;
    for (i, store) in stores.iter().enumerate() {
        notes += load_notes(store, &principals[i], &|m| hosts(i, m)).await?;
    }
    let gbr = principals[1].get("GBR").context("no demo user gbr")?;
    let draft = NoteDraft::parse(
        GBR_TO_IRQ.0,
        GBR_TO_IRQ.1,
        Marking::parse("AMBER", &["IRQ".to_string()])?,
        None,
    )?;
    let note = stores[1]
        .create_note_at(gbr, &draft, crate::demo::day_ms("2016-12-15")?)
        .await?;
    keep(
        &stores[1],
        Some(gbr),
        Subject::Record(note.id),
        &illustrative(
            "Written for the three-node demo: a note of the United Kingdom's released to Iraq only, to show it travel to Iraq's node and nowhere else.",
        )?,
    )
    .await?;

    println!(
        "coalesce demo, three nodes: the same registry, {} seed notes and one GBR note for Iraq only, each written on its member's node; the nodes pull from each other",
        notes
    );
    let hosted: BTreeMap<usize, Vec<String>> = (0..NODES.len())
        .map(|i| {
            let mut users: Vec<String> = principals[i]
                .values()
                .map(|p| p.username.to_string())
                .collect();
            users.sort();
            (i, users)
        })
        .collect();
    for (i, node) in NODES.iter().enumerate() {
        let users = &hosted[&i];
        let shown = if users.len() > 6 {
            format!(
                "{} and {} more, and admin",
                users[..6].join(", "),
                users.len() - 6
            )
        } else {
            format!("{}, and admin", users.join(", "))
        };
        println!(
            "  {} {:<12} {} — logins: {shown}",
            urls[i], node.name, node.title
        );
    }
    println!("databases: {}", dir.display());
    println!("demo password: {password}");
    println!(
        "try: log in as irq at {} — GBR's note \"{}\" is there; as usa at {} it is not (released to Iraq only); /peers (as admin) shows each node's pulls",
        urls[2], GBR_TO_IRQ.0, urls[0]
    );
    let mut servers = Vec::new();
    for (store, (listener, url)) in stores.into_iter().zip(listeners.into_iter().zip(&urls)) {
        let state = coalesce_api::AppState::new(store)
            .with_public_url(url)
            .map_err(anyhow::Error::msg)?;
        servers.push(tokio::spawn(crate::server::serve_on(
            listener,
            state,
            Some(Box::new(|_| {})),
            crate::pull::PullConfig {
                poll: std::time::Duration::from_secs(2),
                ..Default::default()
            },
            crate::server::Limits::default(),
        )));
    }
    for s in servers {
        s.await.context("a node stopped")??;
    }
    Ok(())
}

/// `--nodes` is 1 (the one-node demo) or 3.
pub fn check(nodes: u8, database: bool, no_serve: bool, public_url: bool) -> Result<()> {
    match nodes {
        1 => Ok(()),
        3 if public_url => bail!(
            "--nodes 3 serves three nodes on loopback, each at its own URL: leave out --public-url"
        ),
        3 if database => bail!("--nodes 3 makes its three databases itself: leave out --database"),
        3 if no_serve => bail!("--nodes 3 shows nodes pulling from each other: it serves them"),
        3 => Ok(()),
        n => bail!("--nodes is 1 or 3, not {n}"),
    }
}
