-- Appointment email carries an iCalendar attachment; reminders are sent once per appointment,
-- offset and start time.

-- The attachment of a message (an iCalendar event), when it has one.
ALTER TABLE emails ADD COLUMN calendar text;

-- One row per reminder sent: the job that sends it inserts here first, so a repeated job
-- (a crash after the insert, a second instance) finds the row and sends nothing.
CREATE TABLE appointment_reminders (
    appointment_id uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    minutes_before integer NOT NULL,
    -- The start it reminded of: a moved appointment is reminded again.
    starts_at timestamptz NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (appointment_id, minutes_before, starts_at)
);
