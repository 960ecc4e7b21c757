package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/i18n"
	"beacon/app/stats"

	"github.com/gofiber/fiber/v2"
)

// The close-out report's downloads: one CSV file per table of the report
// (summary, funnel, channels, regions), each with exactly one header row
// and then data rows only, and a ZIP holding all of them. The figures are
// the page's (campaignPage): the same release, so the same hidden cells
// and the same perturbed counts. The old single report.csv, which stacked
// the tables under section lines, answers 301 to the ZIP.

// reportTableNames are the report's tables in the order of the page; the
// name is the file's (report/{name}.csv, and {name}.csv in the ZIP).
var reportTableNames = []string{"summary", "funnel", "channels", "regions"}

// reportDownloadRoutes are the close-out report's files (#13 part 3);
// the page and the old report.csv stay in campaignRoutes.
func (s *Server) reportDownloadRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const admin = "/:lang/admin/campaigns"
	return []route{
		{"GET", admin + "/:slug/report.zip", accessOrganize, h(s.adminCampaignReportZip)},
		{"GET", admin + "/:slug/report/:table.csv", accessOrganize, h(s.adminCampaignReportTable)},
	}
}

// csvTable is one table as a CSV file: one header row, then data rows.
type csvTable struct {
	Name string
	Head []string
	Rows [][]string
}

// writeTo writes the table with the UTF-8 byte order mark, every field
// neutralized (channel names are typed by organizers).
func (t csvTable) writeTo(out io.Writer) error {
	if _, err := io.WriteString(out, utf8BOM); err != nil {
		return err
	}
	w := stats.NewCSVWriter(out)
	if err := w.Write(t.Head); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return w.Flush()
}

// reportTables are the report's tables in the reader's language: hidden
// counts as stats.HiddenText, rates empty when hidden.
func reportTables(l *i18n.Localizer, v campaignView, f *crFigures, p *crPage) []csvTable {
	T := func(id string) string { return l.T(id, nil) }
	cell := func(c crCell) string {
		if !c.Shown {
			return stats.HiddenText
		}
		return strconv.Itoa(c.N)
	}
	rate := func(r crRate) string {
		if !r.Shown {
			return ""
		}
		return strconv.Itoa(r.Value)
	}
	name := func(r crRow, none string) string {
		switch {
		case r.Total:
			return T("admin.campaigns.report.total")
		case r.None:
			return T(none)
		}
		return r.Name
	}
	status := T("admin.campaigns.report.provisional")
	if v.Phase == campaign.PhaseEnded {
		status = T("admin.campaigns.report.final")
	}
	summary := csvTable{Name: "summary",
		Head: []string{T("admin.campaigns.report.csv.campaign"), T("admin.campaigns.report.csv.title"),
			T("admin.campaigns.report.csv.starts"), T("admin.campaigns.report.csv.ends"), T("admin.campaigns.report.csv.status"),
			T("admin.campaigns.report.col.goal"), T("admin.campaigns.report.col.completions"),
			T("admin.campaigns.report.col.goal_percent"), T("admin.campaigns.report.col.goal_state"),
			T("admin.campaigns.report.csv.small_groups")},
		Rows: [][]string{{v.Slug, v.Title, v.Starts.Format(time.RFC3339), v.Ends.Format(time.RFC3339), status,
			strconv.Itoa(p.Goal.Goal), cell(p.Goal.Done), rate(p.Goal.Percent), T("admin.campaigns.report.goal." + p.Goal.State),
			l.T("admin.campaigns.report.csv.protection", map[string]any{"K": f.K, "D": f.D})}}}
	funnel := csvTable{Name: "funnel",
		Head: []string{T("admin.campaigns.report.col.step"), T("admin.campaigns.report.col.learners"), T("admin.campaigns.report.col.share")}}
	for _, st := range p.Funnel {
		funnel.Rows = append(funnel.Rows, []string{T("admin.campaigns.report.step." + st.Kind), cell(st.Count), rate(st.Share)})
	}
	channels := csvTable{Name: "channels",
		Head: []string{T("admin.campaigns.report.col.channel"), T("admin.campaigns.report.col.visited"), T("admin.campaigns.report.col.started"),
			T("admin.campaigns.report.col.completed"), T("admin.campaigns.report.col.rate")}}
	for _, r := range p.Channels {
		line := []string{name(r, "admin.campaigns.report.no_channel")}
		for _, c := range r.Cells {
			line = append(line, cell(c))
		}
		channels.Rows = append(channels.Rows, append(line, rate(r.Rate)))
	}
	regions := csvTable{Name: "regions",
		Head: []string{T("admin.campaigns.report.col.region"), T("admin.campaigns.report.col.participants"),
			T("admin.campaigns.report.col.completed"), T("admin.campaigns.report.col.rate")}}
	for _, r := range p.Regions {
		line := []string{name(r, "admin.campaigns.report.no_region")}
		for _, c := range r.Cells {
			line = append(line, cell(c))
		}
		regions.Rows = append(regions.Rows, append(line, rate(r.Rate)))
	}
	return []csvTable{summary, funnel, channels, regions}
}

