package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
)

// Limits of one image.
const (
	// MaxSize is the largest file accepted, in bytes.
	MaxSize = 2 << 20
	// MaxDimension is the largest width and height accepted, in pixels.
	MaxDimension = 8000
)

// Content types accepted.
const (
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
)

// Errors of Inspect and Sniff; a returned error wraps exactly one of them.
var (
	ErrEmpty      = errors.New("media: the file is empty")
	ErrTooLarge   = fmt.Errorf("media: the file is larger than %d bytes", MaxSize)
	ErrNotImage   = errors.New("media: not a PNG, JPEG, WebP or GIF image")
	ErrBroken     = errors.New("media: the image is damaged or incomplete")
	ErrDimensions = fmt.Errorf("media: the image is larger than %d × %d pixels", MaxDimension, MaxDimension)
)

// Info is what Inspect learns about an image.
type Info struct {
	ContentType string // TypePNG, TypeJPEG, TypeGIF or TypeWebP
	Ext         string // png, jpg, gif or webp
	Width       int
	Height      int
}

// Sniff decides from its bytes whether data is an image Beacon accepts
// (PNG, JPEG, WebP or GIF, at most MaxSize bytes and MaxDimension pixels
// each way, not truncated or damaged) and returns its content type and
// file extension. The error wraps ErrEmpty, ErrTooLarge, ErrNotImage,
// ErrBroken or ErrDimensions.
func Sniff(data []byte) (contentType, ext string, err error) {
	info, err := Inspect(data)
	if err != nil {
		return "", "", err
	}
	return info.ContentType, info.Ext, nil
}

// Inspect is Sniff returning the image's dimensions too.
//
// Broken files are found without decoding pixels, so that a small file
// claiming a huge canvas costs no memory: the header is decoded for the
// dimensions, and the file's structure is walked to its end (PNG chunks
// with their checksums up to IEND, JPEG segments and scan data up to EOI,
// GIF blocks up to the trailer, WebP RIFF chunks and the first frame's
// header).
func Inspect(data []byte) (Info, error) {
	switch {
	case len(data) == 0:
		return Info{}, ErrEmpty
	case len(data) > MaxSize:
		return Info{}, ErrTooLarge
	}
	var (
		info Info
		err  error
	)
	switch http.DetectContentType(data) {
	case TypePNG:
		info, err = inspectPNG(data)
	case TypeJPEG:
		info, err = inspectJPEG(data)
	case TypeGIF:
		info, err = inspectGIF(data)
	case TypeWebP:
		info, err = inspectWebP(data)
	default:
		return Info{}, ErrNotImage
	}
	if err != nil {
		return Info{}, err
	}
	if info.Width <= 0 || info.Height <= 0 {
		return Info{}, fmt.Errorf("%w: the image has no pixels", ErrBroken)
	}
	if info.Width > MaxDimension || info.Height > MaxDimension {
		return Info{}, fmt.Errorf("%w (it is %d × %d)", ErrDimensions, info.Width, info.Height)
	}
	return info, nil
}

// Ext returns the file extension for an accepted content type, or "".
func Ext(contentType string) string {
	switch contentType {
	case TypePNG:
		return "png"
	case TypeJPEG:
		return "jpg"
	case TypeGIF:
		return "gif"
	case TypeWebP:
		return "webp"
	}
	return ""
}

// MessageID returns the catalog key that explains an Inspect error to an
// educator ("admin.media.error.*").
func MessageID(err error) string {
	switch {
	case errors.Is(err, ErrEmpty):
		return "admin.media.error.required"
	case errors.Is(err, ErrTooLarge):
		return "admin.media.error.too_large"
	case errors.Is(err, ErrNotImage):
		return "admin.media.error.not_image"
	case errors.Is(err, ErrDimensions):
		return "admin.media.error.dimensions"
	}
	return "admin.media.error.broken"
}

func broken(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBroken, fmt.Sprintf(format, args...))
}

func fromConfig(ct string, cfg image.Config) Info {
	return Info{ContentType: ct, Ext: Ext(ct), Width: cfg.Width, Height: cfg.Height}
}

// inspectPNG decodes the header, then walks every chunk checking its CRC,
// up to IEND.
func inspectPNG(data []byte) (Info, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, broken("%v", err)
	}
	rest := data[8:]
	first, idat := true, false
	for {
		if len(rest) < 12 {
			return Info{}, broken("the PNG ends before its IEND chunk")
		}
		n := binary.BigEndian.Uint32(rest[:4])
		if n > uint32(len(rest)-12) {
			return Info{}, broken("a PNG chunk runs past the end of the file")
		}
		typ := string(rest[4:8])
		body := rest[4 : 8+n]
		if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(rest[8+n:12+n]) {
			return Info{}, broken("PNG chunk %q has a wrong checksum", typ)
		}
		if first && typ != "IHDR" {
			return Info{}, broken("the PNG does not start with IHDR")
		}
		first = false
		switch typ {
		case "IDAT":
			idat = true
		case "IEND":
			if !idat {
				return Info{}, broken("the PNG has no image data")
			}
			return fromConfig(TypePNG, cfg), nil
		}
		rest = rest[12+n:]
	}
}

