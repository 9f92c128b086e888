package cin

import "github.com/continuum-cs/continuum/internal/returns"

// pseudoLANumbers are the numbers other than a council's that the DfE recognises in characters 2 to 4 of a UPN
// (rule 1530), as ranges from and to.
var pseudoLANumbers = [][2]int{{1, 5}, {660, 681}, {701, 708}}

// recognisedLA tells whether three characters are a recognised LA number: a council's or a pseudo-LA's.
func recognisedLA(s string) bool {
	return returns.CouncilNumber(s) || returns.InRanges(s, pseudoLANumbers)
}
