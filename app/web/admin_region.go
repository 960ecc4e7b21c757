package web

import (
	"context"
	"errors"
	"strings"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// maxPlaceName bounds a region's or an organization's name in one language.
const maxPlaceName = app.MaxPlaceName

// regionRoutes are the administrator's regions and organizations pages, and
// the learner's own choice of them on /me (registration reads them in
// account.go).
func (s *Server) regionRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const regions, orgs = "/:lang/admin/regions", "/:lang/admin/organizations"
	return []route{
		{"GET", regions, accessAdmin, h(s.adminRegions)},
		{"GET", regions + "/new", accessAdmin, h(s.adminRegionNew)},
		{"POST", regions + "/new", accessAdmin, h(s.adminRegionCreate)},
		{"GET", regions + "/:code", accessAdmin, h(s.adminRegionEdit)},
		{"POST", regions + "/:code", accessAdmin, h(s.adminRegionUpdate)},
		{"GET", regions + "/:code/delete", accessAdmin, h(s.adminRegionDeleteForm)},
		{"POST", regions + "/:code/delete", accessAdmin, h(s.adminRegionDelete)},

		{"GET", orgs, accessAdmin, h(s.adminOrgs)},
		{"GET", orgs + "/new", accessAdmin, h(s.adminOrgNew)},
		{"POST", orgs + "/new", accessAdmin, h(s.adminOrgCreate)},
		{"GET", orgs + "/:code", accessAdmin, h(s.adminOrgEdit)},
		{"POST", orgs + "/:code", accessAdmin, h(s.adminOrgUpdate)},
		{"GET", orgs + "/:code/delete", accessAdmin, h(s.adminOrgDeleteForm)},
		{"POST", orgs + "/:code/delete", accessAdmin, h(s.adminOrgDelete)},

		{"POST", "/:lang/me/affiliation", accessUser, h(s.meAffiliationSave)},
	}
}

// localName is a region's or an organization's name in lang, else in
// English, else in the site's default language, else any; nameLang is the
// language of the name returned ("" when only the code is left).
func (s *Server) localName(t app.Text, code, lang string) (name, nameLang string) {
	for _, l := range []string{lang, "en", s.bundle.Default()} {
		if v := t[l]; v != "" {
			return v, l
		}
	}
	for _, l := range t.Locales() {
		if t[l] != "" {
			return t[l], l
		}
	}
	return code, ""
}

// indent shows a tree level in a label without markup or styles: an em
// space per level (screen readers skip it).
func indent(depth int) string { return strings.Repeat("\u2003", depth) }

// depthNode is a region with its depth in the tree.
type depthNode struct {
	app.Region
	Depth int
}

// regionDepths loads the regions (parents before children, as the store
// returns them) with their depths, without counting accounts: learners'
// pages list regions too, and must not count a million accounts each time.
func (s *Server) regionDepths(ctx context.Context) ([]depthNode, error) {
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	depth := map[string]int{}
	out := make([]depthNode, 0, len(regions))
	for _, r := range regions {
		d := 0
		if pd, ok := depth[r.ParentCode]; ok && r.ParentCode != "" {
			d = pd + 1
		}
		depth[r.Code] = d
		out = append(out, depthNode{Region: r, Depth: d})
	}
	return out, nil
}

// codeParam reads the code in the path; a malformed one is not found.
func codeParam(c *fiber.Ctx, notFound string) (string, error) {
	code := c.Params("code")
	if !authoring.ValidSlug(code) {
		return "", app.Errorf(app.ENOTFOUND, notFound)
	}
	return code, nil
}

// usePage is the confirmation page of a delete: what goes, or why it cannot.
type usePage struct {
	Kind     string // "region" or "organization"
	Code     string
	Name     string
	NameLang string
	Problem  string // message id of the reason it cannot go; "" when it can
	Count    int
	Action   string
	Back     string
}

// ---- Regions ----

// regionRowView is one line of the region tree page.
type regionRowView struct {
	store.RegionNode
	Name, NameLang     string
	Parent, ParentLang string
	Indent             string
}

