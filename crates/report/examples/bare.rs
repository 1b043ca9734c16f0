//! The same program as `typeset` without the PDF engine: what a binary
//! weighs before Typst is linked in (`bench/report/run.sh`).

use std::io::{Read, Write};

fn main() -> std::process::ExitCode {
    let mut markup = String::new();
    if std::io::stdin().read_to_string(&mut markup).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    if std::io::stdout().write_all(markup.as_bytes()).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
