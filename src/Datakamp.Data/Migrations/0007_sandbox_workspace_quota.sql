-- An event's own size for each team's disk image (workspace and outbox); null: the host's
-- Sandboxes:WorkspaceQuotaMb. ext4 needs a few MB of its own, hence the lower bound.
ALTER TABLE events
    ADD COLUMN sandbox_workspace_mb integer CHECK (sandbox_workspace_mb BETWEEN 64 AND 4194304);
