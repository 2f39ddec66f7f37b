package carriers

// Display formats a normalised number the way the carrier prints it:
// 12-digit domestic numbers as 1234-5678-9012; anything else unchanged.
func Display(carrier, number string) string {
	if len(number) == 12 && allDigits(number) && carrier != "amazon" {
		return number[:4] + "-" + number[4:8] + "-" + number[8:]
	}
	return number
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
