package app

import (
	"context"
	"errors"

	"titledesk/model"
	tdsync "titledesk/sync"
)

// ErrNotLoggedIn is returned by services used before a login or unlock.
var ErrNotLoggedIn = &model.Error{Kind: model.KindAuth, Code: model.CodeUnauthorized,
	Title: "尚未登录", Detail: "请先登录"}

// LoginError is a refused login or unlock, worded for the login screen.
// OfflinePossible is true when the server could not be reached and this
// user has logged in online on this computer before: the screen then offers
// 离线登录.
type LoginError struct {
	Message         string
	OfflinePossible bool
	// PlainHTTP is the host of a refused http:// server address: the
	// screen offers the confirmation in 设置 (SEC-5).
	PlainHTTP string
	Err       error
}

func (e *LoginError) Error() string { return e.Message }
func (e *LoginError) Unwrap() error { return e.Err }

// Explain is the Chinese sentence to show a person for err. It never shows
// internals: unknown errors become a generic message (the cause is logged).
func Explain(err error) string {
	var le *LoginError
	var me *model.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &le):
		return le.Message
	case errors.Is(err, tdsync.ErrSessionExpired):
		return "登录已过期，请重新登录"
	case errors.Is(err, tdsync.ErrOffline):
		return "无法连接服务器，请检查服务器地址和网络连接"
	case errors.Is(err, tdsync.ErrBadResponse):
		return "服务器响应异常，请稍后重试"
	case errors.Is(err, context.DeadlineExceeded):
		return "操作超时，请稍后重试"
	case errors.Is(err, context.Canceled):
		return "操作已取消"
	case errors.As(err, &me) && me.Kind != model.KindInternal:
		if me.Detail != "" {
			return me.Detail
		}
		return me.Title
	}
	return "操作未能完成，请稍后重试"
}

// FieldErrors returns the field-level messages of a refused form (field
// key → Chinese message), or nil.
func FieldErrors(err error) map[string]string {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Fields
	}
	return nil
}
