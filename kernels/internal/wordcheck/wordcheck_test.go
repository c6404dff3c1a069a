package wordcheck

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var decodeFlag = flag.String("decode", "", "comma-separated instruction words to print in GNU syntax (a helper for writing WORD comments)")

// TestKernelWords checks every WORD in the kernels package's arm64 assembly.
func TestKernelWords(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "*_arm64.s"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no ../../*_arm64.s files found; run from kernels/internal/wordcheck")
	}
	total := 0
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		problems, words, err := Check(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		total += words
		for _, p := range problems {
			t.Errorf("%s: %v", filepath.Base(name), p)
		}
		t.Logf("%s: %d WORD directives", filepath.Base(name), words)
	}
	if total == 0 {
		t.Log("no WORD directives found")
	}
}

// TestCheckCatchesMistakes makes sure the checker is not vacuous: a wrong
// register, a wrong mnemonic, a missing comment, an undecodable word and a
// non-literal operand must all be reported, and a right comment must not.
func TestCheckCatchesMistakes(t *testing.T) {
	const src = `
	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v3.4s
	WORD $0x4e22d420 // fsub v0.4s, v1.4s, v2.4s
	WORD $0x4e22d420
	WORD $0x00000000 // udf
	WORD $foo // fadd v0.4s, v1.4s, v2.4s
loop:	WORD $0x6e22fc20 // fdiv v0.4s, v1.4s, v2.4s
	// WORD in a comment is ignored
`
	problems, words, err := Check(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if words != 7 {
		t.Errorf("checked %d WORD directives, want 7", words)
	}
	var lines []int
	for _, p := range problems {
		lines = append(lines, p.Line)
	}
	want := []int{3, 4, 5, 6, 7}
	if len(lines) != len(want) {
		t.Fatalf("problems on lines %v, want %v:\n%v", lines, want, problems)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Fatalf("problems on lines %v, want %v:\n%v", lines, want, problems)
		}
	}
}

// TestDecodeHelper prints the GNU syntax of the words given with -decode:
//
//	go test -run DecodeHelper -v -decode 0x4e22d420,0x6e22fc20
func TestDecodeHelper(t *testing.T) {
	if *decodeFlag == "" {
		t.Skip("no -decode words given")
	}
	for _, s := range strings.Split(*decodeFlag, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 0, 32)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got, err := Decode(uint32(v))
		if err != nil {
			t.Errorf("%#08x: %v", v, err)
			continue
		}
		t.Logf("WORD $%#08x // %s", v, got)
	}
}
