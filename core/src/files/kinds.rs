//! What may be uploaded where, recognised from the bytes themselves (the `infer` crate), not
//! from the name or the browser's word.

use crate::{Error, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A program's cover image.
    Cover,
    /// A document module's file.
    Document,
}

pub const MAX_COVER_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

const IMAGES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];
const DOCUMENTS: [&str; 8] = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
    "image/webp",
];

impl FileKind {
    /// The form field (and error key) of the upload.
    pub fn field(self) -> &'static str {
        match self {
            FileKind::Cover => "cover",
            FileKind::Document => "document",
        }
    }

    pub fn max_bytes(self) -> usize {
        match self {
            FileKind::Cover => MAX_COVER_BYTES,
            FileKind::Document => MAX_DOCUMENT_BYTES,
        }
    }

    /// The content type of `bytes` when this kind accepts them.
    pub fn check(self, file_name: &str, bytes: &[u8]) -> Result<&'static str, UploadProblem> {
        if bytes.is_empty() {
            return Err(UploadProblem::Missing);
        }
        if bytes.len() > self.max_bytes() {
            return Err(UploadProblem::TooLarge);
        }
        let accepted: &[&str] = match self {
            FileKind::Cover => &IMAGES,
            FileKind::Document => &DOCUMENTS,
        };
        if let Some(found) = infer::get(bytes).map(|t| t.mime_type())
            && let Some(content_type) = accepted.iter().find(|accepted| **accepted == found)
        {
            return Ok(content_type);
        }
        // Plain text has no magic number: a `.txt` file that is UTF-8 text.
        let is_text = file_name.to_lowercase().ends_with(".txt")
            && std::str::from_utf8(bytes).is_ok_and(|text| !text.contains('\0'));
        if self == FileKind::Document && is_text {
            return Ok("text/plain; charset=utf-8");
        }
        Err(UploadProblem::WrongType)
    }
}

/// Why an upload was refused. Uploads are plain form posts that redirect back to the page,
/// which shows the message of the code in its address: never text from the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    Missing,
    TooLarge,
    WrongType,
}

impl UploadProblem {
    pub const ALL: [UploadProblem; 3] = [UploadProblem::Missing, UploadProblem::TooLarge, UploadProblem::WrongType];

    pub fn code(self) -> &'static str {
        match self {
            UploadProblem::Missing => "missing",
            UploadProblem::TooLarge => "too_large",
            UploadProblem::WrongType => "wrong_type",
        }
    }

    pub fn message(self, kind: FileKind) -> &'static str {
        match (kind, self) {
            (FileKind::Cover, UploadProblem::Missing) => "Choose an image file.",
            (FileKind::Cover, UploadProblem::TooLarge) => "The cover image must be smaller than 5 MB.",
            (FileKind::Cover, UploadProblem::WrongType) => "The cover image must be a PNG, JPEG or WebP image.",
            (FileKind::Document, UploadProblem::Missing) => "Choose a file.",
            (FileKind::Document, UploadProblem::TooLarge) => "The document must be smaller than 20 MB.",
            (FileKind::Document, UploadProblem::WrongType) => {
                "Upload a PDF, Word, Excel, PowerPoint, OpenDocument, text or image file."
            }
        }
    }

    pub fn from_message(kind: FileKind, message: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.message(kind) == message)
    }

    pub fn error(self, kind: FileKind) -> Error {
        FieldErrors::single(kind.field(), self.message(kind))
    }
}

/// A file name fit to show and to offer as a download: the last path part, no control or
/// quote characters, at most 120 characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        last.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';')).take(120).collect::<String>();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') { "document".to_owned() } else { cleaned.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

    #[test]
    fn a_cover_must_be_an_image() {
        assert_eq!(FileKind::Cover.check("c.png", PNG), Ok("image/png"));
        assert_eq!(FileKind::Cover.check("c.pdf", b"%PDF-1.7\n"), Err(UploadProblem::WrongType));
        assert_eq!(FileKind::Cover.check("c.png", b""), Err(UploadProblem::Missing));
        assert_eq!(FileKind::Cover.check("c.txt", b"hello"), Err(UploadProblem::WrongType));
    }

    #[test]
    fn a_document_is_known_by_its_bytes_not_its_name() {
        assert_eq!(FileKind::Document.check("plan.pdf", b"%PDF-1.7\n%..."), Ok("application/pdf"));
        assert_eq!(
            FileKind::Document.check("notes.txt", "Eat more greens ✓".as_bytes()),
            Ok("text/plain; charset=utf-8")
        );
        // An HTML page named .pdf is not a PDF, and is never served as one.
        assert_eq!(
            FileKind::Document.check("x.pdf", b"<html><script>alert(1)</script>"),
            Err(UploadProblem::WrongType)
        );
        assert_eq!(FileKind::Document.check("x.exe", b"MZ\x90\x00\x03\x00\x00\x00"), Err(UploadProblem::WrongType));
        let big = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(FileKind::Document.check("big.txt", &big), Err(UploadProblem::TooLarge));
    }

    #[test]
    fn a_file_name_keeps_only_its_last_part_and_printable_characters() {
        assert_eq!(clean_file_name("C:\\Users\\ann\\Meal plan.pdf"), "Meal plan.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(clean_file_name(".."), "document");
        assert_eq!(clean_file_name(""), "document");
    }

    #[test]
    fn every_problem_has_its_own_message_for_each_kind() {
        for kind in [FileKind::Cover, FileKind::Document] {
            for problem in UploadProblem::ALL {
                assert_eq!(UploadProblem::from_message(kind, problem.message(kind)), Some(problem));
            }
        }
    }
}