// adminRegions shows the region tree with each region's account counts.
func (s *Server) adminRegions(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	nodes, err := s.store.RegionTree(c.UserContext())
	if err != nil {
		return err
	}
	byCode := map[string]app.Region{}
	for _, n := range nodes {
		byCode[n.Code] = n.Region
	}
	rows := make([]regionRowView, 0, len(nodes))
	for _, n := range nodes {
		v := regionRowView{RegionNode: n, Indent: indent(n.Depth)}
		v.Name, v.NameLang = s.localName(n.Name, n.Code, lang)
		if p, ok := byCode[n.ParentCode]; ok {
			v.Parent, v.ParentLang = s.localName(p.Name, p.Code, lang)
		}
		rows = append(rows, v)
	}
	return s.adminRender(c, "admin/region/index", fiber.Map{
		"Title": s.bundle.Localizer(lang).T("admin.regions.title", nil), "Rows": rows,
	})
}

// regionForm is the region form as typed: the code and names, the
// parent, and the boundary and geocodes.
type regionForm struct {
	codeNames
	Parent string
	// Boundary is the GeoJSON text as typed (or as stored); Geocodes the
	// geocode rows, with empty rows to fill in.
	Boundary string
	Geocodes []app.Geocode
}

// parentChoice is one option of the parent select.
type parentChoice struct {
	Code, Label, Lang string
}

