//! Programs, modules, enrollments, progress and history in PostgreSQL. Every query is scoped
//! by `org_id`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ModuleDetails, ModuleKind, ProgramDetails, ProgramStatus};
use crate::{Error, Result, clock::TimeZone};

pub async fn insert_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    details: &ProgramDetails,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO programs (id, org_id, title, description, kind, fixed_start_date, allow_late_enrollment,
                               access_days, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        id,
        org_id,
        details.title,
        details.description,
        details.kind.as_str(),
        details.fixed_start_date,
        details.allow_late_enrollment,
        details.access_days,
        now
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    details: &ProgramDetails,
    now: DateTime<Utc>,
) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE programs SET title = $3, description = $4, kind = $5, fixed_start_date = $6,
                allow_late_enrollment = $7, access_days = $8, updated_at = $9
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        details.title,
        details.description,
        details.kind.as_str(),
        details.fixed_start_date,
        details.allow_late_enrollment,
        details.access_days,
        now
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn set_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    status: ProgramStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE programs SET status = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        status.as_str(),
        now
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn delete_program(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<()> {
    // Progress rows go with the modules (ON DELETE CASCADE), history with the program.
    let deleted = sqlx::query!("DELETE FROM programs WHERE org_id = $1 AND id = $2", org_id, id).execute(conn).await?;
    if deleted.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

#[derive(Debug, Clone)]
pub struct ProgramRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub fixed_start_date: Option<NaiveDate>,
    pub allow_late_enrollment: bool,
    pub access_days: Option<i32>,
    pub status: String,
    pub cover_file_id: Option<Uuid>,
    pub org_time_zone: TimeZone,
}

pub async fn get_program(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<ProgramRow> {
    let row = sqlx::query_as!(
        ProgramRow,
        r#"SELECT p.id, p.title, p.description, p.kind, p.fixed_start_date, p.allow_late_enrollment, p.access_days,
                  p.status, p.cover_file_id, o.time_zone AS "org_time_zone: TimeZone"
           FROM programs p JOIN organizations o ON o.id = p.org_id
           WHERE p.org_id = $1 AND p.id = $2"#,
        org_id,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

pub struct ProgramSummary {
    pub id: Uuid,
    pub title: String,
    pub status: String,
    pub kind: String,
    pub module_count: i64,
}

pub async fn list_programs(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<ProgramSummary>> {
    let rows = sqlx::query_as!(
        ProgramSummary,
        r#"SELECT p.id, p.title, p.status, p.kind,
                  (SELECT count(*) FROM program_modules m WHERE m.program_id = p.id) AS "module_count!"
           FROM programs p WHERE p.org_id = $1
           ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, lower(p.title), p.id"#,
        org_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct ModuleRow {
    pub id: Uuid,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub video_url: Option<String>,
    pub release_day: i32,
    pub release_time: NaiveTime,
    pub requires_previous: bool,
    /// A document module's file, once uploaded, and its name.
    pub document_file_id: Option<Uuid>,
    pub document_name: Option<String>,
}

/// A program's modules in the order clients meet them: by release day, then position.
pub async fn modules(conn: &mut PgConnection, org_id: Uuid, program_id: Uuid) -> Result<Vec<ModuleRow>> {
    let rows = sqlx::query_as!(
        ModuleRow,
        r#"SELECT m.id, m.position, m.kind, m.title, m.body, m.video_url, m.release_day, m.release_time,
                  m.requires_previous, m.document_file_id, f.file_name AS "document_name?"
           FROM program_modules m LEFT JOIN stored_files f ON f.id = m.document_file_id
           WHERE m.org_id = $1 AND m.program_id = $2
           ORDER BY m.release_day, m.position, m.id"#,
        org_id,
        program_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn insert_module(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    details: &ModuleDetails,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO program_modules (id, org_id, program_id, position, kind, title, body, video_url, release_day,
                                      release_time, requires_previous)
         VALUES ($1, $2, $3,
                 (SELECT coalesce(max(position), 0) + 1 FROM program_modules WHERE program_id = $3),
                 $4, $5, $6, $7, $8, $9, $10)",
        id,
        org_id,
        program_id,
        details.kind.as_str(),
        details.title,
        details.body,
        details.video_url,
        details.release_day,
        details.release_time,
        details.requires_previous
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update_module(conn: &mut PgConnection, org_id: Uuid, id: Uuid, details: &ModuleDetails) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE program_modules SET kind = $3, title = $4, body = $5, video_url = $6, release_day = $7,
                release_time = $8, requires_previous = $9,
                document_file_id = CASE WHEN $3 = 'document' THEN document_file_id END
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        details.kind.as_str(),
        details.title,
        details.body,
        details.video_url,
        details.release_day,
        details.release_time,
        details.requires_previous
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn delete_module(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<()> {
    let deleted =
        sqlx::query!("DELETE FROM program_modules WHERE org_id = $1 AND id = $2", org_id, id).execute(conn).await?;
    if deleted.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// Points a program at another cover (or none); returns the one it had.
pub async fn set_cover(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    file_id: Option<Uuid>,
) -> Result<Option<Uuid>> {
    let old = sqlx::query_scalar!(
        "SELECT cover_file_id FROM programs WHERE org_id = $1 AND id = $2 FOR UPDATE",
        org_id,
        program_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!("UPDATE programs SET cover_file_id = $3 WHERE org_id = $1 AND id = $2", org_id, program_id, file_id)
        .execute(conn)
        .await?;
    Ok(old)
}

/// Points a document module at another file; returns the one it had. `NotFound` for a module
/// of another kind.
pub async fn set_document(
    conn: &mut PgConnection,
    org_id: Uuid,
    module_id: Uuid,
    file_id: Uuid,
) -> Result<Option<Uuid>> {
    let old = sqlx::query_scalar!(
        "SELECT document_file_id FROM program_modules WHERE org_id = $1 AND id = $2 AND kind = 'document' FOR UPDATE",
        org_id,
        module_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE program_modules SET document_file_id = $3 WHERE org_id = $1 AND id = $2",
        org_id,
        module_id,
        file_id
    )
    .execute(conn)
    .await?;
    Ok(old)
}

/// The files a program holds (its cover, its modules' documents): what deleting it frees.
pub async fn files_of_program(conn: &mut PgConnection, org_id: Uuid, program_id: Uuid) -> Result<Vec<Uuid>> {
    let ids = sqlx::query_scalar!(
        r#"SELECT cover_file_id AS "id!" FROM programs WHERE org_id = $1 AND id = $2 AND cover_file_id IS NOT NULL
           UNION ALL
           SELECT document_file_id FROM program_modules
           WHERE org_id = $1 AND program_id = $2 AND document_file_id IS NOT NULL"#,
        org_id,
        program_id
    )
    .fetch_all(conn)
    .await?;
    Ok(ids)
}

/// A module's kind and, for a document module, its file once uploaded.
pub async fn document_of_module(
    conn: &mut PgConnection,
    org_id: Uuid,
    module_id: Uuid,
) -> Result<(ModuleKind, Option<Uuid>)> {
    let row = sqlx::query!(
        "SELECT kind, document_file_id FROM program_modules WHERE org_id = $1 AND id = $2",
        org_id,
        module_id
    )
    .fetch_one(conn)
    .await?;
    Ok((ModuleKind::from_db(&row.kind), row.document_file_id))
}

/// The program a module belongs to (within the practice).
pub async fn program_of_module(conn: &mut PgConnection, org_id: Uuid, module_id: Uuid) -> Result<Uuid> {
    let id =
        sqlx::query_scalar!("SELECT program_id FROM program_modules WHERE org_id = $1 AND id = $2", org_id, module_id)
            .fetch_one(conn)
            .await?;
    Ok(id)
}

/// Swaps a module's position with its neighbour's among modules released the same day.
pub async fn move_module(conn: &mut PgConnection, org_id: Uuid, id: Uuid, earlier: bool) -> Result<()> {
    sqlx::query!(
        "WITH me AS (SELECT id, program_id, release_day, position FROM program_modules WHERE org_id = $1 AND id = $2),
              other AS (
                  SELECT m.id, m.position FROM program_modules m, me
                  WHERE m.program_id = me.program_id AND m.release_day = me.release_day AND m.id <> me.id
                    AND CASE WHEN $3 THEN m.position < me.position ELSE m.position > me.position END
                  ORDER BY CASE WHEN $3 THEN -m.position ELSE m.position END
                  LIMIT 1)
         UPDATE program_modules m SET position = CASE WHEN m.id = me.id THEN other.position ELSE me.position END
         FROM me, other WHERE m.id IN (me.id, other.id)",
        org_id,
        id,
        earlier
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An enrollment as stored.
#[derive(Debug, Clone)]
pub struct EnrollmentRow {
    pub id: Uuid,
    pub program_id: Uuid,
    pub client_id: Option<Uuid>,
    pub group_id: Option<Uuid>,
    pub start_date: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub newcomer_start: String,
    pub source: String,
    pub removed_at: Option<DateTime<Utc>>,
}

/// Enrolls a client or a group; one that was removed comes back with the new start date.
pub async fn upsert_enrollment(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    target: super::service::Target,
    start_date: NaiveDate,
    newcomer_start: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let (client_id, group_id) = target.ids();
    let existing = sqlx::query!(
        "SELECT id, removed_at FROM program_enrollments
         WHERE program_id = $1 AND client_id IS NOT DISTINCT FROM $2 AND group_id IS NOT DISTINCT FROM $3
         FOR UPDATE",
        program_id,
        client_id,
        group_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some(row) if row.removed_at.is_none() => Ok(false),
        Some(row) => {
            sqlx::query!(
                "UPDATE program_enrollments SET removed_at = NULL, start_date = $2, ends_on = NULL, newcomer_start = $3
                 WHERE id = $1",
                row.id,
                start_date,
                newcomer_start
            )
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        None => {
            sqlx::query!(
                "INSERT INTO program_enrollments (id, org_id, program_id, client_id, group_id, start_date, newcomer_start,
                                                  source, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                Uuid::new_v4(),
                org_id,
                program_id,
                client_id,
                group_id,
                start_date,
                newcomer_start,
                if group_id.is_some() { "group" } else { "direct" },
                now
            )
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
    }
}

pub async fn enrollment(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<EnrollmentRow> {
    let row = sqlx::query_as!(
        EnrollmentRow,
        "SELECT id, program_id, client_id, group_id, start_date, ends_on, newcomer_start, source, removed_at
         FROM program_enrollments WHERE org_id = $1 AND id = $2",
        org_id,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Active enrollments of a program: its clients (direct) and its groups.
/// A group's enrollment, as the program editor lists it.
pub struct GroupEnrollmentRow {
    pub id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub start_date: NaiveDate,
    pub newcomer_start: String,
}

/// The groups enrolled in a program (not its clients' own enrollments, which may be thousands).
pub async fn group_enrollments(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<GroupEnrollmentRow>> {
    let rows = sqlx::query_as!(
        GroupEnrollmentRow,
        r#"SELECT e.id, g.id AS group_id, g.name AS group_name, e.start_date, e.newcomer_start
           FROM program_enrollments e JOIN client_groups g ON g.id = e.group_id AND g.org_id = e.org_id
           WHERE e.org_id = $1 AND e.program_id = $2 AND e.removed_at IS NULL
           ORDER BY e.created_at, e.id"#,
        org_id,
        program_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn set_dates(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    start_date: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE program_enrollments SET start_date = $3, ends_on = $4 WHERE org_id = $1 AND id = $2 AND removed_at IS NULL",
        org_id,
        id,
        start_date,
        ends_on
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn remove_enrollment(conn: &mut PgConnection, org_id: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    let updated = sqlx::query!(
        "UPDATE program_enrollments SET removed_at = $3 WHERE org_id = $1 AND id = $2 AND removed_at IS NULL",
        org_id,
        id,
        now
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// One client's way into one program, before the rules (start date, expiry) are applied.
#[derive(Debug, Clone)]
pub struct AccessRow {
    pub program_id: Uuid,
    pub enrollment_id: Uuid,
    pub client_id: Uuid,
    pub via_group_id: Option<Uuid>,
    pub via_group_name: Option<String>,
    pub start_date: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub newcomer_start: String,
    pub group_joined_at: Option<DateTime<Utc>>,
    pub kind: String,
    pub fixed_start_date: Option<NaiveDate>,
    pub access_days: Option<i32>,
}

/// An [`AccessRow`] from a query record that selects its columns under the same names (the
/// queries differ in what else they select, so each has its own record type).
macro_rules! access_row {
    ($r:expr) => {
        AccessRow {
            program_id: $r.program_id,
            enrollment_id: $r.enrollment_id,
            client_id: $r.client_id,
            via_group_id: $r.via_group_id,
            via_group_name: $r.via_group_name,
            start_date: $r.start_date,
            ends_on: $r.ends_on,
            newcomer_start: $r.newcomer_start,
            group_joined_at: $r.group_joined_at,
            kind: $r.kind,
            fixed_start_date: $r.fixed_start_date,
            access_days: $r.access_days,
        }
    };
}

/// Every live way a client reaches an active program: directly, or through their group.
pub async fn access_rows_of_client(
    conn: &mut PgConnection,
    org_id: Uuid,
    client_id: Uuid,
    program_id: Option<Uuid>,
) -> Result<Vec<AccessRow>> {
    let rows = sqlx::query_as!(
        AccessRow,
        r#"SELECT e.program_id, e.id AS enrollment_id, c.id AS "client_id!", e.group_id AS via_group_id,
                  g.name AS "via_group_name?", e.start_date, e.ends_on, e.newcomer_start, c.group_joined_at,
                  p.kind, p.fixed_start_date, p.access_days
           FROM clients c
           JOIN program_enrollments e ON e.org_id = c.org_id AND e.removed_at IS NULL
                AND (e.client_id = c.id OR (e.group_id IS NOT NULL AND e.group_id = c.group_id))
           JOIN programs p ON p.id = e.program_id AND p.status = 'active'
           LEFT JOIN client_groups g ON g.id = e.group_id
           WHERE c.org_id = $1 AND c.id = $2 AND c.archived_at IS NULL AND ($3::uuid IS NULL OR e.program_id = $3)
           ORDER BY e.program_id, e.group_id NULLS FIRST"#,
        org_id,
        client_id,
        program_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// One page of the clients with live access to a program on `today` (the practice's date),
/// matching `pattern`, of `provider_id` when set, by name; each with the way in that counts
/// (direct before group, as [`super::access::effective`]) and the count of all of them.
///
/// The access rules run here, not in Rust, so a page reads 25 rows, not every enrollment of the
/// program. They agree with `access::effective` (core/tests/programs.rs compares the two around
/// a daylight-saving change at midnight): access ends at the first moment of the day after its
/// last day, so "still open" is "today, in the practice's zone, is before that day", which needs
/// no local-to-UTC conversion and so no choice between a changed hour's two instants.
#[allow(clippy::too_many_arguments)]
pub async fn live_clients_of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    provider_id: Option<Uuid>,
    pattern: Option<&str>,
    zone: TimeZone,
    today: NaiveDate,
    page: (i64, i64),
) -> Result<(Vec<(AccessRow, String)>, usize)> {
    let (limit, offset) = page;
    let rows = sqlx::query!(
        r#"WITH ways AS (
               SELECT e.program_id, e.id AS enrollment_id, c.id AS client_id, e.group_id AS via_group_id,
                      g.name AS via_group_name, e.start_date, e.ends_on, e.newcomer_start, c.group_joined_at,
                      p.kind, p.fixed_start_date, p.access_days, c.first_name, c.last_name,
                      CASE WHEN p.kind = 'fixed' THEN p.fixed_start_date
                           WHEN e.group_id IS NOT NULL AND c.group_joined_at IS NOT NULL
                                AND e.newcomer_start = 'join_date'
                               THEN GREATEST(e.start_date, (c.group_joined_at AT TIME ZONE $5)::date)
                           ELSE e.start_date END AS start
               FROM program_enrollments e
               JOIN programs p ON p.id = e.program_id
               JOIN clients c ON c.org_id = e.org_id AND c.archived_at IS NULL
                    AND (c.id = e.client_id OR (e.group_id IS NOT NULL AND c.group_id = e.group_id))
               LEFT JOIN client_groups g ON g.id = e.group_id
               WHERE e.org_id = $1 AND e.program_id = $2 AND e.removed_at IS NULL
                 AND ($3::uuid IS NULL OR c.primary_provider_id = $3)
                 AND ($4::text IS NULL OR (c.first_name || ' ' || c.last_name) ILIKE $4 OR c.email ILIKE $4)
           ),
           live AS (
               SELECT DISTINCT ON (client_id) * FROM ways
               WHERE start IS NOT NULL
                 AND COALESCE($6::date < COALESCE(ends_on + 1, start + access_days), true)
               ORDER BY client_id, via_group_id NULLS FIRST
           )
           SELECT program_id AS "program_id!", enrollment_id AS "enrollment_id!", client_id AS "client_id!",
                  via_group_id, via_group_name AS "via_group_name?", start_date AS "start_date!", ends_on,
                  newcomer_start AS "newcomer_start!", group_joined_at, kind AS "kind!", fixed_start_date,
                  access_days, first_name || ' ' || last_name AS "client_name!", count(*) OVER () AS "total!"
           FROM live
           ORDER BY last_name, first_name, client_id
           LIMIT $7 OFFSET $8"#,
        org_id,
        program_id,
        provider_id,
        pattern,
        zone.name(),
        today,
        limit,
        offset
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map_or(0, |r| usize::try_from(r.total).unwrap_or(0));
    let page = rows
        .into_iter()
        .map(|r| {
            let access = access_row!(r);
            (access, r.client_name)
        })
        .collect();
    Ok((page, total))
}

/// Completions (module, when) of some clients in one program.
pub async fn completions(
    conn: &mut PgConnection,
    program_id: Uuid,
    client_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, DateTime<Utc>)>> {
    let rows = sqlx::query!(
        "SELECT mc.client_id, mc.module_id, mc.completed_at FROM module_completions mc
         JOIN program_modules m ON m.id = mc.module_id
         WHERE m.program_id = $1 AND mc.client_id = ANY($2)",
        program_id,
        client_ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.client_id, r.module_id, r.completed_at)).collect())
}

/// Modules unlocked early for one client in one program.
pub async fn unlocks(conn: &mut PgConnection, program_id: Uuid, client_id: Uuid) -> Result<Vec<Uuid>> {
    let rows = sqlx::query_scalar!(
        "SELECT u.module_id FROM module_unlocks u JOIN program_modules m ON m.id = u.module_id
         WHERE m.program_id = $1 AND u.client_id = $2",
        program_id,
        client_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn complete_module(
    conn: &mut PgConnection,
    client_id: Uuid,
    module_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO module_completions (client_id, module_id, completed_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, module_id) DO NOTHING",
        client_id,
        module_id,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn unlock_module(
    conn: &mut PgConnection,
    client_id: Uuid,
    module_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO module_unlocks (client_id, module_id, unlocked_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, module_id) DO NOTHING",
        client_id,
        module_id,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One line of a program's history.
pub struct NewEvent<'a> {
    pub org_id: Uuid,
    pub program_id: Uuid,
    pub client_id: Option<Uuid>,
    pub group_id: Option<Uuid>,
    pub actor_membership_id: Option<Uuid>,
    pub kind: &'a str,
    pub detail: String,
    pub at: DateTime<Utc>,
}

pub async fn record_event(conn: &mut PgConnection, event: &NewEvent<'_>) -> Result<()> {
    sqlx::query!(
        "INSERT INTO program_events (org_id, program_id, client_id, group_id, actor_membership_id, kind, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        event.org_id,
        event.program_id,
        event.client_id,
        event.group_id,
        event.actor_membership_id,
        event.kind,
        event.detail,
        event.at
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct EventRow {
    pub kind: String,
    pub detail: String,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub subject: Option<String>,
}

/// The newest 100 events of a program, with who acted and on whom.
pub async fn events(conn: &mut PgConnection, org_id: Uuid, program_id: Uuid) -> Result<Vec<EventRow>> {
    let rows = sqlx::query_as!(
        EventRow,
        r#"SELECT ev.kind, ev.detail, ev.at, u.full_name AS "actor_name?",
                  coalesce(c.first_name || ' ' || c.last_name, 'group ' || g.name) AS subject
           FROM program_events ev
           LEFT JOIN memberships m ON m.id = ev.actor_membership_id
           LEFT JOIN users u ON u.id = m.user_id
           LEFT JOIN clients c ON c.id = ev.client_id
           LEFT JOIN client_groups g ON g.id = ev.group_id
           WHERE ev.org_id = $1 AND ev.program_id = $2
           ORDER BY ev.at DESC, ev.id DESC LIMIT 100"#,
        org_id,
        program_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Clients and groups whose name matches `pattern`, for the "Add Clients and Groups" search.
pub async fn search_enrollables(
    conn: &mut PgConnection,
    org_id: Uuid,
    provider_id: Option<Uuid>,
    pattern: &str,
) -> Result<Vec<(String, Uuid, String)>> {
    let rows = sqlx::query!(
        r#"(SELECT 'client' AS "kind!", id AS "id!", first_name || ' ' || last_name AS "name!" FROM clients
            WHERE org_id = $1 AND archived_at IS NULL
              AND ($2::uuid IS NULL OR primary_provider_id = $2)
              AND ((first_name || ' ' || last_name) ILIKE $3 OR email ILIKE $3)
            ORDER BY last_name, first_name LIMIT 10)
           UNION ALL
           (SELECT 'group', id, name FROM client_groups WHERE org_id = $1 AND name ILIKE $3 ORDER BY lower(name) LIMIT 5)"#,
        org_id,
        provider_id,
        pattern
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.id, r.name)).collect())
}

/// The practice's zone, for release times.
pub async fn org_time_zone(conn: &mut PgConnection, org_id: Uuid) -> Result<TimeZone> {
    let zone = sqlx::query_scalar!(r#"SELECT time_zone AS "zone: TimeZone" FROM organizations WHERE id = $1"#, org_id)
        .fetch_one(conn)
        .await?;
    Ok(zone)
}

/// One way into an active program of a client who has an email address, in any practice, for
/// the release-email scan.
pub struct ReleaseCandidate {
    pub org_id: Uuid,
    pub org_time_zone: TimeZone,
    pub access: AccessRow,
}

pub async fn release_candidates(conn: &mut PgConnection) -> Result<Vec<ReleaseCandidate>> {
    let rows = sqlx::query!(
        r#"SELECT e.program_id, e.id AS enrollment_id, c.id AS "client_id!", e.group_id AS via_group_id,
                  g.name AS "via_group_name?", e.start_date, e.ends_on, e.newcomer_start, c.group_joined_at,
                  p.kind, p.fixed_start_date, p.access_days, e.org_id, o.time_zone AS "org_time_zone: TimeZone"
           FROM program_enrollments e
           JOIN programs p ON p.id = e.program_id AND p.status = 'active'
           JOIN organizations o ON o.id = e.org_id
           JOIN clients c ON c.org_id = e.org_id AND c.archived_at IS NULL AND c.email IS NOT NULL AND NOT c.is_test
                AND (c.id = e.client_id OR (e.group_id IS NOT NULL AND c.group_id = e.group_id))
           LEFT JOIN client_groups g ON g.id = e.group_id
           WHERE e.removed_at IS NULL
           ORDER BY c.id, e.program_id, e.group_id NULLS FIRST"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReleaseCandidate { org_id: r.org_id, org_time_zone: r.org_time_zone, access: access_row!(r) })
        .collect())
}

/// The modules of every active program, with their program.
pub async fn modules_of_active_programs(conn: &mut PgConnection) -> Result<Vec<(Uuid, ModuleRow)>> {
    let rows = sqlx::query!(
        "SELECT m.program_id, m.id, m.position, m.kind, m.title, m.body, m.video_url, m.release_day, m.release_time,
                m.requires_previous
         FROM program_modules m JOIN programs p ON p.id = m.program_id AND p.status = 'active'
         ORDER BY m.program_id, m.release_day, m.position, m.id"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let module = ModuleRow {
                id: r.id,
                position: r.position,
                kind: r.kind,
                title: r.title,
                body: r.body,
                video_url: r.video_url,
                release_day: r.release_day,
                release_time: r.release_time,
                requires_previous: r.requires_previous,
                // Release emails need neither.
                document_file_id: None,
                document_name: None,
            };
            (r.program_id, module)
        })
        .collect())
}

/// Who a release email goes to, and whom it comes from.
pub struct ReleaseRecipient {
    pub email: String,
    pub first_name: String,
    pub provider_name: Option<String>,
    pub practice_name: String,
    pub org_slug: String,
}

pub async fn release_recipient(
    conn: &mut PgConnection,
    org_id: Uuid,
    client_id: Uuid,
) -> Result<Option<ReleaseRecipient>> {
    let row = sqlx::query_as!(
        ReleaseRecipient,
        r#"SELECT c.email AS "email!", c.first_name, u.full_name AS "provider_name?", o.name AS practice_name,
                  o.slug AS org_slug
           FROM clients c
           JOIN organizations o ON o.id = c.org_id
           LEFT JOIN memberships m ON m.id = c.primary_provider_id
           LEFT JOIN users u ON u.id = m.user_id
           WHERE c.org_id = $1 AND c.id = $2 AND c.email IS NOT NULL AND c.archived_at IS NULL AND NOT c.is_test"#,
        org_id,
        client_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}
