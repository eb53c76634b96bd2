package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"titledesk/model"
	"titledesk/server"
)

// calendarFlags reads `admin calendar import FILE` and `admin calendar show
// YEAR` (BEY-1). The positional argument may stand before or after --data.
func calendarFlags(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) (func(*server.Server) error, []string, error) {
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("%w: admin calendar import FILE | show YEAR", errUsage)
	}
	sub, rest := args[0], args[1:]
	arg, rest, err := takeArg(fs, rest)
	if err != nil {
		return nil, nil, err
	}
	switch sub {
	case "import":
		return func(s *server.Server) error { return importCalendar(ctx, s, arg, stdout) }, rest, nil
	case "show":
		year, err := strconv.Atoi(arg)
		if err != nil || year < 1900 || year > 9999 {
			return nil, nil, fmt.Errorf("%w: 年份“%s”无效", errUsage, arg)
		}
		return func(s *server.Server) error { return showCalendar(s.Calendar(), year, stdout) }, rest, nil
	}
	return nil, nil, fmt.Errorf("%w: admin calendar import FILE | show YEAR", errUsage)
}

// takeArg parses the flags around one positional argument and returns it,
// with the arguments left for parse (none).
func takeArg(fs *flag.FlagSet, args []string) (string, []string, error) {
	if err := fs.Parse(args); err != nil {
		return "", nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() == 0 {
		return "", nil, fmt.Errorf("%w: 缺少参数", errUsage)
	}
	return fs.Arg(0), fs.Args()[1:], nil
}

func importCalendar(ctx context.Context, s *server.Server, path string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("读取文件：%w", err)
	}
	entries, err := model.ParseCalendarFile(path, data)
	if err != nil {
		return err
	}
	years, err := s.ImportCalendar(ctx, entries)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		fmt.Fprintf(stdout, "已导入%d条（文件中没有春节，未作为整年安排导入）\n", len(entries))
		return nil
	}
	fmt.Fprintf(stdout, "已导入%s年放假安排，共%d条；各客户端同步后生效\n", joinYears(years), len(entries))
	return nil
}

func joinYears(years []int) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, "、")
}

var weekdays = []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// showCalendar prints a year as the notice reads: each break as a date range
// with its day count, then the make-up working days; for a year not
// imported, the statutory holidays it is judged by, with the warning.
func showCalendar(c *model.Calendar, year int, stdout io.Writer) error {
	prefix := fmt.Sprintf("%04d-", year)
	var entries []model.CalendarEntry
	if c.Imported(year) {
		fmt.Fprintf(stdout, "%d年放假安排（已导入）\n", year)
		for _, e := range c.Entries() {
			if strings.HasPrefix(string(e.Date), prefix) {
				entries = append(entries, e)
			}
		}
	} else {
		fmt.Fprintf(stdout, "%d年放假安排尚未导入，已按法定节假日计算（《全国年节及纪念日放假办法》2024年修订）\n", year)
		entries = model.StatutoryHolidays(year)
	}
	for _, line := range calendarLines(entries) {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// calendarLines groups consecutive days of one name and kind:
// "春节 2026-02-15（周日）至 2026-02-23（周一） 放假 9天" and
// "春节 2026-02-14（周六） 上班".
func calendarLines(entries []model.CalendarEntry) []string {
	var out []string
	for i := 0; i < len(entries); {
		j := i
		for j+1 < len(entries) && entries[j+1].Kind == entries[i].Kind && entries[j+1].Name == entries[i].Name &&
			entries[j+1].Date == entries[j].Date.AddDays(1) {
			j++
		}
		from, to := entries[i], entries[j]
		if from.Kind == model.CalendarWorkday {
			out = append(out, fmt.Sprintf("%s %s 上班", from.Name, dayLabel(from.Date)))
		} else if i == j {
			out = append(out, fmt.Sprintf("%s %s 放假 1天", from.Name, dayLabel(from.Date)))
		} else {
			out = append(out, fmt.Sprintf("%s %s至 %s 放假 %d天", from.Name, dayLabel(from.Date), dayLabel(to.Date), j-i+1))
		}
		i = j + 1
	}
	return out
}

func dayLabel(d model.Date) string {
	t, err := time.Parse(model.DateLayout, string(d))
	if err != nil {
		return string(d)
	}
	return string(d) + "（" + weekdays[t.Weekday()] + "）"
}
