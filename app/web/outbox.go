package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// outboxSize bounds the jobs waiting; beyond it new ones are dropped with
// a warning (the rate limits keep an honest site far below it).
const outboxSize = 256

// outboxJobTimeout bounds one job: its lookups and one SMTP conversation.
const outboxJobTimeout = time.Minute

// outbox runs mail jobs one after another in the background, after the
// request that asked for them has been answered. Forms that may mail
// (password reset, registration) answer the same page at the same speed
// whether or not the address has an account: the lookup, the token and
// the SMTP conversation all happen here, out of the response's timing.
// Jobs run in the order they came, which tests rely on.
type outbox struct {
	log    *slog.Logger
	jobs   chan func(context.Context)
	mu     sync.Mutex
	closed bool
	done   chan struct{}
}

func newOutbox(log *slog.Logger) *outbox {
	o := &outbox{log: log, jobs: make(chan func(context.Context), outboxSize), done: make(chan struct{})}
	go o.run()
	return o
}

func (o *outbox) run() {
	defer close(o.done)
	for job := range o.jobs {
		ctx, cancel := context.WithTimeout(context.Background(), outboxJobTimeout)
		job(ctx)
		cancel()
	}
}

// add queues a job; it never blocks the request.
func (o *outbox) add(job func(context.Context)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		o.log.Warn("mail outbox closed; a message was dropped")
		return
	}
	select {
	case o.jobs <- job:
	default:
		o.log.Warn("mail outbox full; a message was dropped", "size", outboxSize)
	}
}

// close stops taking jobs and waits until the queued ones ran or ctx ends.
func (o *outbox) close(ctx context.Context) {
	o.mu.Lock()
	if !o.closed {
		o.closed = true
		close(o.jobs)
	}
	o.mu.Unlock()
	select {
	case <-o.done:
	case <-ctx.Done():
	}
}
