//! Documents typeset inside the binary (issue 18): Typst markup, made by
//! the caller from a report's figures, compiled here to PDF with the
//! Typst compiler used as a library. No file, network or clock is read:
//! the one source is the markup given, the fonts are compiled in
//! (Libertinus Serif, and Noto Naskh Arabic for Arabic, shaped and set
//! right to left; `fonts/`, OFL), and the date is the caller's.
//! The PDF is tagged (accessible structure), its fonts subset, its
//! charts vector graphics.

pub mod charts;
pub mod plenary;

use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Why a document did not typeset.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("typesetting failed: {0}")]
    Typeset(String),
    #[error("PDF export failed: {0}")]
    Pdf(String),
    #[error("{0} is not a calendar date")]
    Date(String),
}

/// The fonts the report is set in, and no more: Typst's own bundle (math
/// and monospace faces included) would add 8.5 MB to the binary.
const FACES: [&[u8]; 6] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf"),
];

/// The fonts, parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FACES
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// A one-file world: the markup, the fonts, a fixed date.
struct Document {
    main: Source,
    today: Datetime,
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets `markup` (Typst) to PDF. `date` (YYYY-MM-DD) is the
/// document's date (`datetime.today()` and the PDF's metadata); `ident`
/// a stable identifier of the document, so the same markup gives the same
/// bytes.
pub fn pdf(markup: &str, date: &str, ident: &str) -> Result<Vec<u8>, ReportError> {
    let bad_date = || ReportError::Date(date.to_string());
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_date());
    };
    let today = Datetime::from_ymd(
        i32::try_from(y).map_err(|_| bad_date())?,
        u8::try_from(m).map_err(|_| bad_date())?,
        u8::try_from(d).map_err(|_| bad_date())?,
    )
    .ok_or_else(bad_date)?;
    let path =
        VirtualPath::new("/report.typ").map_err(|e| ReportError::Typeset(format!("{e:?}")))?;
    let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
    let world = Document {
        main: Source::new(id, markup.to_string()),
        today,
    };
    let doc: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| ReportError::Typeset(messages(&e)))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| ReportError::Pdf(messages(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_latin_typeset_to_a_pdf() {
        let pdf = pdf(
            "#set document(title: \"Test\")\n#set text(font: (\"Libertinus Serif\", \"Noto Naskh Arabic\"))\n= Plenary\nThe coalition — التحالف الدولي.\n",
            "2016-12-16",
            "test",
        )
        .expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        // The same markup, the same bytes.
        let again = super::pdf(
            "#set document(title: \"Test\")\n#set text(font: (\"Libertinus Serif\", \"Noto Naskh Arabic\"))\n= Plenary\nThe coalition — التحالف الدولي.\n",
            "2016-12-16",
            "test",
        )
        .expect("pdf");
        assert_eq!(pdf, again);
    }

    #[test]
    fn bad_markup_and_dates_are_errors() {
        assert!(matches!(
            pdf("#let x = (", "2016-12-16", "t"),
            Err(ReportError::Typeset(_))
        ));
        assert!(matches!(
            pdf("x", "2016-13-40", "t"),
            Err(ReportError::Date(_))
        ));
    }
}
