//! `coalesce fund …`: the stabilisation fund's ledger from the command line,
//! acting as the node itself (audited as such): record operations one at a
//! time or from a JSON file (with a progress bar), import exchange rates
//! from HXL CSV, verify every ledger, report a fund's status table.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use coalesce_api::wire::MarkingWire;
use coalesce_api::wire_fund::{
    operations_from_csv, rates_from_csv, status_to_csv, OperationIn, StatusTable, TransferOut,
};
use coalesce_store::fund::FundOperation;
use coalesce_store::StoreError;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct FundArg {
    /// The fund's record id (see `coalesce fund list`).
    #[arg(long)]
    fund: String,
}

/// What one operation names; each operation takes the fields it needs.
#[derive(Args, Clone, Default)]
pub struct OpArgs {
    /// The transfer's id (made when absent).
    #[arg(long)]
    id: Option<String>,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// Decimal in major units (7000000.00).
    #[arg(long)]
    amount: Option<String>,
    /// ISO 4217 code.
    #[arg(long)]
    currency: Option<String>,
    /// The donor's code (pledge).
    #[arg(long)]
    donor: Option<String>,
    /// The pledge's transfer id (commit, void, deposit).
    #[arg(long)]
    pledge: Option<String>,
    /// The window's code (allocate, approve).
    #[arg(long)]
    window: Option<String>,
    /// The project's code (approve, disburse, expend).
    #[arg(long)]
    project: Option<String>,
    /// The participating organisation's code (disburse, expend, refund).
    #[arg(long)]
    organisation: Option<String>,
    /// The transfer to reverse (reverse).
    #[arg(long)]
    transfer: Option<String>,
    /// TLP of a pledge marked apart from the fund (CLEAR, GREEN, AMBER …).
    #[arg(long)]
    tlp: Option<String>,
    /// REL TO tokens of a marked pledge (repeatable: GBR, GROUP:small-group).
    #[arg(long = "rel-to")]
    rel_to: Vec<String>,
}

