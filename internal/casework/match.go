package casework

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

//go:embed nicknames.txt
var nicknamesTxt []byte

// nameFamilies maps each given name, formal or short, to the formal names it may stand for.
var nameFamilies = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(nicknamesTxt))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		formal, shorts, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		formal = strings.TrimSpace(formal)
		out[formal] = append(out[formal], formal)
		for _, s := range strings.Split(shorts, ",") {
			s = strings.TrimSpace(s)
			out[s] = append(out[s], formal)
		}
	}
	return out
})

// sameGivenName reports whether two given names may be the same person's: equal, or one a short form of the
// other, or both short forms of one name (Bill and Will).
func sameGivenName(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	fams := nameFamilies()
	for _, fa := range fams[a] {
		for _, fb := range fams[b] {
			if fa == fb {
				return true
			}
		}
	}
	return false
}

// surnameParts splits a family name at hyphens and spaces: "Smith-Jones" is Smith and Jones.
func surnameParts(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '-' || r == ' ' })
}

// MatchQuery is what a front-door practitioner knows about a child from a contact.
type MatchQuery struct {
	NHSNumber string
	LAChildID string
	Given     string
	Family    string
	BirthDate civil.Date
}

// Transposed returns the date with day and month swapped, when that is a real date and a different one.
func Transposed(d civil.Date) (civil.Date, bool) {
	if d.IsZero() || d.Day > 12 || int(d.Month) == d.Day {
		return civil.Date{}, false
	}
	// The swapped day is at most 12, so it exists in every month.
	return civil.Date{Year: d.Year, Month: time.Month(d.Day), Day: int(d.Month)}, true
}

// MatchScore says how likely a person on record is the child a contact is about, from 0 to 100, and why. An
// identifier that matches is decisive; otherwise the date of birth (exact, or with day and month swapped) and the
// names (nicknames, parts of hyphenated surnames, former names) add up.
func MatchScore(q MatchQuery, p *Person) (int, []string) {
	var why []string
	if nhs := NormaliseNHSNumber(q.NHSNumber); nhs != "" && nhs == p.NHSNumber {
		return 100, []string{"NHS number"}
	}
	if id := strings.ToUpper(strings.TrimSpace(q.LAChildID)); id != "" && id == p.LAChildID {
		return 100, []string{"LA child ID"}
	}
	score := 0
	born := p.BirthDate
	if born.IsZero() {
		born = p.ExpectedBirthDate
	}
	switch t, ok := Transposed(q.BirthDate); {
	case !q.BirthDate.IsZero() && q.BirthDate == born:
		score += 40
		why = append(why, "date of birth")
	case ok && t == born:
		score += 25
		why = append(why, "date of birth with day and month swapped")
	}
	family := strings.ToLower(strings.TrimSpace(q.Family))
	switch {
	case family == "":
	case family == strings.ToLower(p.Name.Family):
		score += 30
		why = append(why, "surname")
	case sharesPart(family, p.Name.Family):
		score += 20
		why = append(why, "part of a hyphenated surname")
	case formerSurname(family, p.FormerNames):
		score += 25
		why = append(why, "a former surname")
	}
	switch {
	case q.Given == "":
	case strings.EqualFold(strings.TrimSpace(q.Given), p.Name.Given):
		score += 30
		why = append(why, "first name")
	case sameGivenName(q.Given, p.Name.Given):
		score += 20
		why = append(why, "first name, as a short form")
	}
	return min(score, 99), why
}

func sharesPart(family, recorded string) bool {
	for _, a := range surnameParts(family) {
		for _, b := range surnameParts(recorded) {
			if a == b {
				return true
			}
		}
	}
	return false
}

func formerSurname(family string, former []Name) bool {
	for _, n := range former {
		if n.Family != "" && (strings.EqualFold(family, n.Family) || sharesPart(family, n.Family)) {
			return true
		}
	}
	return false
}
