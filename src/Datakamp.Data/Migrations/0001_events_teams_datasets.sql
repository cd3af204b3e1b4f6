-- An event (one Datakamp), its teams, the microdata files registered for it, and which team may use which.
-- Slugs appear in container labels, paths and URLs: lower-case letters, digits and dashes only.

CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);

CREATE TABLE teams (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES events (id),
    slug        text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, slug)
);

-- A microdata file on the host. Its SHA-256 is taken at registration, so every later check can
-- say exactly which version of the data it used.
CREATE TABLE datasets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     bigint NOT NULL REFERENCES events (id),
    name         text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    description  text NOT NULL DEFAULT '',
    file_path    text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    columns      text[] NOT NULL,
    unit_column  text NOT NULL,
    policy       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, name),
    CHECK (unit_column = ANY (columns))
);

-- Who may use which data, and why: the question the people in the data are asking.
CREATE TABLE dataset_grants (
    dataset_id  bigint NOT NULL REFERENCES datasets (id),
    team_id     bigint NOT NULL REFERENCES teams (id),
    purpose     text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 1000),
    granted_by  text NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, team_id)
);
