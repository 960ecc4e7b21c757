package store

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// SQLite checkpoints.
//
// In WAL mode a commit appends pages to the write-ahead log; a checkpoint
// copies them into the database file and syncs both (the only fsyncs under
// synchronous=NORMAL). SQLite's default runs a checkpoint inside the COMMIT
// of whichever connection pushes the log past 1000 pages: the quiz
// committer then stalls for tens of milliseconds several times a second,
// and every submission waiting behind it with it. So connections here never
// checkpoint on commit (wal_autocheckpoint=0), and one goroutine per Store
// does it in the background: a PASSIVE checkpoint, which runs beside the
// writer, every checkpointEvery. A log that has only been copied keeps
// growing under a steady load, though, because only a writer that starts
// after a complete checkpoint may write it from its start again; so when it
// has grown past walRestartFrames a RESTART checkpoint follows, which waits
// for the writer, copies the few pages committed meanwhile, and lets the
// next writer start the log over. Under load the writer is the quiz
// committer, which takes the write lock again as soon as it commits (SQLite
// locks queue no one): a RESTART from another goroutine would wait its busy
// timeout out. So the committer runs it between two batches when a pass
// asks for one (restartDue); when no committer takes the request by the
// next pass, the pass runs it itself. When the last connection closes,
// SQLite checkpoints the rest.

const (
	checkpointEvery  = 200 * time.Millisecond
	walRestartFrames = 4096 // 16 MB of 4 KB pages
)

// sqliteConnector opens SQLite connections with the pragmas that the DSN
// cannot carry.
type sqliteConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func newSQLiteConnector(dsn string) *sqliteConnector {
	return &sqliteConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}}}
}

func (c *sqliteConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }

func (c *sqliteConnector) Driver() driver.Driver { return c.drv }

// checkpointer runs the background checkpoints of one SQLite store.
type checkpointer struct {
	db         *gorm.DB
	restartDue atomic.Bool // a pass asks for a RESTART checkpoint
	quit       chan struct{}
	stopped    chan struct{}
}

func startCheckpointer(db *gorm.DB) *checkpointer {
	c := &checkpointer{db: db, quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.stopped)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-tick.C:
		}
		c.pass(walRestartFrames)
	}
}

// pass runs one PASSIVE checkpoint and, when the log holds restartAt pages
// or more, asks for a RESTART one, or runs it when the request of the
// previous pass is still open. A failed checkpoint (the database busy past
// the busy timeout) leaves the log longer; the next pass tries again.
func (c *checkpointer) pass(restartAt int) {
	frames, err := c.checkpoint("PASSIVE")
	if err != nil || frames < restartAt {
		return
	}
	if c.restartDue.Swap(true) && c.restartDue.CompareAndSwap(true, false) {
		_, _ = c.checkpoint("RESTART")
	}
}

// restartIfDue runs the RESTART checkpoint a pass asked for, if any; the
// quiz committer calls it between batches.
func (c *checkpointer) restartIfDue() {
	if c != nil && c.restartDue.CompareAndSwap(true, false) {
		_, _ = c.checkpoint("RESTART")
	}
}

// checkpoint runs one checkpoint in mode and returns the log's length in pages.
func (c *checkpointer) checkpoint(mode string) (int, error) {
	var busy, frames, done int
	err := c.db.Raw("PRAGMA wal_checkpoint("+mode+")").Row().Scan(&busy, &frames, &done)
	return frames, err
}

func (c *checkpointer) stop() {
	close(c.quit)
	<-c.stopped
}
