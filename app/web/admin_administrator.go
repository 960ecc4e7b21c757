package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Administrator pages: limits, paging and settings.
const (
	settingSiteNamePrefix = "site_name." // + locale; empty = the catalog's site.name
	settingTimeZone       = "time_zone"  // IANA name; empty = UTC
	maxTimeZone           = 64

	defaultSmallGroup = 5
	minSmallGroup     = 2
	maxSmallGroup     = 100
	maxSiteName       = 100

	usersPerPage = 50
	auditPerPage = 100
	maxFilter    = 200 // characters kept of a filter field

	// settingsTTL bounds how stale an instance's settings may be: several
	// instances agree within this time after a change.
	settingsTTL = 5 * time.Second
)

// administratorRoutes are the administrator's pages: users, settings and
// the audit log.
func (s *Server) administratorRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/admin/users", accessAdmin, h(s.adminUsers)},
		{"GET", "/:lang/admin/users/:id", accessAdmin, h(s.adminUserEdit)},
		{"POST", "/:lang/admin/users/:id", accessAdmin, h(s.adminUserUpdate)},
		{"POST", "/:lang/admin/users/:id/reset-link", accessAdmin, h(s.adminUserResetLink)},
		{"GET", "/:lang/admin/settings", accessAdmin, h(s.adminSettings)},
		{"POST", "/:lang/admin/settings", accessAdmin, h(s.adminSettingsSave)},
		{"GET", "/:lang/admin/audit", accessAdmin, h(s.adminAudit)},
	}
}

// clip trims s and keeps at most n characters.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// pageLink builds a local link to path with the non-empty query values.
func pageLink(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if q := v.Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// adminUsers lists accounts: search by email or name, filter by role, 50
// a page; paging links keep the filter.
func (s *Server) adminUsers(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	q := clip(c.Query("q"), maxFilter)
	role := c.Query("role")
	if !app.ValidRole(role) {
		role = ""
	}
	page, err := strconv.Atoi(c.Query("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, 1_000_000)
	users, total, err := s.store.FindUsers(c.UserContext(), store.UserFilter{Query: q, Role: role,
		Limit: usersPerPage, Offset: (page - 1) * usersPerPage})
	if err != nil {
		return err
	}
	pages := max(1, (total+usersPerPage-1)/usersPerPage)
	base := "/" + lang + "/admin/users"
	link := func(p int) string {
		ps := ""
		if p > 1 {
			ps = strconv.Itoa(p)
		}
		return pageLink(base, "q", q, "role", role, "page", ps)
	}
	var prev, next string
	if page > 1 {
		prev = link(min(page-1, pages))
	}
	if page < pages {
		next = link(page + 1)
	}
	return s.adminRender(c, "admin/user/index", fiber.Map{
		"Title": l.T("admin.users.title", nil), "Query": q, "Role": role, "Roles": app.Roles,
		"Users": users, "Total": total, "Page": page, "Pages": pages, "PrevHref": prev, "NextHref": next,
		"Filtered": q != "" || role != "",
	})
}

// userForm is the edit form's state: the roles ticked and the disabled box.
type userForm struct {
	Roles    map[string]bool
	Disabled bool
}

// userIDParam reads a positive account id from the path (ENOTFOUND otherwise).
func userIDParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	return id, nil
}

// findUser is the account of the route's :id (ENOTFOUND for a forged or
// unknown id).
func (s *Server) findUser(c *fiber.Ctx) (*app.User, error) {
	id, err := userIDParam(c)
	if err != nil {
		return nil, err
	}
	return s.store.FindUserByID(c.UserContext(), id)
}

// userFormOf is the roles form as an account stands.
func userFormOf(u *app.User) userForm {
	form := userForm{Roles: map[string]bool{}, Disabled: u.Disabled}
	for _, r := range u.Roles {
		form.Roles[r] = true
	}
	return form
}

// adminUserEdit shows one account with its roles and disabled state.
func (s *Server) adminUserEdit(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	return s.userEditPage(c, u, userFormOf(u), nil)
}

func (s *Server) userEditPage(c *fiber.Ctx, u *app.User, form userForm, errs app.FieldErrors) error {
	l := s.bundle.Localizer(s.localeOf(c))
	tokens, err := s.userTokens(c, u)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/user/edit", fiber.Map{
		"Title":   l.T("admin.users.edit.title", map[string]any{"Email": u.Email}),
		"Account": u, "Form": form, "Roles": app.Roles, "Errors": errs,
		"Self": currentUser(c).ID == u.ID, "Tokens": tokens,
	})
}

