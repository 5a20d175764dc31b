//! The words of each email Tend sends. Plain text: it reads well everywhere.

use uuid::Uuid;

use super::OutgoingEmail;

/// What a practice's email looks like: its name, colour and logo (an absolute URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailBrand {
    pub practice: String,
    pub accent_color: String,
    pub logo_url: Option<String>,
}

impl EmailBrand {
    pub fn of(brand: &crate::orgs::repo::Brand, settings: &crate::settings::Settings) -> Self {
        Self {
            practice: brand.name.clone(),
            accent_color: brand.accent_color.clone(),
            logo_url: brand.has_logo.then(|| settings.link(&format!("/p/{}/logo", brand.slug))),
        }
    }
}

pub fn welcome(org_id: Uuid, to: &str, full_name: &str, practice: &str, app_link: &str) -> OutgoingEmail {
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Welcome to Tend, {full_name}"),
        body: format!(
            "Hello {full_name},\n\n{practice} is ready on Tend. Sign in any time at:\n{app_link}\n\n\
             Next steps: add your clients, publish your availability and invite your team.\n\n— Tend"
        ),
        html: None,
        carries_secret: false,
    }
}

pub fn password_reset(org_id: Option<Uuid>, to: &str, full_name: &str, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        org_id,
        to: to.to_owned(),
        subject: "Reset your Tend password".to_owned(),
        body: format!(
            "Hello {full_name},\n\nSomeone asked to reset the password of your Tend account. \
             To choose a new password, open this link within the next hour:\n{link}\n\n\
             The link works once. If you did not ask for it, ignore this email: your password stays as it is.\n\n— Tend"
        ),
        html: None,
        carries_secret: true,
    }
}

pub fn password_changed(org_id: Option<Uuid>, to: &str, full_name: &str) -> OutgoingEmail {
    OutgoingEmail {
        org_id,
        to: to.to_owned(),
        subject: "Your Tend password was changed".to_owned(),
        body: format!(
            "Hello {full_name},\n\nThe password of your Tend account was just changed and every other \
             session was signed out. If this was not you, reset your password at once.\n\n— Tend"
        ),
        html: None,
        carries_secret: false,
    }
}

pub fn client_invitation(
    org_id: Uuid,
    to: &str,
    first_name: &str,
    brand: &EmailBrand,
    provider: &str,
    link: &str,
) -> OutgoingEmail {
    let practice = &brand.practice;
    let body = format!(
        "Hello {first_name},\n\n{provider} at {practice} has set up your client portal, where you can \
         see your sessions, forms and messages.\n\nChoose your password here (the link works once, \
         for 7 days):\n{link}\n\nYour username is this email address.\n\n— {practice}"
    );
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("{practice} invites you to your client portal"),
        html: Some(branded_html(brand, &body)),
        body,
        carries_secret: true,
    }
}

pub fn member_invitation(
    org_id: Uuid,
    to: &str,
    practice: &str,
    inviter: &str,
    role: &str,
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Join {practice} on Tend"),
        body: format!(
            "Hello,\n\n{inviter} invites you to join {practice} on Tend as {role}.\n\n\
             Accept the invitation here (the link works once, for 7 days):\n{link}\n\n— Tend"
        ),
        html: None,
        carries_secret: true,
    }
}

pub fn client_password_reset(org_id: Uuid, to: &str, brand: &EmailBrand, link: &str) -> OutgoingEmail {
    let practice = &brand.practice;
    let body = format!(
        "Hello,\n\nSomeone asked to reset the password of your {practice} client portal. To choose a new \
         password, open this link within the next hour:\n{link}\n\nIf you did not ask for it, ignore \
         this email.\n\n— {practice}"
    );
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Reset your {practice} portal password"),
        html: Some(branded_html(brand, &body)),
        body,
        carries_secret: true,
    }
}

/// The HTML version of a client email: the practice's colour and logo above the text, links
/// clickable. Everything from the practice or the text is escaped.
pub fn branded_html(brand: &EmailBrand, text: &str) -> String {
    let logo = brand
        .logo_url
        .as_ref()
        .map(|url| format!(r#"<img src="{}" alt="" height="40" style="vertical-align:middle;margin-right:12px;background:#fff;border-radius:4px">"#, escape(url)))
        .unwrap_or_default();
    let paragraphs: String = text
        .split("\n\n")
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.lines().map(linkify).collect();
            format!(r#"<p style="margin:0 0 16px">{}</p>"#, lines.join("<br>"))
        })
        .collect();
    format!(
        r#"<!DOCTYPE html><html><body style="margin:0;background:#f5f7f6;font-family:system-ui,Arial,sans-serif;color:#1d2724"><div style="max-width:560px;margin:0 auto;background:#fff"><div style="background:{accent};color:#fff;padding:16px 24px;font-weight:700;font-size:18px">{logo}{practice}</div><div style="padding:24px;line-height:1.5">{paragraphs}</div></div></body></html>"#,
        accent = escape(&brand.accent_color),
        practice = escape(&brand.practice),
    )
}

fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                format!(r#"<a href="{0}">{0}</a>"#, escape(word))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> EmailBrand {
        EmailBrand {
            practice: "Green <Leaf>".into(),
            accent_color: "#aa3300".into(),
            logo_url: Some("https://tend.example.com/p/green/logo".into()),
        }
    }

    #[test]
    fn client_email_html_carries_colour_logo_and_escaped_name() {
        let html = branded_html(&brand(), "Hello,\n\nOpen https://tend.example.com/x?a=1&b=2 now");
        assert!(html.contains("background:#aa3300"));
        assert!(html.contains(r#"src="https://tend.example.com/p/green/logo""#));
        assert!(html.contains("Green &lt;Leaf&gt;"));
        assert!(html.contains(r#"<a href="https://tend.example.com/x?a=1&amp;b=2">"#));
    }

    #[test]
    fn without_a_logo_the_header_is_the_name_alone() {
        let html = branded_html(&EmailBrand { logo_url: None, ..brand() }, "Hi");
        assert!(!html.contains("<img"));
    }
}
