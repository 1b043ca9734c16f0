//! `coalesce node show|rotate-key` and the node's key file (issue 15).
//!
//! The private key is a file of mode 0600: beside a SQLite database
//! (`<database>.node-key`), or in the configuration directory for
//! PostgreSQL (`$XDG_CONFIG_HOME/coalesce/<node id>.node-key`), unless
//! `--node-key` names it. It is made on the node's first start; rotating
//! writes a new one and keeps the old public key in the database, so what
//! it signed still verifies.

use crate::DbArg;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use coalesce_federation::NodeKey;
use coalesce_store::Store;
use std::path::{Path, PathBuf};

#[derive(Args, Clone)]
pub(crate) struct KeyArg {
    /// The node's private key file (default: beside a SQLite database, or
    /// $XDG_CONFIG_HOME/coalesce/<node id>.node-key for PostgreSQL).
    #[arg(long, env = "COALESCE_NODE_KEY")]
    pub node_key: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum NodeCommand {
    /// The node's id, the member it speaks for and its key's fingerprint.
    Show {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        key: KeyArg,
    },
    /// Set up a fresh node: the member it speaks for (added to the registry
    /// if it is not there), and whether that member runs the secretariat.
    Init {
        #[command(flatten)]
        db: DbArg,
        /// The member's code (ISO 3166-1 alpha-3 for a state).
        #[arg(long)]
        member: String,
        /// The member's name, when it is not in the registry yet.
        #[arg(long)]
        name: Option<String>,
        /// state or organisation.
        #[arg(long, default_value = "state")]
        kind: String,
        /// This node's member runs the coalition's secretariat.
        #[arg(long)]
        secretariat: bool,
    },
    /// Make a new key; the old public key is kept to verify what it signed.
    RotateKey {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        key: KeyArg,
    },
}

/// Where the node's key file is.
pub(crate) async fn key_path(store: &Store, database: &str, key: &KeyArg) -> Result<PathBuf> {
    if let Some(p) = &key.node_key {
        return Ok(p.clone());
    }
    if let Some(path) = database.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        return Ok(PathBuf::from(format!("{path}.node-key")));
    }
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .context("no --node-key, and neither XDG_CONFIG_HOME nor HOME to put the key in")?;
    Ok(dir
        .join("coalesce")
        .join(format!("{}.node-key", store.node_id().await?)))
}

/// Writes a new key file, readable by its owner only, never over another.
fn write_key(path: &Path, key: &NodeKey) -> Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot create the node key {}", path.display()))?;
    f.write_all(key.to_file_text().as_bytes())?;
    f.sync_all()?;
    Ok(())
}

pub(crate) fn read_key(path: &Path) -> Result<NodeKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "the node key {} is readable by others (mode {mode:o}): chmod 600 it",
                path.display()
            );
        }
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the node key {}", path.display()))?;
    NodeKey::from_file_text(&text).with_context(|| path.display().to_string())
}

fn new_key() -> NodeKey {
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    NodeKey::from_seed(seed)
}

/// The node's key, read from its file or made on the first start, held by
/// the store (`Store::set_node_key`: recorded as the node's current key,
/// and what every version written from now on is signed with). Returns
/// its public half.
pub(crate) async fn load_or_create(
    store: &Store,
    database: &str,
    key: &KeyArg,
) -> Result<coalesce_federation::PublicKey> {
    let path = key_path(store, database, key).await?;
    let node_key = if path.exists() {
        read_key(&path)?
    } else {
        let k = new_key();
        write_key(&path, &k)?;
        eprintln!("node key made: {}", path.display());
        k
    };
    let public = node_key.public();
    store
        .set_node_key(node_key)
        .await
        .with_context(|| format!("the node key {}", path.display()))?;
    Ok(public)
}

pub(crate) async fn run(cmd: NodeCommand) -> Result<()> {
    match cmd {
        NodeCommand::Show { db, key } => {
            let store = crate::open(&db).await?;
            let k = load_or_create(&store, &db.database, &key).await?;
            println!("node     {}", store.node_id().await?);
            println!(
                "member   {}",
                store.node_member().await?.unwrap_or_else(|| "-".into())
            );
            println!("key      {}", k.to_text());
            println!("print    {}", k.fingerprint());
            for old in store
                .node_keys()
                .await?
                .iter()
                .filter(|r| r.retired_at_ms.is_some())
            {
                let fp = coalesce_federation::fingerprint_of(&old.public_key).unwrap_or_default();
                println!("retired  {} {fp}", old.public_key);
            }
        }
        NodeCommand::Init {
            db,
            member,
            name,
            kind,
            secretariat,
        } => {
            let store = crate::open(&db).await?;
            let code = coalesce_domain::MemberCode::parse(&member)?;
            if store.get_member(code.as_str()).await.is_err() {
                let name = name.context("the member is not in the registry: give its --name")?;
                crate::registry::add_member(&store, code.as_str(), &name, &kind, "member").await?;
            }
            store.set_setting("node_member", code.as_str()).await?;
            if secretariat {
                store.set_setting("secretariat", code.as_str()).await?;
            }
            println!(
                "node {} speaks for {code}{}",
                store.node_id().await?,
                if secretariat { ", the secretariat" } else { "" }
            );
        }
        NodeCommand::RotateKey { db, key } => {
            let store = crate::open(&db).await?;
            let path = key_path(&store, &db.database, &key).await?;
            let old = if path.exists() {
                Some(read_key(&path)?)
            } else {
                None
            };
            let fresh = new_key();
            // The new key is written beside the old one first, so a crash
            // leaves one usable key file.
            let next = path.with_extension("node-key.new");
            let _ = std::fs::remove_file(&next);
            write_key(&next, &fresh)?;
            store.register_node_key(&fresh.public().to_text()).await?;
            std::fs::rename(&next, &path)
                .with_context(|| format!("cannot put the new key at {}", path.display()))?;
            if let Some(o) = old {
                println!("retired  {}", o.public().fingerprint());
            }
            println!("current  {}", fresh.public().fingerprint());
        }
    }
    Ok(())
}