// adminUserUpdate saves an account's roles and disabled state (the store
// enforces the rules: a role at least, known roles, no self-lockout).
func (s *Server) adminUserUpdate(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	roles := formValues(c, "roles")
	disabled := c.FormValue("disabled") != ""
	err = s.store.UpdateUser(c.UserContext(), currentUser(c), u.ID, roles, disabled)
	var fe app.FieldErrors
	if errors.As(err, &fe) {
		form := userForm{Roles: map[string]bool{}, Disabled: disabled}
		for _, r := range roles {
			form.Roles[r] = true
		}
		return s.userEditPage(c, u, form, fe)
	}
	if err != nil {
		return err
	}
	s.flash(c, "admin.users.saved")
	return c.Redirect("/"+s.localeOf(c)+"/admin/users/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}

// formValues returns every value of a repeated form field (checkboxes),
// from a URL-encoded or a multipart body.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Context().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	if len(out) == 0 {
		if mf, err := c.MultipartForm(); err == nil {
			out = append(out, mf.Value[name]...)
		}
	}
	return out
}

// settingsForm is the settings page's state.
type settingsForm struct {
	FourEyes  string // "on" or "off"
	K         string
	Noise     string // the statistics noise D (stats_noise)
	SiteNames []siteNameField
	Locales   []localeChoice
	TimeZone  string
	// IdleHours is the session idle timeout in hours ("0" = none).
	IdleHours string
	// CAPSender is the CAP <sender> of new alerts ("" = the default).
	CAPSender string
}

// localeChoice is one locale's checkbox on the settings page.
type localeChoice struct {
	Lang, Label string
	On, Default bool
}

// localeChoices lists every catalog's locale with on(lang) deciding its box.
func (s *Server) localeChoices(on func(lang string) bool) []localeChoice {
	out := make([]localeChoice, 0, len(s.bundle.Locales()))
	for _, lang := range s.bundle.Locales() {
		def := lang == s.bundle.Default()
		out = append(out, localeChoice{Lang: lang, Label: s.bundle.Localizer(lang).T("language.native", nil), On: def || on(lang), Default: def})
	}
	return out
}

// siteNameField is the site name input of one enabled locale.
type siteNameField struct {
	Lang    string
	Name    string // form field
	ID      string // element id and error field
	Label   string // the language's own name
	Default string // the catalog's site.name in that language
	Value   string
}

func (s *Server) siteNameFields(vals func(f siteNameField) string) []siteNameField {
	out := make([]siteNameField, 0, len(s.bundle.Locales()))
	for _, lang := range s.bundle.Locales() {
		ll := s.bundle.Localizer(lang)
		f := siteNameField{Lang: lang, Name: settingSiteNamePrefix + lang, ID: "site_name-" + lang,
			Label: ll.T("language.native", nil), Default: ll.T("site.name", nil)}
		f.Value = vals(f)
		out = append(out, f)
	}
	return out
}

// adminSettings shows the site settings as stored (not the cached copy).
func (s *Server) adminSettings(c *fiber.Ctx) error {
	vals, err := s.store.Settings(c.UserContext())
	if err != nil {
		return err
	}
	form := settingsForm{FourEyes: "on", K: strconv.Itoa(defaultSmallGroup), Noise: strconv.Itoa(stats.DefaultNoise)}
	if vals[settingFourEyes] == "off" {
		form.FourEyes = "off"
	}
	if v := vals[settingSmallGroup]; v != "" {
		form.K = v
	}
	if v := vals[settingNoise]; v != "" {
		form.Noise = v
	}
	form.SiteNames = s.siteNameFields(func(f siteNameField) string { return vals[f.Name] })
	form.TimeZone = vals[settingTimeZone]
	form.CAPSender = vals[settingCAPSender]
	form.IdleHours = strconv.Itoa(int(store.ParseSessionIdle(vals[store.SettingSessionIdle]) / time.Hour))
	enabled := map[string]bool{}
	for _, l := range strings.Split(vals[settingLocales], ",") {
		enabled[strings.TrimSpace(l)] = true
	}
	form.Locales = s.localeChoices(func(l string) bool { return vals[settingLocales] == "" || enabled[l] })
	return s.settingsPage(c, form, nil)
}

