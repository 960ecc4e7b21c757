package cap_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cap"
	"beacon/app/testenv"
)

// hostile is text an attacker (or a careless editor) might type: markup,
// entities, a CDATA end, quotes of both kinds, and a line break.
const hostile = `<script>alert("x&y")</script> & ]]> <![CDATA[z]]> &amp; 'single' "double"` + "\nsecond line"

// h marks a hostile text with the field and locale it stands in, so a
// mix-up between fields shows.
func h(field, locale string) string { return field + "/" + locale + " " + hostile }

// sent is a fixed publication time in UTC.
var sent = time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)

// newAlert is a valid, published alert in en (source), ar and zh-Hans with
// hostile text in every translated field; ar lacks the description and
// instruction (they fall back to en), zh-Hans lacks the instruction.
func newAlert(id, status, msgType string, regions ...string) *app.Alert {
	return &app.Alert{
		Identifier:   id,
		SourceLocale: "en",
		Status:       status,
		MsgType:      msgType,
		Scope:        "Public",
		Categories:   []string{"Met", "Safety"},
		Urgency:      "Immediate",
		Severity:     "Severe",
		Certainty:    "Likely",
		Event:        app.Text{"en": h("event", "en"), "ar": "عاصفة " + h("event", "ar"), "zh-Hans": "风暴 " + h("event", "zh-Hans")},
		Headline:     app.Text{"en": h("headline", "en"), "ar": "تحذير " + h("headline", "ar"), "zh-Hans": "警告 " + h("headline", "zh-Hans")},
		Description:  app.Text{"en": h("description", "en"), "zh-Hans": "说明 " + h("description", "zh-Hans")},
		Instruction:  app.Text{"en": h("instruction", "en")},
		Effective:    sent.Add(-time.Hour),
		Expires:      sent.Add(48 * time.Hour),
		Regions:      regions,
		State:        app.AlertPublished,
		Sent:         sent,
	}
}

// options names things with hostile text too (site names and region names
// come from organizers).
func options() cap.Options {
	return cap.Options{
		Sender:     "beacon@beacon.example",
		SenderName: func(l string) string { return h("sender", l) },
		Web: func(id, l string) string {
			return "https://beacon.example/" + l + "/alerts/" + id + "?from=cap&x=%3Cscript%3E"
		},
		AreaName: func(code, l string) string { return h("area:"+code, l) },
		Everyone: func(l string) string { return h("everyone", l) },
	}
}

// schemaPath is the OASIS CAP 1.2 schema, kept in the repository
// (testdata) so a clean clone has it.
func schemaPath(t *testing.T) string {
	t.Helper()
	p := filepath.Join(testenv.Root(t), "app", "cap", "testdata", "CAP-v1.2.xsd")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("CAP schema: %v", err)
	}
	return p
}

// xmllint runs xmllint --noout with args on doc (written to a temp file)
// and fails the test with xmllint's words and the document when it
// rejects it.
func xmllint(t *testing.T, name string, doc []byte, args ...string) {
	t.Helper()
	_, err := exec.LookPath("xmllint")
	testenv.Require(t, "xmllint", err == nil, "apt-get install libxml2-utils")
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", append(append([]string{"--noout"}, args...), file)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint %s %s: %v\n%s\n--- document ---\n%s", strings.Join(args, " "), name, err, out, doc)
	}
}

// mustValidateCAP validates doc against the OASIS CAP 1.2 schema.
func mustValidateCAP(t *testing.T, name string, doc []byte) {
	t.Helper()
	xmllint(t, name+".cap.xml", doc, "--schema", schemaPath(t))
}

// capDoc reads a CAP document back, independently of the writer's types.
type capDoc struct {
	XMLName    xml.Name
	Identifier string `xml:"identifier"`
	Sender     string `xml:"sender"`
	Sent       string `xml:"sent"`
	Status     string `xml:"status"`
	MsgType    string `xml:"msgType"`
	Scope      string `xml:"scope"`
	Note       string `xml:"note"`
	References string `xml:"references"`
	Info       []struct {
		Language    string   `xml:"language"`
		Category    []string `xml:"category"`
		Event       string   `xml:"event"`
		Urgency     string   `xml:"urgency"`
		Severity    string   `xml:"severity"`
		Certainty   string   `xml:"certainty"`
		Effective   string   `xml:"effective"`
		Expires     string   `xml:"expires"`
		SenderName  string   `xml:"senderName"`
		Headline    string   `xml:"headline"`
		Description string   `xml:"description"`
		Instruction string   `xml:"instruction"`
		Web         string   `xml:"web"`
		Area        []struct {
			AreaDesc string `xml:"areaDesc"`
			Geocode  []struct {
				ValueName string `xml:"valueName"`
				Value     string `xml:"value"`
			} `xml:"geocode"`
		} `xml:"area"`
	} `xml:"info"`
}

func parseCAP(t *testing.T, doc []byte) capDoc {
	t.Helper()
	var d capDoc
	if err := xml.Unmarshal(doc, &d); err != nil {
		t.Fatalf("CAP document does not parse: %v\n%s", err, doc)
	}
	return d
}

// mustNotContainMarkup checks that no hostile text reached the document
// as markup: the only "<" are the writer's own elements.
func mustNotContainMarkup(t *testing.T, doc []byte) {
	t.Helper()
	for _, bad := range []string{"<script", "]]>", "<![CDATA[", `"double"`, "'single'"} {
		if strings.Contains(string(doc), bad) {
			t.Errorf("document holds %q unescaped:\n%s", bad, doc)
		}
	}
}

// TestSchemaCopy: the schema in testdata is the OASIS file the project
// keeps beside the repository (../shared/schemas), when that is there.
func TestSchemaCopy(t *testing.T) {
	shared := filepath.Join(testenv.Root(t), "..", "shared", "schemas", "CAP-v1.2.xsd")
	want, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("no shared schema to compare with (%v); testdata's copy is used", err)
	}
	got, err := os.ReadFile(schemaPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s", schemaPath(t), shared)
	}
}
