package casework

import (
	"errors"
	"fmt"
	"strings"
)

// The identifier checks below follow the published algorithms: NHS numbers carry a modulus 11 check digit, and a
// unique pupil number (UPN) starts with a check letter computed modulus 23 over its other twelve characters.

// CheckLAChildID checks a council's own child identifier: it must be stable across years and shared by the CIN
// census, the SSDA903 and Annex A, so it is limited to 20 letters and digits (CIN rules 1570 and 1580).
func CheckLAChildID(id string) error {
	switch {
	case id == "":
		return errors.New("is required")
	case len(id) > 20:
		return fmt.Errorf("must be at most 20 characters, not %d", len(id))
	}
	for _, r := range id {
		if !isDigit(r) && !isLetter(r) {
			return fmt.Errorf("must contain only letters and digits, not %q", r)
		}
	}
	return nil
}

// NormaliseNHSNumber removes the spaces and hyphens people type into an NHS number ("943 476 5919").
func NormaliseNHSNumber(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// CheckNHSNumber checks a normalised ten-digit NHS number and its modulus 11 check digit.
func CheckNHSNumber(s string) error {
	if len(s) != 10 {
		return fmt.Errorf("must be 10 digits, not %d characters", len(s))
	}
	sum := 0
	for i, r := range s {
		if !isDigit(r) {
			return fmt.Errorf("must contain only digits, not %q", r)
		}
		if i < 9 {
			sum += int(r-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || check != int(s[9]-'0') {
		return errors.New("check digit does not match")
	}
	return nil
}

// upnLetters is the 23-letter alphabet of UPN check letters: A to Z without I, O and S.
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// UPNCheckLetter returns the check letter for the twelve characters that follow it in a UPN.
func UPNCheckLetter(rest string) (byte, error) {
	if len(rest) != 12 {
		return 0, fmt.Errorf("needs 12 characters after the check letter, not %d", len(rest))
	}
	sum := 0
	for i := range len(rest) {
		c := rest[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case i == 11 && strings.IndexByte(upnLetters, c) >= 0:
			v = strings.IndexByte(upnLetters, c)
		case i == 11:
			return 0, fmt.Errorf("character 13 must be a digit or one of %s, not %q", upnLetters, c)
		default:
			return 0, fmt.Errorf("characters 2 to 12 must be digits, not %q", c)
		}
		sum += v * (i + 2)
	}
	return upnLetters[sum%23], nil
}

// CheckUPN checks a 13-character unique pupil number: a check letter, a three-digit LA number, eight digits, and a
// final digit or letter (a temporary UPN), with the check letter matching (CIN rules 1510, 1540 and 1550).
func CheckUPN(upn string) error {
	if len(upn) != 13 {
		return fmt.Errorf("must be 13 characters, not %d", len(upn))
	}
	want, err := UPNCheckLetter(upn[1:])
	if err != nil {
		return err
	}
	if upn[0] != want {
		return errors.New("check letter does not match")
	}
	return nil
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') }
