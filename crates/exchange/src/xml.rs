//! A small XML writer: element nesting kept on a stack, every text and
//! attribute value escaped, characters that XML 1.0 forbids replaced by
//! U+FFFD (they cannot be written at all, not even as references).

/// Whether XML 1.0 allows `c` in a document (the `Char` production).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_into(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Kept as references: a parser would otherwise normalise them
            // (line ends to \n; in attributes, whitespace to spaces).
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// `s` escaped for element content.
#[cfg(test)]
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, false);
    out
}

/// `s` escaped for a double-quoted attribute value.
#[cfg(test)]
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, true);
    out
}

/// An indented document under construction.
pub struct Writer {
    out: String,
    open: Vec<String>,
}

impl Writer {
    pub fn new() -> Self {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true);
            self.out.push('"');
        }
    }

    /// `<name attrs…>` on its own line; closed by [`Writer::end`].
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name.to_string());
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push_str(">\n");
        }
    }

    /// `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name attrs…>text</name>` on one line.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.tag(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// What has been written since the last take, the open elements kept
    /// open: for writing a document a piece at a time.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// The document, with every element still open closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape_text("a < b && c > d \"q\" 'x'"),
            "a &lt; b &amp;&amp; c &gt; d \"q\" 'x'"
        );
        assert_eq!(escape_attr("\"x\"\n\t\r"), "&quot;x&quot;&#10;&#9;&#13;");
        assert_eq!(escape_text("line\nnext"), "line\nnext");
        assert_eq!(escape_text("nul\u{0}bell\u{7}"), "nul\u{FFFD}bell\u{FFFD}");
        assert_eq!(escape_text("\u{FFFE}"), "\u{FFFD}");
        assert_eq!(escape_text("]]>"), "]]&gt;");
        assert_eq!(escape_text("داعش 🙂"), "داعش 🙂");
    }

    #[test]
    fn nests_and_closes() {
        let mut w = Writer::new();
        w.start("a", &[("k", "v&")]);
        w.text("b", &[], "<t>");
        w.empty("c", &[]);
        let doc = w.finish();
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"v&amp;\">\n  <b>&lt;t&gt;</b>\n  <c/>\n</a>\n"
        );
    }
}
