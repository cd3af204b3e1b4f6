-- "Approve with suppression": a checker may release the host's own recomputation of a table with its
-- suppressed cells blank and marked, instead of the team's file.
ALTER TABLE release_votes DROP CONSTRAINT release_votes_decision_check;
ALTER TABLE release_votes ADD CONSTRAINT release_votes_decision_check
    CHECK (decision IN ('approve', 'approve_with_suppression', 'return', 'reject'));

-- What a publication released, file by file: the exact bytes (by SHA-256 in the content store) that the
-- presentation shows and the bundles hold. 'as_submitted' is the team's file as checked and reviewed;
-- 'suppressed_by_host' is the host's table made from the recomputation, never the team's bytes.
CREATE TABLE release_outputs (
    request_id  bigint NOT NULL REFERENCES release_publications (request_id),
    name        text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    media_type  text NOT NULL,
    form        text NOT NULL CHECK (form IN ('as_submitted', 'suppressed_by_host')),
    PRIMARY KEY (request_id, name)
);

-- Publications made before this table existed released their approved files as submitted.
INSERT INTO release_outputs (request_id, name, sha256, size_bytes, media_type, form)
SELECT p.request_id, f.name, f.sha256, f.size_bytes, f.media_type, 'as_submitted'
FROM release_publications p
JOIN release_files f ON f.request_id = p.request_id AND f.version = p.version
WHERE NOT EXISTS (SELECT 1 FROM release_votes v
                  WHERE v.request_id = f.request_id AND v.version = f.version AND v.file_name = f.name AND v.decision <> 'approve');
