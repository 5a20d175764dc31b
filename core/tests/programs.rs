//! Who has access to a program, decided at read time: directly, through a group, after leaving
//! the group, after removal, after expiry, re-enrolled; and nothing across practices.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use sqlx::PgPool;
use tend_core::{
    Actor, Context, Error,
    auth::repo as users,
    clients::{ClientForm, groups, repo as clients},
    clock::{ManualClock, TimeZone},
    orgs::{Permission, Role, repo as orgs},
    portal::ClientActor,
    programs::{
        ModuleForm, ProgramForm, ProgramStatus, releases,
        schedule::ModuleState,
        service::{self as programs, Target},
    },
    settings::Settings,
};
use uuid::Uuid;

struct Practice {
    ctx: Context,
    clock: Arc<ManualClock>,
    owner: Actor,
}

async fn practice(pool: &PgPool, slug: &str) -> Practice {
    practice_in(pool, slug, TimeZone::UTC).await
}

async fn practice_in(pool: &PgPool, slug: &str, zone: TimeZone) -> Practice {
    let mut conn = pool.acquire().await.unwrap();
    let org_id = orgs::insert_organization(&mut conn, slug, slug, zone).await.unwrap();
    let user_id =
        users::insert_user(&mut conn, &format!("owner@{slug}.example.com"), "Owner", None, None).await.unwrap();
    orgs::insert_membership(&mut conn, org_id, user_id, Role::Owner, &Permission::ALL).await.unwrap();
    let owner = orgs::load_actor(&mut conn, user_id, org_id, 1).await.unwrap().unwrap();
    let clock = ManualClock::starting_at("2026-12-01T12:00:00Z".parse().unwrap());
    let settings = Settings::from_lookup(|_| None).unwrap();
    Practice { ctx: Context::with_clock(pool.clone(), Arc::new(settings), clock.clone()), clock, owner }
}

