-- Who is asking, defined once: the session store reads a request's session row and its caller
-- in one statement by joining these, and a caller looked up on its own (after a sign-in within
-- the request) reads the same views. A member is a membership of a user whose auth version the
-- session carries; a portal client an unarchived client with a login (a test client only while
-- its member still belongs to the practice).
CREATE VIEW member_callers AS
SELECT m.user_id, m.org_id, u.auth_version, m.id AS membership_id, u.full_name, u.email,
       o.name AS org_name, o.slug AS org_slug, o.time_zone AS org_time_zone,
       COALESCE(u.time_zone, o.time_zone) AS time_zone, m.role, m.permissions
FROM memberships m
JOIN users u ON u.id = m.user_id
JOIN organizations o ON o.id = m.org_id;

CREATE VIEW client_callers AS
SELECT c.id AS client_id, u.id AS user_id, u.auth_version, c.org_id, o.slug AS org_slug, c.first_name,
       c.last_name, u.email, c.phone, c.time_zone, pu.full_name AS provider_name, c.is_test
FROM clients c
JOIN organizations o ON o.id = c.org_id
JOIN users u ON u.id = c.user_id
LEFT JOIN memberships m ON m.id = c.primary_provider_id
LEFT JOIN users pu ON pu.id = m.user_id
WHERE c.archived_at IS NULL
  AND (NOT c.is_test OR EXISTS (SELECT 1 FROM memberships tm WHERE tm.org_id = c.org_id AND tm.user_id = u.id));
