-- Members' invitations, clients, client groups, portal invitations and practice branding.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE organizations
    ADD COLUMN logo bytea,
    ADD COLUMN logo_content_type text,
    ADD COLUMN logo_updated_at timestamptz;

CREATE TABLE member_invitations (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    email text NOT NULL CHECK (email = lower(email)),
    role text NOT NULL CHECK (role IN ('provider', 'staff')),
    permissions text[] NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    invited_by uuid NOT NULL REFERENCES users (id),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX member_invitations_org ON member_invitations (org_id, created_at DESC);

CREATE TABLE client_groups (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX client_groups_name ON client_groups (org_id, lower(name));

CREATE TABLE clients (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text CHECK (email = lower(email)),
    phone text,
    date_of_birth date,
    time_zone text NOT NULL,
    primary_provider_id uuid REFERENCES memberships (id) ON DELETE SET NULL,
    -- One group at a time, so the group lives on the client.
    group_id uuid REFERENCES client_groups (id) ON DELETE SET NULL,
    -- The portal login, once the client has one.
    user_id uuid REFERENCES users (id),
    is_test boolean NOT NULL DEFAULT false,
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT clients_org_email UNIQUE (org_id, email)
);
CREATE INDEX clients_org_name ON clients (org_id, last_name, first_name, id);
CREATE INDEX clients_org_provider ON clients (org_id, primary_provider_id);
CREATE INDEX clients_org_group ON clients (org_id, group_id);
CREATE INDEX clients_user ON clients (user_id);
CREATE INDEX clients_search ON clients USING gin ((first_name || ' ' || last_name || ' ' || coalesce(email, '')) gin_trgm_ops);

CREATE TABLE client_invitations (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_invitations_client ON client_invitations (client_id);
