//! `coalesce report plenary …`: the plenary report for one member, to PDF
//! or HTML, computed over what that member may read and kept as a dated
//! snapshot; `coalesce report show SNAPSHOT` writes a kept one again, byte
//! for byte.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use coalesce_api::plenary::{default_as_of, from_snapshot, generate, Request};
use coalesce_report::plenary::{html, pdf, Plenary};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The progress report for a member's readers (PDF or HTML by the output's extension).
    Plenary {
        #[command(flatten)]
        db: crate::DbArg,
        /// The member it is for: every figure is over what it may read.
        #[arg(long)]
        member: String,
        /// The report's date, YYYY-MM-DD (default: today, or the node's follow-up date).
        #[arg(long)]
        as_of: Option<String>,
        /// The meeting it is written for (its record id).
        #[arg(long)]
        meeting: Option<String>,
        /// FILE.pdf or FILE.html.
        #[arg(long)]
        output: PathBuf,
    },
    /// Write a kept report again, exactly as it was made.
    Show {
        #[command(flatten)]
        db: crate::DbArg,
        /// The snapshot's id (printed when the report was made).
        snapshot: String,
        /// FILE.pdf or FILE.html.
        #[arg(long)]
        output: PathBuf,
    },
}

enum Format {
    Pdf,
    Html,
}

/// The format an output path asks for, refused before anything is computed
/// or kept when it cannot be written.
fn check_output(path: &Path) -> Result<Format> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => Format::Pdf,
        Some("html") | Some("htm") => Format::Html,
        _ => bail!("{}: the output is FILE.pdf or FILE.html", path.display()),
    };
    if path.is_dir() {
        bail!("{} is a directory: give a file name", path.display());
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let meta = std::fs::metadata(parent)
        .with_context(|| format!("{}: no such directory", parent.display()))?;
    if !meta.is_dir() || meta.permissions().readonly() {
        bail!("{}: cannot write there", parent.display());
    }
    Ok(format)
}

fn write(path: &Path, format: &Format, report: &Plenary) -> Result<usize> {
    let bytes = match format {
        Format::Pdf => pdf(report).map_err(|e| anyhow::anyhow!("{e}"))?,
        Format::Html => html(report, None, None).into_bytes(),
    };
    std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes.len())
}

pub async fn run(cmd: ReportCommand) -> Result<ExitCode> {
    match cmd {
        ReportCommand::Plenary {
            db,
            member,
            as_of,
            meeting,
            output,
        } => {
            let format = check_output(&output)?;
            let store = crate::open(&db).await?;
            let reader = store
                .member_reader(&member)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let as_of = match as_of {
                Some(d) => d,
                None => default_as_of(&store)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.detail))?,
            };
            let started = std::time::Instant::now();
            let (id, report) = generate(&store, None, &reader, &Request { as_of, meeting })
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            let n = write(&output, &format, &report)?;
            eprintln!(
                "wrote {} ({n} bytes, {} sections, {} records) in {} ms; snapshot {id}",
                output.display(),
                report.sections.len(),
                report.sources.len(),
                started.elapsed().as_millis()
            );
            println!("{id}");
        }
        ReportCommand::Show {
            db,
            snapshot,
            output,
        } => {
            let format = check_output(&output)?;
            let store = crate::open(&db).await?;
            let snap = store
                .report_snapshot(None, &snapshot)
                .await
                .map_err(|e| anyhow::anyhow!("snapshot {snapshot}: {e}"))?;
            let report = from_snapshot(&snap.data).map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            let n = write(&output, &format, &report)?;
            eprintln!(
                "wrote {} ({n} bytes) from snapshot {snapshot}",
                output.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
