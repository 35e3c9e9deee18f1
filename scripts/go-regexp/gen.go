package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

func main() {
	data, _ := os.ReadFile("cases.txt")
	// A case is "pattern<TAB>input", where an input may span lines until the next line with a tab.
	var cases [][2]string
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, line := range lines {
		if i := strings.Index(line, "\t"); i >= 0 {
			cases = append(cases, [2]string{line[:i], line[i+1:]})
		} else {
			cases[len(cases)-1][1] += "\n" + line
		}
	}
	type out struct {
		Pattern string `json:"pattern"`
		Input   string `json:"input"`
		Matches bool   `json:"matches"`
	}
	var result []out
	for _, c := range cases {
		re, err := regexp.Compile("^(?:" + c[0] + ")$")
		if err != nil {
			fmt.Fprintln(os.Stderr, "skip", c[0], err)
			continue
		}
		result = append(result, out{c[0], c[1], re.MatchString(c[1])})
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(result)
	w.Flush()
}
