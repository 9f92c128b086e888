package ssda903

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The DfE works out each placement's local authority (PL_LA), its distance from home (PL_DISTANCE) and whether it
// is inside the council (PL_LOCATION) from the postcodes, with the ONS postcode directory; the files carry none
// of them. Given the directory, the validator works them out the same way and runs the rules on them.

// The ONS's lower-tier to upper-tier local authorities (2021), copied unchanged from shared/spec/reference
// (qlacref-la's records.json; Office for National Statistics, Open Government Licence v3.0).
//
//go:embed schema/ons_ltla_utla_2021_records.json
var ltlaUTLAJSON []byte

// upperTier maps each lower-tier authority's code to its upper tier's, the council that places children.
var upperTier = func() map[string]string {
	var records []struct{ LTLA21CD, UTLA21CD string }
	if err := json.Unmarshal(ltlaUTLAJSON, &records); err != nil {
		panic("ssda903: LTLA to UTLA: " + err.Error())
	}
	out := make(map[string]string, len(records))
	for _, r := range records {
		out[r.LTLA21CD] = r.UTLA21CD
	}
	return out
}()

// councilOf is the upper-tier authority of a lower-tier one; a unitary, metropolitan or London authority made
// since 2021 is its own.
func councilOf(ltla string) string {
	if c, ok := upperTier[ltla]; ok {
		return c
	}
	if len(ltla) == 9 && oneOf(ltla[:3], "E06", "E08", "E09") {
		return ltla
	}
	return ""
}

// Places is what the directory says of the postcodes a return uses, and the council the return is from.
type Places struct {
	// Council is the returning council's upper-tier code, such as E06000060; empty when not given, and then
	// PL_LOCATION and the rules on it are not worked out.
	Council string
	at      map[string]place
}

// place is a postcode's council and where it is.
type place struct {
	council   string
	lat, long float64
}

// postcodeKey is a postcode as the directory is looked up by: capitals, no spaces.
func postcodeKey(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

// ReadPlaces reads an ONS postcode directory (ONSPD or NSPL, as CSV with its header row) for the returns of the
// council given (its upper-tier code, or ""), keeping only their postcodes: the directory holds millions. Its
// columns are found by name: the postcode (pcds, pcd or pcd2), the lower-tier authority (oslaua, laua or
// lad...cd) and the latitude and longitude (lat, long).
func ReadPlaces(dir io.Reader, council string, returns ...*Return) (*Places, error) {
	want := map[string]bool{}
	for _, r := range returns {
		if r == nil {
			continue
		}
		for _, e := range r.Episodes {
			want[postcodeKey(e.HomePost)], want[postcodeKey(e.PlacementPost)] = true, true
		}
	}
	delete(want, "")
	in := csv.NewReader(dir)
	in.ReuseRecord = true
	head, err := in.Read()
	if err != nil {
		return nil, fmt.Errorf("postcode directory: the header row: %w", err)
	}
	col := func(names ...string) int {
		for i, h := range head {
			h = strings.ToLower(strings.TrimSpace(h))
			if slices.Contains(names, h) || (names[0] == "oslaua" && strings.HasPrefix(h, "lad") && strings.HasSuffix(h, "cd")) {
				return i
			}
		}
		return -1
	}
	pc, la, lat, long := col("pcds", "pcd", "pcd2"), col("oslaua", "laua"), col("lat"), col("long")
	if pc < 0 || la < 0 || lat < 0 || long < 0 {
		return nil, errors.New("postcode directory: the header row has no postcode, oslaua, lat or long column")
	}
	p := &Places{Council: council, at: map[string]place{}}
	for line := 2; ; line++ {
		row, err := in.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("postcode directory: %w", err)
		}
		key := postcodeKey(row[pc])
		if !want[key] {
			continue
		}
		y, errY := strconv.ParseFloat(row[lat], 64)
		x, errX := strconv.ParseFloat(row[long], 64)
		if errY != nil || errX != nil || !(y >= -90 && y <= 90 && x >= -180 && x <= 180) { // NaN fails too
			return nil, fmt.Errorf("postcode directory line %d: %q, %q is not a latitude and longitude", line, row[lat], row[long])
		}
		p.at[key] = place{council: councilOf(row[la]), lat: y, long: x}
	}
	return p, nil
}

// council is the placing council (PL_LA) of a postcode; ok is false when the directory does not know it.
func (p *Places) council(postcode string) (string, bool) {
	at, ok := p.at[postcodeKey(postcode)]
	return at.council, ok && at.council != ""
}

