// Records what Go's regexp answers for random short patterns built from regex syntax (scripts/go-regexp/random:
// a fixed seed, so the same patterns every run): Compile's error, or MatchString on a few inputs. Most are refused,
// which holds the order and fragments of Go's errors; the rest hold case folding, octal escapes and classes.
// Run through scripts/record-go-regexp-fixtures.sh.
package main

import (
	"encoding/json"
	"math/rand"
	"os"
	"regexp"
)

func main() {
	alphabet := []string{"a", "b", "k", "(", ")", "[", "]", "{", "}", ",", "1", "2", "0", "7", "*", "+", "?", "|", "\\", "^", "$", ".", "-", ":", "P", "<", ">", "i", "?", "x", "8", "d", "p", "L", "s", "(?", "(?i)", "[:", ":]", "\\Q", "\\E", "{2}", "{1,}", "\\x{", "é", "U", "m", "-", "=", "#", "Σ", "ſ", "[^", "\\pL", "\\p{", "Greek}", "\\d", "\\W", "[[:alpha:]]", "[:^upper:]", "\\1", "\\01", "{1000}", "{0}", "{2,3}", "(?P<n>", "(?-i)", "(?s:", "\\b", "\\z", "\\x4", "\\C", "\\pN", "\\P{^Lu}", "K", "\\x{212A}"}
	inputs := []string{"", "a", "ak", "K", "\u212a", "ab{", "x1", "S", "ſ", "σς", "a\nb", "-:]", "é", "\x00", "\n"}
	r := rand.New(rand.NewSource(1))
	seen := map[string]bool{}
	var cases []map[string]interface{}
	for n := 0; n < 3000; n++ {
		l := 1 + r.Intn(12)
		p := ""
		for i := 0; i < l; i++ {
			p += alphabet[r.Intn(len(alphabet))]
		}
		if seen[p] {
			continue
		}
		seen[p] = true
		out := map[string]interface{}{"pattern": p}
		re, err := regexp.Compile(p)
		if err != nil {
			out["error"] = err.Error()
		} else {
			var m []bool
			for _, in := range inputs {
				m = append(m, re.MatchString(in))
			}
			out["matches"] = m
		}
		cases = append(cases, out)
	}
	// One case a line, so that a change of Go's answers shows as a readable diff.
	head, _ := json.Marshal(inputs)
	os.Stdout.WriteString("{\"inputs\": " + string(head) + ",\n\"cases\": [\n")
	for i, c := range cases {
		line, _ := json.Marshal(c)
		os.Stdout.Write(line)
		if i < len(cases)-1 {
			os.Stdout.WriteString(",")
		}
		os.Stdout.WriteString("\n")
	}
	os.Stdout.WriteString("]}\n")
}
