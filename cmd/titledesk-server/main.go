// Command titledesk-server runs TitleDesk's central server and the city
// office's tools around it:
//
//	titledesk-server serve --addr 127.0.0.1:8080 --data DIR | --db postgres://… [--tls-cert F --tls-key F]
//	titledesk-server seed --demo --data DIR | --db postgres://… [--scale N]
//	titledesk-server admin create-unit|create-account|reset-password|lock|unlock|audit [flags]
//	titledesk-server admin backup --data DIR --to FILE
//	titledesk-server admin migrate --from DIR --to postgres://…
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"titledesk/internal/applog"
	"titledesk/internal/memlimit"
	"titledesk/model"
	"titledesk/server"
	"titledesk/server/demo"
)

const usage = `TitleDesk 职称审核中心服务器

用法 / usage:
  titledesk-server serve  STORE [--addr 127.0.0.1:8080] [--idle-timeout 30m] [--absolute-timeout 12h] [--log-file FILE]
                          [--tls-cert cert.pem --tls-key key.pem]   (HTTPS, TLS 1.2+)
  titledesk-server seed   --demo STORE [--scale N]
  titledesk-server admin  create-unit     STORE --name 名称 --credit-code 代码 --kind department|employer|city_office
                                          --type agency|institution|enterprise|social_org|other --contact 联系人 --phone 电话 [--parent ID] [--id ID]
  titledesk-server admin  create-account  STORE --username U --name 姓名 --role department|employer|city_office|applicant --unit ID [--applicant ID]
  titledesk-server admin  reset-password  STORE --username U
  titledesk-server admin  lock|unlock     STORE --username U
  titledesk-server admin  correct-applicant STORE --applicant ID --reason 更正依据 --set name=姓名 [--set education=学历 …]
                                          (frozen personal data of an applicant whose application is in review or decided)
  titledesk-server admin  audit           STORE [--since 2026-03-01|72h] [--account ID|U] [--entity ID] [--csv]
  titledesk-server admin  audit verify    STORE
  titledesk-server admin  calendar import FILE STORE     放假安排 CSV（日期,放假|上班,名称）或 JSON
  titledesk-server admin  calendar show YEAR STORE
  titledesk-server admin  rules import FILE STORE        资格规则 JSON（见 model/rules/engineering.json）
  titledesk-server admin  rules show STORE
  titledesk-server admin  deadlines set STORE --year YYYY [--apply-by D] [--unit-review-by D] [--submit-by D]
  titledesk-server admin  deadlines show STORE --year YYYY
  titledesk-server admin  backup          --data DIR --to FILE          (SQLite, while servers run; the copy gets a new database generation)
  titledesk-server admin  restore         --data DIR --from FILE        (SQLite, servers stopped; desktops then pull everything again)
  titledesk-server admin  new-generation  STORE                         (after restoring a PostgreSQL dump: desktops pull everything again)
  titledesk-server admin  migrate         --from DIR --to postgres://…  (SQLite → PostgreSQL, servers stopped)

STORE is one of:
  --data DIR             SQLite in DIR (titledesk.db and attachments/), the default store
  --db postgres://…      PostgreSQL; several servers may share one database. Keep the password
                         out of the URL: use ~/.pgpass or PGPASSWORD (see docs/admin-guide.md)

Passwords (create-account, reset-password) are read from the first line of
standard input, never from the command line:  echo 'S3cret-pass' | titledesk-server admin ...
`

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("usage")

func main() {
	if runningAsService() {
		if err := runService(os.Args[1:]); err != nil {
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		if detail := strings.TrimSpace(strings.TrimPrefix(err.Error(), errUsage.Error())); detail != "" {
			fmt.Fprintln(os.Stderr, strings.TrimPrefix(detail, ": "))
		}
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "错误 / error:", describe(err))
		os.Exit(1)
	}
}