// inspectJPEG decodes the header, then walks the segments and the
// entropy-coded scans up to the EOI marker.
func inspectJPEG(data []byte) (Info, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, broken("%v", err)
	}
	i, scans := 2, 0
	for {
		if i >= len(data) || data[i] != 0xFF {
			return Info{}, broken("the JPEG ends before its end-of-image marker")
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return Info{}, broken("the JPEG ends before its end-of-image marker")
		}
		marker := data[i]
		i++
		switch {
		case marker == 0xD9: // EOI
			if scans == 0 {
				return Info{}, broken("the JPEG has no image data")
			}
			return fromConfig(TypeJPEG, cfg), nil
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01: // RSTn, TEM: no length
			continue
		case marker == 0xD8 || marker == 0x00:
			return Info{}, broken("unexpected JPEG marker %#x", marker)
		}
		if i+2 > len(data) {
			return Info{}, broken("the JPEG ends inside a segment")
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return Info{}, broken("a JPEG segment runs past the end of the file")
		}
		i += n
		if marker != 0xDA { // not SOS
			continue
		}
		scans++
		// Scan data: 0xFF is followed by 0x00 (a stuffed byte), a restart
		// marker, or fill bytes before the next marker.
		for {
			if i+1 >= len(data) {
				return Info{}, broken("the JPEG ends inside its image data")
			}
			if data[i] != 0xFF {
				i++
				continue
			}
			next := data[i+1]
			if next == 0x00 || (next >= 0xD0 && next <= 0xD7) {
				i += 2
				continue
			}
			if next == 0xFF {
				i++
				continue
			}
			break
		}
	}
}

// inspectGIF decodes the header, then walks the blocks up to the trailer.
func inspectGIF(data []byte) (Info, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, broken("%v", err)
	}
	if len(data) < 13 {
		return Info{}, broken("the GIF header is cut short")
	}
	i := 13
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1)
	}
	// subBlocks skips data sub-blocks up to their zero terminator.
	subBlocks := func() bool {
		for {
			if i >= len(data) {
				return false
			}
			n := int(data[i])
			i++
			if n == 0 {
				return true
			}
			i += n
		}
	}
	frames := 0
	for {
		if i >= len(data) {
			return Info{}, broken("the GIF ends before its trailer")
		}
		b := data[i]
		i++
		switch b {
		case 0x3B: // trailer
			if frames == 0 {
				return Info{}, broken("the GIF has no image")
			}
			return fromConfig(TypeGIF, cfg), nil
		case 0x21: // extension: label, then sub-blocks
			i++
			if !subBlocks() {
				return Info{}, broken("the GIF ends inside an extension")
			}
		case 0x2C: // image descriptor
			if i+9 > len(data) {
				return Info{}, broken("the GIF ends inside an image descriptor")
			}
			flags := data[i+8]
			i += 9
			if flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			if !subBlocks() {
				return Info{}, broken("the GIF ends inside its image data")
			}
			frames++
		default:
			return Info{}, broken("unexpected GIF block %#x", b)
		}
	}
}

// inspectWebP walks the RIFF chunks and reads the dimensions from the
// first frame's header (VP8, VP8L) or the extended header (VP8X).
func inspectWebP(data []byte) (Info, error) {
	if len(data) < 20 {
		return Info{}, broken("the WebP header is cut short")
	}
	size := binary.LittleEndian.Uint32(data[4:8])
	if size < 4 || uint64(size)+8 > uint64(len(data)) {
		return Info{}, broken("the WebP file is shorter than its RIFF header says")
	}
	body := data[12 : 8+size]
	info := Info{ContentType: TypeWebP, Ext: "webp"}
	first, frame := true, false
	for len(body) > 0 {
		if len(body) < 8 {
			return Info{}, broken("the WebP ends inside a chunk header")
		}
		fourcc := string(body[:4])
		n := binary.LittleEndian.Uint32(body[4:8])
		if uint64(n) > uint64(len(body)-8) {
			return Info{}, broken("WebP chunk %q runs past the end of the file", fourcc)
		}
		payload := body[8 : 8+n]
		if first {
			var err error
			if info.Width, info.Height, err = webpHeader(fourcc, payload); err != nil {
				return Info{}, err
			}
			first = false
		}
		switch fourcc {
		case "VP8 ", "VP8L", "ANMF":
			frame = true
		}
		next := 8 + uint64(n) + uint64(n&1) // chunks are padded to even sizes
		if next > uint64(len(body)) {
			next = uint64(len(body))
		}
		body = body[next:]
	}
	if !frame {
		return Info{}, broken("the WebP has no image data")
	}
	return info, nil
}

func webpHeader(fourcc string, p []byte) (w, h int, err error) {
	switch fourcc {
	case "VP8 ":
		// Frame tag (3 bytes, key frame when bit 0 is clear), start code
		// 9d 01 2a, then 14-bit width and height.
		if len(p) < 10 || p[0]&1 != 0 || p[3] != 0x9d || p[4] != 0x01 || p[5] != 0x2a {
			return 0, 0, broken("the WebP's VP8 frame header is not valid")
		}
		return int(binary.LittleEndian.Uint16(p[6:]) & 0x3fff), int(binary.LittleEndian.Uint16(p[8:]) & 0x3fff), nil
	case "VP8L":
		// Signature 0x2f, then 14 bits width-1, 14 bits height-1, 1 bit
		// alpha and a 3-bit version that must be 0.
		if len(p) < 5 || p[0] != 0x2f {
			return 0, 0, broken("the WebP's VP8L header is not valid")
		}
		bits := binary.LittleEndian.Uint32(p[1:5])
		if bits>>29 != 0 {
			return 0, 0, broken("the WebP's VP8L version is not 0")
		}
		return int(bits&0x3fff) + 1, int(bits>>14&0x3fff) + 1, nil
	case "VP8X":
		// Flags and reserved (4 bytes), then 24-bit canvas width-1 and height-1.
		if len(p) < 10 {
			return 0, 0, broken("the WebP's VP8X header is cut short")
		}
		le24 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }
		return le24(p[4:7]) + 1, le24(p[7:10]) + 1, nil
	}
	return 0, 0, broken("the WebP starts with chunk %q, not VP8, VP8L or VP8X", fourcc)
}
