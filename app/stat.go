package app

// The statistics vocabulary: what the rollups count (metrics, of which
// the funnel's steps and the alert kinds are also kinds of first-time
// events) and by what they break counts down (dimensions). The store
// keeps the counts; app/stats protects them; the web names them.

// Statistic metrics; the first four are also kinds of first-time events.
const (
	StatVisited   = "visited"
	StatStarted   = "started"
	StatCompleted = "completed"
	StatCertified = "certified"
	StatAttempts  = "attempts"
	StatPassed    = "passed"
	StatScoreSum  = "score_sum"
	// StatAlertViewed and StatAlertLearned count people who saw an alert
	// and who followed its "learn what to do" link, once per alert.
	StatAlertViewed  = "alert_viewed"
	StatAlertLearned = "alert_learned"
)

// StatFunnel lists the first-time kinds in funnel order.
var StatFunnel = []string{StatVisited, StatStarted, StatCompleted, StatCertified}

// StatAlertKinds lists the alert statistics kinds, a view before a click.
var StatAlertKinds = []string{StatAlertViewed, StatAlertLearned}

// Breakdown dimensions of the statistics.
const (
	DimAll          = "all"
	DimRegion       = "region"
	DimOrganization = "organization"
	DimLocale       = "locale"
	DimCourse       = "course"
	DimChannel      = "channel"
	DimAlert        = "alert"
)

// StatDims lists the breakdown dimensions.
var StatDims = []string{DimAll, DimRegion, DimOrganization, DimLocale, DimCourse, DimChannel, DimAlert}
