//! `coalesce member add|list` (issue 15): the registry's members, managed
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
    /// List the registry's members.
    List {
        #[command(flatten)]
        db: DbArg,
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
            for m in crate::open(&db).await?.list_members().await? {
                println!("{:<8} {}", m.code, m.name);
            }
            Ok(())
        }
    }
}