func (s *Server) settingsPage(c *fiber.Ctx, form settingsForm, errs app.FieldErrors) error {
	l := s.bundle.Localizer(s.localeOf(c))
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/setting/edit", fiber.Map{
		"Title": l.T("admin.settings.title", nil), "Form": form, "Errors": errs,
		"MinK": minSmallGroup, "MaxK": maxSmallGroup, "MaxNoise": maxNoise, "MaxSiteName": maxSiteName,
		"MaxIdleHours":     int(store.MaxSessionIdle / time.Hour),
		"CAPSenderDefault": s.defaultCAPSender(),
	})
}

// adminSettingsSave validates and saves every setting in one transaction
// with one audit entry; bad input saves nothing.
func (s *Server) adminSettingsSave(c *fiber.Ctx) error {
	form := settingsForm{FourEyes: c.FormValue("four_eyes"), K: clip(c.FormValue("small_group_k"), 20), Noise: clip(c.FormValue("stats_noise"), 20),
		TimeZone: strings.TrimSpace(clip(c.FormValue("time_zone"), maxTimeZone*4))}
	form.IdleHours = strings.TrimSpace(clip(c.FormValue("session_idle_hours"), 20))
	form.SiteNames = s.siteNameFields(func(f siteNameField) string { return clip(c.FormValue(f.Name), maxSiteName*4) })
	// The form marks that it carries the language boxes: with no box
	// ticked the browser sends none, which must not read as "unchanged".
	posted := map[string]bool{}
	if c.FormValue("locales_present") == "" {
		current, err := s.store.Setting(c.UserContext(), settingLocales, "")
		if err != nil {
			return err
		}
		for _, l := range strings.Split(current, ",") {
			if l = strings.TrimSpace(l); l != "" {
				posted[l] = true
			}
		}
		if strings.TrimSpace(current) == "" {
			for _, l := range s.bundle.Locales() {
				posted[l] = true
			}
		}
	}
	for _, l := range formValues(c, "locales") {
		posted[l] = true
	}
	form.Locales = s.localeChoices(func(l string) bool { return posted[l] })
	var errs app.FieldErrors
	for l := range posted {
		if !s.bundle.Enabled(l) {
			errs = append(errs, app.FieldError("locales", "admin.settings.error.locales"))
			break
		}
	}
	if form.FourEyes != "on" && form.FourEyes != "off" {
		errs = append(errs, app.FieldError("four_eyes", "admin.settings.error.four_eyes"))
	}
	k, err := strconv.Atoi(form.K)
	if err != nil || k < minSmallGroup || k > maxSmallGroup {
		errs = append(errs, app.FieldError("small_group_k", "admin.settings.error.k_range"))
	}
	// Left empty, the idle timeout goes back to its default.
	if form.IdleHours != "" {
		idle, err := strconv.Atoi(form.IdleHours)
		if err != nil || idle < 0 || time.Duration(idle)*time.Hour > store.MaxSessionIdle {
			errs = append(errs, app.FieldError("session_idle_hours", "admin.settings.error.idle_range"))
		} else {
			form.IdleHours = strconv.Itoa(idle)
		}
	}
	if !c.Request().PostArgs().Has("stats_noise") {
		// A form from before the setting existed keeps the stored value.
		v, err := s.store.Setting(c.UserContext(), settingNoise, strconv.Itoa(stats.DefaultNoise))
		if err != nil {
			return err
		}
		form.Noise = v
	}
	d, err := strconv.Atoi(form.Noise)
	if err != nil || d < 0 || d > maxNoise {
		errs = append(errs, app.FieldError("stats_noise", "admin.settings.error.noise_range"))
	}
	if err := s.readCAPSender(c, &form); err != nil {
		return err
	}
	if form.CAPSender != "" && !app.ValidCAPSender(form.CAPSender) {
		errs = append(errs, app.FieldError("cap_sender", "admin.settings.error.cap_sender"))
	}
	if form.TimeZone != "" {
		if _, err := loadZone(form.TimeZone); err != nil {
			errs = append(errs, app.FieldError("time_zone", "admin.settings.error.time_zone"))
		}
	}
	for _, f := range form.SiteNames {
		switch {
		case utf8.RuneCountInString(f.Value) > maxSiteName:
			errs = append(errs, app.FieldError(f.ID, "admin.settings.error.site_name_long"))
		case strings.IndexFunc(f.Value, unicode.IsControl) >= 0:
			errs = append(errs, app.FieldError(f.ID, "admin.settings.error.site_name_invalid"))
		}
	}
	if len(errs) > 0 {
		return s.settingsPage(c, form, errs)
	}
	var on []string
	for _, lc := range form.Locales {
		if lc.On {
			on = append(on, lc.Lang)
		}
	}
	values := map[string]string{settingFourEyes: form.FourEyes, settingSmallGroup: strconv.Itoa(k), settingNoise: strconv.Itoa(d), settingLocales: strings.Join(on, ","),
		settingTimeZone: form.TimeZone, store.SettingSessionIdle: form.IdleHours, settingCAPSender: form.CAPSender}
	for _, f := range form.SiteNames {
		values[f.Name] = f.Value
	}
	if err := s.store.SetSettings(c.UserContext(), currentUser(c), values); err != nil {
		return err
	}
	s.settings.invalidate()
	s.flash(c, "admin.settings.saved")
	return c.Redirect("/"+s.localeOf(c)+"/admin/settings", fiber.StatusSeeOther)
}

