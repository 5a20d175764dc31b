//! The demo practice a new laptop starts with, so the app is alive on first run.

use sqlx::PgPool;

use crate::{
    Result,
    auth::{password, repo as users},
    clients::{self, ClientForm},
    clock::TimeZone,
    fields::NewPassword,
    orgs::{self, Permission, Role},
};

pub const DEMO_SLUG: &str = "green-leaf-demo";
/// Shared by every demo login; printed at start-up.
pub const DEMO_PASSWORD: &str = "tend-demo-garden-2026";

pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin { role: "owner", email: "olivia.owner@demo.tend.test" },
    DemoLogin { role: "provider", email: "paul.provider@demo.tend.test" },
    DemoLogin { role: "staff", email: "sam.staff@demo.tend.test" },
];

/// A client with a portal login, at `/p/green-leaf-demo`.
pub const DEMO_CLIENT_EMAIL: &str = "maya.chen@demo.tend.test";

/// (first, last, phone, birth date, index of the provider among the members, group index)
type DemoClient = (&'static str, &'static str, &'static str, &'static str, usize, Option<usize>);

const DEMO_CLIENTS: [DemoClient; 12] = [
    ("Maya", "Chen", "+1 312 555 0101", "1988-04-12", 0, Some(0)),
    ("Jordan", "Ellis", "+1 312 555 0102", "1979-11-03", 1, Some(0)),
    ("Priya", "Raman", "+1 773 555 0103", "1992-07-21", 1, Some(0)),
    ("Lucas", "Moreau", "", "1985-02-14", 0, Some(1)),
    ("Grace", "Okafor", "+1 312 555 0105", "1969-09-30", 1, Some(1)),
    ("Tomás", "Herrera", "+1 872 555 0106", "1995-12-08", 1, Some(1)),
    ("Hannah", "Berg", "+1 312 555 0107", "1990-05-17", 0, None),
    ("Samuel", "Adeyemi", "", "1982-03-26", 1, None),
    ("Isla", "MacLeod", "+1 773 555 0109", "2001-08-02", 0, None),
    ("Noah", "Kim", "+1 312 555 0110", "1975-01-19", 1, None),
    ("Elena", "Petrova", "+1 312 555 0111", "1987-10-25", 0, None),
    ("Omar", "Haddad", "+1 872 555 0112", "1993-06-11", 1, None),
];

/// Seeds the demo practice unless it exists. Returns whether it was created.
pub async fn seed_demo_practice(pool: &PgPool) -> Result<bool> {
    let mut tx = pool.begin().await?;
    if orgs::repo::slug_is_taken(&mut tx, DEMO_SLUG).await? {
        return Ok(false);
    }
    let password = NewPassword::parse(DEMO_PASSWORD, &[]).map_err(anyhow::Error::msg)?;
    let password_hash = password::hash(password).await?;
    let chicago = TimeZone::parse("America/Chicago").map_err(anyhow::Error::msg)?;
    let org_id = orgs::repo::insert_organization(&mut tx, "Green Leaf Nutrition (demo)", DEMO_SLUG, chicago).await?;
    let people = [("Olivia Owner", Role::Owner), ("Paul Provider", Role::Provider), ("Sam Staff", Role::Staff)];
    let mut memberships = Vec::new();
    for (login, (name, role)) in DEMO_LOGINS.iter().zip(people) {
        let user_id = users::insert_user(&mut tx, login.email, name, Some(&password_hash), None).await?;
        let permissions = Permission::defaults_for(role);
        memberships.push(orgs::repo::insert_membership(&mut tx, org_id, user_id, role, &permissions).await?);
    }
    let groups = [
        clients::groups::repo::insert(&mut tx, org_id, "Spring Reset Cohort").await?,
        clients::groups::repo::insert(&mut tx, org_id, "Diabetes Prevention Group").await?,
    ];
    let mut client_ids = Vec::new();
    for (first, last, phone, born, provider, group) in DEMO_CLIENTS {
        let email = format!("{}.{}@demo.tend.test", ascii(first), ascii(last));
        let form = ClientForm {
            first_name: first.into(),
            last_name: last.into(),
            email: email.clone(),
            phone: phone.into(),
            date_of_birth: born.into(),
            time_zone: "America/Chicago".into(),
            primary_provider_id: memberships[provider].to_string(),
        };
        let details = form.parse(chicago.date_at(chrono::Utc::now()))?;
        let user_id = if email == DEMO_CLIENT_EMAIL {
            Some(users::insert_user(&mut tx, &email, &format!("{first} {last}"), Some(&password_hash), None).await?)
        } else {
            None
        };
        let client_id = clients::repo::insert_client(&mut tx, org_id, &details, false, user_id).await?;
        if let Some(group) = group {
            clients::repo::set_group(&mut tx, org_id, client_id, Some(groups[group]), chrono::Utc::now()).await?;
        }
        client_ids.push((client_id, memberships[provider]));
    }
    seed_schedule(&mut tx, org_id, &memberships[..2], &client_ids, chicago).await?;
    tx.commit().await?;
    Ok(true)
}

