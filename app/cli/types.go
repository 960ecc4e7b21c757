package cli

import (
	"log/slog"

	"beacon/app/i18n"
	"beacon/app/store"
)

type (
	storeT  = *store.Store
	bundleT = *i18n.Bundle
	loggerT = *slog.Logger
)
