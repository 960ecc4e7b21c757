package store

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"beacon/app"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// codeRe is what a region or organization code may look like (as slugs in
// content packs).
var codeRe = regexp.MustCompile(`^[a-z0-9-]+$`)

// maxCode bounds region and organization codes.
const maxCode = 80

type regionRow struct {
	Code       string `gorm:"primaryKey"`
	ParentCode string
	Names      string
	// Boundary is the GeoJSON geometry ("" for none); Geocodes the JSON
	// list of the region's standard geocodes.
	Boundary string
	Geocodes string
}

func (regionRow) TableName() string { return "regions" }

func (r regionRow) toApp() (app.Region, error) {
	reg := app.Region{Code: r.Code, ParentCode: r.ParentCode}
	if err := json.Unmarshal([]byte(r.Names), &reg.Name); err != nil {
		return reg, fmt.Errorf("decode region %s: %w", r.Code, err)
	}
	if r.Boundary != "" {
		reg.Boundary = &app.Geometry{}
		if err := json.Unmarshal([]byte(r.Boundary), reg.Boundary); err != nil {
			return reg, fmt.Errorf("decode region %s boundary: %w", r.Code, err)
		}
	}
	if r.Geocodes != "" && r.Geocodes != "[]" {
		if err := json.Unmarshal([]byte(r.Geocodes), &reg.Geocodes); err != nil {
			return reg, fmt.Errorf("decode region %s geocodes: %w", r.Code, err)
		}
	}
	return reg, nil
}

// regionShape encodes a region's boundary and geocodes for their columns.
func regionShape(r app.Region) (boundary, geocodes string, err error) {
	if r.Boundary != nil {
		b, err := json.Marshal(r.Boundary)
		if err != nil {
			return "", "", fmt.Errorf("encode region %s boundary: %w", r.Code, err)
		}
		boundary = string(b)
	}
	gs := r.Geocodes
	if gs == nil {
		gs = []app.Geocode{}
	}
	g, err := json.Marshal(gs)
	if err != nil {
		return "", "", fmt.Errorf("encode region %s geocodes: %w", r.Code, err)
	}
	return boundary, string(g), nil
}

type organizationRow struct {
	ID        int64 `gorm:"primaryKey"`
	Code      string
	Names     string
	CreatedAt time.Time
}

func (organizationRow) TableName() string { return "organizations" }

func (r organizationRow) toApp() (app.Organization, error) {
	o := app.Organization{ID: r.ID, Code: r.Code, CreatedAt: r.CreatedAt}
	if err := json.Unmarshal([]byte(r.Names), &o.Name); err != nil {
		return o, fmt.Errorf("decode organization %s: %w", r.Code, err)
	}
	return o, nil
}

