//! The words of each email Tend sends. Plain text: it reads well everywhere.

use uuid::Uuid;

use super::OutgoingEmail;

pub fn welcome(
    org_id: Uuid,
    to: &str,
    full_name: &str,
    practice: &str,
    app_link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Welcome to Tend, {full_name}"),
        body: format!(
            "Hello {full_name},\n\n{practice} is ready on Tend. Sign in any time at:\n{app_link}\n\n\
             Next steps: add your clients, publish your availability and invite your team.\n\n— Tend"
        ),
    }
}

pub fn password_reset(
    org_id: Option<Uuid>,
    to: &str,
    full_name: &str,
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        org_id,
        to: to.to_owned(),
        subject: "Reset your Tend password".to_owned(),
        body: format!(
            "Hello {full_name},\n\nSomeone asked to reset the password of your Tend account. \
             To choose a new password, open this link within the next hour:\n{link}\n\n\
             The link works once. If you did not ask for it, ignore this email: your password stays as it is.\n\n— Tend"
        ),
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
    }
}
