// Package web is Beacon's Fiber adapter: the server and its error handler
// (server.go), the one route table with the role each route needs
// (routes.go), middleware, view rendering, and one file per resource. It
// calls the store and the feature packages; nothing imports web but cli
// and tests.
package web
