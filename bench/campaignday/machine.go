package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where a run happened, so that its figures are read
// with their context: CPUs, memory, system, and the load other processes
// put on the machine when the run began.
func machine() string {
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				mem = fmt.Sprintf(", %.0f GiB", kb/1024/1024)
			}
		}
	}
	system := runtime.GOOS
	if b, err := os.ReadFile("/etc/debian_version"); err == nil {
		system = "Debian " + strings.TrimSpace(string(b))
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = fmt.Sprintf("; load average %s %s %s at start", f[0], f[1], f[2])
		}
	}
	return fmt.Sprintf("machine: %d CPUs%s, %s, %s%s", runtime.NumCPU(), mem, system, runtime.Version(), load)
}

// buildKnows reports whether the built binary's usage text names an
// environment variable, to tell a missing feature from a failing one.
func buildKnows(ctx context.Context, bin, variable string) bool {
	out, _ := runCommand(ctx, "", os.Environ(), "", nil, bin, "help")
	return strings.Contains(out, variable)
}
