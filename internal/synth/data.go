package synth

import (
	"bufio"
	"embed"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/geo"
)

//go:embed data/*.txt
var dataFS embed.FS

// Name and street lists, kept as data. Names are common ones combined at random, so no generated person is
// anyone real.
var (
	girlsNames  = list("given-female.txt")
	boysNames   = list("given-male.txt")
	adultNames  = list("given-adult.txt")
	familyNames = list("family.txt")
	streets     = list("streets.txt")
)

func list(name string) []string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		panic(err)
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		panic(fmt.Sprintf("synth: %s is empty", name))
	}
	return out
}

// district is one of the council's four districts with its share of the children and its localities.
type district struct {
	name       string
	share      float64
	localities []locality
}

// locality is where a child in need and protection team works, with its postcode districts.
type locality struct {
	name    string
	outward []string
}

var area = []district{
	{"Aylesbury Vale", 0.36, []locality{{"Aylesbury", []string{"HP19", "HP20", "HP21", "HP22", "HP17", "HP18"}},
		{"North Vale", []string{"MK18"}}}},
	{"Chiltern", 0.17, []locality{{"Chiltern", []string{"HP5", "HP6", "HP7", "HP8", "HP16"}}}},
	{"South Bucks", 0.15, []locality{{"South Bucks", []string{"HP9", "SL0", "SL1", "SL2", "SL9"}}}},
	{"Wycombe", 0.32, []locality{{"High Wycombe", []string{"HP10", "HP11", "HP12", "HP13", "HP15"}},
		{"Marlow and Rural", []string{"SL7", "HP14", "HP27"}}}},
}

// Placements outside the area: neighbouring councils within about 40 miles, and distant ones.
var neighbours, distant = func() ([]string, []string) {
	var near, far []string
	for _, d := range []string{"MK9", "MK40", "OX4", "OX26", "LU1", "RG1", "SL4", "SL3", "WD17", "HP1", "UB8", "NN1",
		"NN16", "B12", "CV1", "LE1", "ME14", "PR1", "EX1", "NE1"} {
		miles, ok := geo.Miles(d, "HP19")
		if !ok {
			panic("synth: no geography for " + d)
		}
		if miles < 40 {
			near = append(near, d)
		} else {
			far = append(far, d)
		}
	}
	return near, far
}()
