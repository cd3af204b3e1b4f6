-- Which installation this database is: sandboxes carry it as a label, so that hosts sharing one
-- Docker engine (test runs, a staging and a live event) never stop or remove each other's containers.
CREATE TABLE installation (
    id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
    singleton   boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);
INSERT INTO installation (id) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));

-- One sandbox per team: what staff want (desired_state), never what is (the engine says that).
-- Only the container's name and id are kept, as dockerspawner does; everything else about the
-- container is read back from the engine.

ALTER TABLE events
    ADD COLUMN sandbox_image      text,      -- null: the host's Sandboxes:Image
    ADD COLUMN sandbox_memory_mb  integer CHECK (sandbox_memory_mb BETWEEN 256 AND 262144),
    ADD COLUMN sandbox_cpus       numeric(5, 2) CHECK (sandbox_cpus > 0 AND sandbox_cpus <= 256),
    ADD COLUMN sandbox_pids       integer CHECK (sandbox_pids BETWEEN 64 AND 65536);

CREATE TABLE sandboxes (
    team_id          bigint PRIMARY KEY REFERENCES teams (id),
    desired_state    text NOT NULL CHECK (desired_state IN ('running', 'stopped')),
    container_name   text NOT NULL UNIQUE,
    container_id     text,
    -- The token the host gives the team's Jupyter; the proxy adds it, browsers never see it.
    ide_token        text NOT NULL CHECK (length(ide_token) >= 32),
    -- Bumped by a reset: a new container (and token) on the same workspace.
    generation       integer NOT NULL DEFAULT 1,
    last_error       text,
    last_activity_at timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
