-- Sessions of tower-sessions, kept here so every instance shares them.
CREATE TABLE sessions (
    id text PRIMARY KEY,
    data jsonb NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
