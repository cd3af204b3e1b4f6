-- People who sign in: staff of the office, members of a team, output checkers (a person may be a
-- checker and a team member, but never checks their own team). Local accounts with hashed
-- passwords; a new account gets a one-time set-password link (only its SHA-256 is stored).

CREATE TABLE accounts (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username                   text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    display_name               text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    is_staff                   boolean NOT NULL DEFAULT false,
    is_checker                 boolean NOT NULL DEFAULT false,
    team_id                    bigint REFERENCES teams (id),
    password_hash              text,
    set_password_token_sha256  text UNIQUE CHECK (set_password_token_sha256 ~ '^[0-9a-f]{64}$'),
    set_password_expires_at    timestamptz,
    failed_sign_ins            integer NOT NULL DEFAULT 0,
    locked_until               timestamptz,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    disabled_at                timestamptz,
    CHECK (is_staff OR is_checker OR team_id IS NOT NULL),
    CHECK ((set_password_token_sha256 IS NULL) = (set_password_expires_at IS NULL))
);
