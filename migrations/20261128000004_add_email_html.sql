-- Client-facing email carries the practice's branding in an HTML part.
ALTER TABLE emails ADD COLUMN body_html text;