#[derive(Subcommand)]
pub enum FundCommand {
    /// The funds held here.
    List {
        #[command(flatten)]
        db: crate::DbArg,
    },
    /// A donor's pledge (pending until committed or voided).
    Pledge {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// The signed commitment of a pledge (all of it unless --amount).
    Commit {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// A deposit against a commitment (the agent's fee is linked to it).
    Deposit {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// An allocation of unallocated cash to a window.
    Allocate {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// The approval of a project's budget from its window.
    Approve {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// A disbursement to a participating organisation for a project
    /// (its indirect costs are linked to it).
    Disburse {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// Expenditure reported by an organisation on a project.
    Expend {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// Void a pledge still pending (--pledge).
    Void {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// Interest earned on the fund's cash.
    Interest {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// A refund from a participating organisation to the fund.
    Refund {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// Reverse a posted transfer and what was linked to it (--transfer).
    Reverse {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        #[command(flatten)]
        op: OpArgs,
    },
    /// Record operations from a file — CSV with HXL hashtags (as `GET
    /// /api/v1/funds/{id}/operations.csv` gives them) or a JSON array (as
    /// `POST /api/v1/funds/{id}/operations` takes them) — in batches of
    /// 1,000, each all or nothing.
    Apply {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        /// The JSON file; `-` reads standard input.
        file: PathBuf,
    },
    /// Exchange rates.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Recompute every ledger from its transfers: exit 0 if every balance
    /// and the status table agree, 1 naming each disagreement.
    Verify {
        #[command(flatten)]
        db: crate::DbArg,
    },
    /// A fund's status table (everything the node holds), per currency and
    /// in the base currency.
    Report {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        fund: FundArg,
        /// CSV with HXL hashtags instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Subcommand)]
pub enum RatesCommand {
    /// Import rates from CSV with HXL hashtags (#currency+from,
    /// #currency+to, #date+effective, #value+rate, #meta+source), all or
    /// nothing.
    Import {
        #[command(flatten)]
        db: crate::DbArg,
        /// The CSV file; `-` reads standard input.
        file: PathBuf,
    },
    /// List the rates held.
    List {
        #[command(flatten)]
        db: crate::DbArg,
    },
}

fn read(path: &PathBuf) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

fn operation(name: &str, a: &OpArgs) -> Result<FundOperation> {
    let marking = a.tlp.as_ref().map(|t| MarkingWire {
        tlp: t.clone(),
        rel_to: a.rel_to.clone(),
    });
    let o = OperationIn {
        op: name.to_string(),
        id: a.id.clone(),
        value_date: a.date.clone(),
        amount: a.amount.clone(),
        currency: a.currency.clone(),
        donor: a.donor.clone(),
        pledge: a.pledge.clone(),
        transfer: a.transfer.clone(),
        window: a.window.clone(),
        project: a.project.clone(),
        organisation: a.organisation.clone(),
        marking,
    };
    o.parse()
        .map_err(|e| anyhow::anyhow!("{} ({})", e.detail, e.code))
}

/// A store error as one line: a refused operation names its rule.
fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Ledger { rule, message, .. } => {
            anyhow::anyhow!("refused ({rule}): {message}; nothing was written")
        }
        StoreError::Rows(rows) => anyhow::anyhow!(
            "nothing imported: {}",
            rows.iter()
                .map(|(l, r)| format!("line {l}: {r}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        StoreError::NotFound => anyhow::anyhow!("no such fund"),
        e => e.into(),
    }
}

fn print_transfers(written: &[coalesce_store::fund::LedgerTransfer]) {
    for t in written {
        let t = TransferOut::from(t);
        println!(
            "{}\t{}\t{} {}\t{} -> {}",
            t.id, t.code, t.amount, t.currency, t.credit, t.debit
        );
    }
}

async fn one(db: &crate::DbArg, fund: &FundArg, name: &str, a: &OpArgs) -> Result<()> {
    let store = crate::open(db).await?;
    let op = operation(name, a)?;
    let written = store
        .fund_operations(None, &fund.fund, &[op])
        .await
        .map_err(explain)?;
    print_transfers(&written);
    Ok(())
}

pub async fn run(cmd: FundCommand) -> Result<ExitCode> {
    match cmd {
        FundCommand::List { db } => {
            let store = crate::open(&db).await?;
            for (id, f) in store.funds_of_node().await? {
                println!("{id}\t{}\t{}\t{}", f.name, f.agent, f.base_currency);
            }
        }
        FundCommand::Pledge { db, fund, op } => one(&db, &fund, "pledge", &op).await?,
        FundCommand::Commit { db, fund, op } => one(&db, &fund, "commit", &op).await?,
        FundCommand::Deposit { db, fund, op } => one(&db, &fund, "deposit", &op).await?,
        FundCommand::Allocate { db, fund, op } => one(&db, &fund, "allocate", &op).await?,
        FundCommand::Approve { db, fund, op } => one(&db, &fund, "approve", &op).await?,
        FundCommand::Disburse { db, fund, op } => one(&db, &fund, "disburse", &op).await?,
        FundCommand::Expend { db, fund, op } => one(&db, &fund, "expend", &op).await?,
        FundCommand::Void { db, fund, op } => one(&db, &fund, "void", &op).await?,
        FundCommand::Interest { db, fund, op } => one(&db, &fund, "interest", &op).await?,
        FundCommand::Refund { db, fund, op } => one(&db, &fund, "refund", &op).await?,
        FundCommand::Reverse { db, fund, op } => one(&db, &fund, "reverse", &op).await?,
        FundCommand::Apply { db, fund, file } => apply(&db, &fund, &file).await?,
        FundCommand::Rates(RatesCommand::Import { db, file }) => {
            let text = read(&file)?;
            let rates = rates_from_csv(&text).map_err(|bad| {
                anyhow::anyhow!(
                    "{}: nothing imported: {}",
                    file.display(),
                    bad.iter()
                        .map(|(l, r)| format!("line {l}: {r}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })?;
            let store = crate::open(&db).await?;
            let added = store.import_rates(None, &rates).await.map_err(explain)?;
            println!("{added} rates added ({} already held)", rates.len() - added);
        }
        FundCommand::Rates(RatesCommand::List { db }) => {
            let store = crate::open(&db).await?;
            println!("#currency+from,#currency+to,#date+effective,#value+rate,#meta+source");
            for r in store.list_rates(None).await? {
                println!("{},{},{},{},{}", r.from, r.to, r.date, r.value, r.source);
            }
        }
        FundCommand::Verify { db } => {
            let store = crate::open(&db).await?;
            let (funds, transfers, problems) = store.fund_verify().await?;
            if problems.is_empty() {
                println!(
                    "fund ledgers agree: {funds} funds, {transfers} transfers recomputed; every balance and status line equals its transfers"
                );
            } else {
                for p in &problems {
                    eprintln!("{p}");
                }
                eprintln!("{} disagreements in {funds} funds", problems.len());
                return Ok(ExitCode::FAILURE);
            }
        }
        FundCommand::Report { db, fund, csv } => {
            let store = crate::open(&db).await?;
            let (f, status) = store
                .fund_status_of_node(&fund.fund)
                .await
                .map_err(explain)?;
            let mut tables = vec![("base", StatusTable::of(&status.base, &status.base_currency))];
            for (c, s) in &status.by_currency {
                tables.push(("currency", StatusTable::of(s, c)));
            }
            if csv {
                print!("{}", status_to_csv(&fund.fund, &status));
            } else {
                println!(
                    "{} ({}), administrative agent {}",
                    f.name, fund.fund, f.agent
                );
                for (what, t) in &tables {
                    println!();
                    if *what == "base" {
                        println!("In {} (each transfer at its value date's rate)", t.currency);
                    } else {
                        println!("As recorded in {}", t.currency);
                    }
                    for (k, v) in &t.lines {
                        println!("  {k:<22} {v:>22}");
                    }
                    for (k, v) in [
                        ("sources", &t.sources),
                        ("uses", &t.uses),
                        ("with the agent", &t.with_agent),
                        ("with organisations", &t.with_organisations),
                        ("receivable", &t.receivable),
                    ] {
                        println!("  {k:<22} {v:>22}");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn apply(db: &crate::DbArg, fund: &FundArg, file: &PathBuf) -> Result<()> {
    let text = read(file)?;
    let ops: Vec<OperationIn> = if text.contains("#meta+operation") {
        operations_from_csv(&text)
            .map_err(|bad| {
                anyhow::anyhow!(
                    "{}: nothing recorded: {}",
                    file.display(),
                    bad.iter()
                        .map(|(l, r)| format!("line {l}: {r}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })?
            .into_iter()
            .map(|(_, o)| o)
            .collect()
    } else {
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: an array of operations (JSON), or CSV with HXL hashtags",
                file.display()
            )
        })?
    };
    if ops.is_empty() {
        bail!("{}: no operations", file.display());
    }
    let parsed = ops
        .iter()
        .enumerate()
        .map(|(i, o)| {
            o.parse()
                .map_err(|e| anyhow::anyhow!("operation {i}: {} ({})", e.detail, e.code))
        })
        .collect::<Result<Vec<_>>>()?;
    let store = crate::open(db).await?;
    let bar = indicatif::ProgressBar::new(parsed.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} operations ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut written = 0;
    for (k, chunk) in parsed.chunks(1_000).enumerate() {
        let out = store
            .fund_operations(None, &fund.fund, chunk)
            .await
            .map_err(|e| {
                bar.abandon();
                anyhow::anyhow!(
                    "batch {} (operations {} to {}): {}; the batches before it are recorded",
                    k + 1,
                    k * 1_000,
                    k * 1_000 + chunk.len() - 1,
                    explain(e)
                )
            })?;
        written += out.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    println!("{} operations recorded: {written} transfers", parsed.len());
    Ok(())
}