func upsertRegion(tx *gorm.DB, r app.Region) error {
	names, err := json.Marshal(r.Name)
	if err != nil {
		return fmt.Errorf("encode region %s: %w", r.Code, err)
	}
	boundary, geocodes, err := regionShape(r)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO regions (code, parent_code, names, boundary, geocodes) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, names = excluded.names,
  boundary = excluded.boundary, geocodes = excluded.geocodes`, r.Code, r.ParentCode, string(names), boundary, geocodes).Error
}

// cleanText drops empty translations, so that a cleared field falls back.
func cleanText(t app.Text) app.Text {
	out := app.Text{}
	for k, v := range t {
		if v = strings.TrimSpace(v); v != "" {
			out[k] = v
		}
	}
	return out
}

// validCode reports whether s can be a region or organization code.
func validCode(s string) bool { return len(s) <= maxCode && codeRe.MatchString(s) }

// Regions returns every region depth first: each parent before its
// children, siblings ordered by code. A region whose parent is missing (or
// that sits in a cycle written by an old import) comes last, at the top level.
// Boundaries are left out (nil): pages list regions often and a boundary
// may be a megabyte; RegionBoundaries loads them.
func (s *Store) Regions(ctx context.Context) ([]app.Region, error) {
	nodes, err := s.regionTree(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]app.Region, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.Region)
	}
	return out, nil
}

// RegionNode is one region of the tree as the administrators see it.
type RegionNode struct {
	app.Region
	Depth    int // 0 for a top-level region
	Children int // direct sub-regions
	Users    int // accounts that chose this region itself
	Total    int // accounts in this region and every region below it
}

// RegionTree returns the regions in the order of Regions, with their depth,
// how many sub-regions they have and how many accounts chose them.
func (s *Store) RegionTree(ctx context.Context) ([]RegionNode, error) {
	db := s.db.WithContext(ctx)
	nodes, err := s.regionTree(db)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		RegionCode string
		N          int
	}
	if err := db.Model(&userRow{}).Select("region_code, COUNT(*) AS n").Where("region_code <> ''").
		Group("region_code").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count users by region: %w", err)
	}
	users := map[string]int{}
	for _, c := range counts {
		users[c.RegionCode] = c.N
	}
	index := map[string]int{}
	for i := range nodes {
		index[nodes[i].Code] = i
		nodes[i].Users = users[nodes[i].Code]
	}
	// Children follow their parent, so walking backwards adds each subtree's
	// total to its parent after the subtree itself is complete.
	for i := len(nodes) - 1; i >= 0; i-- {
		nodes[i].Total += nodes[i].Users
		if p, ok := index[nodes[i].ParentCode]; ok && p < i {
			nodes[p].Total += nodes[i].Total
			nodes[p].Children++
		}
	}
	return nodes, nil
}

// regionTree loads every region (without its boundary) and orders it depth
// first.
func (s *Store) regionTree(db *gorm.DB) ([]RegionNode, error) {
	var rows []regionRow
	if err := db.Select("code, parent_code, names, geocodes").Order("code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	byParent := map[string][]app.Region{}
	known := map[string]bool{}
	for _, r := range rows {
		known[r.Code] = true
	}
	for _, r := range rows {
		reg, err := r.toApp()
		if err != nil {
			return nil, err
		}
		parent := reg.ParentCode
		if !known[parent] {
			parent = ""
		}
		byParent[parent] = append(byParent[parent], reg)
	}
	out := make([]RegionNode, 0, len(rows))
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, r := range byParent[parent] {
			if seen[r.Code] {
				continue
			}
			seen[r.Code] = true
			out = append(out, RegionNode{Region: r, Depth: depth})
			walk(r.Code, depth+1)
		}
	}
	walk("", 0)
	if len(out) < len(rows) { // a cycle: show what is left rather than hide it
		for _, r := range rows {
			if !seen[r.Code] {
				reg, _ := r.toApp()
				seen[r.Code] = true
				out = append(out, RegionNode{Region: reg})
				walk(r.Code, 1)
			}
		}
	}
	return out, nil
}

// RegionBoundaries returns the boundaries of the regions with codes (of
// every region when codes is nil), by code; regions without one, and
// unknown codes, are absent.
func (s *Store) RegionBoundaries(ctx context.Context, codes []string) (map[string]*app.Geometry, error) {
	q := s.db.WithContext(ctx).Model(&regionRow{}).Select("code, boundary").Where("boundary <> ''")
	if codes != nil {
		if len(codes) == 0 {
			return map[string]*app.Geometry{}, nil
		}
		q = q.Where("code IN ?", codes)
	}
	var rows []regionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("region boundaries: %w", err)
	}
	out := make(map[string]*app.Geometry, len(rows))
	for _, r := range rows {
		g := &app.Geometry{}
		if err := json.Unmarshal([]byte(r.Boundary), g); err != nil {
			return nil, fmt.Errorf("decode region %s boundary: %w", r.Code, err)
		}
		out[r.Code] = g
	}
	return out, nil
}

// BoundedRegions returns the codes of the regions that have a boundary,
// without loading the boundaries.
func (s *Store) BoundedRegions(ctx context.Context) (map[string]bool, error) {
	var codes []string
	if err := s.db.WithContext(ctx).Model(&regionRow{}).Where("boundary <> ''").Pluck("code", &codes).Error; err != nil {
		return nil, fmt.Errorf("bounded regions: %w", err)
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// FindRegion returns the region with code, with its boundary (ENOTFOUND
// otherwise).
func (s *Store) FindRegion(ctx context.Context, code string) (*app.Region, error) {
	var row regionRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return nil, notFound(err, "admin.regions.not_found")
	}
	r, err := row.toApp()
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// lockRegions serializes changes to the region tree on PostgreSQL, so that
// two re-parentings cannot together close a cycle. SQLite transactions are
// immediate and serialize writers already.
func (s *Store) lockRegions(tx *gorm.DB) error {
	if s.dialect != DialectPostgres {
		return nil
	}
	return tx.Exec(`LOCK TABLE regions IN SHARE ROW EXCLUSIVE MODE`).Error
}

// checkParent returns the field error for making parent the parent of code
// (code is "" for a new region): the parent must exist, and must be neither
// the region itself nor one of its descendants.
func checkParent(tx *gorm.DB, code, parent string) (*app.Error, error) {
	if parent == "" {
		return nil, nil
	}
	if parent == code {
		return app.FieldError("parent", "admin.regions.error.parent_self"), nil
	}
	var rows []regionRow
	if err := tx.Select("code, parent_code").Find(&rows).Error; err != nil {
		return nil, err
	}
	parentOf := map[string]string{}
	for _, r := range rows {
		parentOf[r.Code] = r.ParentCode
	}
	if _, ok := parentOf[parent]; !ok {
		return app.FieldError("parent", "admin.regions.error.parent_unknown"), nil
	}
	seen := map[string]bool{}
	for p := parent; p != "" && !seen[p]; p = parentOf[p] {
		if p == code {
			return app.FieldError("parent", "admin.regions.error.cycle"), nil
		}
		seen[p] = true
	}
	return nil, nil
}

// CreateRegion adds a region under r.ParentCode ("" for the top level), with
// its boundary and geocodes, in one transaction with its audit entry
// ("region:create"). Empty names and empty geocode rows are dropped.
// Refused with app.FieldErrors, saving nothing: what app.Region.Validate
// refuses, a code that is taken ("code"), an unknown parent ("parent").
func (s *Store) CreateRegion(ctx context.Context, actor *app.User, r app.Region) error {
	r.Name, r.Geocodes = cleanText(r.Name), app.CleanGeocodes(r.Geocodes)
	if errs := r.Validate(); len(errs) > 0 {
		return fmt.Errorf("create region: %w", errs)
	}
	names, err := json.Marshal(r.Name)
	if err != nil {
		return fmt.Errorf("create region: %w", err)
	}
	boundary, geocodes, err := regionShape(r)
	if err != nil {
		return fmt.Errorf("create region: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockRegions(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&regionRow{}).Where("code = ?", r.Code).Count(&n).Error; err != nil {
			return err
		}
		var errs app.FieldErrors
		if n > 0 {
			errs = append(errs, app.FieldError("code", "admin.regions.error.code_taken"))
		}
		fe, err := checkParent(tx, r.Code, r.ParentCode)
		if err != nil {
			return err
		}
		if fe != nil {
			errs = append(errs, fe)
		}
		if len(errs) > 0 {
			return errs
		}
		if err := tx.Create(&regionRow{Code: r.Code, ParentCode: r.ParentCode, Names: string(names), Boundary: boundary, Geocodes: geocodes}).Error; err != nil {
			if isUniqueViolation(err) {
				return app.FieldErrors{app.FieldError("code", "admin.regions.error.code_taken")}
			}
			return err
		}
		return audit(tx, s.now(), actor, "region:create", "region", r.Code, nil, r)
	})
	if err != nil {
		return fmt.Errorf("create region %s: %w", r.Code, err)
	}
	return nil
}

// UpdateRegion renames the region with code and moves it under parent (""
// for the top level), keeping its boundary and geocodes, as ReplaceRegion
// does.
func (s *Store) UpdateRegion(ctx context.Context, actor *app.User, code, parent string, name app.Text) error {
	return s.updateRegion(ctx, actor, app.Region{Code: code, ParentCode: parent, Name: name}, true)
}

// ReplaceRegion sets everything the region form edits of the region with
// r.Code: its names, parent ("" for the top level), boundary and geocodes,
// in one transaction with its audit entry ("region:update", before and
// after). Empty names and empty geocode rows are dropped. Refused with
// app.FieldErrors, saving nothing: what app.Region.Validate refuses, an
// unknown parent, the region itself or one of its descendants as parent
// ("parent"). ENOTFOUND when there is no such region. Changing nothing
// writes nothing.
func (s *Store) ReplaceRegion(ctx context.Context, actor *app.User, r app.Region) error {
	return s.updateRegion(ctx, actor, r, false)
}

// updateRegion is UpdateRegion (keepShape: the stored boundary and
// geocodes stay) and ReplaceRegion.
func (s *Store) updateRegion(ctx context.Context, actor *app.User, r app.Region, keepShape bool) error {
	code := r.Code
	r.Name, r.Geocodes = cleanText(r.Name), app.CleanGeocodes(r.Geocodes)
	if errs := r.Validate(); len(errs) > 0 {
		return fmt.Errorf("update region %s: %w", code, errs)
	}
	names, err := json.Marshal(r.Name)
	if err != nil {
		return fmt.Errorf("update region %s: %w", code, err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockRegions(tx); err != nil {
			return err
		}
		var row regionRow
		if err := tx.Where("code = ?", code).Take(&row).Error; err != nil {
			return notFound(err, "admin.regions.not_found")
		}
		before, err := row.toApp()
		if err != nil {
			return err
		}
		if keepShape {
			r.Boundary, r.Geocodes = before.Boundary, before.Geocodes
		}
		boundary, geocodes, err := regionShape(r)
		if err != nil {
			return err
		}
		fe, err := checkParent(tx, code, r.ParentCode)
		if err != nil {
			return err
		}
		if fe != nil {
			return app.FieldErrors{fe}
		}
		if row.ParentCode == r.ParentCode && row.Names == string(names) && row.Boundary == boundary && regionGeocodesEqual(row.Geocodes, geocodes) {
			return nil
		}
		if err := tx.Model(&regionRow{}).Where("code = ?", code).
			Updates(map[string]any{"parent_code": r.ParentCode, "names": string(names), "boundary": boundary, "geocodes": geocodes}).Error; err != nil {
			return err
		}
		return audit(tx, s.now(), actor, "region:update", "region", code, before, r)
	})
	if err != nil {
		return fmt.Errorf("update region %s: %w", code, err)
	}
	return nil
}

// regionGeocodesEqual compares two geocodes columns (empty and "[]" both mean
// none).
func regionGeocodesEqual(a, b string) bool {
	norm := func(s string) string {
		if s == "" {
			return "[]"
		}
		return s
	}
	return norm(a) == norm(b)
}

// RegionUse says what keeps a region from being deleted; zero means nothing.
type RegionUse struct {
	Children  int // direct sub-regions
	Users     int // accounts that chose it
	Campaigns int // campaigns that target it
}

// InUse reports whether anything refers to the region.
func (u RegionUse) InUse() bool { return u != RegionUse{} }

// Err is the ECONFLICT error that explains the first reason, or nil.
func (u RegionUse) Err() error {
	switch {
	case u.Children > 0:
		return &app.Error{Code: app.ECONFLICT, MessageID: "admin.regions.error.has_children", Args: map[string]any{"Count": u.Children}}
	case u.Users > 0:
		return &app.Error{Code: app.ECONFLICT, MessageID: "admin.regions.error.has_users", Args: map[string]any{"Count": u.Users}}
	case u.Campaigns > 0:
		return &app.Error{Code: app.ECONFLICT, MessageID: "admin.regions.error.has_campaigns", Args: map[string]any{"Count": u.Campaigns}}
	}
	return nil
}

// RegionUse counts what refers to the region with code (ENOTFOUND when
// there is no such region).
func (s *Store) RegionUse(ctx context.Context, code string) (RegionUse, error) {
	db := s.db.WithContext(ctx)
	var n int64
	if err := db.Model(&regionRow{}).Where("code = ?", code).Count(&n).Error; err != nil {
		return RegionUse{}, fmt.Errorf("region use: %w", err)
	}
	if n == 0 {
		return RegionUse{}, app.Errorf(app.ENOTFOUND, "admin.regions.not_found")
	}
	u, err := regionUse(db, code)
	if err != nil {
		return RegionUse{}, fmt.Errorf("region use: %w", err)
	}
	return u, nil
}

func regionUse(tx *gorm.DB, code string) (RegionUse, error) {
	var u RegionUse
	var n int64
	if err := tx.Model(&regionRow{}).Where("parent_code = ?", code).Count(&n).Error; err != nil {
		return u, err
	}
	u.Children = int(n)
	if err := tx.Model(&userRow{}).Where("region_code = ?", code).Count(&n).Error; err != nil {
		return u, err
	}
	u.Users = int(n)
	// Campaigns keep their target regions inside their document.
	var docs []string
	if err := tx.Model(&campaignRow{}).Pluck("document", &docs).Error; err != nil {
		return u, err
	}
	for _, d := range docs {
		var c struct {
			Regions []string `json:"regions"`
		}
		if json.Unmarshal([]byte(d), &c) != nil {
			continue
		}
		for _, r := range c.Regions {
			if r == code {
				u.Campaigns++
				break
			}
		}
	}
	return u, nil
}

// DeleteRegion removes the region with code, in one transaction with its
// audit entry ("region:delete"). Refused with ECONFLICT while it has
// sub-regions (admin.regions.error.has_children), accounts that chose it
// (has_users) or campaigns that target it (has_campaigns); the error's
// Args["Count"] says how many. ENOTFOUND when there is no such region.
func (s *Store) DeleteRegion(ctx context.Context, actor *app.User, code string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockRegions(tx); err != nil {
			return err
		}
		var row regionRow
		q := tx.Where("code = ?", code)
		if s.dialect == DialectPostgres {
			// Waits for a learner choosing this region right now (FOR SHARE
			// in checkAffiliation), so the count below sees their choice.
			q = q.Clauses(forUpdate())
		}
		if err := q.Take(&row).Error; err != nil {
			return notFound(err, "admin.regions.not_found")
		}
		use, err := regionUse(tx, code)
		if err != nil {
			return err
		}
		if err := use.Err(); err != nil {
			return err
		}
		before, err := row.toApp()
		if err != nil {
			return err
		}
		if err := tx.Where("code = ?", code).Delete(&regionRow{}).Error; err != nil {
			return err
		}
		return audit(tx, s.now(), actor, "region:delete", "region", code, before, nil)
	})
	if err != nil {
		return fmt.Errorf("delete region %s: %w", code, err)
	}
	return nil
}

// OrganizationSummary is an organization with how many accounts belong to it.
type OrganizationSummary struct {
	app.Organization
	Users int
}

// Organizations returns every organization, ordered by code.
func (s *Store) Organizations(ctx context.Context) ([]app.Organization, error) {
	var rows []organizationRow
	if err := s.db.WithContext(ctx).Order("code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	out := make([]app.Organization, 0, len(rows))
	for _, r := range rows {
		o, err := r.toApp()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// OrganizationSummaries returns Organizations with their account counts.
func (s *Store) OrganizationSummaries(ctx context.Context) ([]OrganizationSummary, error) {
	orgs, err := s.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		OrganizationID int64
		N              int
	}
	if err := s.db.WithContext(ctx).Model(&userRow{}).Select("organization_id, COUNT(*) AS n").
		Where("organization_id IS NOT NULL").Group("organization_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count users by organization: %w", err)
	}
	users := map[int64]int{}
	for _, c := range counts {
		users[c.OrganizationID] = c.N
	}
	out := make([]OrganizationSummary, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, OrganizationSummary{Organization: o, Users: users[o.ID]})
	}
	return out, nil
}

// FindOrganization returns the organization with code (ENOTFOUND otherwise).
func (s *Store) FindOrganization(ctx context.Context, code string) (*app.Organization, error) {
	var row organizationRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return nil, notFound(err, "admin.orgs.not_found")
	}
	o, err := row.toApp()
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// CreateOrganization adds an organization and sets o.ID and o.CreatedAt, in
// one transaction with its audit entry ("organization:create"). Empty names
// are dropped. Refused with app.FieldErrors, saving nothing: a code that is
// not [a-z0-9-]+ or is taken ("code"), no name ("name").
func (s *Store) CreateOrganization(ctx context.Context, actor *app.User, o *app.Organization) error {
	o.Name = cleanText(o.Name)
	var errs app.FieldErrors
	if !validCode(o.Code) {
		errs = append(errs, app.FieldError("code", "admin.orgs.error.code"))
	}
	if len(o.Name) == 0 {
		errs = append(errs, app.FieldError("name", "admin.orgs.error.name_required"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("create organization: %w", errs)
	}
	names, err := json.Marshal(o.Name)
	if err != nil {
		return fmt.Errorf("create organization: %w", err)
	}
	now := s.now()
	row := organizationRow{Code: o.Code, Names: string(names), CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&organizationRow{}).Where("code = ?", o.Code).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return app.FieldErrors{app.FieldError("code", "admin.orgs.error.code_taken")}
		}
		if err := tx.Create(&row).Error; err != nil {
			if isUniqueViolation(err) {
				return app.FieldErrors{app.FieldError("code", "admin.orgs.error.code_taken")}
			}
			return err
		}
		return audit(tx, now, actor, "organization:create", "organization", o.Code, nil, app.Organization{Code: o.Code, Name: o.Name})
	})
	if err != nil {
		return fmt.Errorf("create organization %s: %w", o.Code, err)
	}
	o.ID, o.CreatedAt = row.ID, now
	return nil
}

// UpdateOrganization renames the organization with code, in one transaction
// with its audit entry ("organization:update"). Refused with
// app.FieldErrors when no name is left ("name"); ENOTFOUND when there is no
// such organization. Changing nothing writes nothing.
func (s *Store) UpdateOrganization(ctx context.Context, actor *app.User, code string, name app.Text) error {
	name = cleanText(name)
	if len(name) == 0 {
		return fmt.Errorf("update organization %s: %w", code, app.FieldErrors{app.FieldError("name", "admin.orgs.error.name_required")})
	}
	names, err := json.Marshal(name)
	if err != nil {
		return fmt.Errorf("update organization %s: %w", code, err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row organizationRow
		if err := tx.Where("code = ?", code).Take(&row).Error; err != nil {
			return notFound(err, "admin.orgs.not_found")
		}
		if row.Names == string(names) {
			return nil
		}
		before, err := row.toApp()
		if err != nil {
			return err
		}
		if err := tx.Model(&organizationRow{}).Where("id = ?", row.ID).Update("names", string(names)).Error; err != nil {
			return err
		}
		return audit(tx, s.now(), actor, "organization:update", "organization", code, before, app.Organization{Code: code, Name: name})
	})
	if err != nil {
		return fmt.Errorf("update organization %s: %w", code, err)
	}
	return nil
}

// OrganizationUsers counts the accounts that belong to the organization
// with code (ENOTFOUND when there is no such organization).
func (s *Store) OrganizationUsers(ctx context.Context, code string) (int, error) {
	o, err := s.FindOrganization(ctx, code)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&userRow{}).Where("organization_id = ?", o.ID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("organization users: %w", err)
	}
	return int(n), nil
}

// DeleteOrganization removes the organization with code, in one transaction
// with its audit entry ("organization:delete"). Refused with ECONFLICT
// (admin.orgs.error.has_users, Args["Count"]) while accounts belong to it;
// ENOTFOUND when there is no such organization.
func (s *Store) DeleteOrganization(ctx context.Context, actor *app.User, code string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row organizationRow
		q := tx.Where("code = ?", code)
		if s.dialect == DialectPostgres {
			q = q.Clauses(forUpdate())
		}
		if err := q.Take(&row).Error; err != nil {
			return notFound(err, "admin.orgs.not_found")
		}
		var n int64
		if err := tx.Model(&userRow{}).Where("organization_id = ?", row.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &app.Error{Code: app.ECONFLICT, MessageID: "admin.orgs.error.has_users", Args: map[string]any{"Count": int(n)}}
		}
		before, err := row.toApp()
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", row.ID).Delete(&organizationRow{}).Error; err != nil {
			return err
		}
		return audit(tx, s.now(), actor, "organization:delete", "organization", code, before, nil)
	})
	if err != nil {
		return fmt.Errorf("delete organization %s: %w", code, err)
	}
	return nil
}

// forUpdate locks the selected rows until the transaction ends (PostgreSQL).
func forUpdate() clause.Expression { return clause.Locking{Strength: clause.LockingStrengthUpdate} }

// forShare keeps the selected rows from being deleted until the transaction
// ends (PostgreSQL).
func forShare() clause.Expression { return clause.Locking{Strength: clause.LockingStrengthShare} }
