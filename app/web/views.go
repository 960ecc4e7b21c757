package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/valyala/fasthttp"
)

// layoutName is the layout every full page renders in (render.go).
const layoutName = "layouts/main"

// newViews loads the templates and executes each once, before any request.
//
// Two properties of gofiber's html engine make this necessary. It binds the
// layout's {{embed}} by rewriting a function in the template set's shared
// function map, holding its lock only while a layout render runs; and it
// copies the looked-up template outside that lock, while html/template
// escapes a template (writing into it) on its first execution. The first
// means a render without a layout must not go through Engine.Render (see
// renderBare); the second means first renders racing each other are a data
// race, which executing every template here, alone, settles: escaping is
// static, so a run without data escapes every branch, and its errors
// (missing data) are expected.
func newViews(templates fs.FS, funcs ...template.FuncMap) (*html.Engine, error) {
	engine := html.NewFileSystem(http.FS(templates), ".html")
	for _, f := range funcs {
		engine.AddFuncMap(f)
	}
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	for _, t := range engine.Templates.Templates() {
		_ = t.Execute(io.Discard, nil)
	}
	return engine, nil
}

// warmRender makes Fiber's first Ctx.Render call before any request:
// that call fills the app's list of mounted apps it renders through
// (generateAppListKeys) without a lock, so two first renders at once are a
// data race. The template name is empty on purpose; only the list matters.
func warmRender(app *fiber.App) {
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	_ = c.Render("", nil)
}

// renderBare renders one template without the layout. It executes the
// template itself rather than calling Engine.Render, which would set the
// shared {{embed}} function to nil under a full page render running at
// the same moment, making that page fail.
func renderBare(engine *html.Engine, w io.Writer, name string, data any) error {
	t := engine.Templates.Lookup(name)
	if t == nil {
		return fmt.Errorf("render %s: no such template", name)
	}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}
