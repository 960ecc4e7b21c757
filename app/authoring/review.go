package authoring

import "beacon/app"

// MayPublish is the four-eyes rule: with fourEyes on, nobody publishes a
// revision they wrote any part of. writers are all of them: the draft's
// editors, and, for a restored revision, the writers of the text it
// restores (their text never passed a second pair of eyes as theirs).
// It returns nil, or EFORBIDDEN with admin.review.own_text.
func MayPublish(reviewer int64, writers []int64, fourEyes bool) error {
	if !fourEyes {
		return nil
	}
	for _, id := range writers {
		if id == reviewer {
			return app.Errorf(app.EFORBIDDEN, "admin.review.own_text")
		}
	}
	return nil
}
