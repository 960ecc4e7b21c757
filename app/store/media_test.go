package store_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"beacon/app"
	"beacon/app/store"
)

// pngOf returns a real w×h PNG whose pixels depend on shade, so that
// different shades give different bytes.
func pngOf(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{shade, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStore_Media(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		edu := newUser(t, st, "edu@example.org", "")
		first := pngOf(t, 4, 3, 10)

		m, err := st.CreateMedia(ctx, edu, "map.png", "image/png", first)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name != "map.png" || m.ContentType != "image/png" || m.Size != int64(len(first)) || m.Width != 4 || m.Height != 3 || len(m.SHA256) != 64 {
			t.Fatalf("created %+v", m)
		}

		t.Run("SameBytesStoredOnce", func(t *testing.T) {
			again, err := st.CreateMedia(ctx, edu, "other-name.png", "image/png", first)
			if err != nil || again.Name != "map.png" {
				t.Fatalf("same bytes: %+v, %v", again, err)
			}
		})

		t.Run("TakenNameNumbered", func(t *testing.T) {
			for i, want := range []string{"map-2.png", "map-3.png"} {
				got, err := st.CreateMedia(ctx, edu, "map.png", "image/png", pngOf(t, 4, 3, uint8(20+i)))
				if err != nil || got.Name != want {
					t.Fatalf("name %q, %v; want %s", got.Name, err, want)
				}
			}
		})

		t.Run("Find", func(t *testing.T) {
			got, err := st.FindMedia(ctx, "map.png")
			if err != nil || !bytes.Equal(got.Data, first) || got.ContentType != "image/png" || got.SHA256 != m.SHA256 {
				t.Fatalf("find: %+v, %v", got, err)
			}
			if _, err := st.FindMedia(ctx, "nothing.png"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown name: %v", err)
			}
			if ok, err := st.MediaExists(ctx, "map-2.png"); !ok || err != nil {
				t.Fatalf("MediaExists: %v %v", ok, err)
			}
		})

		t.Run("ListWithoutBytes", func(t *testing.T) {
			list, err := st.ListMedia(ctx)
			if err != nil || len(list) != 3 {
				t.Fatalf("list: %d, %v", len(list), err)
			}
			for _, f := range list {
				if f.Data != nil || f.Width != 4 || f.Size == 0 {
					t.Fatalf("listed %+v", f)
				}
			}
		})

		t.Run("Refused", func(t *testing.T) {
			tests := []struct {
				name, file, ct string
				data           []byte
			}{
				{"NotAnImage", "page.png", "image/png", []byte("<html><script>alert(1)</script></html>")},
				{"Truncated", "cut.png", "image/png", first[:len(first)-10]},
				{"WrongDeclaredType", "map.jpg", "image/jpeg", first},
				{"ExtensionNotTheType", "map.jpg", "image/png", first},
				{"UnsafeName", "../x.png", "image/png", pngOf(t, 2, 2, 99)},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := st.CreateMedia(ctx, edu, tt.file, tt.ct, tt.data)
					var ae *app.Error
					if app.ErrorCode(err) != app.EINVALID || !errors.As(err, &ae) || ae.Field != "file" {
						t.Fatalf("want EINVALID on file, got %v", err)
					}
				})
			}
			if list, _ := st.ListMedia(ctx); len(list) != 3 {
				t.Fatalf("a refused upload stored something: %d files", len(list))
			}
		})

		t.Run("Delete", func(t *testing.T) {
			if err := st.DeleteMedia(ctx, edu, "map-3.png"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindMedia(ctx, "map-3.png"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("deleted file still found: %v", err)
			}
			if err := st.DeleteMedia(ctx, edu, "map-3.png"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("second delete: %v", err)
			}
		})

		t.Run("Audit", func(t *testing.T) {
			entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "media"})
			if err != nil {
				t.Fatal(err)
			}
			var uploads, deletes int
			for _, e := range entries {
				switch e.Action {
				case "media:upload":
					uploads++
				case "media:delete":
					deletes++
					if e.ObjectID != "map-3.png" || e.Actor != "edu@example.org" {
						t.Errorf("delete entry %+v", e)
					}
				}
			}
			// map.png, map-2.png, map-3.png; the duplicate stored nothing.
			if uploads != 3 || deletes != 1 {
				t.Fatalf("%d uploads, %d deletes audited", uploads, deletes)
			}
		})

		t.Run("ImportPack", func(t *testing.T) {
			pack := &app.Pack{Media: []app.MediaFile{
				{Name: "map.png", Data: first},                 // same bytes: unchanged
				{Name: "map-2.png", Data: pngOf(t, 6, 5, 77)},  // other bytes: updated
				{Name: "new-one.png", Data: pngOf(t, 2, 2, 5)}, // created
			}}
			res, err := st.ImportPack(ctx, pack)
			if err != nil {
				t.Fatal(err)
			}
			if res.MediaCreated != 1 || res.MediaUpdated != 1 || res.MediaUnchanged != 1 {
				t.Fatalf("import: %+v", res)
			}
			got, err := st.FindMedia(ctx, "map-2.png")
			if err != nil || !bytes.Equal(got.Data, pack.Media[1].Data) || got.Width != 6 || got.Height != 5 {
				t.Fatalf("updated file: %+v, %v", got, err)
			}
			res, err = st.ImportPack(ctx, pack)
			if err != nil || res.MediaUnchanged != 3 || res.MediaCreated+res.MediaUpdated != 0 {
				t.Fatalf("second import: %+v, %v", res, err)
			}
			// A pack with a broken image is refused whole: nothing of it is stored.
			bad := &app.Pack{Media: []app.MediaFile{{Name: "fine.png", Data: pngOf(t, 2, 2, 1)}, {Name: "broken.png", Data: first[:40]}}}
			if _, err := st.ImportPack(ctx, bad); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("broken pack media: %v", err)
			}
			if ok, _ := st.MediaExists(ctx, "fine.png"); ok {
				t.Fatal("a refused pack left a file behind")
			}
		})
	})
}