async fn client(p: &Practice, first: &str) -> ClientActor {
    let form = ClientForm {
        first_name: first.into(),
        last_name: "Client".into(),
        time_zone: "UTC".into(),
        primary_provider_id: p.owner.membership_id.to_string(),
        ..ClientForm::default()
    };
    let details = form.parse(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let mut conn = p.ctx.pool.acquire().await.unwrap();
    let id = clients::insert_client(&mut conn, p.owner.org_id, &details, false, None).await.unwrap();
    ClientActor {
        client_id: id,
        user_id: Uuid::new_v4(),
        org_id: p.owner.org_id,
        first_name: first.into(),
        last_name: "Client".into(),
        email: None,
        phone: None,
        time_zone: TimeZone::UTC,
        provider_name: None,
        is_test: false,
    }
}

/// An active rolling program with a module on day 0 and one on day 7, both at 09:00.
async fn program(p: &Practice, access_days: &str) -> (Uuid, Uuid, Uuid) {
    let form = ProgramForm {
        title: "Gut reset".into(),
        kind: "rolling".into(),
        access_days: access_days.into(),
        ..ProgramForm::default()
    };
    let id = programs::create(&p.ctx, &p.owner, &form).await.unwrap();
    let module = |title: &str, day: &str| ModuleForm {
        kind: "lesson".into(),
        title: title.into(),
        body: "Eat *more* greens.".into(),
        release_day: day.into(),
        release_time: "09:00".into(),
        ..ModuleForm::default()
    };
    let first = programs::add_module(&p.ctx, &p.owner, id, &module("Welcome", "0")).await.unwrap();
    let second = programs::add_module(&p.ctx, &p.owner, id, &module("Week two", "7")).await.unwrap();
    programs::set_status(&p.ctx, &p.owner, id, ProgramStatus::Active).await.unwrap();
    (id, first, second)
}

async fn titles(p: &Practice, c: &ClientActor) -> Vec<String> {
    programs::programs_of_client(&p.ctx, c).await.unwrap().into_iter().map(|s| s.title).collect()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_direct_enrollment_releases_modules_on_schedule_and_removal_ends_access_at_once(pool: PgPool) {
    let p = practice(&pool, "a").await;
    let ann = client(&p, "Ann").await;
    let (program, first, second) = program(&p, "").await;

    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ann.client_id), "2026-12-01", "").await.unwrap();

    let view = programs::client_program(&p.ctx, &ann, program).await.unwrap();
    assert_eq!(view.modules[0].state, ModuleState::Open { completed: false });
    assert!(
        matches!(view.modules[1].state, ModuleState::Upcoming { opens_at } if opens_at == "2026-12-08T09:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap())
    );
    assert!(
        matches!(programs::client_module(&p.ctx, &ann, second).await, Err(Error::Conflict(_))),
        "locked content is not sent"
    );
    let content = programs::client_module(&p.ctx, &ann, first).await.unwrap();
    assert!(content.html.contains("<em>more</em>"));
    programs::complete_module(&p.ctx, &ann, first).await.unwrap();

    programs::remove_client(&p.ctx, &p.owner, program, ann.client_id).await.unwrap();

    assert!(titles(&p, &ann).await.is_empty());
    assert!(matches!(programs::client_program(&p.ctx, &ann, program).await, Err(Error::NotFound)));
    assert!(matches!(programs::client_module(&p.ctx, &ann, first).await, Err(Error::NotFound)));

    // Enrolled again, they keep their past progress.
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ann.client_id), "2026-12-01", "").await.unwrap();
    let view = programs::client_program(&p.ctx, &ann, program).await.unwrap();
    assert_eq!(view.modules[0].state, ModuleState::Open { completed: true });
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_group_gives_access_while_the_client_is_in_it_and_cannot_be_bypassed_by_the_x(pool: PgPool) {
    let p = practice(&pool, "a").await;
    let ann = client(&p, "Ann").await;
    let ben = client(&p, "Ben").await;
    let (program, _, _) = program(&p, "").await;
    let group = groups::create(&p.ctx, &p.owner, "Tuesday cohort").await.unwrap();
    groups::place_client(&p.ctx, &p.owner, ann.client_id, Some(group)).await.unwrap();
    programs::enroll(&p.ctx, &p.owner, program, Target::Group(group), "2026-12-01", "join_date").await.unwrap();
    let editor = programs::detail(&p.ctx, &p.owner, program).await.unwrap();
    let listed: Vec<(&str, &str)> = editor.groups.iter().map(|g| (g.2.as_str(), g.4.as_str())).collect();
    assert_eq!(listed, [("Tuesday cohort", "join_date")], "the editor lists the group, not its clients");

    assert_eq!(titles(&p, &ann).await, ["Gut reset"]);
    let refused = programs::remove_client(&p.ctx, &p.owner, program, ann.client_id).await.unwrap_err();
    assert!(matches!(&refused, Error::Conflict(m) if m.contains("Tuesday cohort")), "{refused:?}");
    assert!(titles(&p, &ben).await.is_empty());

    // Ben joins the group later and starts on the day he joins.
    p.clock.advance(Duration::days(5));
    groups::place_client(&p.ctx, &p.owner, ben.client_id, Some(group)).await.unwrap();
    let view = programs::client_program(&p.ctx, &ben, program).await.unwrap();
    assert_eq!(view.start, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());

    groups::remove_client(&p.ctx, &p.owner, group, ann.client_id).await.unwrap();
    assert!(titles(&p, &ann).await.is_empty(), "leaving the group ends the access");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn access_ends_when_it_expires_without_any_job_running(pool: PgPool) {
    let p = practice(&pool, "a").await;
    let ann = client(&p, "Ann").await;
    let (program, _, _) = program(&p, "10").await;
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ann.client_id), "2026-12-01", "").await.unwrap();

    p.clock.set("2026-12-10T23:59:00Z".parse().unwrap());
    assert_eq!(titles(&p, &ann).await, ["Gut reset"]);
    p.clock.set("2026-12-11T00:00:00Z".parse().unwrap());
    assert!(titles(&p, &ann).await.is_empty());
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn another_practices_program_client_and_group_are_refused(pool: PgPool) {
    let a = practice(&pool, "a").await;
    let b = practice(&pool, "b").await;
    let ann = client(&a, "Ann").await;
    let bea = client(&b, "Bea").await;
    let (a_program, a_module, _) = program(&a, "").await;
    let (b_program, _, _) = program(&b, "").await;
    let b_group = groups::create(&b.ctx, &b.owner, "B group").await.unwrap();

    let not_found = |r: tend_core::Result<()>| matches!(r, Err(Error::NotFound));
    assert!(not_found(programs::enroll(&a.ctx, &a.owner, b_program, Target::Client(ann.client_id), "", "").await));
    assert!(not_found(programs::enroll(&a.ctx, &a.owner, a_program, Target::Client(bea.client_id), "", "").await));
    assert!(not_found(programs::enroll(&a.ctx, &a.owner, a_program, Target::Group(b_group), "", "").await));
    assert!(programs::detail(&a.ctx, &a.owner, b_program).await.is_err());
    programs::enroll(&a.ctx, &a.owner, a_program, Target::Client(ann.client_id), "", "").await.unwrap();
    let b_view_of_ann = ClientActor { org_id: b.owner.org_id, ..ann.clone() };
    assert!(programs::client_module(&b.ctx, &b_view_of_ann, a_module).await.is_err());
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn one_release_email_per_client_program_and_day_however_often_the_scan_runs(pool: PgPool) {
    let p = practice(&pool, "a").await;
    let ann = client(&p, "Ann").await;
    sqlx::query("UPDATE clients SET email = 'ann@clients.example.com' WHERE id = $1")
        .bind(ann.client_id)
        .execute(&pool)
        .await
        .unwrap();
    let (program, _, _) = program(&p, "").await;
    let email_module = ModuleForm {
        kind: "email".into(),
        title: "Your shopping list".into(),
        body: "Beans, oats and greens.".into(),
        release_day: "7".into(),
        release_time: "09:00".into(),
        ..ModuleForm::default()
    };
    programs::add_module(&p.ctx, &p.owner, program, &email_module).await.unwrap();
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ann.client_id), "2026-12-01", "").await.unwrap();

    // Two instances scanning at once, and again later: one job for day 0.
    let (first, second) = tokio::join!(releases::scan(&p.ctx), releases::scan(&p.ctx));
    releases::scan(&p.ctx).await.unwrap();
    assert_eq!(first.unwrap() + second.unwrap(), 1);
    let jobs: Vec<serde_json::Value> =
        sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'send_program_release_email'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["day"], "2026-12-01");

    // Day 7 holds a lesson and an email module: the email module's own text is the email.
    p.clock.set("2026-12-08T10:00:00Z".parse().unwrap());
    assert_eq!(releases::scan(&p.ctx).await.unwrap(), 1);
    let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    assert!(releases::send(&p.ctx, p.owner.org_id, ann.client_id, program, day).await.unwrap());
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body_text FROM emails WHERE to_address = 'ann@clients.example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject, "Your shopping list");
    assert!(body.contains("Beans, oats and greens.") && body.contains("- Week two"), "{body}");
    assert!(body.contains(&format!("/programs/{program}")));

    // Removed before the job runs: nothing is sent.
    programs::remove_client(&p.ctx, &p.owner, program, ann.client_id).await.unwrap();
    assert!(!releases::send(&p.ctx, p.owner.org_id, ann.client_id, program, day).await.unwrap());
}

