package synth

import (
	"math"
	"math/rand/v2"
)

// band is a range of values with the share of cases that fall in it.
type band struct {
	lo, hi int
	share  float64
}

// Distributions from the brief (section 3.3).
var (
	// Working days from referral to the assessment's completion (CIN 2025, C2), with the bunching before 45.
	assessmentDays = []band{{0, 0, 1.8}, {1, 10, 11.7}, {11, 20, 17.3}, {21, 30, 15.8}, {31, 40, 20.2}, {41, 45, 18.9},
		{46, 50, 5.8}, {51, 60, 4.3}, {61, 90, 4.2}}
	// Working days from the strategy discussion to the initial conference (CIN 2025, C4).
	icpcDays = []band{{3, 10, 8.7}, {11, 15, 72.7}, {16, 20, 8.9}, {21, 35, 9.7}}
	// Days a child protection plan lasts (CIN 2025, D7).
	planDays = []band{{30, 91, 15.9}, {92, 182, 11.0}, {183, 365, 43.5}, {366, 730, 25.2}, {731, 1000, 4.4}}
	// Days from one referral to the next for re-referred children (CIN re-referrals, A4).
	reReferralDays = []band{{14, 91, 38.3}, {92, 182, 16.5}, {183, 365, 19.0}, {366, 730, 16.8}, {731, 1500, 9.5}}
	// Gaps after quick closures (no further action, no services), which come back soonest: with the longer gaps
	// after long cases (reReferralDays from its second band) they make up the published mix.
	quickReReferralDays = []band{{14, 91, 72}, {92, 182, 13}, {183, 365, 8}, {366, 730, 5}, {731, 1500, 2}}
	// Days a period of care lasts: a tenth within a fortnight, four in ten within the year, a fifth until 18.
	careDays = []band{{1, 13, 11}, {14, 365, 40}, {366, 1100, 29}, {20 * 365, 20 * 365, 20}}
	// Days missing or away, most back the same or the next day; days from return to the return interview.
	missingDays   = []band{{0, 0, 45}, {1, 1, 45}, {2, 2, 7}, {3, 5, 3}}
	interviewDays = []band{{0, 0, 45}, {2, 2, 45}, {3, 3, 7}, {4, 8, 3}}
	// Age at first referral, in years.
	referralAge = []band{{0, 0, 14}, {1, 4, 20}, {5, 9, 25}, {10, 15, 33}, {16, 17, 8}}
	// Age on coming into care: younger children come in more often than their share of the stock suggests.
	careEntryAge = []band{{0, 0, 20}, {1, 4, 14}, {5, 9, 17}, {10, 15, 37}, {16, 17, 12}}
)

// weightedCode is a code with its share.
type weightedCode struct {
	code  string
	share float64
}

