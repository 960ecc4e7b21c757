package cli

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a progress bar for long commands. It draws only when w is a
// terminal, so scripts, pipes, log files and tests see nothing; a nil or
// silent progress ignores every call. The bar is cleared when done, leaving
// the command's own summary line alone on the screen.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a bar counting to total with a description, drawn on
// w when it is a terminal.
func newProgress(w io.Writer, total int, description string) *progress {
	if !isTerminal(w) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionClearOnFinish(),
	)}
}

// isTerminal reports whether w is a terminal: an *os.File that is a
// character device and answers terminal requests (/dev/null is a
// character device but not a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// describe changes the text beside the bar.
func (p *progress) describe(description string) {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Describe(description)
}

// add advances the bar by n steps. Drawing errors are ignored: the bar is
// a courtesy and must never fail the command.
func (p *progress) add(n int) {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Add(n)
}

// done removes the bar, whether the work finished or failed; later calls,
// such as a deferred one, do nothing.
func (p *progress) done() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Clear()
	_ = p.bar.Exit()
	p.bar = nil
}
