package cli_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"beacon/app/testenv"
)

// TestCLI_ExportMedia: media files imported with a pack come back out of
// beacon export byte for byte, under media/.
func TestCLI_ExportMedia(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	pack := filepath.Join(t.TempDir(), "pack")
	if err := os.MkdirAll(filepath.Join(pack, "media"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pack, "media", "exit-map.png"), img.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, ctx, env, "", "import", filepath.Join(testenv.Root(t), "content")); code != 0 {
		t.Fatalf("import seed: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, ctx, env, "", "import", pack); code != 0 {
		t.Fatalf("import media pack: %d %q %q", code, out, errOut)
	}
	dir := filepath.Join(t.TempDir(), "export")
	code, out, errOut := run(t, ctx, env, "", "export", dir)
	if code != 0 || !strings.HasSuffix(out, ", 1 media files\n") {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	got, err := os.ReadFile(filepath.Join(dir, "media", "exit-map.png"))
	if err != nil || !bytes.Equal(got, img.Bytes()) {
		t.Fatalf("exported image differs: %v", err)
	}
}
