package web

import (
	"context"
	"sync"
	"time"

	"beacon/app"
)

// alertsTTL bounds how stale an instance's list of active alerts may be:
// a publication on another instance (or an alert whose effective time
// arrives) shows within this time; a publication on this instance
// invalidates at once.
const alertsTTL = 5 * time.Second

// alertSnapshot is one load of the active alerts (store.ActiveAlerts),
// kept in s.alerts for alertsTTL so that the banner on every page costs no
// database query; the region chains of the visitors' regions are added as
// visitors from each region come by, and dropped with the snapshot.
type alertSnapshot struct {
	active []*app.Alert // most severe first (app.SortAlerts)
	// allClear are the public Cancels that say all clear, sent within
	// feedCancelKeep, newest first: the banner tells people it is over.
	allClear []*app.Alert
	chains   sync.Map // region code → []string (the code and its ancestors)
}

// alertsNow returns the active alerts at most alertsTTL old. When the
// database fails, the last known list (or none) is kept for another
// alertsTTL, so that pages never fail because of the banner.
func (s *Server) alertsNow(ctx context.Context) *alertSnapshot {
	return s.alerts.get(alertsTTL, func() (*alertSnapshot, error) {
		now := s.now()
		active, err := s.store.ActiveAlerts(ctx, now)
		if err != nil {
			return &alertSnapshot{active: active}, err
		}
		cancels, err := s.store.CancelsSince(ctx, now.Add(-feedCancelKeep))
		var allClear []*app.Alert
		for _, a := range cancels {
			if a.AllClear && a.Public() {
				allClear = append(allClear, a)
			}
		}
		return &alertSnapshot{active: active, allClear: allClear}, err
	}, func(err error) { s.log.Warn("load active alerts", "err", err) })
}

// allClearAlerts returns the all-clear Cancels still shown at now (sent
// less than feedCancelKeep ago), newest first, from the cache.
func (s *Server) allClearAlerts(ctx context.Context) []*app.Alert {
	now := s.now()
	p := s.alertsNow(ctx)
	out := make([]*app.Alert, 0, len(p.allClear))
	for _, a := range p.allClear {
		if !a.Sent.After(now) && now.Before(a.Sent.Add(feedCancelKeep)) {
			out = append(out, a)
		}
	}
	return out
}

// activeAlerts returns the alerts in force now, most severe first, from
// the cache (an alert that expired since the load is left out).
func (s *Server) activeAlerts(ctx context.Context) []*app.Alert {
	now := s.now()
	p := s.alertsNow(ctx)
	out := make([]*app.Alert, 0, len(p.active))
	for _, a := range p.active {
		if a.Active(now) {
			out = append(out, a)
		}
	}
	return out
}

// regionChain returns a region code and its ancestors' codes, cached with
// the active alerts; "" (a guest, or an account without a region) is nil.
// A failed lookup is logged and treated as no region, for this request.
func (s *Server) regionChain(ctx context.Context, code string) []string {
	if code == "" {
		return nil
	}
	p := s.alertsNow(ctx)
	if v, ok := p.chains.Load(code); ok {
		return v.([]string)
	}
	chain, err := s.store.RegionChain(ctx, code)
	if err != nil {
		s.log.Warn("load region chain", "region", code, "err", err)
		return []string{code}
	}
	p.chains.Store(code, chain)
	return chain
}
