//! Scheduling through the server: booking email reaches the SMTP server with its calendar
//! event attached, and the rules hold for hand-made requests.

use sqlx::PgPool;

use crate::support::{Browser, TestSmtp, practice::fixture, settings, spawn_app};

/// The owner's membership id, a phone type they offer and a client with an email.
async fn set_up(pool: &PgPool, owner_email: &str) -> (String, String, String) {
    let membership: uuid::Uuid =
        sqlx::query_scalar("SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1")
            .bind(owner_email)
            .fetch_one(pool)
            .await
            .unwrap();
    let org_id: uuid::Uuid = sqlx::query_scalar("SELECT org_id FROM memberships WHERE id = $1")
        .bind(membership)
        .fetch_one(pool)
        .await
        .unwrap();
    let (type_id, client_id) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    sqlx::query(
        "INSERT INTO appointment_types (id, org_id, name, duration_minutes, location_kind, created_at)
         VALUES ($1, $2, 'Follow-up', 50, 'phone', now())",
    )
    .bind(type_id)
    .bind(org_id)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO appointment_type_providers (org_id, type_id, provider_id) VALUES ($1, $2, $3)")
        .bind(org_id)
        .bind(type_id)
        .bind(membership)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO clients (id, org_id, first_name, last_name, email, time_zone)
         VALUES ($1, $2, 'Jordan', 'Lee', 'jordan@clients.example.com', 'America/Chicago')",
    )
    .bind(client_id)
    .bind(org_id)
    .execute(pool)
    .await
    .unwrap();
    (membership.to_string(), type_id.to_string(), client_id.to_string())
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_booking_mails_both_people_an_invitation_their_calendar_reads(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let owner = Browser::new();
    owner.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let (provider, type_id, client_id) = set_up(&pool, "dana@example.com").await;

    let response = owner
        .call(
            &app,
            "book_appointment",
            &[
                ("appointment[client_id]", &client_id),
                ("appointment[provider_id]", &provider),
                ("appointment[type_id]", &type_id),
                ("appointment[date]", "2030-01-08"),
                ("appointment[time]", "09:00"),
            ],
        )
        .await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());

    for to in ["jordan@clients.example.com", "dana@example.com"] {
        let mail = smtp.wait_for(to, "invite.ics").await;
        assert!(mail.data.contains("text/calendar; charset=utf-8; method=REQUEST"), "{}", mail.data);
        assert!(mail.data.contains("BEGIN:VCALENDAR") || mail.data.contains("QkVHSU46VkNBTEVOREFS"), "{}", mail.data);
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn crafted_times_and_switched_off_booking_are_refused_with_words_not_a_500(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let book = |at: String| {
        let (slug, type_id, provider) = (f.a.slug.clone(), f.a_type.to_string(), f.provider_membership.to_string());
        let client = &f.client_one;
        let app = &app;
        async move {
            let response = client
                .call(
                    app,
                    "portal_book",
                    &[("slug", &slug), ("type_id", &type_id), ("provider_id", &provider), ("at", &at)],
                )
                .await;
            (response.status(), response.text().await.unwrap_or_default())
        }
    };
    let in_an_hour = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let sunday_night = "2030-01-06T08:00:00Z".to_owned();
    let off_the_interval = "2030-01-08T15:07:00Z".to_owned();
    for at in [in_an_hour, sunday_night, off_the_interval] {
        let (status, body) = book(at.clone()).await;
        assert_eq!(status, 409, "{at}: {body}");
        assert!(body.contains("That time is not open for booking"), "{at}: {body}");
    }
    let (status, _) = book("not a time".to_owned()).await;
    assert_eq!(status, 400);

    f.a.owner.call(&app, "set_portal_booking", &[]).await;
    let (status, body) = book("2030-01-08T15:00:00Z".to_owned()).await;
    assert_eq!(status, 409);
    assert!(body.contains("switched off"), "{body}");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_report_downloads_as_csv_for_the_practice_only(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let get = |who: &Browser| {
        who.http.get(format!("{}/app/reports/appointments.csv?from=2000-01-01&to=2000-12-31", app.base))
    };
    // Client one's appointment is a week from now: ask for the year it falls in.
    let year = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y").to_string();
    let url = format!("{}/app/reports/appointments.csv?from={year}-01-01&to={year}-12-31", app.base);

    let response = f.a.owner.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    assert!(body.starts_with("Date,Start,End,Time zone,Client"), "{body}");
    assert!(body.contains("One Client"), "{body}");

    let other = f.b.owner.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!other.contains("One Client"), "{other}");
    assert_eq!(f.visitor.http.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(get(&f.a.owner).send().await.unwrap().status(), 200);
    let backwards = format!("{}/app/reports/appointments.csv?from=2030-01-01&to=2029-01-01", app.base);
    assert_eq!(f.a.owner.http.get(&backwards).send().await.unwrap().status(), 400);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_calendar_feed_is_read_by_its_address_alone_and_dies_when_reset(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let provider = f.provider_membership.to_string();
    let made = f.provider.call(&app, "reset_calendar_feed", &[("provider", &provider)]).await;
    assert_eq!(made.status(), 200);
    let address: String = made.json().await.unwrap();
    let path = address.trim_start_matches("http://tend.test");

    // No cookie needed: calendar apps hold only the address.
    let response = Browser::new().http.get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    let body = response.text().await.unwrap();
    assert!(body.contains("BEGIN:VEVENT") && body.contains("One Client"), "{body}");

    f.provider.call(&app, "reset_calendar_feed", &[("provider", &provider)]).await;
    let old = Browser::new().http.get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(old.status(), 404);
    for odd in ["/calendar/x.ics", "/calendar/..%2F..%2Fetc%2Fpasswd.ics", "/calendar/nothing"] {
        let response = Browser::new().http.get(format!("{}{odd}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{odd}");
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_public_page_books_a_new_person_and_answers_a_clients_email_alike(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let (provider, type_id, _) = set_up(&pool, "dana@example.com").await;
    let slug: String = sqlx::query_scalar("SELECT slug FROM organizations").fetch_one(&pool).await.unwrap();
    let visitor = Browser::new();

    let page = visitor.call(&app, "portal_booking", &[("slug", &slug), ("type_id", &type_id)]).await;
    assert_eq!(page.status(), 200);
    let view: serde_json::Value = page.json().await.unwrap();
    assert_eq!(view["visitor"], true);
    let at = view["days"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|day| day["slots"].as_array().and_then(|s| s.first()).map(|s| s["at"].as_str().unwrap().to_owned()))
        .expect("a free time within a week");
    let book = |email: &'static str| {
        let (visitor, app, slug, type_id, provider, at) = (&visitor, &app, &slug, &type_id, &provider, &at);
        async move {
            let response = visitor
                .call(
                    app,
                    "public_book",
                    &[
                        ("slug", slug),
                        ("type_id", type_id),
                        ("provider_id", provider),
                        ("at", at),
                        ("visitor[first_name]", "Nora"),
                        ("visitor[last_name]", "Quinn"),
                        ("visitor[email]", email),
                        ("visitor[phone]", "+1 312 555 0142"),
                        ("visitor[time_zone]", "America/Chicago"),
                    ],
                )
                .await;
            let headers: Vec<String> = ["location", "serverfnredirect"]
                .iter()
                .map(|h| response.headers().get(*h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned())
                .collect();
            (response.status(), headers, response.text().await.unwrap())
        }
    };
    // The client first: their request books nothing, so the time is still free for Nora.
    let for_client = book("jordan@clients.example.com").await;
    let for_new_person = book("nora@example.com").await;
    assert!(for_new_person.0.is_success() || for_new_person.0.is_redirection(), "{for_new_person:?}");
    assert_eq!(for_client, for_new_person, "the answer never tells whose address it is");

    let invitation = smtp.wait_for("nora@example.com", "client portal").await;
    assert!(invitation.first_link().unwrap().contains("/welcome?token="));
    smtp.wait_for("nora@example.com", "invite.ics").await;
    smtp.wait_for("dana@example.com", "invite.ics").await;
    smtp.wait_for("jordan@clients.example.com", "please log in").await;
    let booked: Vec<String> =
        sqlx::query_scalar("SELECT c.email FROM appointments a JOIN clients c ON c.id = a.client_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(booked, ["nora@example.com"]);
}
