-- Programs: courses of modules released over time, and who may follow them.

CREATE TABLE programs (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    title text NOT NULL,
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 700),
    -- rolling: each client starts on their own date; fixed: everyone on fixed_start_date.
    kind text NOT NULL CHECK (kind IN ('rolling', 'fixed')),
    fixed_start_date date,
    -- fixed only: someone enrolled after the start gets every module already released.
    allow_late_enrollment boolean NOT NULL DEFAULT true,
    -- Access ends this many days after a client's start date; NULL: no end.
    access_days integer CHECK (access_days > 0),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((kind = 'fixed') = (fixed_start_date IS NOT NULL)),
    UNIQUE (org_id, id)
);
CREATE INDEX programs_org ON programs (org_id, status, lower(title));

CREATE TABLE program_modules (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    program_id uuid NOT NULL,
    position integer NOT NULL,
    -- A 'form' kind arrives with intake forms.
    kind text NOT NULL CHECK (kind IN ('lesson', 'video', 'email')),
    title text NOT NULL,
    -- Markdown: a lesson's text, an email's body, a video's notes.
    body text NOT NULL DEFAULT '',
    video_url text,
    -- Days after the client's start date (0: the start date itself), at this time of day in the
    -- practice's zone.
    release_day integer NOT NULL CHECK (release_day >= 0 AND release_day <= 3650),
    release_time time NOT NULL DEFAULT '09:00',
    requires_previous boolean NOT NULL DEFAULT false,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE,
    CHECK ((kind = 'video') = (video_url IS NOT NULL)),
    UNIQUE (org_id, id)
);
CREATE INDEX program_modules_order ON program_modules (program_id, release_day, position);

-- One row per client or group given access. Removal keeps the row (and the client's progress)
-- so that enrolling them again picks up where they were.
CREATE TABLE program_enrollments (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    program_id uuid NOT NULL,
    client_id uuid,
    group_id uuid,
    start_date date NOT NULL,
    -- Overrides the program's access_days for this enrollment: access ends at the end of this day.
    ends_on date,
    -- Groups only: a client who joins the group later starts on the group's start date
    -- ('group_start') or on the day they join ('join_date').
    newcomer_start text NOT NULL DEFAULT 'group_start' CHECK (newcomer_start IN ('group_start', 'join_date')),
    source text NOT NULL DEFAULT 'direct' CHECK (source IN ('direct', 'group', 'package')),
    removed_at timestamptz,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id),
    FOREIGN KEY (org_id, group_id) REFERENCES client_groups (org_id, id) ON DELETE CASCADE,
    CHECK ((client_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX program_enrollments_client ON program_enrollments (program_id, client_id) WHERE client_id IS NOT NULL;
CREATE UNIQUE INDEX program_enrollments_group ON program_enrollments (program_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX program_enrollments_of_client ON program_enrollments (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX program_enrollments_of_group ON program_enrollments (group_id) WHERE group_id IS NOT NULL;

CREATE TABLE module_completions (
    client_id uuid NOT NULL REFERENCES clients (id),
    module_id uuid NOT NULL REFERENCES program_modules (id) ON DELETE CASCADE,
    completed_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, module_id)
);

-- A module opened for one client before its release.
CREATE TABLE module_unlocks (
    client_id uuid NOT NULL REFERENCES clients (id),
    module_id uuid NOT NULL REFERENCES program_modules (id) ON DELETE CASCADE,
    unlocked_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, module_id)
);

-- The history of a program's enrollments: who did what, when.
CREATE TABLE program_events (
    id bigserial PRIMARY KEY,
    org_id uuid NOT NULL,
    program_id uuid NOT NULL,
    client_id uuid,
    group_id uuid,
    -- The member who acted; NULL for Tend itself (a release, an expiry).
    actor_membership_id uuid,
    kind text NOT NULL CHECK (kind IN ('added', 'removed', 'start_date_changed', 'end_date_changed', 'unlocked', 'expired')),
    detail text NOT NULL DEFAULT '',
    at timestamptz NOT NULL,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE
);
CREATE INDEX program_events_program ON program_events (program_id, at DESC);

-- When a client joined their current group, for group enrollments that start newcomers on the
-- day they join.
ALTER TABLE clients ADD COLUMN group_joined_at timestamptz;
