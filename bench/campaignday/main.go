// Command campaignday is Beacon's campaign-day load test (issue #10).
//
//	bash bench/run [day] [flags]    the campaign day (default)
//	bash bench/run pages [flags]    the side-by-side page measurement
//
// "day" builds the server, starts a throwaway PostgreSQL cluster (or
// uses -postgres), two Beacon instances on it started together, and nginx
// as a caching reverse proxy in front of them; it measures nginx serving a
// static copy of a lesson page as the reference, then drives a mix like a
// campaign day (first visits through channel links, lesson reads, quiz
// submissions, organizers reloading dashboards) for -duration, publishes
// an alert half way, and prints throughput, p50/p99 per kind of request,
// the cache hit ratio, failures, and the time until every client saw the
// alert. "pages" compares, with wrk, nginx serving a lesson page's bytes
// from a file with one Beacon instance (SQLite) serving it to a cookieless
// and to a signed-in visitor.
//
// Everything listens on 127.0.0.1 only, lives in a temp folder, runs as a
// child of this process, and is stopped and deleted at the end; request
// loops are bounded in time and in count.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// defaultRateLimits are the example limits of issue #10's contract; the
// load test spreads its citizens over 508 documentation addresses, so
// none of them is near a per-address limit at these rates.
const defaultRateLimits = "login_account=10/m,login_address=300/m,register_address=300/h,quiz_learner=10/m,quiz_address=3000/m"

func run(args []string) int {
	mode := "day"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		mode, args = args[0], args[1:]
	}
	// A closed terminal or output pipe (SIGHUP, SIGPIPE: `bash bench/run | head`)
	// stops the run like Ctrl-C does, so that its children are still
	// stopped and its temp folder deleted.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	defer stop()
	fs := flag.NewFlagSet("campaignday "+mode, flag.ContinueOnError)
	repo := fs.String("repo", ".", "the Beacon repository to build and whose content/ to read")
	keep := fs.Bool("keep", false, "keep the temp folder (logs, nginx config and access log) after the run")
	var err error
	switch mode {
	case "day":
		o := dayOptions{}
		fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long the mix runs, at least (the alert goes out at half time)")
		fs.DurationVar(&o.alertWait, "alert-wait", 75*time.Second, "after the duration, how long to keep going for every client to see the alert")
		fs.DurationVar(&o.reference, "reference", 10*time.Second, "length of each wrk reference run")
		fs.DurationVar(&o.goReference, "go-reference", 5*time.Second, "length of the Go driver's run against the static copy")
		fs.IntVar(&o.citizens, "citizens", 16, "concurrent citizen clients")
		fs.IntVar(&o.organizers, "organizers", 3, "organizers reloading the statistics dashboard")
		fs.DurationVar(&o.dashEvery, "dashboard-every", 2*time.Second, "an organizer's reload interval")
		fs.IntVar(&o.nginxWorkers, "nginx-workers", 2, "nginx worker processes")
		fs.StringVar(&o.postgres, "postgres", os.Getenv("BEACON_BENCH_POSTGRES"), "admin URL of an existing PostgreSQL whose role may CREATE DATABASE (default: a throwaway cluster made with initdb)")
		fs.StringVar(&o.rateLimits, "rate-limits", defaultRateLimits, "BEACON_RATE_LIMITS given to the instances")
		fs.Int64Var(&o.maxRequests, "max-requests", 5_000_000, "stop after this many requests")
		fs.DurationVar(&o.killAt, "kill-instance", 0, "kill -9 the second Beacon instance this long into the mix (0: never), to see what clients get")
		if err = fs.Parse(args); err != nil {
			return 2
		}
		o.repo, o.keep = *repo, *keep
		if o.citizens < 1 || o.duration <= 0 {
			fmt.Fprintln(os.Stderr, "campaignday: -citizens must be ≥ 1 and -duration > 0")
			return 2
		}
		err = runDay(ctx, o)
	case "pages":
		o := pagesOptions{}
		fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured wrk run")
		fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "length of the unreported wrk run before each")
		fs.IntVar(&o.threads, "threads", 2, "wrk threads (-t)")
		fs.IntVar(&o.conns, "connections", 16, "wrk connections (-c)")
		if err = fs.Parse(args); err != nil {
			return 2
		}
		o.repo, o.keep = *repo, *keep
		err = runPages(ctx, o)
	default:
		fmt.Fprintf(os.Stderr, "campaignday: unknown mode %q (day or pages)\n", mode)
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "campaignday %s: %v\n", mode, err)
		return 1
	}
	return 0
}

// readAllLimited reads a response body of at most 8 MiB.
func readAllLimited(resp *http.Response) ([]byte, error) {
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}
