-- A sign-up waiting for its email to be confirmed. Nothing else exists until the emailed link
-- is used, so the sign-up page can answer the same whether or not the address has an account.
CREATE TABLE sign_ups (
    id uuid PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    email text NOT NULL CHECK (email = lower(email)),
    full_name text NOT NULL,
    practice_name text NOT NULL,
    time_zone text NOT NULL,
    password_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_ups_expires ON sign_ups (expires_at);
