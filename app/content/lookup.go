package content

// Lookup adapts a site's existence checks, which can fail, to the plain
// predicates of Options, and keeps the first failure for the caller.
type Lookup struct {
	err error
}

// Check wraps f as a predicate for Options.KnownCourses or KnownMedia.
func (l *Lookup) Check(f func(name string) (bool, error)) func(string) bool {
	return func(name string) bool {
		ok, err := f(name)
		if err != nil && l.err == nil {
			l.err = err
		}
		return ok
	}
}

// Err is the first failure of any wrapped check, or nil.
func (l *Lookup) Err() error { return l.err }
