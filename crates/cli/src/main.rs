//! `coalesce`: the node's one binary. This crate only wires things together —
//! command-line parsing, configuration, logging, the HTTP server — and turns
//! errors into one line on stderr and a non-zero exit.

mod backup;
mod demo;
mod demo_fund;
mod demo_meetings;
mod demo_needs;
mod demo_nodes;
mod demo_sources;
mod doctor;
mod fund;
mod meetings;
mod node;
mod peer;
mod pull;
mod registry;
mod report;
mod server;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use coalesce_store::Store;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "coalesce",
    version,
    about = "Coordination and information sharing of a multinational coalition"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub(crate) struct DbArg {
    /// Database URL: sqlite://PATH (default sqlite://coalesce.db) or postgres://USER@HOST/DB
    #[arg(
        long,
        env = "COALESCE_DATABASE",
        default_value = "sqlite://coalesce.db"
    )]
    database: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, TAXII and web interface.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "COALESCE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        db: DbArg,
        /// Mark cookies Secure (set when a TLS proxy is in front).
        #[arg(long)]
        secure_cookies: bool,
        /// Sanctions lists to screen against: a UN XML file, an OFAC sdn.csv, or a
        /// directory of them (repeatable). The environment variable holds one path.
        #[arg(long = "sanctions", env = "COALESCE_SANCTIONS")]
        sanctions: Vec<PathBuf>,
        /// Serve a database made by `coalesce demo` (its demo logins share one
        /// printed password; refused without this flag).
        #[arg(long)]
        allow_demo_database: bool,
        /// The largest STIX bundle or TAXII envelope accepted, in bytes (413 beyond).
        #[arg(long, env = "COALESCE_STIX_LIMIT", default_value_t = coalesce_api::STIX_LIMIT)]
        stix_limit: usize,
        /// The most compatible offer-requirement pairs an allocation run
        /// takes (422 `too_large` beyond): its memory and time grow with them.
        #[arg(long, env = "COALESCE_ALLOCATION_MAX_PAIRS", default_value_t = coalesce_api::allocation::DEFAULT_MAX_PAIRS)]
        allocation_max_pairs: usize,
        /// How long a read of AMBER or RED records waits for its audit entry
        /// to be durable before it is answered anyway, in milliseconds, while
        /// a long write (an import) holds the database; the entry is then
        /// written as soon as the writer is free (a node killed meanwhile
        /// loses it). 0: every read waits until its entry is durable.
        #[arg(long, env = "COALESCE_READ_AUDIT_WAIT_MS", default_value_t = 20)]
        read_audit_wait_ms: u64,
        /// A reverse proxy whose X-Forwarded-For names the client (repeatable):
        /// login limiting and the audit log then count the forwarded address.
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// The node's own URL as users and peers reach it (default:
        /// http://LISTEN). TAXII discovery and calendar links name it; a
        /// request's Host header never does.
        #[arg(long, env = "COALESCE_PUBLIC_URL")]
        public_url: Option<String>,
        #[command(flatten)]
        node_key: node::KeyArg,
        /// Seconds between pulls from each peer when it does not poke this
        /// node (jittered by half either way).
        #[arg(long, env = "COALESCE_PULL_INTERVAL", default_value_t = crate::pull::POLL.as_secs_f64())]
        pull_interval: f64,
        /// Seconds a peer may take to answer before the pull counts as failed.
        #[arg(long, env = "COALESCE_PEER_TIMEOUT", default_value_t = crate::pull::TIMEOUT.as_secs_f64())]
        peer_timeout: f64,
        /// The largest page accepted from a peer, in bytes (a larger one is
        /// refused and smaller pages asked for).
        #[arg(long, env = "COALESCE_MAX_PAGE_BYTES", default_value_t = crate::pull::MAX_PAGE_BYTES)]
        max_page_bytes: usize,
        /// Seconds a client has to send a request's head (an idle
        /// keep-alive connection is closed after as long).
        #[arg(long, env = "COALESCE_HEADER_TIMEOUT", default_value_t = 30.0)]
        header_timeout: f64,
        /// Seconds a whole request may take, body and answer (408 beyond).
        #[arg(long, env = "COALESCE_REQUEST_TIMEOUT", default_value_t = 300.0)]
        request_timeout: f64,
        /// Seconds the requests in flight have to finish after SIGTERM.
        #[arg(long, env = "COALESCE_SHUTDOWN_TIMEOUT", default_value_t = 30.0)]
        shutdown_timeout: f64,
        /// Back the database up into this directory on a schedule
        /// (`coalesce-backup-<UTC time>.db`, or `.pgdump` with PostgreSQL).
        #[arg(long, env = "COALESCE_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// Hours between scheduled backups.
        #[arg(long, env = "COALESCE_BACKUP_EVERY", default_value_t = 24.0)]
        backup_every: f64,
        /// Scheduled backups kept (the oldest beyond are removed).
        #[arg(long, env = "COALESCE_BACKUP_KEEP", default_value_t = 7)]
        backup_keep: usize,
        /// Days a record about a person (a person, a report about people) is
        /// kept when its writer names no day; the node purges its personal
        /// data the day after (checked at start and every hour).
        #[arg(long, env = "COALESCE_RETENTION_DAYS", default_value_t = coalesce_domain::personal::DEFAULT_RETENTION_DAYS)]
        retention_days: u32,
    },
    /// Purge now the personal data whose retention period ended (what a
    /// serving node does at start and every hour): persons and reports about
    /// people of this node's members, every version of them; peers purge
    /// their copies when they pull the purged versions.
    Purge {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write a consistent backup of the database while the node serves
    /// (SQLite: a copy of the database file; PostgreSQL: a pg_dump archive).
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The backup file to write (never written over).
        #[arg(long)]
        output: PathBuf,
    },
    /// Check the node: database integrity and schema, the audit chain, file
    /// permissions of the database and the node key, free disk, peers.
    /// Prints what to fix; exit 1 when a check fails.
    Doctor {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        key: node::KeyArg,
    },
    /// Restore a backup into a new database, bring its schema up to date
    /// and verify its audit chain (exit 1 if broken).
    Restore {
        /// The file `coalesce backup` wrote.
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Replace what the target holds (stop the node first).
        #[arg(long)]
        force: bool,
    },
    /// Start a node on a fresh database holding the coalition of the seed documents.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Database URL (default: a new SQLite file in the temp directory). Must be empty.
        #[arg(long)]
        database: Option<String>,
        /// Load the scenario and exit instead of serving.
        #[arg(long)]
        no_serve: bool,
        /// Sanctions lists (file or directory, repeatable); default
        /// ../shared/data/sanctions if it exists. Missing lists never stop the demo.
        #[arg(long = "sanctions", env = "COALESCE_SANCTIONS")]
        sanctions: Vec<PathBuf>,
        /// The node's own URL (default: http://LISTEN).
        #[arg(long, env = "COALESCE_PUBLIC_URL")]
        public_url: Option<String>,
        /// 3: the secretariat's node, the United Kingdom's and Iraq's, on
        /// LISTEN's port and the two after it, peered and pulling from each
        /// other (the registry and the notes; each note on its member's node).
        #[arg(long, default_value_t = 1)]
        nodes: u8,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// The node's identity: its id, member and signing key.
    #[command(subcommand)]
    Node(node::NodeCommand),
    /// The registry's members (a fresh node needs its members before users).
    #[command(subcommand)]
    Member(registry::MemberCommand),
    /// The peer nodes this node exchanges records with.
    #[command(subcommand)]
    Peer(peer::PeerCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The stabilisation fund's ledger: operations, exchange rates, verify, report.
    #[command(subcommand)]
    Fund(Box<fund::FundCommand>),
    /// Meetings: list, show, carry-over, statements in Akoma Ntoso, calendars, reminders.
    #[command(subcommand)]
    Meetings(Box<meetings::MeetingsCommand>),
    /// Commitments made at meetings: the board, overdue first.
    #[command(subcommand)]
    Commitments(Box<meetings::CommitmentsCommand>),
    /// The plenary report for a member: PDF or HTML, over what it may read.
    #[command(subcommand)]
    Report(Box<report::ReportCommand>),
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Solve an allocation problem (DIMACS minimum-cost flow).
    Allocate {
        /// A DIMACS min-cost-flow file (`p min`, `n`, `a` lines); prints `s` and `f` lines.
        #[arg(long)]
        dimacs: PathBuf,
    },
    /// Screen names against sanctions lists.
    Screen(ScreenArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from stdin (one line) or COALESCE_PASSWORD.
    Add {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
        /// Member code the user belongs to (e.g. GBR).
        #[arg(long)]
        member: String,
        /// viewer, contributor, coordinator or admin
        #[arg(long, default_value = "contributor")]
        role: String,
    },
    /// List users.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Disable a user and end its sessions.
    Disable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Enable a disabled user.
    Enable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Give a user a grant beside its role: `fund_manager` records the
    /// operations of its member's funds and adds exchange rates.
    Grant {
        #[command(flatten)]
        db: DbArg,
        username: String,
        /// fund_manager
        grant: String,
    },
    /// Take a grant back.
    Revoke {
        #[command(flatten)]
        db: DbArg,
        username: String,
        /// fund_manager
        grant: String,
    },
    /// Issue an API token for a user (printed once; stored only as a hash).
    Token {
        #[command(flatten)]
        db: DbArg,
        username: String,
        /// Days until it expires (default: never).
        #[arg(long)]
        days: Option<i64>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain: exit 0 if intact, 1 naming the first broken entry.
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct ScreenArgs {
    #[command(subcommand)]
    command: Option<ScreenCommand>,
    /// Sanctions list files or directories (UN XML, OFAC sdn.csv + alt.csv + add.csv).
    #[arg(long = "list", num_args = 1..)]
    lists: Vec<PathBuf>,
    /// Parties to screen: CSV with `name` and optional `birth_date`, `nationality`, `schema`, `id`; `-` reads standard input.
    #[arg(long)]
    input: Option<PathBuf>,
    /// Where to write hits (default: stdout).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Match threshold in [0,1].
    #[arg(long, default_value_t = coalesce_screen::DEFAULT_THRESHOLD)]
    threshold: f64,
}

#[derive(Subcommand)]
enum ScreenCommand {
    /// Score name pairs: reads CSV with `name1,name2` (optional `schema`), writes the rows plus `score` and `match`.
    Compare {
        /// The pairs CSV; `-` reads standard input.
        #[arg(long)]
        input: PathBuf,
        /// Default: stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // COALESCE_LOG picks what is logged (default `warn`; `info` adds the
    // access log), COALESCE_LOG_FORMAT=json one JSON object per line (with
    // the request's span: its id, method and route) for a log collector.
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env("COALESCE_LOG")
            .unwrap_or_else(|_| "warn".into())
    };
    if std::env::var("COALESCE_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init();
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("error: {}", coalesce_store::one_line(&msg));
            ExitCode::FAILURE
        }
    }
}

/// The node's public URL: the one given, else `http://LISTEN`; checked
/// before anything is opened or written.
pub(crate) fn public_url_of(listen: &str, given: Option<String>) -> Result<String> {
    let url = given.unwrap_or_else(|| format!("http://{listen}"));
    coalesce_api::parse_public_url(&url).map_err(anyhow::Error::msg)
}

pub(crate) async fn open(db: &DbArg) -> Result<Store> {
    Store::open(&db.database)
        .await
        .with_context(|| format!("cannot open database {}", redact(&db.database)))
}

/// Database URLs may carry a password; never print it.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve {
            listen,
            db,
            secure_cookies,
            sanctions,
            allow_demo_database,
            stix_limit,
            allocation_max_pairs,
            read_audit_wait_ms,
            trusted_proxies,
            public_url,
            node_key,
            pull_interval,
            peer_timeout,
            max_page_bytes,
            header_timeout,
            request_timeout,
            shutdown_timeout,
            backup_dir,
            backup_every,
            backup_keep,
            retention_days,
        } => {
            if !(1..=coalesce_domain::personal::MAX_RETENTION_DAYS).contains(&retention_days) {
                bail!(
                    "--retention-days is days between 1 and {}",
                    coalesce_domain::personal::MAX_RETENTION_DAYS
                );
            }
            if !(0.05..=86_400.0).contains(&pull_interval) {
                bail!("--pull-interval is seconds between 0.05 and 86400");
            }
            if !(0.1..=3_600.0).contains(&peer_timeout) {
                bail!("--peer-timeout is seconds between 0.1 and 3600");
            }
            if max_page_bytes < 4_096 {
                bail!("--max-page-bytes is at least 4096");
            }
            for (flag, v) in [
                ("--header-timeout", header_timeout),
                ("--request-timeout", request_timeout),
                ("--shutdown-timeout", shutdown_timeout),
            ] {
                if !(0.1..=86_400.0).contains(&v) {
                    bail!("{flag} is seconds between 0.1 and 86400");
                }
            }
            if !(0.0001..=8_760.0).contains(&backup_every) {
                bail!("--backup-every is hours between 0.0001 and 8760");
            }
            if backup_keep == 0 {
                bail!("--backup-keep is at least 1");
            }
            if let Some(dir) = &backup_dir {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!("cannot make the backup directory {}", dir.display())
                })?;
            }
            let store = open(&db).await?;
            // Demo logins exist only in demo mode.
            if store.setting("mode").await?.as_deref() == Some("demo") && !allow_demo_database {
                bail!("this database was made by `coalesce demo` and its demo logins share a printed password; run `coalesce demo` instead, or pass --allow-demo-database to serve it anyway");
            }
            let url = public_url_of(&listen, public_url)?;
            // The node's identity, made on its first start: every version
            // written from now on is signed with it.
            let key = node::load_or_create(&store, &db.database, &node_key).await?;
            println!("node key {}", key.fingerprint());
            let mut state = coalesce_api::AppState::new(store)
                .with_public_url(&url)
                .map_err(anyhow::Error::msg)?;
            state.secure_cookies = secure_cookies;
            state.stix_limit = stix_limit;
            state.allocation_max_pairs = allocation_max_pairs;
            state.store.set_read_audit_wait(
                (read_audit_wait_ms > 0)
                    .then(|| std::time::Duration::from_millis(read_audit_wait_ms)),
            );
            state.trusted_proxies = std::sync::Arc::new(trusted_proxies);
            if !sanctions.is_empty() {
                let screener = load_sanctions(&sanctions).await?;
                println!("{}", record_sanctions(&state.store, &screener).await?);
                spawn_rescreen(&state, screener.clone());
                state = state.with_screener(screener);
            }
            state.store.set_retention_days(retention_days);
            let interrupted =
                coalesce_api::taxii::complete_interrupted_additions(&state.store).await?;
            if interrupted > 0 {
                println!("{interrupted} TAXII additions were interrupted by the last stop; their status resources say so");
            }
            tokio::spawn(scheduled_purge(state.store.clone()));
            if let Some(dir) = backup_dir {
                tokio::spawn(backup::scheduled(
                    state.store.clone(),
                    db.database.clone(),
                    backup::Schedule {
                        dir,
                        every: std::time::Duration::from_secs_f64(backup_every * 3_600.0),
                        keep: backup_keep,
                    },
                ));
            }
            server::serve(
                &listen,
                state,
                None,
                crate::pull::PullConfig {
                    poll: std::time::Duration::from_secs_f64(pull_interval),
                    timeout: std::time::Duration::from_secs_f64(peer_timeout),
                    max_page_bytes,
                },
                server::Limits {
                    header_read: std::time::Duration::from_secs_f64(header_timeout),
                    request: std::time::Duration::from_secs_f64(request_timeout),
                    shutdown: std::time::Duration::from_secs_f64(shutdown_timeout),
                },
            )
            .await?;
        }
        Command::Demo {
            listen,
            database,
            no_serve,
            sanctions,
            public_url,
            nodes,
        } => {
            demo_nodes::check(nodes, database.is_some(), no_serve, public_url.is_some())?;
            if nodes == 3 {
                demo_nodes::run(&listen).await?
            } else {
                demo::run(&listen, database, no_serve, sanctions, public_url).await?
            }
        }
        Command::User(cmd) => user(cmd).await?,
        Command::Node(cmd) => node::run(cmd).await?,
        Command::Peer(cmd) => peer::run(cmd).await?,
        Command::Member(cmd) => registry::run(cmd).await?,
        Command::Fund(cmd) => return fund::run(*cmd).await,
        Command::Meetings(cmd) => return meetings::run_meetings(*cmd).await,
        Command::Report(cmd) => return report::run(*cmd).await,
        Command::Commitments(cmd) => return meetings::run_commitments(*cmd).await,
        Command::Audit(AuditCommand::Verify { db }) => {
            let store = open(&db).await?;
            match store.verify_audit().await? {
                Ok(n) => println!("audit log intact: {n} entries verified"),
                Err(b) => {
                    eprintln!("audit log broken at entry {}: {}", b.seq, b.reason);
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Backup { db, output } => return backup::run_backup(&db, &output).await,
        Command::Purge { db } => {
            let store = open(&db).await?;
            let run = store.purge_due(&coalesce_store::records::today()).await?;
            for p in &run.purged {
                println!("purged {} {} (version {})", p.kind, p.id, p.version);
            }
            println!("{}", purge_summary(&run));
            if !run.failed.is_empty() {
                bail!(
                    "{} records could not be purged (see above)",
                    run.failed.len()
                );
            }
        }
        Command::Doctor { db, key } => return doctor::run(&db, &key).await,
        Command::Restore { file, db, force } => {
            return backup::run_restore(&file, &db, force).await
        }
        Command::Openapi => println!("{}", coalesce_api::openapi_json()),
        Command::Allocate { dimacs } => {
            let text = std::fs::read_to_string(&dimacs)
                .with_context(|| format!("cannot read {}", dimacs.display()))?;
            let out = coalesce_allocate::solve_dimacs(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dimacs.display()))?;
            std::io::stdout().write_all(out.as_bytes())?;
        }
        Command::Screen(args) => screen(args)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads and indexes sanctions lists (off the async workers: parsing and
/// indexing take a few seconds for the full UN and OFAC lists).
pub(crate) async fn load_sanctions(
    paths: &[PathBuf],
) -> Result<std::sync::Arc<coalesce_screen::Screener>> {
    let paths = paths.to_vec();
    tokio::task::spawn_blocking(move || -> Result<_> {
        let mut lists = Vec::new();
        for p in &paths {
            lists.extend(
                coalesce_screen::io::load_path(p)
                    .map_err(|e| anyhow::anyhow!("sanctions list {}: {e}", p.display()))?,
            );
        }
        Ok(std::sync::Arc::new(coalesce_screen::Screener::new(lists)))
    })
    .await
    .context("loading sanctions lists failed")?
}

/// One line on what a purge did.
fn purge_summary(run: &coalesce_store::records::PurgeRun) -> String {
    let failed: String = run
        .failed
        .iter()
        .map(|(id, why)| format!("; cannot purge {id}: {why}"))
        .collect();
    if run.purged.is_empty() {
        return format!("no personal data was purged{failed}");
    }
    let of = |kind: &str| run.purged.iter().filter(|p| p.kind == kind).count();
    format!(
        "purged the personal data of {} reports and {} persons whose retention ended{failed}",
        of("report"),
        of("entity")
    )
}

/// Purges the personal data whose retention ended: at start, then every
/// hour (a day's end is never missed by more than that).
pub(crate) async fn scheduled_purge(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3_600));
    loop {
        tick.tick().await;
        match store.purge_due(&coalesce_store::records::today()).await {
            Ok(run) if !(run.purged.is_empty() && run.failed.is_empty()) => {
                println!("{}", purge_summary(&run))
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "the personal-data purge failed"),
        }
    }
}

/// Rescreens, as a node job, the parties of open records against what a
/// list update added or changed (a node stopped before it finished does it
/// at its next start); prints one line per list rescreened.
pub(crate) fn spawn_rescreen(
    state: &coalesce_api::AppState,
    screener: std::sync::Arc<coalesce_screen::Screener>,
) {
    let started = coalesce_api::screening::start_rescreen(
        &state.jobs,
        state.store.clone(),
        screener,
        |line| println!("{line}"),
    );
    if let Err(e) = started {
        tracing::error!(error = %e.detail, "rescreening after a list update did not start");
    }
}

/// Records the loaded list versions in the store; returns one line saying which.
pub(crate) async fn record_sanctions(
    store: &Store,
    screener: &coalesce_screen::Screener,
) -> Result<String> {
    let recorded = coalesce_api::screening::record_versions(store, screener).await?;
    let parts: Vec<String> = recorded
        .iter()
        .map(|r| {
            let v = &r.version;
            let status = match (&r.diff, r.new) {
                (Some(d), _) => format!(
                    ", new version: {} added, {} removed, {} changed since {}",
                    d.added.len(),
                    d.removed.len(),
                    d.changed.len(),
                    d.previous
                        .published
                        .as_deref()
                        .unwrap_or("the previous version")
                ),
                (None, true) => ", new version".to_string(),
                (None, false) => String::new(),
            };
            format!(
                "{} {} ({} entries, sha256 {}{status})",
                v.source,
                v.published.as_deref().unwrap_or("undated"),
                v.entries,
                v.content_hash.get(..12).unwrap_or(&v.content_hash),
            )
        })
        .collect();
    Ok(format!("sanctions lists: {}", parts.join("; ")))
}

async fn user(cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            db,
            username,
            member,
            role,
        } => {
            let password = match std::env::var("COALESCE_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("password (one line on stdin):");
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            let store = open(&db).await?;
            let u = store
                .create_user(None, &username, &member, &role, &password)
                .await?;
            println!("added {} ({}, {})", u.username, u.member, u.role);
        }
        UserCommand::List { db } => {
            let store = open(&db).await?;
            println!("{:<24} {:<14} {:<12} status", "username", "member", "role");
            for u in store.list_users().await? {
                println!(
                    "{:<24} {:<14} {:<12} {}",
                    u.username,
                    u.member,
                    u.role,
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
        UserCommand::Disable { db, username } => {
            let store = open(&db).await?;
            store
                .set_user_disabled(None, &username, true)
                .await
                .map_err(|e| not_found_as(e, &username))?;
            println!("disabled {username}");
        }
        UserCommand::Enable { db, username } => {
            let store = open(&db).await?;
            store
                .set_user_disabled(None, &username, false)
                .await
                .map_err(|e| not_found_as(e, &username))?;
            println!("enabled {username}");
        }
        UserCommand::Grant {
            db,
            username,
            grant,
        }
        | UserCommand::Revoke {
            db,
            username,
            grant,
        } if grant != "fund_manager" => {
            let _ = (db, username);
            bail!("unknown grant {grant:?}: fund_manager");
        }
        UserCommand::Grant { db, username, .. } => {
            let store = open(&db).await?;
            match store.grant_fund_manager(&username, true).await {
                Err(coalesce_store::StoreError::NotFound) => bail!("no user {username}"),
                r => r?,
            }
            println!("{username} is a fund manager");
        }
        UserCommand::Revoke { db, username, .. } => {
            let store = open(&db).await?;
            match store.grant_fund_manager(&username, false).await {
                Err(coalesce_store::StoreError::NotFound) => bail!("no user {username}"),
                r => r?,
            }
            println!("{username} is no longer a fund manager");
        }
        UserCommand::Token { db, username, days } => {
            let store = open(&db).await?;
            let users = store.list_users().await?;
            let u = users
                .iter()
                .find(|u| u.username == username)
                .ok_or_else(|| anyhow::anyhow!("no user {username}"))?;
            if u.disabled {
                bail!("user {username} is disabled");
            }
            let p = coalesce_store::Principal {
                user_id: u.id.clone(),
                username: coalesce_domain::Username::parse(&u.username)?,
                member: coalesce_domain::MemberCode::parse(&u.member)?,
                role: coalesce_domain::Role::parse(&u.role)?,
            };
            let token = store
                .create_token(&p, "api", days.map(|d| d * 24 * 3600 * 1000))
                .await?;
            println!("{token}");
        }
    }
    Ok(())
}

fn not_found_as(e: coalesce_store::StoreError, username: &str) -> anyhow::Error {
    match e {
        coalesce_store::StoreError::NotFound => anyhow::anyhow!("no user {username}"),
        other => other.into(),
    }
}

/// Runs `work` writing to `output` (stdout when None). A file is written
/// under a temporary name and renamed only on success, so a run stopped by a
/// bad row leaves no half-written result behind.
fn write_output<T>(
    output: &Option<PathBuf>,
    work: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let v = work(&mut out)?;
            out.flush()?;
            Ok(v)
        }
        Some(path) => {
            let mut tmp = path.clone().into_os_string();
            tmp.push(".partial");
            let tmp = PathBuf::from(tmp);
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let result = work(&mut out).and_then(|v| {
                out.flush()?;
                Ok(v)
            });
            drop(out);
            match result {
                Ok(v) => {
                    std::fs::rename(&tmp, path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Ok(v)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        }
    }
}

/// The bytes of an input file, or of standard input for `-`.
fn read_input(input: &std::path::Path) -> Result<Vec<u8>> {
    if input.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .context("cannot read standard input")?;
        Ok(buf)
    } else {
        std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))
    }
}

fn screen(args: ScreenArgs) -> Result<()> {
    if let Some(ScreenCommand::Compare { input, output }) = args.command {
        let text = read_input(&input)?;
        let n = write_output(&output, |out| {
            coalesce_screen::compare_csv(text.as_slice(), out)
                .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))
        })?;
        eprintln!("{n} pairs scored");
        return Ok(());
    }
    let Some(input) = args.input else {
        bail!("--input PARTIES.csv is required (or use `coalesce screen compare`)")
    };
    if args.lists.is_empty() {
        bail!("at least one --list FILE_OR_DIR is required");
    }
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    let mut lists = vec![];
    for l in &args.lists {
        lists.extend(
            // Errors already name the file and line.
            coalesce_screen::io::load_path(l).map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    let names: usize = lists.iter().map(|l| l.entities.len()).sum();
    let screener = coalesce_screen::Screener::new(lists);
    let text = read_input(&input)?;
    let rows = text
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1) as u64;
    let bar = indicatif::ProgressBar::new(rows.max(1));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} parties ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut progress = |done: u64| bar.set_position(done);
    let summary = write_output(&args.output, |out| {
        // threads 0: every core; output order follows the input.
        coalesce_screen::screen_csv_parallel(
            &screener,
            text.as_slice(),
            out,
            args.threshold,
            0,
            &mut progress,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))
    })?;
    bar.finish_and_clear();
    eprintln!(
        "{} parties screened against {names} listed entries: {} hits",
        summary.rows, summary.hits
    );
    Ok(())
}
