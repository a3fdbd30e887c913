-- Counts every change to which mailboxes use which service (a mailbox connected, disconnected or
-- its server deleted). With `version`, which every save of the settings moves on, it names the
-- exact content of the settings document and the picker, so that a replica can tell cheaply
-- whether the copy it keeps in memory is still current.
ALTER TABLE settings ADD COLUMN usage_revision BIGINT NOT NULL DEFAULT 0;
