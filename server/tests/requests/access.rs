//! Who may call which server function on which rows: one table, two practices, members
//! with different permissions, and two portal clients. Each later feature adds its rows.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{
    Browser,
    practice::{Fixture, fixture},
    settings, spawn_app,
};

#[derive(Clone, Copy, Debug)]
enum Who {
    OwnerA,
    ProviderA,
    StaffA,
    OwnerB,
    ClientOne,
    ClientTwo,
    Visitor,
}

fn browser(f: &Fixture, who: Who) -> &Browser {
    match who {
        Who::OwnerA => &f.a.owner,
        Who::ProviderA => &f.provider,
        Who::StaffA => &f.staff,
        Who::OwnerB => &f.b.owner,
        Who::ClientOne => &f.client_one,
        Who::ClientTwo => &f.client_two,
        Who::Visitor => &f.visitor,
    }
}

struct Case {
    who: Who,
    function: &'static str,
    args: Vec<(&'static str, String)>,
    status: StatusCode,
    /// For refusals by permission: the permission the message must name.
    names: Option<&'static str>,
}

fn case(who: Who, function: &'static str, args: &[(&'static str, &str)], status: StatusCode) -> Case {
    Case { who, function, args: args.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(), status, names: None }
}

fn forbidden(who: Who, function: &'static str, args: &[(&'static str, &str)], permission: &'static str) -> Case {
    Case { names: Some(permission), ..case(who, function, args, StatusCode::FORBIDDEN) }
}

fn client_fields(id: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("id", id),
        ("client[first_name]", "X"),
        ("client[last_name]", "Y"),
        ("client[email]", ""),
        ("client[phone]", ""),
        ("client[date_of_birth]", ""),
        ("client[time_zone]", "UTC"),
        ("client[primary_provider_id]", ""),
    ]
}

fn program_fields(id: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("id", id),
        ("program[title]", "Renamed"),
        ("program[description]", ""),
        ("program[kind]", "rolling"),
        ("program[fixed_start_date]", ""),
        ("program[access_days]", ""),
    ]
}

fn module_fields<'a>(key: &'static str, id: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        (key, id),
        ("module[kind]", "lesson"),
        ("module[title]", "Hi"),
        ("module[body]", ""),
        ("module[video_url]", ""),
        ("module[release_day]", "1"),
        ("module[release_time]", "09:00"),
    ]
}

fn type_fields<'a>(id: &'a str, provider: &str) -> Vec<(&'static str, &'a str)> {
    // The key names the provider; a test may leak a few bytes.
    let provider_key: &'static str = Box::leak(format!("kind[providers][p-{provider}]").into_boxed_str());
    vec![
        ("id", id),
        (provider_key, "on"),
        ("kind[name]", "Intake"),
        ("kind[duration_minutes]", "60"),
        ("kind[location_kind]", "phone"),
    ]
}

