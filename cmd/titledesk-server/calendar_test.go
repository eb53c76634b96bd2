package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// notice2026 is 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04) as
// `admin calendar show 2026` must print it, one line per break and per
// make-up working day.
var notice2026 = []string{
	"2026年放假安排（已导入）",
	"元旦 2026-01-01（周四）至 2026-01-03（周六） 放假 3天",
	"元旦 2026-01-04（周日） 上班",
	"春节 2026-02-14（周六） 上班",
	"春节 2026-02-15（周日）至 2026-02-23（周一） 放假 9天",
	"春节 2026-02-28（周六） 上班",
	"清明节 2026-04-04（周六）至 2026-04-06（周一） 放假 3天",
	"劳动节 2026-05-01（周五）至 2026-05-05（周二） 放假 5天",
	"劳动节 2026-05-09（周六） 上班",
	"端午节 2026-06-19（周五）至 2026-06-21（周日） 放假 3天",
	"国庆节 2026-09-20（周日） 上班",
	"中秋节 2026-09-25（周五）至 2026-09-27（周日） 放假 3天",
	"国庆节 2026-10-01（周四）至 2026-10-07（周三） 放假 7天",
	"国庆节 2026-10-10（周六） 上班",
}

func runAdmin(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"admin"}, args...), strings.NewReader(""), &out, &out)
	return out.String(), err
}

// TestAdminCalendar: show 2026 matches the State Council's notice; a 2027
// file imported by CSV turns 2027 from the statutory fallback into the
// imported arrangement, survives a restart, and a bad file is refused whole
// with its line numbers.
func TestAdminCalendar(t *testing.T) {
	dir := t.TempDir()
	out, err := runAdmin(t, "calendar", "show", "2026", "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSpace(out), "\n"); strings.Join(got, "\n") != strings.Join(notice2026, "\n") {
		t.Fatalf("show 2026:\n%s\nwant:\n%s", out, strings.Join(notice2026, "\n"))
	}

	out, err = runAdmin(t, "calendar", "show", "2027", "--data", dir)
	if err != nil || !strings.Contains(out, "2027年放假安排尚未导入，已按法定节假日计算") ||
		!strings.Contains(out, "国庆节 2027-10-01（周五）至 2027-10-03（周日） 放假 3天") ||
		!strings.Contains(out, "国庆节（补假） 2027-10-04（周一）至 2027-10-05（周二） 放假 2天") {
		t.Fatalf("show 2027 before import: %v\n%s", err, out)
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("日期,类型,名称\n2027-02-30,放假,春节\n2027-02-10,上班,春节\n2027-02-11,休假,春节\n"), 0o600)
	if _, err := runAdmin(t, "calendar", "import", bad, "--data", dir); err == nil ||
		!strings.Contains(describe(err), "第2行") || !strings.Contains(describe(err), "第3行") || !strings.Contains(describe(err), "第4行") {
		t.Fatalf("bad file: %v", err)
	}
	if out, _ := runAdmin(t, "calendar", "show", "2027", "--data", dir); !strings.Contains(out, "尚未导入") {
		t.Fatal("a refused file changed the calendar")
	}

	good := filepath.Join(dir, "2027.csv")
	os.WriteFile(good, []byte("\xEF\xBB\xBF日期,类型,名称\n# 测试用安排\n2027-01-01,放假,元旦\n2027/1/2,放假,元旦\n2027-1-3,holiday,元旦\n"+
		"2027-02-05,放假,春节\n2027-02-06,放假,春节\n2027-02-07,放假,春节\n2027-02-08,放假,春节\n2027-02-20,上班,春节\n"), 0o600)
	out, err = runAdmin(t, "calendar", "import", "--data", dir, good)
	if err != nil || !strings.Contains(out, "已导入2027年放假安排") {
		t.Fatalf("import: %v %s", err, out)
	}
	out, err = runAdmin(t, "calendar", "show", "2027", "--data", dir)
	if err != nil || !strings.Contains(out, "2027年放假安排（已导入）") ||
		!strings.Contains(out, "元旦 2027-01-01（周五）至 2027-01-03（周日） 放假 3天") ||
		!strings.Contains(out, "春节 2027-02-20（周六） 上班") || strings.Contains(out, "国庆") {
		t.Fatalf("show 2027 after import:\n%s", out)
	}
	if out, _ := runAdmin(t, "calendar", "show", "2026", "--data", dir); !strings.Contains(out, notice2026[4]) {
		t.Fatal("importing 2027 lost 2026")
	}
}
