-- Every message a person's action asked for, for the hourly limits per client address (or
-- member) and per recipient. Counted in PostgreSQL so the limits hold across instances.
CREATE TABLE mail_sends (
    id bigserial PRIMARY KEY,
    -- `address:<ip>` for a visitor, `member:<user id>` for a signed-in member.
    source text NOT NULL,
    recipient text NOT NULL,
    sent_at timestamptz NOT NULL
);
CREATE INDEX mail_sends_source ON mail_sends (source, sent_at);
CREATE INDEX mail_sends_recipient ON mail_sends (recipient, sent_at);
