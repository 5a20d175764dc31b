//! Programs: courses of modules released over time, and the clients and groups that follow
//! them. A program is `rolling` (each client starts on their own date) or `fixed` (one start
//! date for everyone).

pub mod access;
pub mod files;
pub mod releases;
pub mod repo;
pub mod schedule;
pub mod service;

use chrono::{NaiveDate, NaiveTime};

use crate::{FieldErrors, Result};

pub const MAX_DESCRIPTION_CHARS: usize = 700;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramKind {
    Rolling,
    Fixed,
}

impl ProgramKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::Rolling => "rolling",
            ProgramKind::Fixed => "fixed",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        if raw == "fixed" { ProgramKind::Fixed } else { ProgramKind::Rolling }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramStatus {
    Draft,
    Active,
    Archived,
}

impl ProgramStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramStatus::Draft => "draft",
            ProgramStatus::Active => "active",
            ProgramStatus::Archived => "archived",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        match raw {
            "active" => ProgramStatus::Active,
            "archived" => ProgramStatus::Archived,
            _ => ProgramStatus::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProgramStatus::Draft => "Draft",
            ProgramStatus::Active => "Active",
            ProgramStatus::Archived => "Archived",
        }
    }
}

/// What a member types into the program form.
#[derive(Debug, Clone, Default)]
pub struct ProgramForm {
    pub title: String,
    pub description: String,
    /// `rolling` or `fixed`.
    pub kind: String,
    /// `YYYY-MM-DD`, for a fixed program.
    pub fixed_start_date: String,
    pub allow_late_enrollment: bool,
    /// Empty: access never ends.
    pub access_days: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramDetails {
    pub title: String,
    pub description: String,
    pub kind: ProgramKind,
    pub fixed_start_date: Option<NaiveDate>,
    pub allow_late_enrollment: bool,
    pub access_days: Option<i32>,
}

impl ProgramForm {
    pub fn parse(&self) -> Result<ProgramDetails> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_title(&self.title));
        let description = self.description.trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.add("description", format!("Use at most {MAX_DESCRIPTION_CHARS} characters."));
        }
        let kind = match self.kind.as_str() {
            "rolling" => Some(ProgramKind::Rolling),
            "fixed" => Some(ProgramKind::Fixed),
            _ => {
                errors.add("kind", "Choose when clients start.");
                None
            }
        };
        let fixed_start_date = match kind {
            Some(ProgramKind::Fixed) => errors.check("fixed_start_date", parse_date(&self.fixed_start_date)).map(Some),
            _ => Some(None),
        };
        let access_days = match self.access_days.trim() {
            "" => Some(None),
            raw => errors
                .check(
                    "access_days",
                    raw.parse::<i32>()
                        .ok()
                        .filter(|d| (1..=3650).contains(d))
                        .ok_or_else(|| "Enter a number of days from 1 to 3650, or leave it empty.".to_owned()),
                )
                .map(Some),
        };
        errors.into_result()?;
        match (title, kind, fixed_start_date, access_days) {
            (Some(title), Some(kind), Some(fixed_start_date), Some(access_days)) => Ok(ProgramDetails {
                title,
                description,
                kind,
                fixed_start_date,
                allow_late_enrollment: self.allow_late_enrollment,
                access_days,
            }),
            _ => Err(FieldErrors::single("form", "Please correct the fields marked below.")),
        }
    }
}

fn parse_title(raw: &str) -> std::result::Result<String, String> {
    let title = raw.trim();
    if title.is_empty() {
        Err("Enter a title.".into())
    } else if title.chars().count() > 120 {
        Err("Use at most 120 characters.".into())
    } else if title.chars().any(char::is_control) {
        Err("Remove the special characters.".into())
    } else {
        Ok(title.to_owned())
    }
}

pub fn parse_date(raw: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| "Enter a date such as 2026-12-31.".to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleKind {
    /// Formatted text written in Markdown.
    Lesson,
    /// A YouTube or Vimeo video, embedded privacy-enhanced, with notes.
    Video,
    /// Sent to the client by email on its release day (and readable in the portal).
    Email,
    /// An uploaded file the client opens, with notes.
    Document,
}

impl ModuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModuleKind::Lesson => "lesson",
            ModuleKind::Video => "video",
            ModuleKind::Email => "email",
            ModuleKind::Document => "document",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        match raw {
            "video" => ModuleKind::Video,
            "email" => ModuleKind::Email,
            "document" => ModuleKind::Document,
            _ => ModuleKind::Lesson,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ModuleKind::Lesson => "Lesson",
            ModuleKind::Video => "Video",
            ModuleKind::Email => "Email",
            ModuleKind::Document => "Document",
        }
    }
}

/// What a member types into the module form.
#[derive(Debug, Clone, Default)]
pub struct ModuleForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub video_url: String,
    pub release_day: String,
    /// `HH:MM` in the practice's zone.
    pub release_time: String,
    pub requires_previous: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDetails {
    pub kind: ModuleKind,
    pub title: String,
    pub body: String,
    pub video_url: Option<String>,
    pub release_day: i32,
    pub release_time: NaiveTime,
    pub requires_previous: bool,
}

pub const MAX_BODY_CHARS: usize = 50_000;

