package web_test

import "testing"

// BenchmarkItemAnalysisPage renders the item analysis of the seed course
// cyber-hygiene (its live revision, every question and choice, protection
// included) in process at 2,000 and 200,000 demo learners, as an
// organizer, and reports the median and 95th percentile request times as
// p50-ms and p95-ms. Target: under 50 ms at 200,000.
func BenchmarkItemAnalysisPage(b *testing.B) {
	benchDemoPage(b, "/en/admin/courses/cyber-hygiene/items")
}
