-- Scheduling: appointment types, each provider's availability, booking rules and appointments.

-- The exclusion constraint below compares provider ids (btree) and time ranges (gist) together.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The practice's booking rules; a practice without a row has the defaults written here.
CREATE TABLE booking_rules (
    org_id uuid PRIMARY KEY REFERENCES organizations (id),
    book_notice_hours integer NOT NULL DEFAULT 24 CHECK (book_notice_hours BETWEEN 0 AND 720),
    cancel_notice_hours integer NOT NULL DEFAULT 24 CHECK (cancel_notice_hours BETWEEN 0 AND 720),
    reschedule_notice_hours integer NOT NULL DEFAULT 24 CHECK (reschedule_notice_hours BETWEEN 0 AND 720),
    horizon_days integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 730),
    slot_interval_minutes integer NOT NULL DEFAULT 15 CHECK (slot_interval_minutes IN (5, 10, 15, 30, 60)),
    same_day boolean NOT NULL DEFAULT true,
    clients_may_cancel boolean NOT NULL DEFAULT true,
    cancel_refusal text NOT NULL DEFAULT '',
    clients_may_reschedule boolean NOT NULL DEFAULT true,
    reschedule_refusal text NOT NULL DEFAULT '',
    -- Reminders go out this many minutes before each appointment.
    reminder_minutes integer[] NOT NULL DEFAULT '{1440,60}'
);

-- The client portal settings' switch (clients may book inside the portal), and how clients
-- reach the practice when a rule stops them from cancelling or rescheduling themselves.
ALTER TABLE organizations
    ADD COLUMN portal_booking boolean NOT NULL DEFAULT true,
    ADD COLUMN contact_phone text,
    ADD COLUMN contact_email text;

CREATE TABLE appointment_types (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    price_cents bigint NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    -- 'video' (in Tend) arrives with video visits.
    location_kind text NOT NULL CHECK (location_kind IN ('external_video', 'phone', 'in_person')),
    -- external_video: the client's link (the only one a client ever sees) and the host's.
    client_link text,
    host_link text,
    -- in_person: where.
    location text,
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
    client_bookable boolean NOT NULL DEFAULT true,
    -- Overrides of the practice's booking rules; NULL: the practice's rule.
    book_notice_hours integer CHECK (book_notice_hours BETWEEN 0 AND 720),
    cancel_notice_hours integer CHECK (cancel_notice_hours BETWEEN 0 AND 720),
    reschedule_notice_hours integer CHECK (reschedule_notice_hours BETWEEN 0 AND 720),
    horizon_days integer CHECK (horizon_days BETWEEN 1 AND 730),
    slot_interval_minutes integer CHECK (slot_interval_minutes IN (5, 10, 15, 30, 60)),
    same_day boolean,
    clients_may_cancel boolean,
    cancel_refusal text,
    clients_may_reschedule boolean,
    reschedule_refusal text,
    archived_at timestamptz,
    created_at timestamptz NOT NULL,
    CHECK ((location_kind = 'external_video') = (client_link IS NOT NULL AND host_link IS NOT NULL)),
    CHECK ((location_kind = 'in_person') = (location IS NOT NULL)),
    UNIQUE (org_id, id)
);
CREATE INDEX appointment_types_org ON appointment_types (org_id, lower(name));

-- Which providers offer a type.
CREATE TABLE appointment_type_providers (
    org_id uuid NOT NULL,
    type_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    PRIMARY KEY (type_id, provider_id),
    FOREIGN KEY (org_id, type_id) REFERENCES appointment_types (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, provider_id) REFERENCES memberships (org_id, id) ON DELETE CASCADE
);
CREATE INDEX appointment_type_providers_provider ON appointment_type_providers (provider_id);

-- A provider's weekly hours as wall-clock times in their zone. A provider who never saved
-- their hours works Monday to Friday, 9:00 to 17:00 (availability_saved is false).
CREATE TABLE provider_calendars (
    provider_id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    availability_saved boolean NOT NULL DEFAULT false,
    -- The private calendar feed's secret, reset by the provider.
    feed_token text UNIQUE,
    FOREIGN KEY (org_id, provider_id) REFERENCES memberships (org_id, id) ON DELETE CASCADE
);

CREATE TABLE availability_blocks (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    -- ISO weekday: 1 Monday ... 7 Sunday.
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts time NOT NULL,
    ends time NOT NULL CHECK (ends > starts),
    FOREIGN KEY (org_id, provider_id) REFERENCES memberships (org_id, id) ON DELETE CASCADE
);
CREATE INDEX availability_blocks_provider ON availability_blocks (provider_id, weekday, starts);

-- A date whose hours replace the weekly ones: no hours (starts NULL) is a day off.
CREATE TABLE availability_overrides (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    on_date date NOT NULL,
    starts time,
    ends time,
    CHECK ((starts IS NULL) = (ends IS NULL) AND (ends IS NULL OR ends > starts)),
    FOREIGN KEY (org_id, provider_id) REFERENCES memberships (org_id, id) ON DELETE CASCADE
);
CREATE INDEX availability_overrides_provider ON availability_overrides (provider_id, on_date);

CREATE TABLE appointments (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    client_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    type_id uuid NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
    -- The time the provider is taken: the appointment with the type's buffers around it, as
    -- they were when booked.
    busy tstzrange NOT NULL CHECK (lower(busy) <= starts_at AND upper(busy) >= ends_at),
    -- booked ("none yet"), occurred, no_show, cancelled, late_cancellation, rescheduled.
    status text NOT NULL DEFAULT 'booked'
        CHECK (status IN ('booked', 'occurred', 'no_show', 'cancelled', 'late_cancellation', 'rescheduled')),
    booked_by text NOT NULL CHECK (booked_by IN ('provider', 'client', 'public')),
    notes text NOT NULL DEFAULT '',
    -- Bumped on every change so calendars replace the event (iCalendar SEQUENCE).
    sequence integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, provider_id) REFERENCES memberships (org_id, id),
    FOREIGN KEY (org_id, type_id) REFERENCES appointment_types (org_id, id),
    UNIQUE (org_id, id),
    -- The database itself refuses two appointments that hold one provider at once.
    CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (provider_id WITH =, busy WITH &&)
        WHERE (status IN ('booked', 'occurred', 'no_show'))
);
CREATE INDEX appointments_provider_time ON appointments (provider_id, starts_at);
CREATE INDEX appointments_client_time ON appointments (client_id, starts_at);
CREATE INDEX appointments_org_time ON appointments (org_id, starts_at);
