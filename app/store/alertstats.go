package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"beacon/app"

	"gorm.io/gorm"
)

// Alert statistics kinds (app/stat.go): a visitor saw an alert (its page
// or its banner link) and followed its "learn what to do" link.
const (
	StatAlertViewed  = app.StatAlertViewed
	StatAlertLearned = app.StatAlertLearned
)

// StatAlertKinds lists the alert statistics kinds (app.StatAlertKinds).
var StatAlertKinds = app.StatAlertKinds

func isAlertKind(kind string) bool { return slices.Contains(StatAlertKinds, kind) }

// RecordAlertEvent counts, once per visitor, that learnerID (an account's or
// a guest's learner id) viewed an alert or followed its "learn what to do"
// link (kind StatAlertViewed or StatAlertLearned), in locale, into the
// site-wide rollups.
//
// It is a first-time event (stat_firsts, scope 0, the alert id in
// course_id) written in one transaction with its rollups (DimAll, DimAlert,
// DimRegion, DimOrganization, DimLocale), with the guest/registered split
// and the region and organization of the account at event time. A click
// also counts as a view when the learner had none, so that the share of
// viewers who clicked never passes 100%. Alert events are no learning
// events: they record no visit and no funnel step. Later calls for the same
// learner, alert and kind change nothing.
func (s *Store) RecordAlertEvent(ctx context.Context, learnerID, locale string, alertID int64, kind string) error {
	if learnerID == "" || alertID <= 0 || !isAlertKind(kind) {
		return fmt.Errorf("record alert event: bad learner %q, alert %d or kind %q", learnerID, alertID, kind)
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := ensureLearner(tx, learnerID, now); err != nil {
			return err
		}
		a, err := lookupStatActor(tx, learnerID, locale)
		if err != nil {
			return err
		}
		ch, err := learnerChannel(tx, learnerID, 0)
		if err != nil {
			return err
		}
		deltas := map[StatKey]int64{}
		for _, k := range StatAlertKinds {
			e := a.event(k, 0, alertID, ch, now)
			if _, err := insertFirst(tx, &e, deltas); err != nil {
				return err
			}
			if k == kind {
				break
			}
		}
		return applyStatDeltas(tx, deltas)
	})
	if err != nil {
		return fmt.Errorf("record alert event: %w", err)
	}
	return nil
}

// AlertHeadline names an alert in the statistics: its identifier, its
// headline in every language it has, the language it was written in, and
// its CAP status (Exercise alerts are drills).
type AlertHeadline struct {
	Identifier   string
	Headline     app.Text
	SourceLocale string
	Status       string
}

// AlertHeadlines returns the headlines of the alerts with these ids, in any
// state, in one query; ids without an alert (a deleted draft) are absent.
func (s *Store) AlertHeadlines(ctx context.Context, ids []int64) (map[int64]AlertHeadline, error) {
	out := make(map[int64]AlertHeadline, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID         int64
		Identifier string
		Body       string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT id, identifier, body FROM alerts WHERE id IN ?`, ids).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("alert headlines: %w", err)
	}
	for _, r := range rows {
		var a app.Alert
		if err := json.Unmarshal([]byte(r.Body), &a); err != nil {
			return nil, fmt.Errorf("alert headlines: decode %s: %w", r.Identifier, err)
		}
		out[r.ID] = AlertHeadline{Identifier: r.Identifier, Headline: a.Headline, SourceLocale: a.SourceLocale, Status: a.Status}
	}
	return out, nil
}
