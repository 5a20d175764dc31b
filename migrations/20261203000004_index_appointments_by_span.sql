-- Calendars and feeds ask for the appointments that overlap a range (start before its end, end
-- after its start). The b-tree on starts_at serves only the first half, so a week's calendar
-- read every earlier appointment of the provider (9,500 of 10,000 in scripts/load). A GiST index
-- on the span answers the overlap itself.
CREATE INDEX appointments_org_span ON appointments USING gist (org_id, tstzrange(starts_at, ends_at));