// regionPage renders the new or edit form; on the edit form the region
// itself and its descendants are not offered as parents.
func (s *Server) regionPage(c *fiber.Ctx, form regionForm, errs app.FieldErrors) error {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	nodes, err := s.regionDepths(c.UserContext())
	if err != nil {
		return err
	}
	var parents []parentChoice
	skipBelow := -1 // depth of the region being edited while inside its subtree
	for _, n := range nodes {
		if skipBelow >= 0 {
			if n.Depth > skipBelow {
				continue
			}
			skipBelow = -1
		}
		if !form.New && n.Code == form.Code {
			skipBelow = n.Depth
			continue
		}
		name, nl := s.localName(n.Name, n.Code, lang)
		parents = append(parents, parentChoice{Code: n.Code, Label: indent(n.Depth) + name, Lang: nl})
	}
	title := l.T("admin.regions.new", nil)
	if !form.New {
		title = l.T("admin.regions.edit", map[string]any{"Name": form.Name})
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	form.Geocodes = geocodeRows(form.Geocodes)
	return s.adminRender(c, "admin/region/form", fiber.Map{"Title": title, "Form": form, "Errors": errs, "Parents": parents,
		"MaxName": maxPlaceName, "MaxGeocodeName": app.MaxGeocodeName, "MaxGeocodeValue": app.MaxGeocodeValue})
}

// regionCodeNames is the code-and-names part of a region's form.
func (s *Server) regionCodeNames(c *fiber.Ctx, r *app.Region) codeNames {
	if r == nil {
		return s.codeNamesOf(c, "admin.regions", "/admin/regions", "", nil)
	}
	return s.codeNamesOf(c, "admin.regions", "/admin/regions", r.Code, r.Name)
}

// regionNamesErrors is what Region.Validate says of a code and names.
func regionNamesErrors(code string, names app.Text) app.FieldErrors {
	var out app.FieldErrors
	for _, e := range (&app.Region{Code: code, Name: names}).Validate() {
		if e.Field == "code" || e.Field == "name" {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) adminRegionNew(c *fiber.Ctx) error {
	parent := c.Query("parent")
	if !authoring.ValidSlug(parent) {
		parent = ""
	}
	return s.regionPage(c, regionForm{codeNames: s.regionCodeNames(c, nil), Parent: parent}, nil)
}

// saveRegion reads the region form over stored (nil for a new region)
// and saves it with save; the store checks the code is free, the parent
// exists and no cycle forms.
func (s *Server) saveRegion(c *fiber.Ctx, stored *app.Region, save func(app.Region) error) error {
	cn, names, errs := s.readCodeNames(c, s.regionCodeNames(c, stored), regionNamesErrors)
	form := regionForm{codeNames: cn, Parent: clip(c.FormValue("parent"), 100)}
	reg := app.Region{Code: cn.Code, ParentCode: form.Parent, Name: names}
	errs = append(errs, readRegionShape(c, &form, &reg)...)
	return s.saveCodeNames(c, cn, errs, func() error { return save(reg) },
		func(errs app.FieldErrors) error { return s.regionPage(c, form, errs) })
}

// adminRegionCreate adds a region.
func (s *Server) adminRegionCreate(c *fiber.Ctx) error {
	return s.saveRegion(c, nil, func(reg app.Region) error { return s.store.CreateRegion(c.UserContext(), currentUser(c), reg) })
}

// findRegion loads the region named in the path.
func (s *Server) findRegion(c *fiber.Ctx) (*app.Region, error) {
	code, err := codeParam(c, "admin.regions.not_found")
	if err != nil {
		return nil, err
	}
	return s.store.FindRegion(c.UserContext(), code)
}

func (s *Server) adminRegionEdit(c *fiber.Ctx) error {
	r, err := s.findRegion(c)
	if err != nil {
		return err
	}
	return s.regionPage(c, regionForm{codeNames: s.regionCodeNames(c, r), Parent: r.ParentCode,
		Boundary: boundaryText(r.Boundary), Geocodes: r.Geocodes}, nil)
}

// adminRegionUpdate renames and re-parents a region; its code stays.
func (s *Server) adminRegionUpdate(c *fiber.Ctx) error {
	r, err := s.findRegion(c)
	if err != nil {
		return err
	}
	return s.saveRegion(c, r, func(reg app.Region) error { return s.store.ReplaceRegion(c.UserContext(), currentUser(c), reg) })
}

func (s *Server) regionUsePage(c *fiber.Ctx, r *app.Region, use store.RegionUse) error {
	lang := s.localeOf(c)
	p := usePage{Kind: "region", Code: r.Code, Action: "/" + lang + "/admin/regions/" + r.Code + "/delete", Back: "/" + lang + "/admin/regions"}
	p.Name, p.NameLang = s.localName(r.Name, r.Code, lang)
	var ae *app.Error
	if err := use.Err(); errors.As(err, &ae) {
		p.Problem = ae.MessageID
		p.Count, _ = ae.Args["Count"].(int)
	}
	return s.adminRender(c, "admin/region/delete", fiber.Map{
		"Title": s.bundle.Localizer(lang).T("admin.regions.delete_title", map[string]any{"Name": p.Name}), "Page": p})
}

func (s *Server) adminRegionDeleteForm(c *fiber.Ctx) error {
	r, err := s.findRegion(c)
	if err != nil {
		return err
	}
	use, err := s.store.RegionUse(c.UserContext(), r.Code)
	if err != nil {
		return err
	}
	return s.regionUsePage(c, r, use)
}

// adminRegionDelete deletes a region nothing refers to; otherwise it shows
// why it cannot (409).
func (s *Server) adminRegionDelete(c *fiber.Ctx) error {
	r, err := s.findRegion(c)
	if err != nil {
		return err
	}
	err = s.store.DeleteRegion(c.UserContext(), currentUser(c), r.Code)
	if app.ErrorCode(err) == app.ECONFLICT {
		use, uerr := s.store.RegionUse(c.UserContext(), r.Code)
		if uerr != nil {
			return uerr
		}
		c.Status(fiber.StatusConflict)
		return s.regionUsePage(c, r, use)
	}
	if err != nil {
		return err
	}
	s.flash(c, "admin.regions.deleted")
	return c.Redirect("/"+s.localeOf(c)+"/admin/regions", fiber.StatusSeeOther)
}

// ---- Organizations ----

// orgRowView is one line of the organizations page.
type orgRowView struct {
	store.OrganizationSummary
	DisplayName, NameLang string
}

// adminOrgs lists the organizations with their account counts.
func (s *Server) adminOrgs(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	orgs, err := s.store.OrganizationSummaries(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]orgRowView, 0, len(orgs))
	for _, o := range orgs {
		v := orgRowView{OrganizationSummary: o}
		v.DisplayName, v.NameLang = s.localName(o.Name, o.Code, lang)
		rows = append(rows, v)
	}
	return s.adminRender(c, "admin/region/org-index", fiber.Map{
		"Title": s.bundle.Localizer(lang).T("admin.orgs.title", nil), "Rows": rows,
	})
}

// orgForm is the organization form as typed: its code and names.
type orgForm struct {
	codeNames
}

func (s *Server) orgPage(c *fiber.Ctx, form orgForm, errs app.FieldErrors) error {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	title := l.T("admin.orgs.new", nil)
	if !form.New {
		title = l.T("admin.orgs.edit", map[string]any{"Name": form.Name})
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/region/org-form", fiber.Map{"Title": title, "Form": form, "Errors": errs, "MaxName": maxPlaceName})
}

// orgCodeNames is the code-and-names part of an organization's form.
func (s *Server) orgCodeNames(c *fiber.Ctx, o *app.Organization) codeNames {
	if o == nil {
		return s.codeNamesOf(c, "admin.orgs", "/admin/organizations", "", nil)
	}
	return s.codeNamesOf(c, "admin.orgs", "/admin/organizations", o.Code, o.Name)
}

func (s *Server) adminOrgNew(c *fiber.Ctx) error {
	return s.orgPage(c, orgForm{s.orgCodeNames(c, nil)}, nil)
}

// saveOrg reads the organization form over stored (nil for a new one),
// checked by Organization.Validate, and saves it with save.
func (s *Server) saveOrg(c *fiber.Ctx, stored *app.Organization, save func(*app.Organization) error) error {
	cn, names, errs := s.readCodeNames(c, s.orgCodeNames(c, stored), func(code string, names app.Text) app.FieldErrors {
		return (&app.Organization{Code: code, Name: names}).Validate(s.bundle.Locales()...)
	})
	return s.saveCodeNames(c, cn, errs, func() error { return save(&app.Organization{Code: cn.Code, Name: names}) },
		func(errs app.FieldErrors) error { return s.orgPage(c, orgForm{cn}, errs) })
}

// adminOrgCreate adds an organization (the store checks the code is free).
func (s *Server) adminOrgCreate(c *fiber.Ctx) error {
	return s.saveOrg(c, nil, func(o *app.Organization) error { return s.store.CreateOrganization(c.UserContext(), currentUser(c), o) })
}

// findOrg loads the organization named in the path.
func (s *Server) findOrg(c *fiber.Ctx) (*app.Organization, error) {
	code, err := codeParam(c, "admin.orgs.not_found")
	if err != nil {
		return nil, err
	}
	return s.store.FindOrganization(c.UserContext(), code)
}

func (s *Server) adminOrgEdit(c *fiber.Ctx) error {
	o, err := s.findOrg(c)
	if err != nil {
		return err
	}
	return s.orgPage(c, orgForm{s.orgCodeNames(c, o)}, nil)
}

// adminOrgUpdate renames an organization; its code stays.
func (s *Server) adminOrgUpdate(c *fiber.Ctx) error {
	o, err := s.findOrg(c)
	if err != nil {
		return err
	}
	return s.saveOrg(c, o, func(n *app.Organization) error {
		return s.store.UpdateOrganization(c.UserContext(), currentUser(c), o.Code, n.Name)
	})
}

func (s *Server) orgUsePage(c *fiber.Ctx, o *app.Organization, users int) error {
	lang := s.localeOf(c)
	p := usePage{Kind: "organization", Code: o.Code, Action: "/" + lang + "/admin/organizations/" + o.Code + "/delete",
		Back: "/" + lang + "/admin/organizations"}
	p.Name, p.NameLang = s.localName(o.Name, o.Code, lang)
	if users > 0 {
		p.Problem, p.Count = "admin.orgs.error.has_users", users
	}
	return s.adminRender(c, "admin/region/delete", fiber.Map{
		"Title": s.bundle.Localizer(lang).T("admin.orgs.delete_title", map[string]any{"Name": p.Name}), "Page": p})
}

func (s *Server) adminOrgDeleteForm(c *fiber.Ctx) error {
	o, err := s.findOrg(c)
	if err != nil {
		return err
	}
	n, err := s.store.OrganizationUsers(c.UserContext(), o.Code)
	if err != nil {
		return err
	}
	return s.orgUsePage(c, o, n)
}

// adminOrgDelete deletes an organization nobody belongs to; otherwise it
// shows why it cannot (409).
func (s *Server) adminOrgDelete(c *fiber.Ctx) error {
	o, err := s.findOrg(c)
	if err != nil {
		return err
	}
	err = s.store.DeleteOrganization(c.UserContext(), currentUser(c), o.Code)
	var ae *app.Error
	if errors.As(err, &ae) && ae.Code == app.ECONFLICT {
		n, _ := ae.Args["Count"].(int)
		c.Status(fiber.StatusConflict)
		return s.orgUsePage(c, o, n)
	}
	if err != nil {
		return err
	}
	s.flash(c, "admin.orgs.deleted")
	return c.Redirect("/"+s.localeOf(c)+"/admin/organizations", fiber.StatusSeeOther)
}

// ---- The learner's own region and organization ----

// affiliationChoice is one option of the learner's region or organization
// select.
type affiliationChoice struct {
	Value, Label, Lang string
}

// affiliationView is what the learner's two selects need.
type affiliationView struct {
	Regions       []affiliationChoice
	Organizations []affiliationChoice
	Region        string // chosen code, "" for prefer not to say
	Organization  string
}

// affiliationChoices lists the regions (as a tree) and organizations to
// choose from, with aff chosen.
func (s *Server) affiliationChoices(ctx context.Context, lang string, aff store.Affiliation) (affiliationView, error) {
	v := affiliationView{Region: aff.RegionCode, Organization: aff.OrganizationCode}
	regions, err := s.regionDepths(ctx)
	if err != nil {
		return v, err
	}
	for _, r := range regions {
		name, nl := s.localName(r.Name, r.Code, lang)
		v.Regions = append(v.Regions, affiliationChoice{Value: r.Code, Label: indent(r.Depth) + name, Lang: nl})
	}
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		name, nl := s.localName(o.Name, o.Code, lang)
		v.Organizations = append(v.Organizations, affiliationChoice{Value: o.Code, Label: name, Lang: nl})
	}
	return v, nil
}

// readAffiliation reads the two selects; values are checked by the store.
func readAffiliation(c *fiber.Ctx) store.Affiliation {
	return store.Affiliation{RegionCode: clip(c.FormValue("region"), 100), OrganizationCode: clip(c.FormValue("organization"), 100)}
}

// affiliationErrors checks that the chosen region and organization exist,
// so that a forged value is reported beside the other fields of a form.
func (s *Server) affiliationErrors(ctx context.Context, aff store.Affiliation) (app.FieldErrors, error) {
	var errs app.FieldErrors
	if aff.RegionCode != "" {
		if _, err := s.store.FindRegion(ctx, aff.RegionCode); app.ErrorCode(err) == app.ENOTFOUND {
			errs = append(errs, app.FieldError("region", "account.error.region_unknown"))
		} else if err != nil {
			return nil, err
		}
	}
	if aff.OrganizationCode != "" {
		if _, err := s.store.FindOrganization(ctx, aff.OrganizationCode); app.ErrorCode(err) == app.ENOTFOUND {
			errs = append(errs, app.FieldError("organization", "account.error.organization_unknown"))
		} else if err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// Locals keys that carry a refused /me/affiliation post into the /me page.
const (
	localAffiliation       = "affiliation"
	localAffiliationErrors = "affiliation_errors"
)

// addAffiliation puts the signed-in learner's region and organization form
// into the /me page's data: as stored, or as posted when it was refused.
func (s *Server) addAffiliation(c *fiber.Ctx, u *app.User, data fiber.Map) error {
	ctx := c.UserContext()
	aff, posted := c.Locals(localAffiliation).(store.Affiliation)
	if !posted {
		var err error
		if aff, err = s.store.UserAffiliation(ctx, u.ID); err != nil {
			return err
		}
	}
	v, err := s.affiliationChoices(ctx, s.localeOf(c), aff)
	if err != nil {
		return err
	}
	data["Affiliation"] = v
	if errs, ok := c.Locals(localAffiliationErrors).(app.FieldErrors); ok {
		data["Errors"] = errs
	}
	return nil
}

// meAffiliationSave changes the learner's region and organization; an
// unknown value shows /me again with the error and saves nothing.
func (s *Server) meAffiliationSave(c *fiber.Ctx) error {
	u := currentUser(c)
	aff := readAffiliation(c)
	err := s.store.SetUserAffiliation(c.UserContext(), u.ID, aff)
	var fe app.FieldErrors
	if errors.As(err, &fe) {
		c.Locals(localAffiliation, aff)
		c.Locals(localAffiliationErrors, fe)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.me(c)
	}
	if err != nil {
		return err
	}
	s.flash(c, "me.affiliation.saved")
	return c.Redirect("/"+s.localeOf(c)+"/me#my-affiliation", fiber.StatusSeeOther)
}

// exportAffiliation describes the account's region and organization for
// the data export (nil when not chosen), named in lang.
func (s *Server) exportAffiliation(ctx context.Context, lang string, u *app.User) (region, org *myPlace, err error) {
	aff, err := s.store.UserAffiliation(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if aff.RegionCode != "" {
		region = &myPlace{Code: aff.RegionCode}
		if r, err := s.store.FindRegion(ctx, aff.RegionCode); err == nil {
			region.Name, _ = s.localName(r.Name, r.Code, lang)
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			return nil, nil, err
		}
	}
	if aff.OrganizationCode != "" {
		org = &myPlace{Code: aff.OrganizationCode}
		if o, err := s.store.FindOrganization(ctx, aff.OrganizationCode); err == nil {
			org.Name, _ = s.localName(o.Name, o.Code, lang)
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			return nil, nil, err
		}
	}
	return region, org, nil
}
