package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"titledesk/server"
)

// storeFlags are --data DIR (SQLite, the default store) and --db URL
// (PostgreSQL), one of which every command that opens the server needs.
type storeFlags struct{ data, db *string }

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		data: fs.String("data", "", "SQLite data directory"),
		db:   fs.String("db", "", "PostgreSQL URL (postgres://…)"),
	}
}

// config checks that exactly one store is named and returns its Config.
func (f storeFlags) config() (server.Config, error) {
	switch {
	case *f.data != "" && *f.db != "":
		return server.Config{}, fmt.Errorf("%w: --data 与 --db 只能选一个", errUsage)
	case *f.db != "":
		if !server.IsPostgresURL(*f.db) {
			return server.Config{}, fmt.Errorf("%w: --db 应为 postgres:// 或 postgresql:// 开头的地址", errUsage)
		}
		return server.Config{Database: *f.db}, nil
	case *f.data != "":
		return server.Config{DataDir: *f.data}, nil
	}
	return server.Config{}, fmt.Errorf("%w: 缺少 --data DIR 或 --db postgres://…", errUsage)
}

// describe names the store for messages, never with a password.
func (f storeFlags) describe() string {
	if *f.db != "" {
		return "数据库 " + server.RedactURL(*f.db)
	}
	return "数据目录 " + *f.data
}

// backup is `admin backup --data DIR --to FILE`.
func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("admin backup")
	data := fs.String("data", "", "SQLite data directory")
	to := fs.String("to", "", "backup file")
	db := fs.String("db", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *db != "" {
		return errors.New("PostgreSQL 数据库请用 pg_dump 或 pg_basebackup 备份（见 docs/admin-guide.md） / back up PostgreSQL with pg_dump or pg_basebackup")
	}
	if *data == "" || *to == "" {
		return fmt.Errorf("%w: 需要 --data DIR 和 --to FILE", errUsage)
	}
	rep, err := server.BackupSQLite(ctx, *data, *to)
	if errors.Is(err, server.ErrBackupExists) {
		return fmt.Errorf("备份文件 %s 已存在，请换一个文件名", *to)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%d 字节，用时 %s）：完整性检查 %s，变更序号 %d，审计记录 %d 条，操作结果 %d 条\n",
		rep.File, rep.Bytes, rep.Duration.Round(1e6), rep.Integrity, rep.FeedSeq, rep.AuditSeq, rep.Results)
	fmt.Fprintf(stdout, "附件文件不在备份文件中：请在此之后复制 %s 目录（文件只增不改，之后的副本包含备份引用的全部文件）\n", rep.Attachment)
	return nil
}

// moveToPostgres is `admin migrate --from DIR --to postgres://…`.
func moveToPostgres(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("admin migrate")
	from := fs.String("from", "", "SQLite data directory")
	to := fs.String("to", "", "PostgreSQL URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || !server.IsPostgresURL(*to) {
		return fmt.Errorf("%w: 需要 --from DIR 和 --to postgres://…", errUsage)
	}
	fmt.Fprintf(stdout, "正在把 %s 迁入 %s（请先停止使用该目录的服务器）\n", *from, server.RedactURL(*to))
	rep, err := server.MoveToPostgres(ctx, *from, *to, operator(), stdout)
	if errors.Is(err, server.ErrTargetNotEmpty) {
		return fmt.Errorf("目标数据库 %s 中已有数据，请使用空数据库", server.RedactURL(*to))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "迁移完成（用时 %s）：%d 张表行数一致，%d 个附件已校验，变更序号 %d，审计链完整。\n"+
		"客户端无需重新下载：把服务器地址指向使用 --db 启动的新服务器即可继续同步。\n",
		rep.Duration.Round(1e6), len(rep.Tables), rep.Files, rep.FeedSeq)
	return nil
}
