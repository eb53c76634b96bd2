package model

import "testing"

// idNumberMatches is ParseIDQuery then Matches, as the expert list applies it.
func idNumberMatches(number, query string) bool {
	q, ok := ParseIDQuery(query)
	return ok && q.Matches(number)
}

// TestIDNumberMatches: the one ID-number search rule, on every kind of
// query text a clerk types.
func TestIDNumberMatches(t *testing.T) {
	const n = "41010119800506812X"
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{n, true},
		{"41010119800506812x", true},
		{"４１０１０１１９８００５０６８１２Ｘ", true}, // full-width, as an input method gives it
		{"410101 19800506 812X", true},
		{"410101-19800506-812X", true},
		{"4101", true}, // the first four the masked column shows
		{"812X", true}, // the last four
		{"812x", true}, // lower-case x
		{"８１２Ｘ", true}, // full-width
		{"4101**********812X", true},
		{"4101********812X", true}, // fewer stars than hidden digits
		{"0101", false},            // not an end
		{"1980", false},            // the birth date is hidden
		{"410101", false},          // only the ends the list shows, or all of it
		{"41010119800506812", false},
		{"410101198005068120", false},
		{"4102**********812X", false},
		{"", false},
		{"X", false},
	} {
		if got := idNumberMatches(n, tc.q); got != tc.want {
			t.Errorf("idNumberMatches(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if idNumberMatches("1234X", "1234") || !idNumberMatches("410101198005068122", "8122") {
		t.Error("a short stored number matched, or the last four of another did not")
	}
	if idNumberMatches("410101198005068120", "X812") || idNumberMatches(n, "X812") { // X only ends a number
		t.Error("a leading X matched")
	}
}
