//! The words of each email Tend sends. Plain text: it reads well everywhere.

use uuid::Uuid;

use super::OutgoingEmail;

pub fn welcome(org_id: Uuid, to: &str, full_name: &str, practice: &str, app_link: &str) -> OutgoingEmail {
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

pub fn client_invitation(
    org_id: Uuid,
    to: &str,
    first_name: &str,
    practice: &str,
    provider: &str,
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("{practice} invites you to your client portal"),
        body: format!(
            "Hello {first_name},\n\n{provider} at {practice} has set up your client portal, where you can \
             see your sessions, forms and messages.\n\nChoose your password here (the link works once, \
             for 7 days):\n{link}\n\nYour username is this email address.\n\n— {practice}"
        ),
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
    }
}

pub fn client_password_reset(org_id: Uuid, to: &str, practice: &str, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        org_id: Some(org_id),
        to: to.to_owned(),
        subject: format!("Reset your {practice} portal password"),
        body: format!(
            "Hello,\n\nSomeone asked to reset the password of your {practice} client portal. To choose a new \
             password, open this link within the next hour:\n{link}\n\nIf you did not ask for it, ignore \
             this email.\n\n— {practice}"
        ),
    }
}
