package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashThenVerify(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not in the expected PHC form", h)
	}
	if err := Verify(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := Verify(h, "correct horse batterY"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := Hash("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestHashRefusesShortPasswords(t *testing.T) {
	if _, err := Hash("elevenchars"); err == nil {
		t.Error("an 11-character password was accepted")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	good, _ := Hash("correct horse battery")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuv",
		"old version":    strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":    strings.Replace(good, "m=19456", "m=4000000", 1),
		"zero passes":    strings.Replace(good, "t=2", "t=0", 1),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"missing fields": strings.Join(parts[:4], "$"),
	} {
		err := Verify(h, "correct horse battery")
		if err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("%s: got %v, want a malformed-hash error", name, err)
		}
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 20000 {
		pw := Generate()
		if len(pw) != 20 {
			t.Fatalf("%q has %d characters", pw, len(pw))
		}
		if strings.ContainsAny(pw, "0O1lIo") {
			t.Fatalf("%q has a look-alike character", pw)
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
		for _, c := range pw {
			counts[c]++
		}
	}
	// 400,000 characters over 55 symbols: 7,273 each, give or take 84. Taking byte % 55 without rejection
	// would give 36 symbols 7,812 and the other 19 only 6,250; the bounds are about 4.4 standard deviations.
	for c, n := range counts {
		if n < 6900 || n > 7650 {
			t.Errorf("%q appeared %d times in 400,000 characters", c, n)
		}
	}
	if len(counts) != 55 {
		t.Errorf("%d distinct characters, want 55", len(counts))
	}
}