/// Scheduling: settings need "manage organization settings", another provider's calendar
/// "manage scheduling for others"; clients reach only their own appointments.
fn scheduling_cases(f: &Fixture) -> Vec<Case> {
    use StatusCode as S;
    use Who::*;
    let a_type = f.a_type.to_string();
    let appointment = f.a_appointment.to_string();
    let provider = f.provider_membership.to_string();
    let owner_a = f.a.owner_membership.to_string();
    let owner_b = f.b.owner_membership.to_string();
    let one = f.client_one_id.to_string();
    let (slug_a, slug_b) = (f.a.slug.as_str(), f.b.slug.as_str());
    let unknown = uuid::Uuid::new_v4().to_string();
    let settings = "Can manage organization settings";
    let others = "Can manage scheduling for other members";
    let none = &[][..];
    let booking = |moving: &str| {
        vec![
            ("slug", slug_a.to_owned()),
            ("type_id", a_type.clone()),
            ("provider_id", provider.clone()),
            ("at", "2030-01-07T15:00:00Z".to_owned()),
            ("moving", moving.to_owned()),
        ]
    };
    let public_booking = |slug: &str| {
        vec![
            ("slug", slug.to_owned()),
            ("type_id", a_type.clone()),
            ("provider_id", provider.clone()),
            ("at", "2030-01-07T15:00:00Z".to_owned()),
            ("visitor[first_name]", "Vera".to_owned()),
            ("visitor[last_name]", "Visitor".to_owned()),
            ("visitor[email]", "vera@example.com".to_owned()),
            ("visitor[phone]", "+1 312 555 0142".to_owned()),
            ("visitor[time_zone]", "America/Chicago".to_owned()),
        ]
    };
    let booking_case = |who: Who, moving: &str, status: S| Case {
        who,
        function: "portal_book",
        args: booking(moving),
        status,
        names: None,
    };
    vec![
        case(Visitor, "scheduling_settings", none, S::UNAUTHORIZED),
        case(ProviderA, "scheduling_settings", none, S::OK),
        forbidden(ProviderA, "save_scheduling_settings", &[("rules[horizon_days]", "30")], settings),
        forbidden(ProviderA, "set_portal_booking", none, settings),
        case(OwnerB, "appointment_type", &[("id", &a_type)], S::NOT_FOUND),
        forbidden(ProviderA, "save_appointment_type", &type_fields("", &provider), settings),
        case(OwnerB, "save_appointment_type", &type_fields(&a_type, &owner_b), S::NOT_FOUND),
        case(OwnerB, "archive_appointment_type", &[("id", &a_type), ("archived", "true")], S::NOT_FOUND),
        case(ProviderA, "provider_hours", none, S::OK),
        forbidden(ProviderA, "provider_hours", &[("provider", &owner_a)], others),
        case(OwnerB, "provider_hours", &[("provider", &provider)], S::NOT_FOUND),
        forbidden(ProviderA, "save_weekly_hours", &[("provider", &owner_a)], others),
        forbidden(
            ProviderA,
            "add_date_hours",
            &[("provider", &owner_a), ("date", "2030-01-01"), ("day_off", "on")],
            others,
        ),
        case(OwnerB, "remove_date_hours", &[("provider", &provider), ("id", &unknown)], S::NOT_FOUND),
        case(ProviderA, "calendar", &[("providers", &owner_a)], S::OK),
        case(Visitor, "calendar", none, S::UNAUTHORIZED),
        case(ProviderA, "new_appointment_options", &[("client", &one)], S::OK),
        case(OwnerB, "new_appointment_options", &[("client", &one)], S::NOT_FOUND),
        case(
            OwnerB,
            "book_appointment",
            &[
                ("appointment[client_id]", &one),
                ("appointment[provider_id]", &provider),
                ("appointment[type_id]", &a_type),
                ("appointment[date]", "2030-01-07"),
                ("appointment[time]", "09:00"),
            ],
            S::NOT_FOUND,
        ),
        forbidden(
            ProviderA,
            "book_appointment",
            &[
                ("appointment[client_id]", &one),
                ("appointment[provider_id]", &owner_a),
                ("appointment[type_id]", &a_type),
                ("appointment[date]", "2030-01-07"),
                ("appointment[time]", "09:00"),
            ],
            others,
        ),
        case(ProviderA, "get_appointment", &[("id", &appointment)], S::OK),
        case(OwnerB, "get_appointment", &[("id", &appointment)], S::NOT_FOUND),
        case(ClientOne, "get_appointment", &[("id", &appointment)], S::UNAUTHORIZED),
        case(OwnerB, "set_appointment_status", &[("id", &appointment), ("status", "no_show")], S::NOT_FOUND),
        case(
            OwnerB,
            "reschedule_appointment",
            &[("id", &appointment), ("date", "2030-01-07"), ("time", "10:00")],
            S::NOT_FOUND,
        ),
        case(OwnerB, "delete_appointment", &[("id", &appointment)], S::NOT_FOUND),
        case(ClientOne, "portal_booking", &[("slug", slug_a)], S::OK),
        case(ClientOne, "portal_booking", &[("slug", slug_a), ("moving", &appointment)], S::OK),
        case(ClientTwo, "portal_booking", &[("slug", slug_a), ("moving", &appointment)], S::NOT_FOUND),
        // The booking page is public: a visitor sees the practice's free times, not a client's.
        case(Visitor, "portal_booking", &[("slug", slug_a)], S::OK),
        case(Visitor, "portal_booking", &[("slug", "no-such-practice")], S::NOT_FOUND),
        Case { who: Visitor, function: "public_book", args: public_booking(slug_b), status: S::NOT_FOUND, names: None },
        Case {
            who: Visitor,
            function: "public_book",
            args: public_booking("no-such-practice"),
            status: S::NOT_FOUND,
            names: None,
        },
        case(ClientOne, "portal_appointments", &[("slug", slug_a)], S::OK),
        case(ClientOne, "portal_appointments", &[("slug", slug_b)], S::UNAUTHORIZED),
        case(OwnerA, "portal_appointments", &[("slug", slug_a)], S::UNAUTHORIZED),
        booking_case(ClientTwo, &appointment, S::NOT_FOUND),
        booking_case(Visitor, "", S::UNAUTHORIZED),
        case(ClientTwo, "portal_cancel_appointment", &[("slug", slug_a), ("id", &appointment)], S::NOT_FOUND),
        case(Visitor, "portal_cancel_appointment", &[("slug", slug_a), ("id", &appointment)], S::UNAUTHORIZED),
        forbidden(ProviderA, "reset_calendar_feed", &[("provider", &owner_a)], others),
        case(OwnerB, "reset_calendar_feed", &[("provider", &provider)], S::NOT_FOUND),
        case(Visitor, "reset_calendar_feed", &[("provider", &provider)], S::UNAUTHORIZED),
        case(ProviderA, "appointments_report", none, S::OK),
        forbidden(ProviderA, "appointments_report", &[("provider", &owner_a)], others),
        case(ClientOne, "appointments_report", none, S::UNAUTHORIZED),
        // Last: the provider may manage their own appointment.
        case(ProviderA, "set_appointment_status", &[("id", &appointment), ("status", "no_show")], S::OK),
    ]
}

