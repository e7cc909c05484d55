//! Which files Mandate accepts as evidence, and whether the bytes are what the uploader says they are.

use super::Invalid;

/// The kinds of evidence file Mandate stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    /// ZIP containers: Office Open XML (docx, xlsx, pptx), OpenDocument (odt, ods, odp) and plain ZIP archives.
    Zip,
    /// Legacy Office documents (doc, xls, ppt): OLE compound files.
    Ole,
    /// Plain text, CSV and Markdown in UTF-8.
    Text,
}

impl Kind {
    /// The media type used when serving the file back.
    pub fn media_type(self, declared: &str) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Ole => "application/octet-stream",
            Kind::Zip => "application/zip",
            Kind::Text if declared == "text/csv" => "text/csv; charset=utf-8",
            Kind::Text => "text/plain; charset=utf-8",
        }
    }
}

const ACCEPTED: &str = "PDF, PNG, JPEG, Word/Excel/PowerPoint, OpenDocument, ZIP, CSV or plain text";

/// The kind the uploader declares, from the part's media type or, when that is generic, the file name.
pub fn declared_kind(media_type: &str, filename: &str) -> Result<Kind, Invalid> {
    let media = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let by_media = match media.as_str() {
        "application/pdf" => Some(Kind::Pdf),
        "image/png" => Some(Kind::Png),
        "image/jpeg" | "image/jpg" => Some(Kind::Jpeg),
        "application/zip" | "application/x-zip-compressed" => Some(Kind::Zip),
        m if m.starts_with("application/vnd.openxmlformats-officedocument.") => Some(Kind::Zip),
        m if m.starts_with("application/vnd.oasis.opendocument.") => Some(Kind::Zip),
        "application/msword" | "application/vnd.ms-excel" | "application/vnd.ms-powerpoint" => Some(Kind::Ole),
        "text/plain" | "text/csv" | "text/markdown" => Some(Kind::Text),
        "" | "application/octet-stream" => None,
        other => {
            return Err(Invalid::new(format!(
                "files of type '{other}' are not accepted as evidence; upload {ACCEPTED}"
            )));
        }
    };
    if let Some(kind) = by_media {
        return Ok(kind);
    }
    let extension = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "pdf" => Ok(Kind::Pdf),
        "png" => Ok(Kind::Png),
        "jpg" | "jpeg" => Ok(Kind::Jpeg),
        "zip" | "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => Ok(Kind::Zip),
        "doc" | "xls" | "ppt" => Ok(Kind::Ole),
        "txt" | "csv" | "md" => Ok(Kind::Text),
        _ => Err(Invalid::new(format!("the file's type could not be told from its name; upload {ACCEPTED}"))),
    }
}

/// Whether the first bytes of a file are those of `kind`.
pub fn magic_matches(kind: Kind, head: &[u8]) -> bool {
    match kind {
        Kind::Pdf => head.starts_with(b"%PDF-"),
        Kind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        Kind::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        Kind::Zip => head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06"),
        Kind::Ole => head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Kind::Text => looks_like_text(head),
    }
}

/// UTF-8 without NUL or other binary control bytes; a sequence cut at the end of `head` is allowed.
pub fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    };
    valid && !head.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

/// Limits on what a ZIP-based file may expand to, against archive bombs.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    pub max_entries: usize,
    pub max_expanded_bytes: u64,
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        Self { max_entries: 10_000, max_expanded_bytes: 1024 * 1024 * 1024, max_ratio: 200 }
    }
}

/// Checks a ZIP container's entry count and declared expanded size against the limits.
pub fn check_zip_totals(entries: usize, expanded: u64, compressed: u64, limits: ZipLimits) -> Result<(), Invalid> {
    if entries > limits.max_entries {
        return Err(Invalid::new(format!(
            "the archive has {entries} entries; at most {} are accepted",
            limits.max_entries
        )));
    }
    if expanded > limits.max_expanded_bytes || expanded > compressed.max(1).saturating_mul(limits.max_ratio) {
        return Err(Invalid::new(
            "the archive expands to far more than its size (a possible archive bomb); it was not stored",
        ));
    }
    Ok(())
}

/// A file name kept as metadata: the last path component, control characters removed, at most 200 characters.
pub fn clean_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() { "evidence".into() } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_kind_comes_from_media_type_or_extension() {
        assert_eq!(declared_kind("application/pdf", "x"), Ok(Kind::Pdf));
        assert_eq!(
            declared_kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.docx"),
            Ok(Kind::Zip)
        );
        assert_eq!(declared_kind("application/octet-stream", "minutes.ODT"), Ok(Kind::Zip));
        assert_eq!(declared_kind("", "report.csv"), Ok(Kind::Text));
        assert!(declared_kind("application/x-msdownload", "setup.exe").is_err());
        assert!(declared_kind("application/octet-stream", "setup.exe").is_err());
    }

    #[test]
    fn magic_bytes_must_match_the_declared_kind() {
        assert!(magic_matches(Kind::Pdf, b"%PDF-1.7\n"));
        assert!(!magic_matches(Kind::Pdf, b"<html>"));
        assert!(magic_matches(Kind::Png, b"\x89PNG\r\n\x1a\n...."));
        assert!(magic_matches(Kind::Zip, b"PK\x03\x04rest"));
        assert!(!magic_matches(Kind::Jpeg, b"PK\x03\x04"));
        assert!(magic_matches(Kind::Text, "name,amount\nÅsa,3\n".as_bytes()));
        assert!(magic_matches(Kind::Text, &"é".as_bytes()[..1]), "a character cut at the end is fine");
        assert!(!magic_matches(Kind::Text, b"MZ\x90\x00binary"));
        assert!(!magic_matches(Kind::Text, &[0xFF, 0xFE, b'a']));
    }

    #[test]
    fn zip_bombs_and_huge_archives_are_refused() {
        let limits = ZipLimits::default();
        assert!(check_zip_totals(10, 50_000, 20_000, limits).is_ok());
        assert!(check_zip_totals(20_000, 1, 1, limits).is_err());
        assert!(check_zip_totals(1, 4_000_000_000, 40_000, limits).is_err());
        assert!(check_zip_totals(1, 10_000_000, 1_000, limits).is_err(), "ratio");
    }

    #[test]
    fn filenames_are_reduced_to_a_harmless_name() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\Users\\ceo\\Board minutes.pdf"), "Board minutes.pdf");
        assert_eq!(clean_filename("a\u{0}b\r\nc.pdf"), "abc.pdf");
        assert_eq!(clean_filename(".."), "evidence");
        assert_eq!(clean_filename(".hidden"), "hidden");
        assert_eq!(clean_filename(&"x".repeat(500)).len(), 200);
    }
}
