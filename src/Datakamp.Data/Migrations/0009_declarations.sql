-- The confidentiality declaration: per event a series of versions, the newest in force. A team member accepts the
-- version in force before their first sandbox start or IDE use; a new version asks everyone again. Versions are
-- never edited (a changed text is a new version), so an acceptance always points at the words that were accepted.
CREATE TABLE declaration_versions (
    event_id      bigint NOT NULL REFERENCES events (id),
    version       integer NOT NULL CHECK (version >= 1),
    text          text NOT NULL CHECK (length(btrim(text)) BETWEEN 20 AND 20000),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    published_at  timestamptz NOT NULL,
    published_by  text NOT NULL,
    PRIMARY KEY (event_id, version),
    -- Lets an acceptance refer to version and hash together, so it cannot name a hash of another text.
    UNIQUE (event_id, version, sha256)
);

CREATE TABLE declaration_acceptances (
    account_id   bigint NOT NULL REFERENCES accounts (id),
    event_id     bigint NOT NULL,
    version      integer NOT NULL,
    sha256       text NOT NULL,
    accepted_at  timestamptz NOT NULL,
    PRIMARY KEY (account_id, event_id, version),
    FOREIGN KEY (event_id, version, sha256) REFERENCES declaration_versions (event_id, version, sha256)
);
