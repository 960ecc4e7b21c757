package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	label    string
	url      string
	rps      float64
	p50, p99 float64 // ms
	requests int
	non2xx   int    // "Non-2xx or 3xx responses"
	errors   string // socket errors line, if any
	raw      string
}

var (
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct      = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`(\d+) requests in`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSocket   = regexp.MustCompile(`Socket errors:[^\n]*`)
)

// runWrk runs `wrk -t2 -c16 -d<d> --latency` (threads and connections as
// given) against url with extra headers, and parses its report.
func runWrk(ctx context.Context, label, url string, threads, conns int, d time.Duration, headers ...string) (*wrkResult, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return nil, fmt.Errorf("wrk not found: apt-get install wrk")
	}
	args := []string{fmt.Sprintf("-t%d", threads), fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(d.Seconds())), "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	out, err := runCommand(ctx, "", os.Environ(), "", nil, append([]string{bin}, args...)...)
	if err != nil {
		return nil, err
	}
	r := &wrkResult{label: label, url: url, raw: out}
	if m := wrkRPS.FindStringSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	} else {
		return nil, fmt.Errorf("wrk output without Requests/sec:\n%s", out)
	}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if m[1] == "50" {
			r.p50 = v
		} else {
			r.p99 = v
		}
	}
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
	}
	r.errors = strings.TrimSpace(wrkSocket.FindString(out))
	return r, nil
}

// line formats a result as one row of a report table.
func (r *wrkResult) line() string {
	extra := ""
	if r.non2xx > 0 {
		extra += fmt.Sprintf("  non-2xx/3xx: %d", r.non2xx)
	}
	if r.errors != "" {
		extra += "  " + r.errors
	}
	return fmt.Sprintf("%-44s %10.0f %9.2f %9.2f%s", r.label, r.rps, r.p50, r.p99, extra)
}
