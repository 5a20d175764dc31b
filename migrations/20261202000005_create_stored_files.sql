-- Uploaded files: the bytes live in the file store under `{org_id}/{id}`; this is what they are.

CREATE TABLE stored_files (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    file_name text NOT NULL,
    content_type text NOT NULL,
    byte_size bigint NOT NULL CHECK (byte_size > 0),
    created_at timestamptz NOT NULL,
    UNIQUE (org_id, id)
);

ALTER TABLE programs ADD COLUMN cover_file_id uuid;
ALTER TABLE programs
    ADD FOREIGN KEY (org_id, cover_file_id) REFERENCES stored_files (org_id, id);

-- A document module: a file the client opens, with notes in `body`.
ALTER TABLE program_modules ADD COLUMN document_file_id uuid;
ALTER TABLE program_modules
    ADD FOREIGN KEY (org_id, document_file_id) REFERENCES stored_files (org_id, id);
ALTER TABLE program_modules DROP CONSTRAINT program_modules_kind_check;
ALTER TABLE program_modules
    ADD CONSTRAINT program_modules_kind_check CHECK (kind IN ('lesson', 'video', 'email', 'document'));
