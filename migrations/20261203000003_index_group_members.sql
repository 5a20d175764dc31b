-- A group's page lists its active members by name, fifty at a time from a cursor.
CREATE INDEX clients_group_name ON clients (group_id, last_name, first_name, id) WHERE archived_at IS NULL;