// describe shows a domain error the way a person reads it.
func describe(err error) string {
	var me *model.Error
	if errors.As(err, &me) && me.Kind != model.KindInternal {
		if me.Detail != "" {
			return me.Title + "：" + me.Detail
		}
		return me.Title
	}
	return err.Error()
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "seed":
		return seed(ctx, args[1:], stdout)
	case "admin":
		return admin(ctx, args[1:], stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return errUsage
}

// newFlags returns a flag set that reports mistakes as errUsage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// hasFlag reports whether args set --name or -name (with or without =value).
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	store := addStoreFlags(fs)
	idle := fs.Duration("idle-timeout", server.DefaultIdleTimeout, "session idle timeout")
	absolute := fs.Duration("absolute-timeout", server.DefaultAbsoluteTimeout, "session absolute timeout")
	logFile := fs.String("log-file", "", "write the log to this file, rotated (default: standard error)")
	certFile := fs.String("tls-cert", "", "serve HTTPS with this PEM certificate (chain) file")
	keyFile := fs.String("tls-key", "", "the PEM private key of --tls-cert")
	if err := parse(fs, args); err != nil {
		return err
	}
	tlsConfig, err := loadTLS(*certFile, *keyFile)
	if err != nil {
		return err
	}
	cfg, err := store.config()
	if err != nil {
		return err
	}
	logOut := stderr
	if *logFile != "" {
		f, err := applog.OpenFile(filepath.Dir(*logFile), filepath.Base(*logFile))
		if err != nil {
			return err
		}
		defer f.Close()
		logOut = f
	}
	logger := applog.NewJSON(logOut, slog.LevelInfo)
	cfg.IdleTimeout, cfg.AbsoluteTimeout, cfg.Logger = *idle, *absolute, logger
	memlimit.Set(server.GoMemoryLimit)
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Addr:              *addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a 20 MiB upload over a slow office line
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	scheme := "https"
	if tlsConfig == nil {
		scheme = "http"
		go func() { errc <- hs.Serve(ln) }()
		if !isLoopback(ln.Addr()) {
			logger.Warn("serving plain HTTP on a network address: passwords and personal data cross the network unencrypted; use --tls-cert/--tls-key or a reverse proxy with TLS")
		}
	} else {
		hs.TLSConfig = tlsConfig
		go func() { errc <- hs.ServeTLS(ln, "", "") }()
	}
	logger.Info("listening", "addr", ln.Addr().String(), "scheme", scheme, "store", store.describe())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// loadTLS reads the certificate and key for HTTPS (SEC-5): both or
// neither. TLS 1.2 is the oldest version served; Go's default cipher
// suites (forward-secret AEAD only for 1.2) apply.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("%w: --tls-cert 和 --tls-key 须同时提供", errUsage)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("读取 TLS 证书失败 / load TLS certificate: %w", err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// isLoopback reports a listener on 127.0.0.0/8 or ::1 only.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func seed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("seed")
	demoWorld := fs.Bool("demo", false, "generate the demo world")
	store := addStoreFlags(fs)
	scale := fs.Float64("scale", 1, "world size (1 ≈ 5,000 applicants)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*demoWorld || *scale <= 0 {
		return fmt.Errorf("%w: 需要 --demo 和正数 --scale", errUsage)
	}
	cfg, err := store.config()
	if err != nil {
		return err
	}
	start := time.Now()
	w, err := demo.Generate(demo.Options{Scale: *scale, Seed: 1})
	if err != nil {
		return fmt.Errorf("generate demo world: %w", err)
	}
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.ImportWorld(ctx, w); err != nil {
		if errors.Is(err, server.ErrNotEmpty) {
			return fmt.Errorf("%s中已有数据，请使用新的目录或空数据库", store.describe())
		}
		return err
	}
	fmt.Fprintf(stdout, "已导入演示数据：%d 个单位，%d 名申报人，%d 份申报，%d 个账户（用时 %s）\n演示账户：%s / %s\n",
		len(w.Units), len(w.Applicants), len(w.Applications), len(w.Accounts),
		time.Since(start).Round(time.Millisecond), demo.DemoUsername, demo.DemoPassword)
	return nil
}

func admin(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "backup":
		return backup(ctx, args[1:], stdout)
	case "restore":
		return restore(ctx, args[1:], stdout)
	case "migrate":
		return moveToPostgres(ctx, args[1:], stdout)
	}
	fs := newFlags("admin " + args[0])
	store := addStoreFlags(fs)
	username := fs.String("username", "", "account username")
	var do func(*server.Server) error
	rest := args[1:]
	switch args[0] {
	case "new-generation":
		do = func(s *server.Server) error {
			g, err := s.NewGeneration(ctx, "")
			return report(stdout, err, "数据库已换用新的世代 "+g+"：各客户端下次同步时将重新下载全部数据")
		}
	case "audit":
		do, rest = auditFlags(ctx, fs, rest, stdout)
	case "correct-applicant":
		do = correctApplicantFlags(ctx, fs, stdout)
	case "calendar", "rules", "deadlines":
		var err error
		if do, rest, err = ruleTools[args[0]](ctx, fs, rest, stdout); err != nil {
			return err
		}
	case "create-unit":
		do = createUnitFlags(ctx, fs, stdout)
	case "create-account":
		do = createAccountFlags(ctx, fs, username, stdin, stdout)
	case "reset-password":
		do = func(s *server.Server) error {
			pw, err := readPassword(stdin)
			if err != nil {
				return err
			}
			return report(stdout, s.ResetPassword(ctx, *username, pw), "已重置密码："+*username)
		}
	case "lock":
		do = func(s *server.Server) error {
			return report(stdout, s.LockAccount(ctx, *username), "已停用账户："+*username)
		}
	case "unlock":
		do = func(s *server.Server) error {
			return report(stdout, s.UnlockAccount(ctx, *username), "已启用账户："+*username)
		}
	default:
		return errUsage
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if !usernameOptional[args[0]] && *username == "" {
		return fmt.Errorf("%w: 缺少 --username", errUsage)
	}
	cfg, err := store.config()
	if err != nil {
		return err
	}
	cfg.Operator = operator()
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	return do(srv)
}

