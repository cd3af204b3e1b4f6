-- Release requests: the only way out of a sandbox. A request holds one or more versions of a set of
-- files (a returned request is resubmitted as a new version; earlier versions stay). Each file is a
-- snapshot in the host's content store, addressed by its SHA-256: what is checked, reviewed and
-- published is exactly those bytes. The state follows Datakamp.Domain.Releases.ReleaseRequest.

-- How many independent output checkers must review each request of an event (1, or 2: blind until both voted).
ALTER TABLE events ADD COLUMN release_checkers integer NOT NULL DEFAULT 1 CHECK (release_checkers IN (1, 2));

CREATE TABLE release_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id         bigint NOT NULL REFERENCES teams (id),
    submitted_by    bigint NOT NULL REFERENCES accounts (id),
    purpose         text NOT NULL CHECK (length(btrim(purpose)) BETWEEN 1 AND 2000),
    required_votes  integer NOT NULL CHECK (required_votes IN (1, 2)),
    state           text NOT NULL CHECK (state IN ('draft', 'submitted', 'checked', 'in_review', 'approved', 'rejected',
                                                   'returned', 'withdrawn', 'published')),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- The submit form's one-time key: a post that is retried (a double click, a lost answer, a host
    -- restart) finds the request it already made instead of making a second one.
    submission_key  uuid NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX release_requests_team ON release_requests (team_id);
CREATE INDEX release_requests_open ON release_requests (state) WHERE state IN ('submitted', 'checked', 'in_review');

CREATE TABLE release_files (
    request_id      bigint NOT NULL REFERENCES release_requests (id),
    version         integer NOT NULL,
    name            text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    media_type      text NOT NULL,
    -- The automated check: null until it ran. Never 'pass' for what could not be evaluated.
    check_status    text CHECK (check_status IN ('pass', 'review', 'fail')),
    check_summary   text,
    check_verdict   jsonb,          -- the disclosure engine's verdict for a table; null for other files
    dataset_id      bigint REFERENCES datasets (id),
    checked_at      timestamptz,
    PRIMARY KEY (request_id, version, name),
    CHECK ((check_status IS NULL) = (checked_at IS NULL))
);
CREATE INDEX release_files_unchecked ON release_files (request_id) WHERE check_status IS NULL;

-- Every state change, in order, with who made it.
CREATE TABLE release_transitions (
    request_id  bigint NOT NULL REFERENCES release_requests (id),
    seq         integer NOT NULL,
    from_state  text NOT NULL,
    to_state    text NOT NULL,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    PRIMARY KEY (request_id, seq)
);

-- One row per checker, version and file: a decision and the comment the team reads.
CREATE TABLE release_votes (
    request_id  bigint NOT NULL REFERENCES release_requests (id),
    version     integer NOT NULL,
    checker_id  bigint NOT NULL REFERENCES accounts (id),
    file_name   text NOT NULL,
    decision    text NOT NULL CHECK (decision IN ('approve', 'return', 'reject')),
    comment     text NOT NULL CHECK (length(btrim(comment)) BETWEEN 1 AND 4000),
    at          timestamptz NOT NULL,
    PRIMARY KEY (request_id, version, checker_id, file_name),
    FOREIGN KEY (request_id, version, file_name) REFERENCES release_files (request_id, version, name)
);

-- A publication is never deleted: staff may revoke it, with a reason, and the revocation is kept beside it.
CREATE TABLE release_publications (
    request_id     bigint PRIMARY KEY REFERENCES release_requests (id),
    version        integer NOT NULL,
    published_at   timestamptz NOT NULL,
    published_by   text NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text,
    revoke_reason  text CHECK (revoke_reason IS NULL OR length(btrim(revoke_reason)) BETWEEN 1 AND 2000),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revoke_reason IS NULL))
);
