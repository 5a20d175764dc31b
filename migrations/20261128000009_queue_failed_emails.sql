-- Email that had already failed before the job queue gets a failed job, so its owner can retry
-- it from Settings -> Background jobs like any other.
INSERT INTO jobs (id, org_id, kind, payload, summary, unique_key, status, run_at, attempts, last_error, finished_at)
SELECT gen_random_uuid(), org_id, 'send_email', jsonb_build_object('email_id', id),
       'Email “' || subject || '” to ' || to_address, 'email:' || id, 'failed', created_at, attempts,
       coalesce(last_error, 'It could not be sent.'), created_at
FROM emails WHERE status = 'failed'
ON CONFLICT (unique_key) DO NOTHING;
