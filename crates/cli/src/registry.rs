//! `coalesce member add|list|host` (issue 15): the registry's members, managed
//! as the node itself — what a fresh node needs before its first user.

use crate::DbArg;
use anyhow::Result;
use clap::Subcommand;
use coalesce_domain::registry::NewMember;
use coalesce_store::Store;

#[derive(Subcommand)]
pub(crate) enum MemberCommand {
    /// Add a member to the registry.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Its code (ISO 3166-1 alpha-3 for a state, e.g. GBR).
        code: String,
        /// Its name.
        name: String,
        /// state or organisation.
        #[arg(long, default_value = "state")]
        kind: String,
        /// member or partner.
        #[arg(long, default_value = "member")]
        role: String,
    },
    /// List the registry's members, with the node hosting each.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Say which node hosts a member's users (an audited registry change,
    /// the secretariat's: its node serves the registry to the others).
    Host {
        #[command(flatten)]
        db: DbArg,
        /// The member's code.
        code: String,
        /// The peer whose node hosts it (its node id learned by pulling).
        #[arg(long, conflicts_with_all = ["node", "here"])]
        peer: Option<String>,
        /// The id of the node hosting it.
        #[arg(long, conflicts_with = "here")]
        node: Option<String>,
        /// This node hosts it.
        #[arg(long)]
        here: bool,
    },
}

pub(crate) async fn add_member(
    store: &Store,
    code: &str,
    name: &str,
    kind: &str,
    role: &str,
) -> Result<()> {
    let m = NewMember::parse(code, name, kind, role, None)?;
    let added = store.create_member(None, &m).await?;
    println!("added {} ({}, {})", added.code, added.name, m.kind.as_str());
    Ok(())
}

pub(crate) async fn run(cmd: MemberCommand) -> Result<()> {
    match cmd {
        MemberCommand::Add {
            db,
            code,
            name,
            kind,
            role,
        } => add_member(&crate::open(&db).await?, &code, &name, &kind, &role).await,
        MemberCommand::List { db } => {
            let store = crate::open(&db).await?;
            let homes = store.home_nodes().await?;
            for m in store.list_members().await? {
                let home = homes.get(&m.code).map_or("this node", String::as_str);
                println!("{:<8} {:<40} {home}", m.code, m.name);
            }
            Ok(())
        }
        MemberCommand::Host {
            db,
            code,
            peer,
            node,
            here,
        } => {
            let store = crate::open(&db).await?;
            let code = coalesce_domain::MemberCode::parse(&code)?;
            let node = match (peer, node, here) {
                (Some(p), _, _) => Some(store.peer(&p).await?.pull.node_id.ok_or_else(|| {
                    anyhow::anyhow!("peer {p}'s node id is not known yet: it is learned when this node pulls from it (coalesce peer connect), or give --node")
                })?),
                (None, Some(n), _) => Some(n),
                (None, None, true) => None,
                (None, None, false) => anyhow::bail!("say which node hosts {code}: --peer, --node or --here"),
            };
            store.set_home_node(None, &code, node.as_deref()).await?;
            println!(
                "{code} is hosted by {}",
                node.as_deref().unwrap_or("this node")
            );
            Ok(())
        }
    }
}
