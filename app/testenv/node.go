package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// NodeModules returns the node_modules folder that holds every named npm
// package, for tests that check Beacon's output with an outside JavaScript
// tool (an OpenAPI validator, a credential verifier). The folder is
// BEACON_TEST_NODE_MODULES (.ci/run installs the packages there), else the
// CI's cache folder. A missing node or package skips the test, or fails it
// under BEACON_TEST_REQUIRE=all.
func NodeModules(tb testing.TB, packages ...string) string {
	tb.Helper()
	_, err := exec.LookPath("node")
	Require(tb, "node", err == nil, "node is not on PATH")
	dir := os.Getenv("BEACON_TEST_NODE_MODULES")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "beacon-axe", "node_modules")
	}
	for _, p := range packages {
		_, err := os.Stat(filepath.Join(dir, p, "package.json"))
		Require(tb, "npm:"+p, err == nil, "npm package "+p+" is not in "+dir+" (npm install --prefix "+filepath.Dir(dir)+" "+p+")")
	}
	return dir
}
