-- Client counts kept by a trigger, so a list page need not count 10,000 rows each time.
CREATE TABLE client_counts (
    org_id uuid NOT NULL REFERENCES organizations (id),
    provider_id uuid,
    archived boolean NOT NULL,
    is_test boolean NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT client_counts_key UNIQUE NULLS NOT DISTINCT (org_id, provider_id, archived, is_test)
);

CREATE FUNCTION count_clients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE client_counts SET n = n - 1
        WHERE org_id = OLD.org_id AND provider_id IS NOT DISTINCT FROM OLD.primary_provider_id
          AND archived = (OLD.archived_at IS NOT NULL) AND is_test = OLD.is_test;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO client_counts (org_id, provider_id, archived, is_test, n)
        VALUES (NEW.org_id, NEW.primary_provider_id, NEW.archived_at IS NOT NULL, NEW.is_test, 1)
        ON CONFLICT ON CONSTRAINT client_counts_key DO UPDATE SET n = client_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER clients_count
    AFTER INSERT OR DELETE OR UPDATE OF org_id, primary_provider_id, archived_at, is_test ON clients
    FOR EACH ROW EXECUTE FUNCTION count_clients();

INSERT INTO client_counts (org_id, provider_id, archived, is_test, n)
SELECT org_id, primary_provider_id, archived_at IS NOT NULL, is_test, count(*)
FROM clients GROUP BY 1, 2, 3, 4;
