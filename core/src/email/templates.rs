//! The words of each email Tend sends, as minijinja templates in `core/templates/email`:
//! a plain-text part for every message, and a branded HTML part for email a client reads.
//!
//! HTML templates escape everything they are given, and links are only ever the link
//! variables a template names: text a person typed (names, practice names) is never turned
//! into a link.

use std::sync::LazyLock;

use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;
use uuid::Uuid;

use super::OutgoingEmail;
use crate::Result;

/// Every template, embedded in the binary (the build notices edits: `include_str!`).
const TEMPLATES: &[(&str, &str)] = &[
    ("branded.html", include_str!("../../templates/email/branded.html")),
    ("welcome.txt", include_str!("../../templates/email/welcome.txt")),
    ("confirm_sign_up.txt", include_str!("../../templates/email/confirm_sign_up.txt")),
    ("account_exists.txt", include_str!("../../templates/email/account_exists.txt")),
    ("program_release.txt", include_str!("../../templates/email/program_release.txt")),
    ("appointment.txt", include_str!("../../templates/email/appointment.txt")),
    ("password_reset.txt", include_str!("../../templates/email/password_reset.txt")),
    ("password_changed.txt", include_str!("../../templates/email/password_changed.txt")),
    ("member_invitation.txt", include_str!("../../templates/email/member_invitation.txt")),
    ("client_invitation.txt", include_str!("../../templates/email/client_invitation.txt")),
    ("client_invitation.html", include_str!("../../templates/email/client_invitation.html")),
    ("booking_by_a_client.txt", include_str!("../../templates/email/booking_by_a_client.txt")),
    ("client_password_reset.txt", include_str!("../../templates/email/client_password_reset.txt")),
    ("client_password_reset.html", include_str!("../../templates/email/client_password_reset.html")),
];

static TEMPLATE_SET: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A misspelt variable is an error (caught by the tests below), not an empty string.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).unwrap_or_else(|error| panic!("email template {name}: {error}"));
    }
    env
});

fn render(name: &str, values: Value) -> Result<String> {
    let template = TEMPLATE_SET.get_template(name).map_err(|e| anyhow::anyhow!("email template {name}: {e}"))?;
    Ok(template.render(values).map_err(|e| anyhow::anyhow!("email template {name}: {e:#}"))?)
}

/// What a practice's email looks like: its name, colour and logo (an absolute URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// A plain-text message to `to`.
fn plain(org_id: Option<Uuid>, to: &str, subject: String, body: String, carries_secret: bool) -> OutgoingEmail {
    OutgoingEmail { org_id, to: to.to_owned(), subject, body, html: None, carries_secret, calendar: None }
}

pub fn welcome(org_id: Uuid, to: &str, full_name: &str, practice: &str, app_link: &str) -> Result<OutgoingEmail> {
    let body = render("welcome.txt", context! { full_name, practice, app_link })?;
    Ok(plain(Some(org_id), to, format!("Welcome to Tend, {full_name}"), body, false))
}

/// The link that finishes a sign-up: nothing exists until it is opened.
pub fn confirm_sign_up(to: &str, full_name: &str, practice: &str, link: &str) -> Result<OutgoingEmail> {
    let body = render("confirm_sign_up.txt", context! { full_name, practice, link })?;
    Ok(plain(None, to, "Confirm your email to finish signing up for Tend".to_owned(), body, true))
}

/// Sent instead of [`confirm_sign_up`] when the address already has an account: the sign-up
/// page says the same either way, so it never tells a visitor who has an account.
pub fn account_exists(to: &str, login_link: &str, forgot_link: &str) -> Result<OutgoingEmail> {
    let body = render("account_exists.txt", context! { login_link, forgot_link })?;
    Ok(plain(None, to, "You already have a Tend account".to_owned(), body, false))
}

/// What a program's release email says: the modules released today, or an email module's own
/// text (its title is the subject), signed by the client's provider.
pub struct ProgramRelease<'a> {
    pub first_name: &'a str,
    pub program: &'a str,
    /// Titles of the day's other modules.
    pub titles: &'a [String],
    /// An email module of the day: (title, text).
    pub email_module: Option<(&'a str, &'a str)>,
    pub provider: &'a str,
    pub practice: &'a str,
    pub link: &'a str,
}

pub fn program_release(org_id: Uuid, to: &str, release: &ProgramRelease<'_>) -> Result<OutgoingEmail> {
    let ProgramRelease { first_name, program, titles, email_module, provider, practice, link } = *release;
    let email_text = email_module.map(|(_, text)| text);
    let body =
        render("program_release.txt", context! { first_name, program, titles, email_text, provider, practice, link })?;
    let subject = match email_module {
        Some((title, _)) => title.to_owned(),
        None => format!("New in {program}: {}", titles.join(", ")),
    };
    Ok(plain(Some(org_id), to, subject, body, false))
}

