-- A grant gets a lifetime: an optional last day (ends_on, inclusive; null: no end) and a revocation kept beside it.
-- Grant rows are never deleted or overwritten: who had access to which data, from when to when and why, is what the
-- people in the data ask. So revoking sets the revocation columns, and granting the same data again later is a new
-- row; that is why a grant now has its own id instead of the key (dataset_id, team_id).
-- A grant is in force when it is not revoked and (ends_on is null or today <= ends_on). At most one grant of a
-- dataset to a team is in force at a time: "in force" depends on today, which no index can see, so the repository
-- checks it while it holds the team's row locked (DatasetRepository.GrantAsync).
ALTER TABLE dataset_grants DROP CONSTRAINT dataset_grants_pkey;
ALTER TABLE dataset_grants ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE dataset_grants ADD COLUMN ends_on date;
ALTER TABLE dataset_grants ADD COLUMN revoked_at timestamptz;
ALTER TABLE dataset_grants ADD COLUMN revoked_by text;
ALTER TABLE dataset_grants ADD COLUMN revoke_reason text CHECK (length(revoke_reason) BETWEEN 1 AND 1000);
ALTER TABLE dataset_grants ADD CONSTRAINT dataset_grants_revocation_whole
    CHECK ((revoked_at IS NULL AND revoked_by IS NULL AND revoke_reason IS NULL)
        OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND revoke_reason IS NOT NULL));
-- The lookups: a team's grants (sandbox mounts, release checks) and a dataset's grants (transparency).
CREATE INDEX dataset_grants_team ON dataset_grants (team_id, dataset_id);
