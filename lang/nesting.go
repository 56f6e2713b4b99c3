package lang

import (
	"fmt"
	"strings"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxParseNesting is how deeply a source may nest before lang hands it to
// the HCL parser, which recurses once for each bracket, block, quote,
// template sequence or directive, prefix operator and ? still open. At up
// to 10 KB of stack a level (a function call) it dies past about 100,000
// levels, of a stack overflow that no recover catches: 200,000
// parentheses, a 400 KB file, took journey down. 16,384 levels cost at
// most 170 MB of stack and are far beyond anything valid (an expression
// nests at most MaxExpressionDepth levels): deeper sources are refused
// unread.
const MaxParseNesting = 16384

// syntaxOf is how a source is lexed for its nesting.
type syntaxOf int

const (
	configSyntax     syntaxOf = iota // a *.journey.hcl file
	templateSyntax                   // a template file, or a JSON string
	expressionSyntax                 // an expression of a JSON string
	jsonSyntax                       // a *.journey.json file
)

// fileSyntax is the syntax of a campaign file by its name.
func fileSyntax(name string) syntaxOf {
	if strings.HasSuffix(name, SuffixJSON) {
		return jsonSyntax
	}
	return configSyntax
}

// parseNestingError returns a syntax error, at the place it goes too
// deep, when src nests more than MaxParseNesting levels; nil otherwise.
// Nearly every source is shorter than the limit, or has fewer bytes that
// could open a level, and is not lexed here at all.
func parseNestingError(src []byte, filename string, start hcl.Pos, syntax syntaxOf) *hcl.Diagnostic {
	if len(src) <= MaxParseNesting || openers(src, syntax) <= MaxParseNesting {
		return nil
	}
	var at *hcl.Range
	switch syntax {
	case jsonSyntax:
		at = tooDeepJSON(src, filename)
	case templateSyntax:
		tokens, _ := hclsyntax.LexTemplate(src, filename, start)
		at = tooDeepTokens(tokens)
	case expressionSyntax:
		tokens, _ := hclsyntax.LexExpression(src, filename, start)
		at = tooDeepTokens(tokens)
	default:
		tokens, _ := hclsyntax.LexConfig(src, filename, start)
		at = tooDeepTokens(tokens)
	}
	if at == nil {
		return nil
	}
	return Errorf(RuleSyntax, *at,
		fmt.Sprintf("%s nests brackets, blocks, templates and operators more than %d levels deep here: journey does not read it", filename, MaxParseNesting),
		fmt.Sprintf("nothing valid nests this deep (an expression may nest %d levels): look for what wrote this file over and over", MaxExpressionDepth))
}

// openers counts the bytes that can open a level: an upper bound of the
// nesting, in one pass.
func openers(src []byte, syntax syntaxOf) int {
	n := 0
	for _, c := range src {
		switch c {
		case '[', '{':
			n++
		case '(', '!', '-', '?', '"', '$', '%', '<':
			if syntax != jsonSyntax {
				n++
			}
		}
	}
	return n
}

// nestingFrame is one open bracket, block, quote or template sequence,
// with the prefix operators and ? that are open inside it: the parser
// recurses for each of them until the expression ends.
type nestingFrame struct {
	pending int
	// lines is set where a line break ends an expression (a block body,
	// an object); inside ( and [ it does not.
	lines bool
}

// tooDeepTokens returns the range of the first token that nests deeper
// than MaxParseNesting, or nil.
func tooDeepTokens(tokens hclsyntax.Tokens) *hcl.Range {
	frames := []nestingFrame{{lines: true}}
	open, directives := 0, 0 // the levels open: frames beyond the first, their pending, directives
	operand, control := false, false
	for i := range tokens {
		tok := &tokens[i]
		top := &frames[len(frames)-1]
		switch tok.Type {
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			frames = append(frames, nestingFrame{})
			open++
		case hclsyntax.TokenOBrace:
			frames = append(frames, nestingFrame{lines: true})
			open++
		case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			if len(frames) > 1 {
				open -= 1 + top.pending
				frames = frames[:len(frames)-1]
			}
		case hclsyntax.TokenBang, hclsyntax.TokenQuestion:
			top.pending++
			open++
		case hclsyntax.TokenMinus:
			if !operand { // a negation, not a subtraction
				top.pending++
				open++
			}
		case hclsyntax.TokenComma:
			open -= top.pending
			top.pending = 0
		case hclsyntax.TokenNewline:
			if top.lines {
				open -= top.pending
				top.pending = 0
			}
		case hclsyntax.TokenIdent:
			// %{if} and %{for} open a level that %{endif} and %{endfor}
			// close.
			if control {
				switch string(tok.Bytes) {
				case "if", "for":
					directives++
				case "endif", "endfor":
					directives = max(0, directives-1)
				}
			}
		}
		if open+directives > MaxParseNesting {
			return &tok.Range
		}
		control = tok.Type == hclsyntax.TokenTemplateControl
		switch tok.Type {
		case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCParen, hclsyntax.TokenCBrack,
			hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			operand = true
		default:
			operand = false
		}
	}
	return nil
}

// tooDeepJSON returns the place where a JSON file nests objects and
// arrays deeper than MaxParseNesting, or nil. It reads strings as HCL's
// JSON scanner does, a grapheme cluster at a time and ending at a control
// character, so that it sees the brackets the parser sees.
func tooDeepJSON(src []byte, filename string) *hcl.Range {
	depth := 0
	inString, escaping := false, false
	for i := 0; i < len(src); {
		c := src[i]
		if inString {
			switch {
			case c == '\\':
				escaping = !escaping
				i++
			case c == '"':
				inString = escaping // an escaped quote does not end it
				escaping = false
				i++
			case c < 32:
				inString, escaping = false, false
			default:
				escaping = false
				advance, _, _ := textseg.ScanGraphemeClusters(src[i:], true)
				i += max(advance, 1)
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > MaxParseNesting {
				pos := posAt(src, i)
				return &hcl.Range{Filename: filename, Start: pos, End: hcl.Pos{Line: pos.Line, Column: pos.Column + 1, Byte: pos.Byte + 1}}
			}
		case ']', '}':
			depth = max(0, depth-1)
		}
		i++
	}
	return nil
}
