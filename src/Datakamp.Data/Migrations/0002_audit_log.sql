-- The audit trail: who did what, to which subject, when, and why. Append-only and hash-chained.
-- Each row's hash covers its own fields and the previous row's hash, so changing or deleting any
-- row breaks the chain from there on; `datakamp audit verify` recomputes it. The triggers below
-- refuse UPDATE, DELETE and TRUNCATE for everyone who cannot disable triggers; the chain catches
-- the rest. `details` is stored as the exact JSON text that was hashed (not jsonb, which would
-- reorder keys and change the bytes).

CREATE TABLE audit_events (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    at            timestamptz NOT NULL,
    actor         text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action        text NOT NULL CHECK (action ~ '^[a-z][a-z_.]{1,63}$'),
    subject_type  text NOT NULL CHECK (length(subject_type) BETWEEN 1 AND 64),
    subject_id    text NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 200),
    event_id      bigint,
    team_id       bigint,
    dataset_id    bigint,
    details       text NOT NULL,
    prev_hash     text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash          text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_team ON audit_events (team_id, at) WHERE team_id IS NOT NULL;
CREATE INDEX audit_events_dataset ON audit_events (dataset_id, at) WHERE dataset_id IS NOT NULL;
CREATE INDEX audit_events_at ON audit_events (at);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
