-- Everyone who wrote any part of a course revision: its author, the
-- co-editors of the draft it was, and, for a restored revision, the writers
-- of the text it restores. Four-eyes review reads it: none of them may
-- publish the revision (app/store/authoring.go). Comma-separated user ids.
ALTER TABLE course_revisions ADD COLUMN contributors TEXT NOT NULL DEFAULT '';
UPDATE course_revisions SET contributors = CAST(created_by AS TEXT) WHERE created_by IS NOT NULL;
UPDATE course_revisions
   SET contributors = (SELECT c.draft_editors FROM courses c WHERE c.draft_revision_id = course_revisions.id)
 WHERE id IN (SELECT draft_revision_id FROM courses WHERE draft_revision_id IS NOT NULL AND draft_editors <> '');
