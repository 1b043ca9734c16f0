//! Typesets Typst markup from standard input to a PDF on standard output:
//! the PDF engine alone in a binary, so that `bench/report/run.sh` can say
//! what it adds to one (against `bare`, the same binary without it).

use std::io::{Read, Write};

fn main() -> std::process::ExitCode {
    let mut markup = String::new();
    if std::io::stdin().read_to_string(&mut markup).is_err() {
        eprintln!("standard input is not UTF-8 text");
        return std::process::ExitCode::FAILURE;
    }
    match coalesce_report::pdf(&markup, "2016-12-16", "typeset") {
        Ok(pdf) => {
            if std::io::stdout().write_all(&pdf).is_err() {
                return std::process::ExitCode::FAILURE;
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
