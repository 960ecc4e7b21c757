-- Certificates become Open Badges credentials revocable by a Bitstring
-- Status List (app/credential): each one gets a status_index, unique and
-- assigned in order of issue from a sequence, and a deleted account's
-- certificate stays as a tombstone (no holder, no account, revoked_at set)
-- so that its bit stays set.
ALTER TABLE certificates ADD COLUMN status_index BIGINT;
ALTER TABLE certificates ADD COLUMN revoked_at TIMESTAMPTZ;
UPDATE certificates SET status_index = n.idx
  FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY issued_at, id) - 1 AS idx FROM certificates) n
 WHERE certificates.id = n.id;
ALTER TABLE certificates ALTER COLUMN status_index SET NOT NULL;
ALTER TABLE certificates ADD CONSTRAINT certificates_status_index_key UNIQUE (status_index);
ALTER TABLE certificates ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE certificates DROP CONSTRAINT certificates_user_id_fkey;
ALTER TABLE certificates ADD CONSTRAINT certificates_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL;
CREATE SEQUENCE certificate_status_index MINVALUE 0 START 0;
SELECT setval('certificate_status_index', (SELECT COUNT(*) FROM certificates), false);
CREATE INDEX certificates_revoked ON certificates (status_index) WHERE revoked_at IS NOT NULL;
