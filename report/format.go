package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"titledesk/model"
)

const (
	minuteLayout = "2006-01-02 15:04"
	dateLayout   = "2006-01-02"
)

// sectionNumber is the Chinese ordinal of a sheet section (一、二、…).
func sectionNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n > 0 && n < len(digits) {
		return digits[n]
	}
	return strconv.Itoa(n)
}

// humanSize prints a file size the way a file manager does.
func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/1024)) + " KB"
	case n < 1024*1024*1024:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1024*1024))) + " MB"
	}
	return trimZero(fmt.Sprintf("%.1f", float64(n)/(1024*1024*1024))) + " GB"
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func date(d model.Date) string { return string(d) }

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// stamp prints t as "2006-01-02 15:04" in loc; the zero time prints nothing.
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(minuteLayout)
}
