package diff

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of a GitHub pull-request comment.
const (
	// MaxCommentSize is GitHub's limit on a comment's body.
	MaxCommentSize = 65536
	// foldAfter is how many diff lines show before the rest is folded.
	foldAfter = 12
)

// Markdown renders the changes as pull-request comments: a heading, the
// change list in a diff fence (folded in <details> past 12 lines), split
// into several comments when one would pass GitHub's size limit.
func Markdown(c *Changes) []string {
	title := "### journey plan: " + strings.TrimSuffix(strings.TrimPrefix(c.Footer(), "Plan: "), ".")
	if c.Empty() {
		return []string{title + "\n\n" + c.Headline() + "\n"}
	}
	var body []string
	for _, l := range c.lines() {
		mark := l.mark
		if mark == "~" {
			mark = "!" // GitHub's diff highlighting marks changed lines with !
		}
		body = append(body, strings.TrimRight(mark+" "+strings.TrimPrefix(l.indent, "  ")+l.body, " "))
	}
	const budget = MaxCommentSize - 2048 // the heading, the fences and the folding
	var chunks [][]string
	var cur []string
	size := 0
	for _, l := range body {
		l = strings.ReplaceAll(l, "```", "``\u200b`") // a fence inside would end ours
		if len(l) > budget/2 {
			l = cutUTF8(l, budget/2) + " ... (cut)"
		}
		if size+len(l)+1 > budget && len(cur) > 0 {
			chunks = append(chunks, cur)
			cur, size = nil, 0
		}
		cur = append(cur, l)
		size += len(l) + 1
	}
	chunks = append(chunks, cur)
	comments := make([]string, len(chunks))
	for i, chunk := range chunks {
		var b strings.Builder
		b.WriteString(title)
		if len(chunks) > 1 {
			fmt.Fprintf(&b, " (part %d of %d)", i+1, len(chunks))
		}
		b.WriteString("\n\n" + c.Headline() + "\n\n")
		fence := "```diff\n" + strings.Join(chunk, "\n") + "\n```\n"
		if len(chunk) > foldAfter {
			fmt.Fprintf(&b, "<details><summary>Show the %d lines of changes</summary>\n\n%s\n</details>\n", len(chunk), fence)
		} else {
			b.WriteString(fence)
		}
		if i == len(chunks)-1 {
			b.WriteString("\n" + c.Footer() + "\n")
		}
		comments[i] = b.String()
	}
	return comments
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
