package synth

// Name lists for synthetic people. They are common given and family names in England, combined at random, so no
// generated person is anyone real.
var givenNames = []string{
	"Oliver", "Amelia", "George", "Isla", "Noah", "Ava", "Arthur", "Mia", "Harry", "Ivy", "Leo", "Lily",
	"Muhammad", "Isabella", "Jack", "Rosie", "Charlie", "Sophia", "Oscar", "Grace", "Jacob", "Freya", "Henry",
	"Willow", "Thomas", "Florence", "Freddie", "Emily", "Alfie", "Ella", "Theo", "Poppy", "William", "Evie",
	"Theodore", "Elsie", "Archie", "Charlotte", "Joshua", "Evelyn", "Alexander", "Sienna", "James", "Daisy",
	"Isaac", "Sofia", "Edward", "Alice", "Lucas", "Ruby", "Tommy", "Matilda", "Finley", "Phoebe", "Aarav",
	"Zara", "Kai", "Maya", "Ethan", "Layla", "Reuben", "Hannah", "Ibrahim", "Aisha", "Ryan", "Chloe",
}

var adultGivenNames = []string{
	"Sarah", "Emma", "Claire", "Laura", "Rebecca", "Gemma", "Kelly", "Nicola", "Samantha", "Natalie", "Jade",
	"Stacey", "Amy", "Leanne", "Fatima", "Nadia", "Michael", "David", "Daniel", "Paul", "Mark", "Craig",
	"Lee", "Dean", "Adam", "Tariq", "Imran", "Jason", "Wayne", "Stephen",
}

var familyNames = []string{
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
	"Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore",
	"Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott", "Watson",
	"Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter",
	"Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum", "Miller", "Cox", "Hussain",
	"Marshall", "Simpson", "Price", "Anderson", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis",
}

// district is one of the council's four districts, with its towns and postcode districts (the outward codes).
type district struct {
	name       string
	towns      []string
	outward    []string
	localities []string
}

var districts = []district{
	{"Aylesbury Vale", []string{"Aylesbury", "Buckingham", "Winslow", "Wendover", "Haddenham"},
		[]string{"HP17", "HP18", "HP19", "HP20", "HP21", "HP22", "MK18"}, []string{"Aylesbury", "North Vale"}},
	{"Chiltern", []string{"Amersham", "Chesham", "Chalfont St Giles", "Great Missenden"},
		[]string{"HP5", "HP6", "HP7", "HP8", "HP16"}, []string{"Chiltern"}},
	{"South Bucks", []string{"Beaconsfield", "Burnham", "Gerrards Cross", "Iver"},
		[]string{"HP9", "SL0", "SL1", "SL2", "SL9"}, []string{"South Bucks"}},
	{"Wycombe", []string{"High Wycombe", "Marlow", "Princes Risborough", "Hazlemere"},
		[]string{"HP10", "HP11", "HP12", "HP13", "HP14", "HP15", "SL7"}, []string{"High Wycombe", "Marlow and Rural"}},
}

// Placement postcodes outside the council's area: neighbouring and distant councils.
var outOfAreaPostcodes = []string{"MK9", "MK40", "OX4", "OX26", "LU1", "RG1", "SL4", "WD17", "NN1", "B12", "CV1"}

var streets = []string{"High Street", "Church Lane", "Station Road", "Mill Lane", "The Green", "Park Road",
	"Victoria Road", "Queens Road", "Chiltern Avenue", "Orchard Close", "Meadow Way", "Kingsway"}