/// Who is on a program's Clients tab (decided in SQL, a page at a time) and who the portal lets
/// in (decided in Rust, `access::effective`), at `p`'s clock.
async fn tab_and_portal(p: &Practice, program: Uuid, clients: &[&ClientActor]) -> (Vec<String>, Vec<String>) {
    let tab = programs::clients_tab(&p.ctx, &p.owner, program, "", 1).await.unwrap();
    assert_eq!(tab.total, tab.rows.len());
    assert_eq!(programs::detail(&p.ctx, &p.owner, program).await.unwrap().client_count, tab.total);
    let on_tab = tab.rows.into_iter().map(|row| row.name).collect();
    let mut in_portal = Vec::new();
    for client in clients {
        if titles(p, client).await.contains(&"Gut reset".to_string()) {
            in_portal.push(format!("{} {}", client.first_name, client.last_name));
        }
    }
    (on_tab, in_portal)
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_clients_tab_and_the_portal_agree_on_access_when_the_clocks_change_at_midnight(pool: PgPool) {
    // Havana's clocks go back from 01:00 to 00:00 on 2026-11-01 (midnight happens twice, at
    // 04:00 and 05:00 UTC) and forward from 00:00 to 01:00 on 2027-03-14 (no midnight at all).
    let p = practice_in(&pool, "a", TimeZone::parse("America/Havana").unwrap()).await;
    p.clock.set("2026-10-20T15:00:00Z".parse().unwrap());
    let [ann, ben, cy, dee] =
        [client(&p, "Ann").await, client(&p, "Ben").await, client(&p, "Cy").await, client(&p, "Dee").await];
    let everyone = [&ann, &ben, &cy, &dee];
    let (program, _, _) = program(&p, "10").await;
    // Ann's ten days end with 31 October; Dee's own enrollment ended long ago.
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ann.client_id), "2026-10-22", "").await.unwrap();
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(dee.client_id), "2026-10-01", "").await.unwrap();
    // Ben's access ends with 13 March, by a date of his own.
    programs::enroll(&p.ctx, &p.owner, program, Target::Client(ben.client_id), "2027-01-01", "").await.unwrap();
    let ben_row = programs::clients_tab(&p.ctx, &p.owner, program, "Ben", 1).await.unwrap().rows.remove(0);
    programs::change_dates(&p.ctx, &p.owner, ben_row.enrollment_id, "2027-01-01", "2027-03-13").await.unwrap();
    // Cy and Dee join a group at 00:30 on 1 November (the first one): they start that day.
    let group = groups::create(&p.ctx, &p.owner, "Night owls").await.unwrap();
    programs::enroll(&p.ctx, &p.owner, program, Target::Group(group), "2026-10-01", "join_date").await.unwrap();
    p.clock.set("2026-11-01T04:30:00Z".parse().unwrap());
    groups::place_client(&p.ctx, &p.owner, cy.client_id, Some(group)).await.unwrap();
    groups::place_client(&p.ctx, &p.owner, dee.client_id, Some(group)).await.unwrap();

    let expected: [(&str, &[&str]); 9] = [
        ("2026-11-01T03:59:00Z", &["Ann Client", "Ben Client", "Cy Client", "Dee Client"]),
        ("2026-11-01T04:00:00Z", &["Ben Client", "Cy Client", "Dee Client"]),
        ("2026-11-01T04:59:00Z", &["Ben Client", "Cy Client", "Dee Client"]),
        ("2026-11-01T05:30:00Z", &["Ben Client", "Cy Client", "Dee Client"]),
        // The group's ten days from 1 November end with the 10th.
        ("2026-11-11T04:59:00Z", &["Ben Client", "Cy Client", "Dee Client"]),
        ("2026-11-11T05:00:00Z", &["Ben Client"]),
        ("2027-03-14T04:59:00Z", &["Ben Client"]),
        ("2027-03-14T05:00:00Z", &[]),
        ("2027-03-14T05:01:00Z", &[]),
    ];
    for (at, names) in expected {
        p.clock.set(at.parse().unwrap());
        let (on_tab, in_portal) = tab_and_portal(&p, program, &everyone).await;
        assert_eq!(on_tab, names, "Clients tab at {at}");
        assert_eq!(in_portal, names, "portal at {at}");
    }

    p.clock.set("2026-11-02T12:00:00Z".parse().unwrap());
    let tab = programs::clients_tab(&p.ctx, &p.owner, program, "Dee", 1).await.unwrap();
    assert_eq!(tab.rows[0].via_group.as_ref().map(|(_, name)| name.as_str()), Some("Night owls"));
    assert_eq!(tab.rows[0].start, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_clients_tab_pages_by_name_and_a_page_past_the_end_shows_the_last(pool: PgPool) {
    let p = practice(&pool, "a").await;
    let (program, _, _) = program(&p, "").await;
    let mut names = Vec::new();
    for n in 0..27 {
        let c = client(&p, &format!("Client{n:02}")).await;
        programs::enroll(&p.ctx, &p.owner, program, Target::Client(c.client_id), "", "").await.unwrap();
        names.push(format!("Client{n:02} Client"));
    }

    let first = programs::clients_tab(&p.ctx, &p.owner, program, "", 1).await.unwrap();
    assert_eq!((first.total, first.page, first.page_count), (27, 1, 2));
    assert_eq!(first.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), names[..25]);
    let past = programs::clients_tab(&p.ctx, &p.owner, program, "", 9).await.unwrap();
    assert_eq!((past.total, past.page), (27, 2));
    assert_eq!(past.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), names[25..]);
    let search = programs::clients_tab(&p.ctx, &p.owner, program, "client1", 1).await.unwrap();
    assert_eq!(search.total, 10);
}