impl ModuleForm {
    pub fn parse(&self) -> Result<ModuleDetails> {
        let mut errors = FieldErrors::new();
        let kind = match self.kind.as_str() {
            "lesson" => Some(ModuleKind::Lesson),
            "video" => Some(ModuleKind::Video),
            "email" => Some(ModuleKind::Email),
            "document" => Some(ModuleKind::Document),
            _ => {
                errors.add("kind", "Choose lesson, video, document or email.");
                None
            }
        };
        let title = errors.check("title", parse_title(&self.title));
        let body = self.body.trim().to_owned();
        if body.chars().count() > MAX_BODY_CHARS {
            errors.add("body", format!("Use at most {MAX_BODY_CHARS} characters."));
        }
        if kind == Some(ModuleKind::Email) && body.is_empty() {
            errors.add("body", "Write the email's text.");
        }
        let video_url = match kind {
            Some(ModuleKind::Video) => errors
                .check("video_url", video_embed_url(&self.video_url))
                .map(|_| Some(self.video_url.trim().to_owned())),
            _ => Some(None),
        };
        let release_day = errors.check(
            "release_day",
            self.release_day
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|d| (0..=3650).contains(d))
                .ok_or_else(|| "Enter a day from 0 (the start date) to 3650.".to_owned()),
        );
        let release_time = errors.check(
            "release_time",
            NaiveTime::parse_from_str(self.release_time.trim(), "%H:%M")
                .map_err(|_| "Enter a time such as 09:00.".to_owned()),
        );
        errors.into_result()?;
        match (kind, title, video_url, release_day, release_time) {
            (Some(kind), Some(title), Some(video_url), Some(release_day), Some(release_time)) => Ok(ModuleDetails {
                kind,
                title,
                body,
                video_url,
                release_day,
                release_time,
                requires_previous: self.requires_previous,
            }),
            _ => Err(FieldErrors::single("form", "Please correct the fields marked below.")),
        }
    }
}

/// The privacy-enhanced embed address of a YouTube or Vimeo link: `youtube-nocookie.com`, and
/// Vimeo with `dnt=1`. Anything else is refused: only those two players are framed.
pub fn video_embed_url(raw: &str) -> std::result::Result<String, String> {
    const REFUSED: &str = "Paste a YouTube or Vimeo link, such as https://www.youtube.com/watch?v=…";
    let url = url::Url::parse(raw.trim()).map_err(|_| REFUSED.to_owned())?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(REFUSED.into());
    }
    let host = url.host_str().unwrap_or_default().trim_start_matches("www.").trim_start_matches("m.");
    let segments: Vec<&str> = url.path_segments().map(|s| s.filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    let id_ok = |id: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let youtube_id = match (host, segments.as_slice()) {
        ("youtube.com" | "youtube-nocookie.com", ["watch"]) => {
            url.query_pairs().find(|(k, _)| k == "v").map(|(_, v)| v.into_owned())
        }
        ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live", id]) => Some((*id).to_owned()),
        ("youtu.be", [id]) => Some((*id).to_owned()),
        _ => None,
    };
    if let Some(id) = youtube_id {
        return if id_ok(&id, 6..=20) {
            Ok(format!("https://www.youtube-nocookie.com/embed/{id}"))
        } else {
            Err(REFUSED.into())
        };
    }
    let vimeo_id = match (host, segments.as_slice()) {
        ("vimeo.com", [id]) | ("vimeo.com", [id, _]) | ("player.vimeo.com", ["video", id]) => Some(*id),
        _ => None,
    };
    match vimeo_id {
        Some(id) if id.chars().all(|c| c.is_ascii_digit()) && id_ok(id, 1..=12) => {
            Ok(format!("https://player.vimeo.com/video/{id}?dnt=1"))
        }
        _ => Err(REFUSED.into()),
    }
}

/// Markdown to HTML that is safe to put in a page: pulldown-cmark renders it and ammonia keeps
/// only an allow-list of tags and attributes (no scripts, styles, frames or event handlers;
/// links get `rel="noopener noreferrer"`).
pub fn render_markdown(source: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(
        source,
        pulldown_cmark::Options::ENABLE_STRIKETHROUGH | pulldown_cmark::Options::ENABLE_TABLES,
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default().url_schemes(["http", "https", "mailto"].into()).clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_formatted_and_raw_html_is_removed() {
        let html = render_markdown(
            "# Week 1\n\n**Eat** more greens.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](https://example.com)",
        );
        assert!(html.contains("<h1>Week 1</h1>"));
        assert!(html.contains("<strong>Eat</strong>"));
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("href=\"javascript"),
            "{html}"
        );
        assert!(html.contains(r#"<a href="https://example.com" rel="noopener noreferrer">y</a>"#), "{html}");
    }

    #[test]
    fn youtube_and_vimeo_links_become_privacy_enhanced_embeds() {
        assert_eq!(
            video_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10").unwrap(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            video_embed_url("https://youtu.be/dQw4w9WgXcQ").unwrap(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            video_embed_url("https://vimeo.com/76979871").unwrap(),
            "https://player.vimeo.com/video/76979871?dnt=1"
        );
        for bad in
            ["https://evil.example/watch?v=abc", "javascript:alert(1)", "https://vimeo.com/abc", "https://youtu.be/<x>"]
        {
            assert!(video_embed_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_fixed_program_needs_its_start_date() {
        let form = ProgramForm { title: "Reset".into(), kind: "fixed".into(), ..ProgramForm::default() };
        assert!(form.parse().is_err());
        let form = ProgramForm { fixed_start_date: "2027-01-04".into(), ..form };
        assert_eq!(form.parse().unwrap().fixed_start_date, NaiveDate::from_ymd_opt(2027, 1, 4));
    }

    #[test]
    fn a_description_over_700_characters_is_refused() {
        let form = ProgramForm {
            title: "Reset".into(),
            kind: "rolling".into(),
            description: "a".repeat(701),
            ..ProgramForm::default()
        };
        assert!(form.parse().is_err());
    }
}
