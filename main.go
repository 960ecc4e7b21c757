// Command beacon runs Beacon, a public education and awareness platform:
// one binary with its templates, static files, seed content and migrations
// embedded.
package main

import (
	"context"
	"embed"
	"os"

	"beacon/app/cli"
)

//go:embed templates static content migrations
var assets embed.FS

func main() {
	os.Exit(cli.Run(context.Background(), cli.Env{
		Args:   os.Args[1:],
		Getenv: os.Getenv,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		FS:     assets,
	}))
}