// distance is how far apart two postcodes are in miles, to a tenth as the DfE gives it; ok is false when either
// is not in the directory.
func (p *Places) distance(from, to string) (float64, bool) {
	a, okA := p.at[postcodeKey(from)]
	b, okB := p.at[postcodeKey(to)]
	if !okA || !okB {
		return 0, false
	}
	const earthMiles = 3958.8
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	dLat, dLong := rad(b.lat-a.lat), rad(b.long-a.long)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(rad(a.lat))*math.Cos(rad(b.lat))*math.Sin(dLong/2)*math.Sin(dLong/2)
	return math.Round(2*earthMiles*math.Asin(math.Sqrt(h))*10) / 10, true
}

// location is PL_LOCATION: IN the returning council or OUT of it; "" when either council is not known.
func (p *Places) location(postcode string) string {
	c, ok := p.council(postcode)
	switch {
	case !ok || p.Council == "":
		return ""
	case c == p.Council:
		return "IN"
	}
	return "OUT"
}

// placeRule is a rule over each episode that runs only with the postcode directory.
func placeRule(code string, c check[Episode]) rule {
	return episodeRule(code, func(k *kid, e *Episode) (string, string, bool) {
		if k.places == nil || oneOf(e.LS, "V3", "V4") {
			return "", "", false
		}
		return c(k, e)
	})
}

// sinceLastYear is a rule that what is worked out for last year's episode open at its end is the same for this
// year's copy of it (the one that began the same day), or for this year's episode under way on 1 April.
func sinceLastYear(code, field string, sameDay bool, get func(p *Places, e *Episode) (string, bool)) rule {
	return rule{code, func(k *kid) {
		was := k.openLastYear()
		if k.places == nil || was == nil {
			return
		}
		var e *Episode
		if sameDay {
			e = k.continuing(was)
		} else if i := slices.IndexFunc(k.episodes, func(e *Episode) bool {
			return !date(e.DECOM).After(k.y.Start) && (e.DEC == "" || !date(e.DEC).Before(k.y.Start))
		}); i >= 0 {
			e = k.episodes[i]
		}
		if e == nil {
			return
		}
		before, okBefore := get(k.places, was)
		now, okNow := get(k.places, e)
		if okBefore && okNow && before != now {
			k.ep(code, e, field, now)
		}
	}}
}

func plLA(p *Places, e *Episode) (string, bool) { return p.council(e.PlacementPost) }

func plDistance(p *Places, e *Episode) (string, bool) {
	d, ok := p.distance(e.HomePost, e.PlacementPost)
	return strconv.FormatFloat(d, 'f', 1, 64), ok
}

func plLocation(p *Places, e *Episode) (string, bool) {
	l := p.location(e.PlacementPost)
	return l, l != ""
}

// placeRules are the rules on the placement's council, distance and location.
var placeRules = []rule{
	placeRule("169", func(k *kid, e *Episode) (string, string, bool) {
		_, ok := k.places.council(e.PlacementPost)
		return "PL_POST", e.PlacementPost, !ok
	}),
	placeRule("164", func(k *kid, e *Episode) (string, string, bool) {
		_, ok := k.places.distance(e.HomePost, e.PlacementPost)
		return "HOME_POST", e.HomePost + " / " + e.PlacementPost, allFilled(e.HomePost, e.PlacementPost) && !ok
	}),
	placeRule("392a", func(k *kid, e *Episode) (string, string, bool) {
		_, ok := k.places.distance(e.HomePost, e.PlacementPost)
		return "HOME_POST", e.HomePost, !ok && !k.unaccompanied()
	}),
	placeRule("454", func(k *kid, e *Episode) (string, string, bool) {
		d, ok := k.places.distance(e.HomePost, e.PlacementPost)
		return "PL_POST", strconv.FormatFloat(d, 'f', 1, 64) + " miles", ok && d > 350 && !k.unaccompanied()
	}),
	placeRule("1015", func(k *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", e.Provider, e.Provider == "PR1" && k.places.location(e.PlacementPost) == "OUT"
	}),
	sinceLastYear("452", "PL_POST", false, plLA),
	sinceLastYear("453", "HOME_POST", false, plDistance),
	sinceLastYear("503G", "HOME_POST", true, plDistance),
	sinceLastYear("503H", "PL_POST", true, plLA),
	sinceLastYear("503J", "PL_POST", true, plLocation),
}
