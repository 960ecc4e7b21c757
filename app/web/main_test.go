package web_test

import (
	"flag"
	"os"
	"testing"
	"time"
)

// webTestTimeout is how long this package's tests may run under the plain
// `go test ./...` of the README. They drive Chromium through every journey,
// sweep the admin area in six languages and run Lighthouse: about six
// minutes on a quiet 2-core machine, but past go test's default of ten on
// a loaded one, where the timeout would fail a run that is only slow.
const webTestTimeout = 30 * time.Minute

// TestMain raises go test's default timeout (10m, which the go command
// passes explicitly) to webTestTimeout; a timeout given on the command
// line other than the default is kept.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.timeout"); f != nil && f.Value.String() == (10*time.Minute).String() {
		_ = f.Value.Set(webTestTimeout.String())
	}
	os.Exit(m.Run())
}
