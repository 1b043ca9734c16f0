//! `coalesce peer add|set|list|remove|pause|resume|connect|status` (issue 15): the nodes this
//! node exchanges records with, managed as the node itself (the CLI runs
//! on the node's machine).

use crate::DbArg;
use anyhow::Result;
use clap::Subcommand;
use coalesce_api::peers::{add_peer, change_peer, PeerChangeIn, PeerIn, PeerOut};

#[derive(Subcommand)]
pub(crate) enum PeerCommand {
    /// Add a peer node; prints the credential to give its operator (once).
    Add {
        #[command(flatten)]
        db: DbArg,
        /// A short name (lower-case letters, digits, hyphens).
        name: String,
        /// The peer's public URL.
        url: String,
        /// The member whose users the peer hosts.
        #[arg(long)]
        member: String,
        /// The peer's public key, as its `coalesce node show` prints it.
        #[arg(long, required_unless_present = "unsigned_import")]
        key: Option<String>,
        /// The peer is a plain TAXII 2.1 server (not a coalesce node; URL
        /// is its API root): pull this collection and take its objects,
        /// unsigned, as imported objects of --member. Connect with its
        /// credential: `USER:PASSWORD` (HTTP Basic) or a bearer token.
        #[arg(long, value_name = "COLLECTION_ID", conflicts_with = "key")]
        unsigned_import: Option<String>,
    },
    /// Change a peer: its URL, its key after it rotated (the old key stays
    /// trusted for what it signed), or relay.
    Set {
        #[command(flatten)]
        db: DbArg,
        name: String,
        /// Its new public URL.
        #[arg(long)]
        url: Option<String>,
        /// Its new public key, as its `coalesce node show` prints it.
        #[arg(long)]
        key: Option<String>,
        /// Relay CLEAR and GREEN records of other nodes to and from it (both
        /// operators turn it on).
        #[arg(long, value_parser = ["on", "off"])]
        relay: Option<String>,
        /// It is the secretariat's node: apply the registry it serves
        /// (members and the nodes hosting them, groups, lines of effort).
        #[arg(long, value_parser = ["on", "off"])]
        registry_source: Option<String>,
    },
    /// List the peers.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a peer: it is served nothing more.
    Remove {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// Pause a peer: its credential stops working until it is resumed.
    Pause {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// Resume a paused peer (give it a new credential with `peer credential`).
    Resume {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
    /// Keep the credential a peer's operator issued for this node: from then
    /// on this node pulls from that peer (read from stdin when not given,
    /// or COALESCE_PEER_CREDENTIAL).
    Connect {
        #[command(flatten)]
        db: DbArg,
        name: String,
        #[arg(
            env = "COALESCE_PEER_CREDENTIAL",
            hide_env_values = true,
            allow_hyphen_values = true
        )]
        credential: Option<String>,
    },
    /// How pulling from each peer goes: position, lag, last success and
    /// error, refused objects by reason.
    Status {
        #[command(flatten)]
        db: DbArg,
        /// One peer only.
        name: Option<String>,
    },
    /// Issue a new credential for a peer (printed once).
    Credential {
        #[command(flatten)]
        db: DbArg,
        name: String,
    },
}

fn line(p: &PeerOut) -> String {
    format!(
        "{:<16} {:<8} {:<7} {:<40} {}",
        p.name,
        p.member,
        if p.paused { "paused" } else { "active" },
        p.url,
        p.fingerprint
    )
}

/// A peer's pull status, one field per line.
fn status(p: &PeerOut) -> String {
    let s = &p.pull;
    let state = if p.paused {
        "paused"
    } else if !s.connected {
        "not connected (coalesce peer connect)"
    } else if s.last_error_at > s.last_success_at {
        "failing"
    } else if s.lag_records > 0 {
        "catching up"
    } else {
        "in step"
    };
    let refused = if s.refused.is_empty() {
        "none".to_string()
    } else {
        s.refused
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{name} ({member}, {url})\n  state         {state}\n  node          {node}\n  relay         {relay}\n  registry      {registry}\n  retired keys  {retired}\n  position      {cursor} of {high} (behind {lag} sequence numbers, {secs} s)\n  applied       {applied}\n  last success  {ok}\n  last error    {err}\n  refused       {refused}\n",
        name = p.name,
        member = p.member,
        url = p.url,
        node = s.node_id.as_deref().unwrap_or("-"),
        relay = if p.relay { "on" } else { "off" },
        registry = if p.registry_source {
            "applied from this peer (the secretariat's node)"
        } else {
            "-"
        },
        retired = p.retired_keys.len(),
        cursor = s.cursor,
        high = s.peer_high,
        lag = s.lag_records,
        secs = s.lag_seconds,
        applied = s.applied,
        ok = s.last_success_at.as_deref().unwrap_or("never"),
        err = match (&s.last_error, &s.last_error_at) {
            (Some(e), Some(at)) => format!("{at}: {e}"),
            _ => "none".into(),
        },
    )
}

fn problem(e: coalesce_api::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.detail)
}

