package lualib

import (
	"fmt"
	"math"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// osDate is os.date as C Lua 5.1 has it over glibc in the C locale:
// "!" for UTC, "*t" for a table (with yday and isdst), and each "%x" handed
// to strftime on its own, so an unknown conversion stays as it is written.
func osDate(L *lua.LState) int {
	f := optLString(L, 1, "%c")
	t := time.Now()
	if L.Get(2) != lua.LNil {
		x := luaCheckNumber(L, 2)
		// (time_t)x, as x86-64 converts it; glibc's gmtime and localtime
		// give NULL, and os.date nil, past a year that fits an int
		sec := int64(math.MinInt64)
		if x >= -(1<<63) && x < 1<<63 {
			sec = int64(x)
		}
		if sec > maxTimeT || sec < minTimeT {
			L.Push(lua.LNil)
			return 1
		}
		t = time.Unix(sec, 0)
	}
	zone := "local"
	if strings.HasPrefix(f, "!") {
		f = f[1:]
		t = t.UTC()
		zone = "GMT"
	} else {
		t = t.Local()
		zone, _ = t.Zone()
	}
	if strings.HasPrefix(f, "*t") {
		tb := L.NewTable()
		for _, kv := range []struct {
			k string
			v int
		}{{"sec", t.Second()}, {"min", t.Minute()}, {"hour", t.Hour()}, {"day", t.Day()},
			{"month", int(t.Month())}, {"year", t.Year()}, {"wday", int(t.Weekday()) + 1}, {"yday", t.YearDay()}} {
			tb.RawSetString(kv.k, lua.LNumber(kv.v))
		}
		tb.RawSetString("isdst", lua.LBool(zone != "GMT" && t.IsDST()))
		L.Push(tb)
		return 1
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		b.WriteString(strftime(f[i], t, zone))
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// The seconds of the last and first second whose year-1900 fits a C int
// (glibc's struct tm).
const (
	maxTimeT = 67768036191676799
	minTimeT = -67768040609740800
)

var (
	weekdayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames   = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// strftime is one conversion of glibc's strftime in the C locale.
func strftime(c byte, t time.Time, zone string) string {
	wd, yd := int(t.Weekday()), t.YearDay()-1
	switch c {
	case 'a':
		return weekdayNames[wd][:3]
	case 'A':
		return weekdayNames[wd]
	case 'b', 'h':
		return monthNames[t.Month()-1][:3]
	case 'B':
		return monthNames[t.Month()-1]
	case 'c':
		return strftime('a', t, zone) + " " + strftime('b', t, zone) + " " + strftime('e', t, zone) + " " +
			strftime('T', t, zone) + " " + strftime('Y', t, zone)
	case 'C':
		return fmt.Sprintf("%02d", t.Year()/100)
	case 'd':
		return fmt.Sprintf("%02d", t.Day())
	case 'D', 'x':
		return fmt.Sprintf("%02d/%02d/%02d", int(t.Month()), t.Day(), t.Year()%100)
	case 'e':
		return fmt.Sprintf("%2d", t.Day())
	case 'F':
		return fmt.Sprintf("%d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
	case 'g':
		y, _ := t.ISOWeek()
		return fmt.Sprintf("%02d", y%100)
	case 'G':
		y, _ := t.ISOWeek()
		return fmt.Sprintf("%d", y)
	case 'H':
		return fmt.Sprintf("%02d", t.Hour())
	case 'I':
		return fmt.Sprintf("%02d", hour12(t))
	case 'j':
		return fmt.Sprintf("%03d", yd+1)
	case 'k':
		return fmt.Sprintf("%2d", t.Hour())
	case 'l':
		return fmt.Sprintf("%2d", hour12(t))
	case 'm':
		return fmt.Sprintf("%02d", int(t.Month()))
	case 'M':
		return fmt.Sprintf("%02d", t.Minute())
	case 'n':
		return "\n"
	case 'p':
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	case 'P':
		return strings.ToLower(strftime('p', t, zone))
	case 'r':
		return strftime('I', t, zone) + ":" + strftime('M', t, zone) + ":" + strftime('S', t, zone) + " " + strftime('p', t, zone)
	case 'R':
		return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	case 's':
		return fmt.Sprintf("%d", t.Unix())
	case 'S':
		return fmt.Sprintf("%02d", t.Second())
	case 't':
		return "\t"
	case 'T', 'X':
		return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case 'u':
		if wd == 0 {
			return "7"
		}
		return fmt.Sprintf("%d", wd)
	case 'U':
		return fmt.Sprintf("%02d", (yd+7-wd)/7)
	case 'V':
		_, w := t.ISOWeek()
		return fmt.Sprintf("%02d", w)
	case 'w':
		return fmt.Sprintf("%d", wd)
	case 'W':
		return fmt.Sprintf("%02d", (yd+7-(wd+6)%7)/7)
	case 'y':
		return fmt.Sprintf("%02d", t.Year()%100)
	case 'Y':
		return fmt.Sprintf("%d", t.Year())
	case 'z':
		_, off := t.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60)
	case 'Z':
		return zone
	case '%':
		return "%"
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// a field width with no conversion after it (os.date hands
		// strftime "%5" of "%5d"): glibc writes the "%5" padded to it
		return fmt.Sprintf("%*s", int(c-'0'), "%"+string(c))
	}
	return "%" + string(c)
}

func hour12(t time.Time) int {
	h := t.Hour() % 12
	if h == 0 {
		return 12
	}
	return h
}

// osTime is os.time as C Lua 5.1 has it: now, or the local time a table
// names (day, month and year required, hour 12 when missing), normalised as
// mktime normalises it (month 13 is next January).
func osTime(L *lua.LState) int {
	if L.Get(1) == lua.LNil {
		L.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}
	tb := L.CheckTable(1)
	field := func(key string, def int) int {
		switch v := tb.RawGetString(key).(type) {
		case lua.LNumber:
			return int(v)
		case lua.LString:
			if f, ok := str2number(string(v)); ok {
				return int(f)
			}
		}
		if def < 0 {
			L.RaiseError("field '%s' missing in date table", key)
		}
		return def
	}
	sec, min, hour := field("sec", 0), field("min", 0), field("hour", 12)
	day, month, year := field("day", -1), field("month", -1), field("year", -1)
	t := time.Date(year, time.Month(month), day, hour, min, sec, 0, time.Local)
	L.Push(lua.LNumber(t.Unix()))
	return 1
}
