// Records what Go's regexp answers for scripts/go-regexp/submatch-cases.jsonl: for ["pattern", "input"], where
// FindStringSubmatchIndex puts the leftmost-first match and each group (in runes, -1 for a group that took no part),
// MatchString, and ReplaceAllString(input, "<$0>"); for ["pattern", "template", "input"], ReplaceAllString. For a
// pattern Go refuses, the error it gives; and for every pattern, what Alertmanager's matchers do with it: the error of
// ^(?:pattern)$ or whether that matches the input.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"
)

type result struct {
	Pattern  string  `json:"pattern"`
	Input    string  `json:"input"`
	Template *string `json:"template,omitempty"`
	// Submatch cases.
	Indices  []int  `json:"indices,omitempty"`
	Matches  *bool  `json:"matches,omitempty"`
	Replaced string `json:"replaced"`
	// Refused patterns: regexp.Compile's error.
	Error *string `json:"error,omitempty"`
	// As a matcher: regexp.Compile("^(?:" + pattern + ")$")'s error, or MatchString of the input.
	AnchoredError   *string `json:"anchoredError,omitempty"`
	AnchoredMatches *bool   `json:"anchoredMatches,omitempty"`
}

func main() {
	data, err := os.ReadFile("../submatch-cases.jsonl")
	if err != nil {
		panic(err)
	}
	var results []result
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c []string
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			panic(fmt.Sprint(line, err))
		}
		var anchoredError *string
		var anchoredMatches *bool
		if anchored, err := regexp.Compile("^(?:" + c[0] + ")$"); err != nil {
			text := err.Error()
			anchoredError = &text
		} else if len(c) == 2 {
			matches := anchored.MatchString(c[1])
			anchoredMatches = &matches
		}
		re, err := regexp.Compile(c[0])
		if err != nil {
			text := err.Error()
			results = append(results, result{Pattern: c[0], Input: c[len(c)-1], Error: &text,
				AnchoredError: anchoredError, AnchoredMatches: anchoredMatches})
			continue
		}
		if len(c) == 3 {
			template := c[1]
			results = append(results, result{Pattern: c[0], Input: c[2], Template: &template,
				Replaced: re.ReplaceAllString(c[2], c[1])})
			continue
		}
		input := c[1]
		indices := []int{}
		for _, byteOffset := range re.FindStringSubmatchIndex(input) {
			if byteOffset < 0 {
				indices = append(indices, -1)
			} else {
				indices = append(indices, utf8.RuneCountInString(input[:byteOffset]))
			}
		}
		matches := re.MatchString(input)
		results = append(results, result{Pattern: c[0], Input: input, Indices: indices, Matches: &matches,
			Replaced: re.ReplaceAllString(input, "<$0>"), AnchoredError: anchoredError, AnchoredMatches: anchoredMatches})
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(results)
	w.Flush()
}
