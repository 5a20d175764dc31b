-- A client's group and provider, and an invitation's client, must belong to the same practice:
-- the database refuses a cross-practice link even if code forgot to check.
ALTER TABLE client_groups ADD CONSTRAINT client_groups_org_id_id_key UNIQUE (org_id, id);
ALTER TABLE memberships ADD CONSTRAINT memberships_org_id_id_key UNIQUE (org_id, id);
ALTER TABLE clients ADD CONSTRAINT clients_org_id_id_key UNIQUE (org_id, id);

ALTER TABLE clients
    DROP CONSTRAINT clients_group_id_fkey,
    ADD CONSTRAINT clients_group_in_practice FOREIGN KEY (org_id, group_id)
        REFERENCES client_groups (org_id, id) ON DELETE SET NULL (group_id),
    DROP CONSTRAINT clients_primary_provider_id_fkey,
    ADD CONSTRAINT clients_provider_in_practice FOREIGN KEY (org_id, primary_provider_id)
        REFERENCES memberships (org_id, id) ON DELETE SET NULL (primary_provider_id);

ALTER TABLE client_invitations
    DROP CONSTRAINT client_invitations_client_id_fkey,
    ADD CONSTRAINT client_invitations_client_in_practice FOREIGN KEY (org_id, client_id)
        REFERENCES clients (org_id, id);