fn cases(f: &Fixture) -> Vec<Case> {
    use StatusCode as S;
    use Who::*;
    let a_program = f.a_program.to_string();
    let a_module = f.a_module.to_string();
    let b_program = f.b_program.to_string();
    let b_module = f.b_module.to_string();
    let one = f.client_one_id.to_string();
    let two = f.client_two_id.to_string();
    let bea = f.b_client_id.to_string();
    let a_group = f.a_group.to_string();
    let b_group = f.b_group.to_string();
    let provider = f.provider_membership.to_string();
    let staff = f.staff_membership.to_string();
    let owner_a = f.a.owner_membership.to_string();
    let invitation = f.a_invitation.to_string();
    let (slug_a, slug_b) = (f.a.slug.as_str(), f.b.slug.as_str());
    let org_a = f.a.org_id.to_string();
    let unknown = uuid::Uuid::new_v4().to_string();
    let none = &[][..];
    vec![
        // A member's own settings and practices, and the owner's failed jobs.
        case(Visitor, "get_my_profile", none, S::UNAUTHORIZED),
        case(ClientOne, "update_my_profile", &[("full_name", "X"), ("time_zone", "UTC")], S::UNAUTHORIZED),
        case(Visitor, "list_my_practices", none, S::UNAUTHORIZED),
        case(OwnerB, "switch_practice", &[("id", &org_a)], S::NOT_FOUND),
        case(ProviderA, "switch_practice", &[("id", "not-an-id")], S::NOT_FOUND),
        forbidden(ProviderA, "list_failed_jobs", none, "Owner of the practice"),
        forbidden(StaffA, "retry_failed_job", &[("id", &unknown)], "Owner of the practice"),
        case(OwnerB, "retry_failed_job", &[("id", &unknown)], S::NOT_FOUND),
        // Another practice's rows are not found, whatever the function.
        case(OwnerB, "get_client", &[("id", &one)], S::NOT_FOUND),
        case(OwnerB, "update_client", &client_fields(&one), S::NOT_FOUND),
        case(OwnerB, "set_client_archived", &[("id", &one), ("archived", "true")], S::NOT_FOUND),
        case(OwnerB, "invite_client", &[("id", &one)], S::NOT_FOUND),
        case(OwnerB, "set_client_group", &[("id", &one), ("group_id", &b_group)], S::NOT_FOUND),
        case(OwnerB, "open_test_portal", &[("id", &one)], S::NOT_FOUND),
        case(OwnerB, "get_group", &[("id", &a_group)], S::NOT_FOUND),
        case(OwnerB, "rename_group", &[("id", &a_group), ("name", "Taken over")], S::NOT_FOUND),
        case(OwnerB, "delete_group", &[("id", &a_group)], S::NOT_FOUND),
        case(OwnerB, "add_client_to_group", &[("group_id", &b_group), ("client_id", &one)], S::NOT_FOUND),
        case(OwnerB, "add_client_to_group", &[("group_id", &a_group), ("client_id", &bea)], S::NOT_FOUND),
        case(OwnerB, "remove_client_from_group", &[("group_id", &a_group), ("client_id", &one)], S::NOT_FOUND),
        case(
            OwnerB,
            "set_member_permission",
            &[("id", &provider), ("permission", "issue_refunds"), ("enabled", "true")],
            S::NOT_FOUND,
        ),
        case(OwnerB, "remove_member", &[("id", &staff)], S::NOT_FOUND),
        case(OwnerB, "resend_member_invitation", &[("id", &invitation)], S::NOT_FOUND),
        case(OwnerB, "revoke_member_invitation", &[("id", &invitation)], S::NOT_FOUND),
        // A provider without "see all clients" sees only their own clients.
        case(ProviderA, "get_client", &[("id", &one)], S::OK),
        case(ProviderA, "get_client", &[("id", &two)], S::NOT_FOUND),
        case(ProviderA, "update_client", &client_fields(&two), S::NOT_FOUND),
        case(ProviderA, "set_client_archived", &[("id", &two), ("archived", "true")], S::NOT_FOUND),
        case(ProviderA, "add_client_to_group", &[("group_id", &a_group), ("client_id", &two)], S::NOT_FOUND),
        case(StaffA, "get_client", &[("id", &two)], S::OK),
        // Missing permissions are refused by name.
        forbidden(ProviderA, "invite_member", &[("email", "x@a.example.com"), ("role", "staff")], "Can manage members"),
        forbidden(StaffA, "invite_member", &[("email", "x@a.example.com"), ("role", "staff")], "Can manage members"),
        forbidden(
            StaffA,
            "set_member_permission",
            &[("id", &provider), ("permission", "issue_refunds"), ("enabled", "true")],
            "Can manage members",
        ),
        forbidden(ProviderA, "remove_member", &[("id", &staff)], "Can manage members"),
        forbidden(ProviderA, "resend_member_invitation", &[("id", &invitation)], "Can manage members"),
        forbidden(StaffA, "revoke_member_invitation", &[("id", &invitation)], "Can manage members"),
        forbidden(StaffA, "set_accent_color", &[("accent_color", "#123456")], "Can manage organization settings"),
        forbidden(ProviderA, "list_outbox", none, "Owner of the practice"),
        // The owner keeps every permission and cannot be removed.
        case(
            OwnerA,
            "set_member_permission",
            &[("id", &owner_a), ("permission", "issue_refunds"), ("enabled", "false")],
            S::CONFLICT,
        ),
        case(OwnerA, "remove_member", &[("id", &owner_a)], S::CONFLICT),
        // Portal clients are not members, and a portal session holds in its own practice only.
        case(ClientOne, "list_clients", &[("search", ""), ("archived", "false"), ("page", "1")], S::UNAUTHORIZED),
        case(ClientOne, "get_client", &[("id", &two)], S::UNAUTHORIZED),
        case(ClientOne, "list_members", none, S::UNAUTHORIZED),
        case(
            ClientOne,
            "update_portal_contact",
            &[("slug", slug_b), ("phone", ""), ("time_zone", "UTC")],
            S::UNAUTHORIZED,
        ),
        case(
            ClientTwo,
            "update_portal_contact",
            &[("slug", slug_a), ("phone", "+1 312 555 0199"), ("time_zone", "UTC")],
            S::OK,
        ),
        // Members are not portal clients.
        case(
            OwnerA,
            "update_portal_contact",
            &[("slug", slug_a), ("phone", ""), ("time_zone", "UTC")],
            S::UNAUTHORIZED,
        ),
        // A client cannot be given another practice's provider.
        case(
            OwnerB,
            "add_client",
            &[
                ("client[first_name]", "X"),
                ("client[last_name]", "Y"),
                ("client[email]", ""),
                ("client[phone]", ""),
                ("client[date_of_birth]", ""),
                ("client[time_zone]", "UTC"),
                ("client[primary_provider_id]", &provider),
            ],
            S::UNPROCESSABLE_ENTITY,
        ),
        case(ClientOne, "change_password", &[("current_password", "x"), ("new_password", "y")], S::UNAUTHORIZED),
        case(ClientOne, "list_providers", none, S::UNAUTHORIZED),
        // Programs: another practice's program, module, client or group is not found; building
        // needs "Can create, edit, archive, and delete programs"; adding and removing clients
        // either program permission; portal clients reach only their own open modules.
        case(OwnerB, "get_program", &[("id", &a_program)], S::NOT_FOUND),
        case(OwnerB, "update_program", &program_fields(&a_program), S::NOT_FOUND),
        case(OwnerB, "set_program_status", &[("id", &a_program), ("status", "archived")], S::NOT_FOUND),
        case(OwnerB, "delete_program", &[("id", &a_program)], S::NOT_FOUND),
        case(OwnerB, "remove_program_cover", &[("id", &a_program)], S::NOT_FOUND),
        case(OwnerB, "add_module", &module_fields("program_id", &a_program), S::NOT_FOUND),
        case(OwnerB, "update_module", &module_fields("id", &a_module), S::NOT_FOUND),
        case(OwnerB, "delete_module", &[("id", &a_module)], S::NOT_FOUND),
        case(OwnerB, "move_module", &[("id", &a_module), ("direction", "up")], S::NOT_FOUND),
        case(OwnerB, "list_program_clients", &[("program_id", &a_program)], S::NOT_FOUND),
        case(
            OwnerB,
            "enroll_in_program",
            &[("program_id", &b_program), ("kind", "client"), ("target_id", &one)],
            S::NOT_FOUND,
        ),
        case(
            OwnerB,
            "enroll_in_program",
            &[("program_id", &b_program), ("kind", "group"), ("target_id", &a_group)],
            S::NOT_FOUND,
        ),
        case(
            OwnerB,
            "enroll_in_program",
            &[("program_id", &a_program), ("kind", "client"), ("target_id", &bea)],
            S::NOT_FOUND,
        ),
        case(OwnerB, "remove_program_client", &[("program_id", &a_program), ("client_id", &one)], S::NOT_FOUND),
        case(OwnerB, "unlock_module_early", &[("client_id", &one), ("module_id", &a_module)], S::NOT_FOUND),
        case(OwnerB, "list_programs", none, S::OK),
        case(OwnerB, "preview_program", &[("id", &a_program), ("day", "3")], S::NOT_FOUND),
        case(StaffA, "preview_program", &[("id", &a_program), ("day", "3")], S::OK),
        case(Visitor, "preview_program", &[("id", &a_program)], S::UNAUTHORIZED),
        case(OwnerA, "search_enrollables", &[("term", "Bea")], S::OK),
        case(ProviderA, "get_program", &[("id", &a_program)], S::OK),
        case(ProviderA, "update_program", &program_fields(&a_program), S::OK),
        case(
            ProviderA,
            "enroll_in_program",
            &[("program_id", &a_program), ("kind", "client"), ("target_id", &two)],
            S::NOT_FOUND,
        ),
        forbidden(StaffA, "create_program", &program_fields(""), "Can create, edit, archive, and delete programs"),
        forbidden(
            StaffA,
            "update_program",
            &program_fields(&a_program),
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(
            StaffA,
            "set_program_status",
            &[("id", &a_program), ("status", "archived")],
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(StaffA, "delete_program", &[("id", &a_program)], "Can create, edit, archive, and delete programs"),
        forbidden(
            StaffA,
            "remove_program_cover",
            &[("id", &a_program)],
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(
            StaffA,
            "add_module",
            &module_fields("program_id", &a_program),
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(
            StaffA,
            "update_module",
            &module_fields("id", &a_module),
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(StaffA, "delete_module", &[("id", &a_module)], "Can create, edit, archive, and delete programs"),
        forbidden(
            StaffA,
            "move_module",
            &[("id", &a_module), ("direction", "up")],
            "Can create, edit, archive, and delete programs",
        ),
        forbidden(StaffA, "search_enrollables", &[("term", "One")], "Can enroll and remove clients from programs"),
        forbidden(
            StaffA,
            "enroll_in_program",
            &[("program_id", &a_program), ("kind", "client"), ("target_id", &two)],
            "Can enroll and remove clients from programs",
        ),
        forbidden(
            StaffA,
            "change_enrollment_dates",
            &[("id", &a_program), ("start_date", "2026-12-01")],
            "Can enroll and remove clients from programs",
        ),
        forbidden(
            StaffA,
            "remove_program_client",
            &[("program_id", &a_program), ("client_id", &one)],
            "Can enroll and remove clients from programs",
        ),
        forbidden(
            StaffA,
            "remove_program_group",
            &[("enrollment_id", &a_program)],
            "Can enroll and remove clients from programs",
        ),
        forbidden(
            StaffA,
            "unlock_module_early",
            &[("client_id", &one), ("module_id", &a_module)],
            "Can enroll and remove clients from programs",
        ),
        case(StaffA, "list_program_clients", &[("program_id", &a_program)], S::OK),
        case(ClientOne, "portal_programs", &[("slug", slug_a)], S::OK),
        case(ClientOne, "portal_program", &[("slug", slug_a), ("id", &a_program)], S::OK),
        case(ClientOne, "portal_module", &[("slug", slug_a), ("id", &a_module)], S::OK),
        case(ClientTwo, "portal_program", &[("slug", slug_a), ("id", &a_program)], S::NOT_FOUND),
        case(ClientTwo, "portal_module", &[("slug", slug_a), ("id", &a_module)], S::NOT_FOUND),
        case(ClientTwo, "complete_module", &[("slug", slug_a), ("id", &a_module)], S::NOT_FOUND),
        case(ClientOne, "portal_module", &[("slug", slug_a), ("id", &b_module)], S::NOT_FOUND),
        case(ClientOne, "portal_program", &[("slug", slug_b), ("id", &b_program)], S::UNAUTHORIZED),
        case(ClientOne, "get_program", &[("id", &a_program)], S::UNAUTHORIZED),
        case(OwnerA, "portal_programs", &[("slug", slug_a)], S::UNAUTHORIZED),
        // Last: after this, client one has no access any more.
        case(ProviderA, "remove_program_client", &[("program_id", &a_program), ("client_id", &one)], S::OK),
        // Visitors get nothing.
        case(Visitor, "list_programs", none, S::UNAUTHORIZED),
        case(Visitor, "get_program", &[("id", &a_program)], S::UNAUTHORIZED),
        case(Visitor, "portal_programs", &[("slug", slug_a)], S::UNAUTHORIZED),
        case(Visitor, "complete_module", &[("slug", slug_a), ("id", &a_module)], S::UNAUTHORIZED),
        case(Visitor, "add_client", &client_fields(""), S::UNAUTHORIZED),
        case(Visitor, "list_providers", none, S::UNAUTHORIZED),
        case(Visitor, "list_clients", &[("search", ""), ("archived", "false"), ("page", "1")], S::UNAUTHORIZED),
        case(Visitor, "get_client", &[("id", &one)], S::UNAUTHORIZED),
        case(Visitor, "list_groups", none, S::UNAUTHORIZED),
        case(Visitor, "create_group", &[("name", "Mine")], S::UNAUTHORIZED),
        case(Visitor, "list_members", none, S::UNAUTHORIZED),
        case(Visitor, "invite_member", &[("email", "x@a.example.com"), ("role", "staff")], S::UNAUTHORIZED),
        case(Visitor, "get_practice", none, S::UNAUTHORIZED),
        case(Visitor, "add_test_client", none, S::UNAUTHORIZED),
        case(
            Visitor,
            "change_portal_password",
            &[("slug", slug_a), ("current_password", "x"), ("new_password", "y")],
            S::UNAUTHORIZED,
        ),
    ]
    .into_iter()
    .chain(scheduling_cases(f))
    .collect()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn every_server_function_refuses_what_the_caller_may_not_touch(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let mut failures = Vec::new();
    for case in cases(&f) {
        let args: Vec<(&str, &str)> = case.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = browser(&f, case.who).call(&app, case.function, &args).await;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let names_permission = case.names.is_none_or(|p| body.contains(p));
        if status != case.status || !names_permission {
            failures.push(format!("{:?} {} -> {status} {body} (expected {})", case.who, case.function, case.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Server functions anyone may call: they create a session or show public branding.
const PUBLIC: &[&str] = &[
    "sign_up",
    "confirm_sign_up",
    "log_in",
    "log_out",
    "request_password_reset",
    "reset_password",
    "current_member",
    "accept_member_invitation",
    "portal_brand",
    "portal_client",
    "portal_log_in",
    "portal_log_out",
    "portal_request_reset",
    "portal_reset_password",
    "accept_client_invitation",
];

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn every_server_function_is_in_the_access_table(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let covered: Vec<&str> = cases(&f).iter().map(|c| c.function).collect();

    let missing: Vec<&str> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/"))
        .filter(|name| !PUBLIC.contains(name) && !covered.contains(name))
        .collect();

    assert!(missing.is_empty(), "add these server functions to the access table: {missing:?}");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn lists_hold_only_the_callers_rows(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    assert_eq!(f.a.owner.client_names(&app).await, ["One Client", "Two Client"]);
    assert_eq!(f.provider.client_names(&app).await, ["One Client"]);
    assert_eq!(f.b.owner.client_names(&app).await, ["Bea Client"]);
    let b_groups: Value = f.b.owner.call(&app, "list_groups", &[]).await.json().await.unwrap();
    assert_eq!(b_groups.as_array().unwrap().len(), 1);
    assert_eq!(b_groups[0]["name"], "B group");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_portal_client_sees_only_themself(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    let own: Value = f.client_one.call(&app, "portal_client", &[("slug", &f.a.slug)]).await.json().await.unwrap();
    let elsewhere: Value = f.client_one.call(&app, "portal_client", &[("slug", &f.b.slug)]).await.json().await.unwrap();

    assert_eq!(own["first_name"], "One");
    assert_eq!(own["email"], "one@clients.example.com");
    assert_eq!(elsewhere, Value::Null);
}