// operator names the person running an admin tool for the audit log: the
// operating-system account, which the city office's server host ties to a
// person.
func operator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

// ruleTools are the admin tools of the rules kept as data (BEY-1, 4, 6):
// each reads its own subcommand and positional argument.
var ruleTools = map[string]func(context.Context, *flag.FlagSet, []string, io.Writer) (func(*server.Server) error, []string, error){
	"calendar": calendarFlags, "rules": rulesFlags, "deadlines": deadlinesFlags}

// usernameOptional are the admin tools that do not act on one account.
var usernameOptional = map[string]bool{"create-unit": true, "audit": true, "correct-applicant": true, "calendar": true,
	"rules": true, "deadlines": true, "new-generation": true}

// restore is `admin restore --data DIR --from FILE`: the backup file
// becomes the database of DIR (the server must be stopped) under a new
// generation, recorded in the audit log; every desktop's next sync pulls
// everything again.
func restore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("admin restore")
	data := fs.String("data", "", "SQLite data directory")
	from := fs.String("from", "", "backup file (admin backup)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *data == "" || *from == "" {
		return fmt.Errorf("%w: 需要 --data DIR 和 --from FILE", errUsage)
	}
	if err := server.RestoreSQLite(ctx, *from, *data); err != nil {
		return err
	}
	srv, err := server.Open(ctx, server.Config{DataDir: *data, Operator: operator()})
	if err != nil {
		return err
	}
	defer srv.Close()
	g, err := srv.NewGeneration(ctx, *from)
	return report(stdout, err, "已从备份 "+*from+" 恢复，数据库世代 "+g+"：各客户端下次同步时将重新下载全部数据（附件目录请按 docs/admin-guide.md 一并恢复）")
}

func correctApplicantFlags(ctx context.Context, fs *flag.FlagSet, stdout io.Writer) func(*server.Server) error {
	id := fs.String("applicant", "", "applicant ID")
	reason := fs.String("reason", "", "更正依据 (document, ticket)")
	fields := fieldValues{}
	fs.Var(fields, "set", "field=value, repeatable")
	return func(s *server.Server) error {
		p, err := s.CorrectApplicant(ctx, *id, *reason, fields)
		return report(stdout, err, fmt.Sprintf("已更正申报人 %s 的信息（第%d版），已提交的申报保留提交时的信息", p.ID, p.Version))
	}
}

// fieldValues collects repeated --set key=value flags.
type fieldValues map[string]string

func (f fieldValues) String() string { return fmt.Sprint(map[string]string(f)) }
func (f fieldValues) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return errors.New("want field=value")
	}
	f[k] = val
	return nil
}

func report(stdout io.Writer, err error, done string) error {
	if err == nil {
		fmt.Fprintln(stdout, done)
	}
	return err
}

func createUnitFlags(ctx context.Context, fs *flag.FlagSet, stdout io.Writer) func(*server.Server) error {
	var u model.Unit
	fs.StringVar(&u.ID, "id", "", "unit ID (default: a new UUID)")
	fs.StringVar(&u.ParentID, "parent", "", "parent unit ID")
	fs.StringVar(&u.Name, "name", "", "单位名称")
	fs.StringVar(&u.CreditCode, "credit-code", "", "统一社会信用代码")
	kind := fs.String("kind", string(model.UnitDepartment), "department|employer|city_office")
	typ := fs.String("type", string(model.UnitTypeAgency), "agency|institution|enterprise|social_org|other")
	fs.StringVar(&u.Contact, "contact", "", "联系人")
	fs.StringVar(&u.Phone, "phone", "", "联系电话")
	fs.StringVar(&u.Email, "email", "", "电子邮箱")
	fs.StringVar(&u.Address, "address", "", "单位地址")
	fs.StringVar(&u.PostalCode, "postal-code", "", "邮政编码")
	return func(s *server.Server) error {
		u.Kind, u.Type = model.UnitKind(*kind), model.UnitType(*typ)
		created, err := s.CreateUnit(ctx, u)
		return report(stdout, err, "已创建单位："+created.Name+" "+created.ID)
	}
}

func createAccountFlags(ctx context.Context, fs *flag.FlagSet, username *string, stdin io.Reader, stdout io.Writer) func(*server.Server) error {
	var in server.NewAccount
	fs.StringVar(&in.Name, "name", "", "姓名")
	role := fs.String("role", string(model.RoleDepartment), "department|employer|city_office|applicant")
	fs.StringVar(&in.UnitID, "unit", "", "unit ID")
	fs.StringVar(&in.ApplicantID, "applicant", "", "applicant ID (applicant accounts)")
	return func(s *server.Server) error {
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		in.Username, in.Role, in.Password = *username, model.Role(*role), pw
		acc, err := s.CreateAccount(ctx, in)
		return report(stdout, err, "已创建账户："+acc.Username+" "+acc.ID)
	}
}

// readPassword takes the first line of stdin, so passwords stay out of
// shell history and the process list.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("请从标准输入提供密码（第一行） / provide the password on the first line of standard input")
	}
	return pw, nil
}
