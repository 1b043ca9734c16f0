//! `coalesce meetings …` and `coalesce commitments …`: meetings and their
//! follow-up from the command line. Reads are made as a named user
//! (`--as`), so the command line shows what that user may read and no
//! more; notices are sent as the node itself.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use coalesce_api::wire_meetings::{calendar, commitment_out, parse_as_of, statement_akn};
use coalesce_domain::meetings::{local_time, MeetingKind, StatementKind};
use coalesce_store::meetings::BoardFilter;
use coalesce_store::{Principal, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct AsUser {
    /// Read as this user (what it may read, and no more).
    #[arg(long = "as")]
    user: String,
}

#[derive(Subcommand)]
pub enum MeetingsCommand {
    /// The meetings the user may read, latest first.
    List {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
    },
    /// One meeting: attendance, agenda with outcomes and action items.
    Show {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
        /// The meeting's record id.
        id: String,
    },
    /// Carry the open items of the group's previous meeting over to a meeting.
    CarryOver {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
        /// The meeting to carry into.
        #[arg(long)]
        into: String,
        /// The meeting to carry from (the group's previous one by default).
        #[arg(long)]
        from: Option<String>,
    },
    /// A joint statement as Akoma Ntoso XML.
    Statement {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
        /// The statement's record id.
        id: String,
        /// Its language (the original by default).
        #[arg(long)]
        language: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// The user's calendar (meetings and due dates) as iCalendar.
    Calendar {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Send the reminders and escalations due (the server does this every
    /// minute); prints how many were sent.
    Remind {
        #[command(flatten)]
        db: crate::DbArg,
        /// Judge at this instant (RFC 3339) or day (YYYY-MM-DD) instead of now.
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CommitmentsCommand {
    /// The commitments board: overdue first, then by due date.
    Board {
        #[command(flatten)]
        db: crate::DbArg,
        #[command(flatten)]
        who: AsUser,
        /// Only this member's.
        #[arg(long)]
        owner: Option<String>,
        /// Only this line of effort's.
        #[arg(long)]
        line_of_effort: Option<String>,
        /// Only overdue ones.
        #[arg(long)]
        overdue: bool,
        /// Judge overdue at this instant or day instead of now.
        #[arg(long)]
        as_of: Option<String>,
        /// Print JSON (as the API's board) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

async fn reader(store: &Store, who: &AsUser) -> Result<Principal> {
    store
        .principal_for_username(&who.user)
        .await?
        .with_context(|| format!("no enabled user {:?}", who.user))
}

fn write_out(output: Option<&PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(p) => {
            if p.is_dir() {
                bail!("{} is a directory: give a file name", p.display());
            }
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn as_of(store_now: i64, given: Option<&String>) -> Result<i64> {
    match given {
        Some(a) => parse_as_of(a).map_err(|e| anyhow::anyhow!("{}", e.detail)),
        None => Ok(store_now),
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| format!("{:.0} %", s * 100.0))
}

pub async fn run_meetings(cmd: MeetingsCommand) -> Result<ExitCode> {
    match cmd {
        MeetingsCommand::List { db, who } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            for m in store.list_meetings(&p).await? {
                println!(
                    "{}  {:<13} {:<55} {:<28} {:>3} attending  {}",
                    local_time(&m.body.starts, &m.body.time_zone),
                    m.body.meeting_type.as_str(),
                    m.body.title,
                    m.body.place,
                    m.body.attendance.len(),
                    m.id
                );
            }
        }
        MeetingsCommand::Show { db, who, id } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            let m = store
                .get_record::<MeetingKind>(&p, &id)
                .await
                .map_err(|e| anyhow::anyhow!("meeting {id}: {e}"))?;
            let b = &m.body;
            println!("{} — {}", b.title, b.place);
            println!(
                "{} to {} ({}), hosted by {}, chaired by {}{}",
                local_time(&b.starts, &b.time_zone),
                local_time(&b.ends, &b.time_zone),
                b.time_zone,
                b.host,
                b.chair(),
                b.group
                    .as_ref()
                    .map(|g| format!(", group {g}"))
                    .unwrap_or_default()
            );
            println!(
                "{}",
                coalesce_api::wire_needs::banner(&m.origin, &m.marking)
            );
            println!(
                "attendance ({}): {}",
                b.attendance.len(),
                b.attendance
                    .iter()
                    .map(|a| a.member.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let now = store.follow_up_now().await?;
            let items = store
                .commitment_board(
                    &p,
                    &BoardFilter {
                        meeting: Some(id.clone()),
                        ..BoardFilter::default()
                    },
                    now,
                )
                .await?;
            for item in &b.agenda {
                println!("{}. {}", item.number, item.title);
                for o in &item.outcomes {
                    let by = if o.adopted_by.is_empty() {
                        String::new()
                    } else {
                        format!(" (adopted by {})", o.adopted_by.join(", "))
                    };
                    println!("   {:?}: {}{by}", o.outcome_type, o.text.replace('\n', " "));
                }
                for c in items.iter().filter(|c| {
                    c.history
                        .iter()
                        .any(|h| h.meeting == m.id && h.agenda_item == Some(item.number))
                }) {
                    println!(
                        "   action: {} — {} by {} ({}, {}{})",
                        c.record.body.owner,
                        c.record.body.what,
                        c.record.body.due,
                        c.record.body.state.as_str(),
                        percent(c.progress.share),
                        if c.overdue { ", OVERDUE" } else { "" }
                    );
                }
            }
        }
        MeetingsCommand::CarryOver {
            db,
            who,
            into,
            from,
        } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            let out = store
                .carry_over(&p, &into, from.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("nothing carried over: {e}"))?;
            println!(
                "{} open items carried over from {} to agenda item {}",
                out.carried.len(),
                out.from,
                out.agenda_item
            );
        }
        MeetingsCommand::Statement {
            db,
            who,
            id,
            language,
            output,
        } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            let s = store
                .get_record::<StatementKind>(&p, &id)
                .await
                .map_err(|e| anyhow::anyhow!("statement {id}: {e}"))?;
            let m = store
                .get_record::<MeetingKind>(&p, &s.body.meeting)
                .await
                .map_err(|e| anyhow::anyhow!("its meeting: {e}"))?;
            let members = store.list_members().await?;
            let name_of = |code: &str| {
                members
                    .iter()
                    .find(|m| m.code.as_str() == code)
                    .map_or_else(|| code.to_string(), |m| m.name.clone())
            };
            let lang = language
                .or_else(|| s.body.texts.first().map(|t| t.language.clone()))
                .unwrap_or_default();
            let xml = statement_akn(&s, &m, &name_of, &lang, coalesce_store::now_ms())
                .with_context(|| format!("the statement has no text in {lang:?}"))?;
            write_out(output.as_ref(), &xml)?;
        }
        MeetingsCommand::Calendar { db, who, output } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            let now = store.follow_up_now().await?;
            let meetings = store.list_meetings(&p).await?;
            let items = store
                .commitment_board(&p, &BoardFilter::default(), now)
                .await?;
            let ics = calendar(
                &format!("coalesce: {}", p.username.as_str()),
                "http://localhost:8080",
                &meetings,
                &items,
                coalesce_store::now_ms(),
            )
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            write_out(output.as_ref(), &ics)?;
        }
        MeetingsCommand::Remind { db, at } => {
            let store = crate::open(&db).await?;
            let now = as_of(store.follow_up_now().await?, at.as_ref())?;
            let n = store.send_commitment_notices(now).await?;
            println!("{n} notices sent");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_commitments(cmd: CommitmentsCommand) -> Result<ExitCode> {
    match cmd {
        CommitmentsCommand::Board {
            db,
            who,
            owner,
            line_of_effort,
            overdue,
            as_of: at,
            json,
        } => {
            let store = crate::open(&db).await?;
            let p = reader(&store, &who).await?;
            let now = as_of(store.follow_up_now().await?, at.as_ref())?;
            let items = store
                .commitment_board(
                    &p,
                    &BoardFilter {
                        meeting: None,
                        owner,
                        line_of_effort,
                        overdue_only: overdue,
                    },
                    now,
                )
                .await?;
            if json {
                let out: Vec<serde_json::Value> = items.iter().map(commitment_out).collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "as of {} ({} commitments, {} overdue)",
                coalesce_api::wire::rfc3339(now),
                items.len(),
                items.iter().filter(|c| c.overdue).count()
            );
            for c in &items {
                println!(
                    "{:<8} {:<6} {:<10} {:>6}{} {:<9} {}",
                    if c.overdue { "OVERDUE" } else { "" },
                    c.record.body.owner,
                    c.record.body.due,
                    percent(c.progress.share),
                    if c.progress.partial { "*" } else { " " },
                    c.record.body.state.as_str(),
                    c.record.body.what
                );
            }
            if items.iter().any(|c| c.progress.partial) {
                println!("* partial: some parts are not releasable to this user");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