pub(crate) async fn run(cmd: PeerCommand) -> Result<()> {
    match cmd {
        PeerCommand::Add {
            db,
            name,
            url,
            member,
            key,
            unsigned_import,
        } => {
            let store = crate::open(&db).await?;
            let added = add_peer(
                &store,
                None,
                &PeerIn {
                    name,
                    url,
                    member,
                    key: key.unwrap_or_default(),
                    unsigned_import,
                },
            )
            .await
            .map_err(problem)?;
            println!("{}", line(&added.peer));
            println!(
                "credential for {} (shown once; give it to the peer's operator): {}",
                added.peer.name, added.credential
            );
        }
        PeerCommand::Set {
            db,
            name,
            url,
            key,
            relay,
            registry_source,
        } => {
            if url.is_none() && key.is_none() && relay.is_none() && registry_source.is_none() {
                anyhow::bail!("nothing to change: give --url, --key, --relay or --registry-source");
            }
            let store = crate::open(&db).await?;
            let p = change_peer(
                &store,
                None,
                &name,
                &PeerChangeIn {
                    url,
                    key,
                    relay: relay.map(|r| r == "on"),
                    registry_source: registry_source.map(|r| r == "on"),
                },
            )
            .await
            .map_err(problem)?;
            println!("{}", line(&p));
            if p.relay {
                println!(
                    "relay on: CLEAR and GREEN records of other nodes go to and come from {name}"
                );
            }
        }
        PeerCommand::List { db } => {
            let store = crate::open(&db).await?;
            for p in store.peers().await? {
                println!("{}", line(&p.into()));
            }
        }
        PeerCommand::Remove { db, name } => {
            let store = crate::open(&db).await?;
            store.remove_peer(None, &name).await?;
            println!("peer {name} removed: it is served nothing more");
        }
        PeerCommand::Pause { db, name } => {
            let store = crate::open(&db).await?;
            let p = store.set_peer_paused(None, &name, true).await?;
            println!("{}", line(&p.into()));
        }
        PeerCommand::Resume { db, name } => {
            let store = crate::open(&db).await?;
            let p = store.set_peer_paused(None, &name, false).await?;
            println!("{}", line(&p.into()));
            println!("its credential was revoked when paused: issue one with `coalesce peer credential {name}`");
        }
        PeerCommand::Connect {
            db,
            name,
            credential,
        } => {
            let credential = match credential {
                Some(c) => c,
                None => {
                    eprintln!("credential (one line on stdin):");
                    let mut line = String::new();
                    std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)?;
                    line.trim().to_string()
                }
            };
            let store = crate::open(&db).await?;
            store.set_peer_credential(None, &name, &credential).await?;
            println!("peer {name} connected: a running node pulls from it within seconds");
        }
        PeerCommand::Status { db, name } => {
            let store = crate::open(&db).await?;
            let peers = match name {
                Some(n) => vec![store.peer(&n).await?],
                None => store.peers().await?,
            };
            for p in peers {
                print!("{}", status(&p.into()));
            }
        }
        PeerCommand::Credential { db, name } => {
            let store = crate::open(&db).await?;
            let peer = store.peer(&name).await?;
            if peer.paused {
                anyhow::bail!("peer {name} is paused: resume it first");
            }
            let principal = store
                .principal_for_username(&peer.username)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the user of peer {name} is missing"))?;
            let token = store.create_token(&principal, "api", None).await?;
            println!("credential for {name} (shown once): {token}");
        }
    }
    Ok(())
}