/// An appointment email: booked, moved, cancelled or a reminder, to the client or the provider.
pub struct AppointmentEmail<'a> {
    /// `booked`, `moved`, `cancelled` or `reminder`.
    pub change: &'a str,
    pub to_provider: bool,
    pub name: &'a str,
    pub type_name: &'a str,
    /// The other person: the provider for a client, the client for a provider.
    pub with_name: &'a str,
    /// The time in the recipient's zone.
    pub when: &'a str,
    pub place: &'a str,
    /// The link to join a video call: the client's link for a client, the host's for a provider.
    pub join: Option<&'a str>,
    /// The cancellation rule, for a client.
    pub rule: Option<&'a str>,
    /// The page of the appointment (provider) or of their appointments (client).
    pub manage: &'a str,
    pub practice: &'a str,
    pub calendar: Option<String>,
}

pub fn appointment(org_id: Uuid, to: &str, email: AppointmentEmail<'_>) -> Result<OutgoingEmail> {
    let AppointmentEmail {
        change,
        to_provider,
        name,
        type_name,
        with_name,
        when,
        place,
        join,
        rule,
        manage,
        practice,
        ..
    } = email;
    let (headline_booked, headline_moved, headline_cancelled, manage_label) = if to_provider {
        (
            format!("{with_name} has an appointment with you."),
            format!("{with_name}'s appointment has moved."),
            format!("{with_name}'s appointment is cancelled."),
            "Open it in Tend",
        )
    } else {
        (
            "Your appointment is booked.".to_owned(),
            "Your appointment has moved.".to_owned(),
            "Your appointment is cancelled.".to_owned(),
            "Your appointments",
        )
    };
    let body = render(
        "appointment.txt",
        context! { change, name, type_name, with_name, when, place, join, rule, manage, manage_label, practice,
        headline_booked, headline_moved, headline_cancelled },
    )?;
    let subject = match (change, to_provider) {
        ("booked", false) => format!("Appointment booked: {type_name}, {when}"),
        ("moved", false) => format!("Appointment moved: {type_name}, {when}"),
        ("reminder", _) => format!("Reminder: {type_name}, {when}"),
        (_, false) => format!("Appointment cancelled: {type_name}, {when}"),
        ("booked", true) => format!("New appointment: {with_name}, {when}"),
        ("moved", true) => format!("Appointment moved: {with_name}, {when}"),
        (_, true) => format!("Appointment cancelled: {with_name}, {when}"),
    };
    Ok(OutgoingEmail { calendar: email.calendar, ..plain(Some(org_id), to, subject, body, false) })
}

pub fn password_reset(org_id: Option<Uuid>, to: &str, full_name: &str, link: &str) -> Result<OutgoingEmail> {
    let body = render("password_reset.txt", context! { full_name, link })?;
    Ok(plain(org_id, to, "Reset your Tend password".to_owned(), body, true))
}

pub fn password_changed(org_id: Option<Uuid>, to: &str, full_name: &str) -> Result<OutgoingEmail> {
    let body = render("password_changed.txt", context! { full_name })?;
    Ok(plain(org_id, to, "Your Tend password was changed".to_owned(), body, false))
}

/// Who invites whom to which practice, and the link to accept.
pub struct MemberInvitation<'a> {
    pub practice: &'a str,
    pub inviter: &'a str,
    pub role: &'a str,
    pub link: &'a str,
}

pub fn member_invitation(org_id: Uuid, to: &str, invitation: &MemberInvitation<'_>) -> Result<OutgoingEmail> {
    let MemberInvitation { practice, inviter, role, link } = *invitation;
    let body = render("member_invitation.txt", context! { practice, inviter, role, link })?;
    Ok(plain(Some(org_id), to, format!("Join {practice} on Tend"), body, true))
}

/// The link to the portal. `booked`: the appointment a new client just booked on the public
/// page ("Follow-up with Paula Chen, …"), which the invitation then thanks them for.
pub fn client_invitation(
    org_id: Uuid,
    to: &str,
    first_name: &str,
    brand: &EmailBrand,
    provider: &str,
    link: &str,
    booked: Option<&str>,
) -> Result<OutgoingEmail> {
    let values = context! { first_name, brand, provider, link, booked };
    Ok(OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("{} invites you to your client portal", brand.practice),
        body: render("client_invitation.txt", values.clone())?,
        html: Some(render("client_invitation.html", values)?),
        carries_secret: true,
        calendar: None,
    })
}

/// Someone used a client's address on the public booking page: nothing was booked, and only
/// the client learns it (the page says the same to everyone). Without a portal login
/// (`login_link` is `None`) they are asked to contact the practice.
pub struct BookingByAClient<'a> {
    pub first_name: &'a str,
    pub practice: &'a str,
    pub booked: &'a str,
    pub login_link: Option<&'a str>,
    pub forgot_link: &'a str,
    /// The practice's phone and email, as one line.
    pub contact: &'a str,
}

