-- One durable job queue for every side effect (email today; releases, reminders, charges next).
-- A job is written in the transaction of the change that causes it. Workers claim due jobs with
-- FOR UPDATE SKIP LOCKED and a lease, run them outside any transaction, then record the result;
-- a job whose lease ran out (its worker died) is claimed again.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    org_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    -- What an owner reads on the failed-jobs page, e.g. "Email “Welcome” to ann@example.com".
    summary text NOT NULL,
    -- Finds a job again to replace or drop it ("reminder:<appointment>:24h"); one job per key.
    unique_key text UNIQUE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 12 CHECK (max_attempts > 0),
    last_error text,
    leased_by uuid,
    lease_expires_at timestamptz,
    -- Recurring work: after each run the job is due again this many seconds later.
    repeat_every_secs integer CHECK (repeat_every_secs > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK ((status = 'running') = (lease_expires_at IS NOT NULL))
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_failed ON jobs (org_id, finished_at DESC) WHERE status = 'failed';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status = 'done';

-- Email moves onto the queue: the emails table keeps the message and its outcome for the
-- outbox page; delivery is a job. Mail still waiting becomes a job.
INSERT INTO jobs (id, org_id, kind, payload, summary, unique_key, run_at, attempts, last_error)
SELECT gen_random_uuid(), org_id, 'send_email', jsonb_build_object('email_id', id),
       'Email “' || subject || '” to ' || to_address, 'email:' || id, next_attempt_at, attempts, last_error
FROM emails WHERE status = 'pending';

DROP INDEX emails_due;
ALTER TABLE emails DROP COLUMN next_attempt_at;

-- Members have their own time zone; none means the practice's.
ALTER TABLE users ADD COLUMN time_zone text;
