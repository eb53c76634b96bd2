package app

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"titledesk/model"
	"titledesk/store"
)

// Settings is 设置: the server, the local cache and its clearing.
type Settings struct{ s *Session }

// CacheInfo describes the logged-in user's local cache.
type CacheInfo struct {
	ServerURL string
	Username  string
	Path      string // the SQLite file; attachments sit beside it
	Bytes     int64  // database, its WAL and the attachment files
	Pending   int    // commands not yet synced
	Conflicts int
}

// Info reads the cache's location, size and what is still unsynced.
func (x Settings) Info(ctx context.Context) (CacheInfo, error) {
	eng, st, err := x.s.current()
	if err != nil {
		return CacheInfo{}, err
	}
	id, _ := eng.Identity()
	info := CacheInfo{ServerURL: id.ServerURL, Username: id.Username, Path: st.Path()}
	for _, p := range store.Files(st.Path()) {
		info.Bytes += sizeOf(p)
	}
	if info.Pending, err = st.PendingCount(ctx); err != nil {
		return info, fmt.Errorf("cache info: %w", err)
	}
	if info.Conflicts, err = st.ConflictCount(ctx); err != nil {
		return info, fmt.Errorf("cache info: %w", err)
	}
	return info, nil
}

// ClearCache deletes the logged-in user's local cache and logs out; the
// next login downloads everything again. It refuses while anything is
// unsynced or a conflict is unresolved: that work exists only here.
func (x Settings) ClearCache(ctx context.Context) error {
	info, err := x.Info(ctx)
	if err != nil {
		return err
	}
	if info.Pending > 0 {
		return &model.Error{Kind: model.KindConflict, Code: model.CodeValidation, Title: "有未同步的操作",
			Detail: fmt.Sprintf("还有 %d 条操作未同步到服务器，清除缓存会丢失这些操作。请联网并点击【立即同步】后再清除", info.Pending)}
	}
	if info.Conflicts > 0 {
		return &model.Error{Kind: model.KindConflict, Code: model.CodeValidation, Title: "有未处理的同步冲突",
			Detail: fmt.Sprintf("还有 %d 条同步冲突未处理，请先处理后再清除缓存", info.Conflicts)}
	}
	if err := x.s.Logout(ctx); err != nil {
		x.s.cfg.Logger.Warn("logout before clearing the cache", "err", err)
	}
	var errs []string
	for _, p := range store.Files(info.Path) {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		x.s.cfg.Logger.Error("clear cache", "err", strings.Join(errs, "; "))
		return &model.Error{Kind: model.KindInternal, Code: model.CodeInternal, Title: "清除缓存失败",
			Detail: "部分缓存文件未能删除，请关闭程序后重试"}
	}
	return nil
}

func sizeOf(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// HumanSize is a byte count for people: 12.3 MB.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
