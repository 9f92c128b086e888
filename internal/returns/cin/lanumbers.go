package cin

import (
	"strconv"
	"strings"
)

// laNumbers are the numbers the DfE recognises in characters 2 to 4 of a UPN (rule 1530): the local authority
// numbers in use since April 1998 and the pseudo-LA numbers, as ranges from and to. 942 and 943 joined the list
// in 2023-24.
var laNumbers = [][2]int{
	{1, 5}, {201, 213}, {301, 320}, {330, 336}, {340, 344}, {350, 359}, {370, 373}, {380, 384}, {390, 394},
	{420, 420}, {660, 681}, {701, 708}, {800, 803}, {805, 808}, {810, 813}, {815, 816}, {820, 823}, {825, 826},
	{830, 831}, {835, 841}, {845, 846}, {850, 852}, {855, 857}, {860, 861}, {865, 896}, {908, 909}, {916, 916},
	{919, 919}, {921, 921}, {925, 926}, {928, 929}, {931, 931}, {933, 933}, {935, 938}, {940, 943},
}

// recognisedLA tells whether three characters are a recognised LA number.
func recognisedLA(s string) bool {
	if len(s) != 3 || strings.IndexFunc(s, notDigit) >= 0 {
		return false
	}
	n, _ := strconv.Atoi(s)
	for _, r := range laNumbers {
		if r[0] <= n && n <= r[1] {
			return true
		}
	}
	return false
}
