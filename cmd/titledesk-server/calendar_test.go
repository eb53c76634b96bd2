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

// TestAdminRulesAndDeadlines: the built-in rule sets are there from the
// start; an imported file replaces its series and level; a bad file is
// refused whole; deadlines are set, validated and shown.
func TestAdminRulesAndDeadlines(t *testing.T) {
	dir := t.TempDir()
	out, err := runAdmin(t, "rules", "show", "--data", dir)
	if err != nil || !strings.Contains(out, "工程技术人员 副高级（高级工程师）") || !strings.Contains(out, "人社部发〔2019〕16号") {
		t.Fatalf("rules show: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"series":"engineering","level":"associate_senior","title":"高级工程师","source":"","paths":[]}]`), 0o600)
	if _, err := runAdmin(t, "rules", "import", bad, "--data", dir); err == nil || !strings.Contains(describe(err), "依据文件") {
		t.Fatalf("rules without a source: %v", err)
	}
	good := filepath.Join(dir, "econ.json")
	os.WriteFile(good, []byte(`{"series":"economics","level":"intermediate","title":"经济师","source":"测试依据文件",
		"paths":[{"min_education":"bachelor","previous_titles":["助理经济师"],"years_since_title":4,"clause":"测试条款"}]}`), 0o600)
	if out, err := runAdmin(t, "rules", "import", good, "--data", dir); err != nil || !strings.Contains(out, "已导入1条") {
		t.Fatalf("rules import: %v %s", err, out)
	}
	// The import outlives the restart each command makes (built-in sets
	// never replace an imported one); show lists the exam and provenance.
	if out, _ := runAdmin(t, "rules", "show", "--data", dir); !strings.Contains(out, "经济专业人员 中级（经济师）\n  依据：测试依据文件") ||
		!strings.Contains(out, "评价方式：助理会计师、会计师实行全国统一的会计专业技术资格考试") || !strings.Contains(out, "原文见：") {
		t.Fatalf("imported rule not shown:\n%s", out)
	}

	if _, err := runAdmin(t, "deadlines", "set", "--data", dir, "--year", "2027", "--apply-by", "2027-06-30",
		"--unit-review-by", "2027-06-15"); err == nil || !strings.Contains(describe(err), "依次") {
		t.Fatalf("deadlines out of order: %v", err)
	}
	out, err = runAdmin(t, "deadlines", "set", "--data", dir, "--year", "2027", "--apply-by", "２０２７－０６－３０",
		"--unit-review-by", "2027-07-15", "--submit-by", "2027-07-31")
	if err != nil || !strings.Contains(out, "申报截止 2027-06-30；单位审核截止 2027-07-15；呈报截止 2027-07-31") {
		t.Fatalf("deadlines set: %v %s", err, out)
	}
	if out, _ := runAdmin(t, "deadlines", "show", "--data", dir, "--year", "2027"); !strings.Contains(out, "呈报截止 2027-07-31") {
		t.Fatalf("deadlines show: %s", out)
	}
}
