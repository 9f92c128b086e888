package casework

import "testing"

func TestMatchScore(t *testing.T) {
	p := &Person{Role: RoleChild, LAChildID: "BUCK9", NHSNumber: "9434765919",
		Name: Name{Given: "Elizabeth", Family: "Smith-Jones"}, FormerNames: []Name{{Given: "Elizabeth", Family: "Brown"}},
		BirthDate: d("2015-03-07")}
	for _, c := range []struct {
		name  string
		q     MatchQuery
		score int
	}{
		{"NHS number typed with spaces", MatchQuery{NHSNumber: "943 476 5919"}, 100},
		{"LA child ID in lower case", MatchQuery{LAChildID: "buck9"}, 100},
		{"exact name and date of birth", MatchQuery{Given: "Elizabeth", Family: "Smith-Jones", BirthDate: d("2015-03-07")}, 99},
		{"nickname, part of the surname, day and month swapped", MatchQuery{Given: "Liz", Family: "Smith", BirthDate: d("2015-07-03")}, 65},
		{"short form of a former surname", MatchQuery{Given: "Beth", Family: "Brown", BirthDate: d("2015-03-07")}, 85},
		{"other part of the surname", MatchQuery{Given: "Elizabeth", Family: "jones"}, 50},
		{"someone else", MatchQuery{Given: "John", Family: "Smith", BirthDate: d("2016-01-01")}, 20},
		{"wrong NHS number falls back to the rest", MatchQuery{NHSNumber: "4010232137", Given: "Elizabeth", Family: "Smith-Jones"}, 60},
	} {
		if got, why := MatchScore(c.q, p); got != c.score {
			t.Errorf("%s: score %d %v, want %d", c.name, got, why, c.score)
		}
	}
	if !sameGivenName("Bill", "Will") || !sameGivenName("william", "Liam") || sameGivenName("Tom", "Tim") {
		t.Error("nickname families are wrong")
	}
	if tr, ok := Transposed(d("2015-03-07")); !ok || tr != d("2015-07-03") {
		t.Errorf("transposed: %v %v", tr, ok)
	}
	for _, s := range []string{"2015-03-13", "2015-03-03"} {
		if _, ok := Transposed(d(s)); ok {
			t.Errorf("%s has no distinct transposed date", s)
		}
	}
}