var (
	// Referral sources (CIN 2015–16): police 27%, schools 16%, health 15%, the rest from LA services, individuals
	// and others.
	referralSources = []weightedCode{{"6", 27}, {"2A", 16}, {"3A", 4}, {"3B", 3}, {"3E", 5}, {"3F", 3}, {"1A", 6},
		{"1B", 2}, {"1C", 2}, {"4", 3}, {"5A", 5}, {"5B", 3}, {"5C", 2}, {"5D", 6}, {"7", 3}, {"8", 4}, {"9", 2}, {"10", 4}}
	primaryNeeds = []weightedCode{{"N1", 50}, {"N5", 17}, {"N2", 10}, {"N4", 8}, {"N3", 4}, {"N8", 5}, {"N6", 2},
		{"N9", 3}, {"N7", 1}}
	// Factors at the end of assessment (CIN 2016): domestic abuse in half, mental health in a third.
	factorWeights = []weightedCode{{"3A", 49.6}, {"4A", 18}, {"4B", 18.6}, {"2A", 10}, {"2B", 9.3}, {"17A", 19.3},
		{"1A", 9}, {"1B", 9.4}, {"16A", 17.5}, {"18C", 7}, {"18B", 7}, {"19C", 3.2}, {"19B", 3.2}, {"14A", 5},
		{"10A", 4}, {"11A", 3}, {"15A", 4}, {"24A", 3}, {"20", 6}}
	// Initial category of a child protection plan (CIN 2020, A5).
	cpCategories = []weightedCode{{"NEG", 50.5}, {"EMO", 35.7}, {"PHY", 7.4}, {"SAB", 3.8}, {"MUL", 2.6}}
	ethnicities  = []weightedCode{{"WBRI", 68}, {"WOTH", 5}, {"WIRI", 1}, {"MWBC", 3}, {"MWAS", 3}, {"MOTH", 2},
		{"APKN", 8}, {"AIND", 2}, {"ABAN", 1}, {"BCRB", 1}, {"BAFR", 2}, {"OOTH", 2}, {"NOBT", 2}}
	disabilities = []weightedCode{{"AUT", 35}, {"LD", 25}, {"COMM", 15}, {"BEH", 15}, {"MOB", 5}, {"HEAR", 3}, {"VIS", 2}}
	// Participation in looked-after reviews, for children of four and over.
	participation = []weightedCode{{"PN1", 55}, {"PN2", 8}, {"PN3", 4}, {"PN4", 5}, {"PN5", 12}, {"PN6", 8}, {"PN7", 8}}
	changeReasons = []weightedCode{{"CARPL", 40}, {"CREQB", 15}, {"CREQO", 10}, {"CHILD", 8}, {"LAREQ", 12},
		{"STAND", 4}, {"ALLEG", 2}, {"CLOSE", 4}, {"OTHER", 5}}
	// What care leavers aged 19 to 21 are doing.
	eetActivities  = []weightedCode{{"F1", 10}, {"F2", 30}, {"P2", 5}, {"F4", 12}, {"F5", 28}, {"P5", 15}}
	neetActivities = []weightedCode{{"G4", 30}, {"G5", 55}, {"G6", 15}}
	suitableAccom  = []weightedCode{{"U1", 35}, {"D1", 20}, {"B1", 14}, {"E1", 5}, {"Z1", 16}, {"C1", 4}, {"T1", 3}, {"K1", 3}}
	unsuitable     = []weightedCode{{"S2", 25}, {"V2", 20}, {"W2", 15}, {"X2", 15}, {"B2", 15}, {"K2", 10}}
)

// rng wraps a random source with the draws the simulation needs.
type rng struct{ *rand.Rand }

func newRNG(seed, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(seed, stream*0x9e3779b97f4a7c15+1))}
}

func (r rng) chance(p float64) bool     { return r.Float64() < p }
func (r rng) between(lo, hi int) int    { return lo + r.IntN(hi-lo+1) }
func (r rng) pick(list []string) string { return list[r.IntN(len(list))] }

// weighted draws an index from 0 to n-1, each in proportion to its share.
func (r rng) weighted(n int, share func(i int) float64) int {
	total := 0.0
	for i := range n {
		total += share(i)
	}
	x := r.Float64() * total
	for i := range n {
		if x < share(i) {
			return i
		}
		x -= share(i)
	}
	return n - 1
}

// band draws a value from a banded distribution, uniformly within the band.
func (r rng) band(bands []band) int {
	b := bands[r.weighted(len(bands), func(i int) float64 { return bands[i].share })]
	return r.between(b.lo, b.hi)
}

// code draws a code by its share.
func (r rng) code(codes []weightedCode) string {
	return codes[r.weighted(len(codes), func(i int) float64 { return codes[i].share })].code
}

// poisson draws a count with the given mean (Knuth's method; the means here are small).
func (r rng) poisson(mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p < l {
			return k
		}
		k++
	}
}

// exp draws an exponential wait with the given mean, in days.
func (r rng) exp(mean float64) int { return int(r.ExpFloat64() * mean) }