/// Two appointment types offered by the owner and the provider, and an appointment for most
/// clients on the coming weekdays, so the calendar and the portal have something to show.
async fn seed_schedule(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    providers: &[uuid::Uuid],
    clients: &[(uuid::Uuid, uuid::Uuid)],
    zone: TimeZone,
) -> Result<()> {
    use chrono::{Datelike, Duration, NaiveTime, Weekday};

    use crate::scheduling::{
        LocationKind, RuleOverrides, TypeDetails,
        repo::{NewAppointment, insert_appointment, insert_type},
        slots::{Span, instant},
    };
    let now = chrono::Utc::now();
    let follow_up = TypeDetails {
        name: "Follow-up visit".into(),
        duration_minutes: 50,
        price_cents: 9500,
        location_kind: LocationKind::ExternalVideo,
        client_link: Some("https://meet.example.com/green-leaf/join".into()),
        host_link: Some("https://meet.example.com/green-leaf/host".into()),
        location: None,
        buffer_before_minutes: 0,
        buffer_after_minutes: 10,
        client_bookable: true,
        provider_ids: providers.to_vec(),
        overrides: RuleOverrides::default(),
    };
    let initial = TypeDetails {
        name: "Initial consultation".into(),
        duration_minutes: 60,
        price_cents: 15000,
        location_kind: LocationKind::InPerson,
        client_link: None,
        host_link: None,
        location: Some("123 Garden Street, Chicago".into()),
        buffer_after_minutes: 15,
        ..follow_up.clone()
    };
    let follow_up_id = insert_type(conn, org_id, &follow_up, now).await?;
    insert_type(conn, org_id, &initial, now).await?;
    let mut day = zone.date_at(now) + Duration::days(1);
    let times = [NaiveTime::from_hms_opt(10, 0, 0), NaiveTime::from_hms_opt(14, 0, 0)];
    for (n, (client_id, provider_id)) in clients.iter().take(8).enumerate() {
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day += Duration::days(1);
        }
        let Some(time) = times[n % 2] else { continue };
        let starts_at = instant(zone, day, time);
        let ends_at = starts_at + Duration::minutes(50);
        let appointment = NewAppointment {
            org_id,
            client_id: *client_id,
            provider_id: *provider_id,
            type_id: follow_up_id,
            starts_at,
            ends_at,
            busy: Span::new(starts_at, ends_at + Duration::minutes(10)),
            booked_by: "provider",
            notes: String::new(),
        };
        insert_appointment(conn, &appointment, now).await?;
        if n % 2 == 1 {
            day += Duration::days(1);
        }
    }
    Ok(())
}

fn ascii(name: &str) -> String {
    name.to_lowercase().replace('á', "a")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_password_passes_the_password_rules() {
        assert!(NewPassword::parse(DEMO_PASSWORD, &[]).is_ok());
    }
}