pub fn booking_by_a_client(org_id: Uuid, to: &str, email: &BookingByAClient<'_>) -> Result<OutgoingEmail> {
    let BookingByAClient { first_name, practice, booked, login_link, forgot_link, contact } = *email;
    let body =
        render("booking_by_a_client.txt", context! { first_name, practice, booked, login_link, forgot_link, contact })?;
    Ok(plain(Some(org_id), to, format!("Booking with {practice}: please log in"), body, false))
}

pub fn client_password_reset(org_id: Uuid, to: &str, brand: &EmailBrand, link: &str) -> Result<OutgoingEmail> {
    let values = context! { brand, link };
    Ok(OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Reset your {} portal password", brand.practice),
        body: render("client_password_reset.txt", values.clone())?,
        html: Some(render("client_password_reset.html", values)?),
        carries_secret: true,
        calendar: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> EmailBrand {
        EmailBrand {
            practice: "Green <Leaf> https://evil.example".into(),
            accent_color: "#aa3300".into(),
            logo_url: Some("https://tend.example.com/p/green/logo".into()),
        }
    }

    const LINK: &str = "https://tend.example.com/p/green/welcome?token=a&b=2";

    #[test]
    fn client_email_html_carries_colour_logo_escaped_name_and_the_link() {
        let email = client_invitation(Uuid::nil(), "ann@example.com", "Ann", &brand(), "Paul", LINK, None).unwrap();
        let html = email.html.unwrap();
        assert!(html.contains("background:#aa3300"));
        // minijinja's HTML escaping also writes `/` as `&#x2f;`, which every mail reader decodes.
        assert!(html.contains(r#"src="https:&#x2f;&#x2f;tend.example.com&#x2f;p&#x2f;green&#x2f;logo""#));
        assert!(html.contains("Green &lt;Leaf&gt; https:&#x2f;&#x2f;evil.example"));
        assert!(html.contains(
            r#"<a href="https:&#x2f;&#x2f;tend.example.com&#x2f;p&#x2f;green&#x2f;welcome?token=a&amp;b=2">"#
        ));
        assert_eq!(html.matches("<a ").count(), 1, "the link alone is a link: {html}");
        assert!(email.body.contains(LINK));
        assert!(email.body.starts_with("Hello Ann,"));
    }

    #[test]
    fn without_a_logo_the_header_is_the_name_alone() {
        let email =
            client_password_reset(Uuid::nil(), "a@example.com", &EmailBrand { logo_url: None, ..brand() }, LINK)
                .unwrap();
        assert!(!email.html.unwrap().contains("<img"));
    }

    #[test]
    fn every_text_template_renders_with_its_values() {
        let invitation = MemberInvitation { practice: "Green Leaf", inviter: "Olivia", role: "provider", link: LINK };
        let messages = [
            welcome(Uuid::nil(), "a@example.com", "Dana", "Green Leaf", "https://tend.example.com/app").unwrap(),
            password_reset(None, "a@example.com", "Dana", LINK).unwrap(),
            password_changed(None, "a@example.com", "Dana").unwrap(),
            member_invitation(Uuid::nil(), "a@example.com", &invitation).unwrap(),
            confirm_sign_up("a@example.com", "Dana", "Green Leaf", LINK).unwrap(),
            account_exists("a@example.com", "https://tend.example.com/login", LINK).unwrap(),
            client_invitation(Uuid::nil(), "a@example.com", "Dana", &brand(), "Paul", LINK, Some("Intake with Paul"))
                .unwrap(),
            booking_by_a_client(Uuid::nil(), "a@example.com", &by_a_client(Some(LINK))).unwrap(),
            booking_by_a_client(Uuid::nil(), "a@example.com", &by_a_client(None)).unwrap(),
        ];
        assert!(messages[0].body.contains("Green Leaf is ready on Tend"));
        assert!(messages[1].body.contains(LINK) && messages[1].carries_secret);
        assert!(messages[2].body.starts_with("Hello Dana,"));
        assert!(messages[3].body.contains("Olivia invites you to join Green Leaf on Tend as provider."));
        assert!(messages[4].body.contains(LINK) && messages[4].carries_secret);
        assert!(messages[5].body.contains("already has a Tend account") && messages[5].body.contains(LINK));
        assert!(
            messages[6].body.contains("Thank you for booking Intake with Paul.") && messages[6].body.contains(LINK)
        );
        assert!(!messages[6].body.contains("Paul at"), "the provider did not set it up: {}", messages[6].body);
        assert!(messages[7].body.contains("Log in to your client portal to book: ") && !messages[7].carries_secret);
        assert!(
            messages[8].body.contains("Please contact Green Leaf to book (312 555 0142).")
                && !messages[8].body.contains(LINK)
        );
    }

    fn by_a_client(login_link: Option<&str>) -> BookingByAClient<'_> {
        BookingByAClient {
            first_name: "Dana",
            practice: "Green Leaf",
            booked: "Intake with Paul",
            login_link,
            forgot_link: "https://tend.example.com/p/green/forgot-password",
            contact: "312 555 0142",
        }
    }
}
