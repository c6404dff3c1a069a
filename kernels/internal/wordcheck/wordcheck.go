// Package wordcheck verifies the raw instruction words in lanes' arm64
// assembly. Go's arm64 assembler has no mnemonics for several NEON
// floating-point instructions (vector FADD, FMUL, FDIV, FMAX, FCMGT, ...), so
// the kernels spell them as
//
//	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
//
// A wrong bit in such a word assembles silently into a different instruction.
// Check decodes every WORD with golang.org/x/arch/arm64/arm64asm and reports
// each one whose GNU-syntax decoding is not exactly its trailing comment.
//
// It is its own module so that the main module does not depend on
// golang.org/x/arch; run it with
//
//	cd kernels/internal/wordcheck && go test ./...
package wordcheck

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// wordLine matches a WORD directive, optionally labelled, and captures its
// operand and the trailing comment (without the slashes).
var wordLine = regexp.MustCompile(`^\s*(?:[A-Za-z_][A-Za-z0-9_]*:\s*)?WORD\s+\$([^\s/]+)\s*(?://\s*(.*?))?\s*$`)

// Problem is one WORD whose comment does not match its encoding.
type Problem struct {
	Line    int    // 1-based line number
	Text    string // the source line
	Decoded string // what the word decodes to, or the decode error
	Reason  string
}

func (p Problem) String() string {
	return fmt.Sprintf("line %d: %s\n\t%s; decodes as %q", p.Line, strings.TrimSpace(p.Text), p.Reason, p.Decoded)
}

// Decode returns the GNU syntax of one little-endian arm64 instruction word,
// as the comments must spell it.
func Decode(word uint32) (string, error) {
	b := []byte{byte(word), byte(word >> 8), byte(word >> 16), byte(word >> 24)}
	inst, err := arm64asm.Decode(b)
	if err != nil {
		return "", err
	}
	return arm64asm.GNUSyntax(inst), nil
}

// Check scans arm64 assembly source and returns the WORD directives whose
// comment differs from their decoding, has no comment, or does not decode.
// It also returns how many WORD directives it checked.
func Check(src io.Reader) (problems []Problem, words int, err error) {
	sc := bufio.NewScanner(src)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		m := wordLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		words++
		operand, comment := m[1], strings.TrimSpace(m[2])
		v, perr := strconv.ParseUint(operand, 0, 32)
		if perr != nil {
			problems = append(problems, Problem{n, line, "", "operand is not a 32-bit integer literal"})
			continue
		}
		got, derr := Decode(uint32(v))
		switch {
		case derr != nil:
			problems = append(problems, Problem{n, line, derr.Error(), "word does not decode"})
		case comment == "":
			problems = append(problems, Problem{n, line, got, "WORD has no comment naming its instruction"})
		case comment != got:
			problems = append(problems, Problem{n, line, got, "comment differs from decoding"})
		}
	}
	return problems, words, sc.Err()
}
