-- The automated check's work queue: one row per file of a submitted version, written in the same transaction as the
-- file itself, so a submission that is recorded is never without its checks. A worker claims all pending rows of one
-- request version with FOR UPDATE SKIP LOCKED and keeps them locked until the results are written: a worker that dies
-- (a host killed mid-check) releases its rows with its connection, and the next worker takes them up.
CREATE TABLE release_checks (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   bigint NOT NULL,
    version      integer NOT NULL,
    file_name    text NOT NULL,
    enqueued_at  timestamptz NOT NULL DEFAULT now(),
    -- Failed attempts (a fault outside the engine, e.g. the store unreadable); after a few the files go to a person.
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text,
    done_at      timestamptz,
    UNIQUE (request_id, version, file_name),
    FOREIGN KEY (request_id, version, file_name) REFERENCES release_files (request_id, version, name)
);
CREATE INDEX release_checks_pending ON release_checks (id) WHERE done_at IS NULL;

-- Files recorded before this queue existed and not yet checked.
INSERT INTO release_checks (request_id, version, file_name)
SELECT f.request_id, f.version, f.name FROM release_files f WHERE f.check_status IS NULL ORDER BY f.request_id, f.version, f.name;
