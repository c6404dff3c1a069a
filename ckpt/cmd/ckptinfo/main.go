// Command ckptinfo prints a lanes checkpoint: its format version, metadata and
// every tensor with its dtype, shape, size and checksum status, in the spirit
// of TensorFlow's inspect_checkpoint.
//
//	go run ./ckpt/cmd/ckptinfo [-values N] FILE...
//
// Every tensor's payload is read and its CRC32C verified. The exit status is 1
// if any file cannot be opened or any tensor fails its check, with the reason
// on standard error, and 2 for a usage error.
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/lanes-go/lanes/ckpt"
)

func main() {
	values := flag.Int("values", 0, "also print the first `N` values of each tensor")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: ckptinfo [-values N] FILE...\n\nPrints a lanes checkpoint's version, metadata and tensors, verifying every checksum.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	status := 0
	for i, path := range flag.Args() {
		if i > 0 {
			fmt.Println()
		}
		if err := inspect(os.Stdout, path, *values); err != nil {
			fmt.Fprintf(os.Stderr, "ckptinfo: %v\n", err)
			status = 1
		}
	}
	os.Exit(status)
}

// inspect prints one checkpoint and returns an error if it is unreadable or
// any tensor fails verification (after printing every tensor).
func inspect(w io.Writer, path string, values int) error {
	f, err := ckpt.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	major, minor := f.Version()
	fmt.Fprintf(w, "%s: lanes checkpoint version %d.%d, %d bytes\n", path, major, minor, st.Size())

	meta := f.Meta()
	keys := slices.Sorted(maps.Keys(meta))
	fmt.Fprintf(w, "metadata (%d):\n", len(keys))
	for _, k := range keys {
		fmt.Fprintf(w, "  %s = %s\n", k, printable(meta[k]))
	}

	tensors := f.Tensors()
	var total int64
	var bad []string
	fmt.Fprintf(w, "tensors (%d):\n", len(tensors))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tDTYPE\tSHAPE\tBYTES\tCRC32C\tSTATUS")
	for _, t := range tensors {
		total += t.Length
		status := "ok"
		data, err := f.Read(t.Name)
		if err != nil {
			status = "BAD: " + err.Error()
			bad = append(bad, err.Error())
		}
		fmt.Fprintf(tw, "  %s\t%v\t%v\t%d\t%08x\t%s\n", t.Name, t.DType, shapeString(t.Shape), t.Length, t.CRC, status)
		if err == nil && values > 0 {
			fmt.Fprintf(tw, "  \t\t\t\t\t%v\n", data[:min(values, len(data))])
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "total payload: %d bytes\n", total)
	if len(bad) > 0 {
		return fmt.Errorf("%s: %d of %d tensors failed verification:\n  %s", path, len(bad), len(tensors), strings.Join(bad, "\n  "))
	}
	return nil
}

func shapeString(shape []int) string {
	if len(shape) == 0 {
		return "[] (scalar)"
	}
	return fmt.Sprint(shape)
}

// printable quotes a metadata value if it holds characters that would
// disturb the listing (newlines, control characters).
func printable(s string) string {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
