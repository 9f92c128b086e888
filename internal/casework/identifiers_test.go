package casework

import (
	"strings"
	"testing"
)

func TestCheckNHSNumber(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"9434765919", ""},
		{"4010232137", ""},
		{"9434765918", "check digit does not match"},
		{"943476591", "must be 10 digits"},
		{"94347659X9", "only digits"},
		// 10 as the check value is never valid.
		{"1000000010", "check digit does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckNHSNumber(tt.in)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("CheckNHSNumber(%q) = %v, want nil", tt.in, err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("CheckNHSNumber(%q) = %v, want %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestCheckUPN(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		// The UPN in the spec's example CIN census file.
		{"N873401225001", ""},
		{"A873401225001", "check letter does not match"},
		{"N87340122500", "must be 13 characters"},
		{"N8734012250I1", "must be digits"},
		{"N87340122500I", "character 13"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckUPN(tt.in)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("CheckUPN(%q) = %v, want nil", tt.in, err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("CheckUPN(%q) = %v, want %q", tt.in, err, tt.wantErr)
			}
		})
	}
	// A temporary UPN ends in a letter, which counts by its place in the check alphabet.
	letter, err := UPNCheckLetter("87340122500A")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckUPN(string(letter) + "87340122500A"); err != nil {
		t.Errorf("temporary UPN with computed letter rejected: %v", err)
	}
}

func TestCheckLAChildID(t *testing.T) {
	for in, ok := range map[string]bool{
		"BUCK000123": true, "A": true, strings.Repeat("9", 20): true,
		"": false, strings.Repeat("9", 21): false, "BUCK-1": false, "BUCK 1": false, "é1": false,
	} {
		if got := CheckLAChildID(in) == nil; got != ok {
			t.Errorf("CheckLAChildID(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"9434765919", "N873401225001", "BUCK1", "", "ZZZZZZZZZZZZZ", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// None of the checks may panic, and an accepted UPN must recompute to the same letter.
		_ = CheckNHSNumber(NormaliseNHSNumber(s))
		_ = CheckLAChildID(s)
		if CheckUPN(s) == nil {
			if l, err := UPNCheckLetter(s[1:]); err != nil || l != s[0] {
				t.Fatalf("accepted UPN %q but letter is %q, %v", s, l, err)
			}
		}
		_ = NormalisePostcode(s)
	})
}
