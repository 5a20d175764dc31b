-- A portal invitation is good only for the address it was sent to; messages holding a private
-- link are marked so the outbox does not show them once sent; one login per client per
-- practice, and one test client per member.
ALTER TABLE client_invitations ADD COLUMN email text;
ALTER TABLE emails ADD COLUMN carries_secret boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX clients_one_test_client ON clients (org_id, user_id) WHERE is_test;
CREATE UNIQUE INDEX clients_one_login ON clients (org_id, user_id) WHERE user_id IS NOT NULL AND NOT is_test;