// reportTablesOf loads the campaign in the path and its report's tables
// in the reader's language.
func (s *Server) reportTablesOf(c *fiber.Ctx) (*app.Campaign, campaignView, []csvTable, error) {
	cp, v, err := s.campaignInPath(c)
	if err != nil {
		return nil, v, nil, err
	}
	f, p, err := s.campaignPage(c.UserContext(), cp, s.localeOf(c), true)
	if err != nil {
		return nil, v, nil, err
	}
	return cp, v, reportTables(s.bundle.Localizer(s.localeOf(c)), v, f, p), nil
}

// adminCampaignReportTable is one table of the close-out report as a CSV
// file (report/{table}.csv); a table the report does not have is 404.
func (s *Server) adminCampaignReportTable(c *fiber.Ctx) error {
	table := c.Params("table")
	if indexOf(reportTableNames, table) < 0 {
		return app.Errorf(app.ENOTFOUND, "campaign.not_found")
	}
	cp, _, tables, err := s.reportTablesOf(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tables[indexOf(reportTableNames, table)].writeTo(&buf); err != nil {
		return fmt.Errorf("report table %s: %w", table, err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+cp.Slug+`-report-`+table+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// adminCampaignReportZip is every table of the close-out report in one
// ZIP: {table}.csv for each, in the page's order. The files are dated at
// the campaign's end once the report is final, so a final report's ZIP
// has the same bytes each time it is downloaded; before that, at the
// start of today (UTC).
func (s *Server) adminCampaignReportZip(c *fiber.Ctx) error {
	cp, v, tables, err := s.reportTablesOf(c)
	if err != nil {
		return err
	}
	stamp := s.now().UTC().Truncate(24 * time.Hour)
	if v.Phase == campaign.PhaseEnded {
		stamp = cp.Ends.UTC()
	}
	body, err := zipTables(tables, stamp)
	if err != nil {
		return fmt.Errorf("report zip %s: %w", cp.Slug, err)
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+cp.Slug+`-report.zip"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

// zipTables packs tables as {name}.csv files dated at stamp.
func zipTables(tables []csvTable, stamp time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, t := range tables {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: t.Name + ".csv", Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, err
		}
		if err := t.writeTo(w); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// adminCampaignReportCSV answers the old single report.csv, which stacked
// the tables under section lines, with a permanent redirect to the ZIP of
// one file per table.
func (s *Server) adminCampaignReportCSV(c *fiber.Ctx) error {
	cp, err := s.findCampaign(c)
	if err != nil {
		return err
	}
	return c.Redirect("/"+s.localeOf(c)+"/admin/campaigns/"+cp.Slug+"/report.zip", fiber.StatusMovedPermanently)
}