// cachedSettings returns the site settings, at most settingsTTL old. When
// the database fails, the last known settings (or none) are kept for
// another settingsTTL.
func (s *Server) cachedSettings(ctx context.Context) map[string]string {
	return s.settings.get(settingsTTL, func() (map[string]string, error) { return s.store.Settings(ctx) },
		func(err error) { s.log.Warn("load settings", "err", err) })
}

// siteName is the configured site name in l's locale, else the catalog's.
func (s *Server) siteName(c *fiber.Ctx, l *i18n.Localizer) string {
	if v := s.cachedSettings(c.UserContext())[settingSiteNamePrefix+l.Locale()]; v != "" {
		return v
	}
	return l.T("site.name", nil)
}

// auditForm is the audit log's filter as typed.
type auditForm struct {
	Person   string
	Type     string
	ObjectID string
	From     string
	To       string
}

// auditItem is one audit entry as the page shows it.
type auditItem struct {
	store.AuditEntry
	BeforeJSON string
	AfterJSON  string
}

// adminAudit shows the audit log, newest first, 100 a page, filtered by
// person, object and dates (YYYY-MM-DD, UTC, both inclusive).
func (s *Server) adminAudit(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	form := auditForm{Person: clip(c.Query("person"), maxEmail), Type: clip(c.Query("type"), maxFilter),
		ObjectID: clip(c.Query("id"), maxFilter), From: clip(c.Query("from"), 20), To: clip(c.Query("to"), 20)}
	f := store.AuditFilter{Actor: store.NormalizeEmail(form.Person), ObjectType: form.Type, ObjectID: form.ObjectID, Limit: auditPerPage + 1}
	var errs app.FieldErrors
	if form.From != "" {
		t, err := time.Parse(time.DateOnly, form.From)
		if err != nil {
			errs = append(errs, app.FieldError("from", "admin.audit.error.date"))
		}
		f.From = t
	}
	if form.To != "" {
		t, err := time.Parse(time.DateOnly, form.To)
		if err != nil {
			errs = append(errs, app.FieldError("to", "admin.audit.error.date"))
		} else {
			f.To = t.AddDate(0, 0, 1)
		}
	}
	if len(errs) == 0 && !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		errs = append(errs, app.FieldError("to", "admin.audit.error.range"))
	}
	if b, err := strconv.ParseInt(c.Query("before"), 10, 64); err == nil && b > 0 {
		f.BeforeID = b
	}
	base := "/" + lang + "/admin/audit"
	data := fiber.Map{"Title": l.T("admin.audit.title", nil), "Form": form, "Errors": errs, "Base": base}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.adminRender(c, "admin/audit/index", data)
	}
	entries, err := s.store.Audit(c.UserContext(), f)
	if err != nil {
		return err
	}
	filter := []string{"person", form.Person, "type", form.Type, "id", form.ObjectID, "from", form.From, "to", form.To}
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		data["OlderHref"] = pageLink(base, append(filter, "before", strconv.FormatInt(entries[len(entries)-1].ID, 10))...)
	}
	if f.BeforeID > 0 {
		data["NewestHref"] = pageLink(base, filter...)
	}
	items := make([]auditItem, 0, len(entries))
	for _, e := range entries {
		items = append(items, auditItem{AuditEntry: e, BeforeJSON: prettyJSON(e.Before), AfterJSON: prettyJSON(e.After)})
	}
	data["Entries"] = items
	data["Filtered"] = form != (auditForm{})
	return s.adminRender(c, "admin/audit/index", data)
}

// prettyJSON indents a JSON document for reading, with <, > and & shown as
// themselves (the template escapes them); other text is returned as is.
// Object keys come out sorted.
func prettyJSON(s string) string {
	if s == "" || s == "null" {
		return ""
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return s
	}
	return strings.TrimSuffix(b.String(), "\n")
}
