// Package geo knows where postcode districts are: which council each lies in and roughly where its centre is, so
// that the distance from a child's home to a placement can be measured and synthetic addresses look right.
package geo

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
)

//go:embed outward.csv
var outwardCSV string

// District is a postcode district (the outward code, such as HP19).
type District struct {
	Outward  string
	Lat, Lon float64
	// Council is the upper-tier council the district lies in, by its ONS 2021 name.
	Council string
	Town    string
}

var districts = func() map[string]District {
	r := csv.NewReader(strings.NewReader(outwardCSV))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("geo: outward.csv: %v", err))
	}
	out := make(map[string]District, len(rows))
	for i, row := range rows {
		lat, err1 := strconv.ParseFloat(row[1], 64)
		lon, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil || len(row) != 5 {
			panic(fmt.Sprintf("geo: outward.csv row %d: bad coordinates", i+1))
		}
		out[row[0]] = District{Outward: row[0], Lat: lat, Lon: lon, Council: row[3], Town: row[4]}
	}
	return out
}()

// Lookup finds the district of a full postcode ("HP19 8FF") or an outward code.
func Lookup(postcode string) (District, bool) {
	outward, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(postcode)), " ")
	d, ok := districts[outward]
	return d, ok
}

// InCouncil lists the outward codes that lie in the named council, in no particular order.
func InCouncil(council string) []District {
	var out []District
	for _, d := range districts {
		if d.Council == council {
			out = append(out, d)
		}
	}
	return out
}

// Miles is the straight-line distance between the centres of two postcodes' districts, and false when either
// district is unknown. Districts are a mile or two across, so distances under about two miles read as 0–2.
func Miles(a, b string) (float64, bool) {
	da, okA := Lookup(a)
	db, okB := Lookup(b)
	if !okA || !okB {
		return 0, false
	}
	const earthMiles = 3958.8
	rad := math.Pi / 180
	dLat, dLon := (db.Lat-da.Lat)*rad, (db.Lon-da.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(da.Lat*rad)*math.Cos(db.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthMiles * math.Asin(math.Sqrt(h)), true
}
