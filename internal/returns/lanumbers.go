package returns

// councilNumbers are the DfE's three-digit numbers of the local authorities in England in use since April 1998,
// as ranges from and to. 942 and 943 joined the list in 2023-24.
var councilNumbers = [][2]int{
	{201, 213}, {301, 320}, {330, 336}, {340, 344}, {350, 359}, {370, 373}, {380, 384}, {390, 394}, {420, 420},
	{800, 803}, {805, 808}, {810, 813}, {815, 816}, {820, 823}, {825, 826}, {830, 831}, {835, 841}, {845, 846},
	{850, 852}, {855, 857}, {860, 861}, {865, 896}, {908, 909}, {916, 916}, {919, 919}, {921, 921}, {925, 926},
	{928, 929}, {931, 931}, {933, 933}, {935, 938}, {940, 943},
}

// InRanges tells whether s is three digits whose number falls in one of the ranges.
func InRanges(s string, ranges [][2]int) bool {
	if len(s) != 3 {
		return false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	for _, r := range ranges {
		if r[0] <= n && n <= r[1] {
			return true
		}
	}
	return false
}

// CouncilNumber tells whether s is the DfE number of a local authority in England.
func CouncilNumber(s string) bool { return InRanges(s, councilNumbers) }
