package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxPlain is the longest student id used as its folder's name as it is.
// Longer ids are cut and hashed, so that a folder name plus what the grader
// appends stays under the 255 bytes a file name may have.
const maxPlain = 100

// reserved are the names of the class files: a student of that name must not
// take their place (summary.csv.lua would make summary.csv a folder and the
// batch end with no summary).
var reserved = map[string]bool{SummaryCSV: true, SummaryJSON: true, JUnitFile: true, DashboardFile: true}

// FolderName is the name of a student's folder in the class folder. A plain id
// (letters, digits, '_', '-', '.'; not starting with '.' or '@'; not a class
// file's name; not ending in .old, which older versions of wirelab left beside
// a folder being replaced; at most maxPlain bytes) is the name itself. Any
// other id is '@', its plain characters (others as '_', cut short) and a hash
// of the whole id: no student, whatever their name, can overwrite a class
// file, another student or a folder the grader keeps, or fail for a name too
// long. The id itself is kept in the folder's result.json.
func FolderName(id string) string {
	if plainID(id) {
		return id
	}
	var b strings.Builder
	b.WriteByte('@')
	for _, c := range []byte(id) {
		if b.Len() > 60 {
			break
		}
		if plainByte(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
		}
	}
	sum := sha256.Sum256([]byte(id))
	b.WriteByte('-')
	b.WriteString(hex.EncodeToString(sum[:6]))
	return b.String()
}

func plainID(id string) bool {
	if id == "" || len(id) > maxPlain || id[0] == '.' || strings.HasSuffix(id, ".old") || reserved[strings.ToLower(id)] {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !plainByte(id[i]) {
			return false
		}
	}
	return true
}

func plainByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}
