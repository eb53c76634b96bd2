package sync

import (
	"context"
	"errors"
	"fmt"

	"titledesk/model"
)

// Errors the engine and the client return besides *model.Error. The UI asks
// errors.Is: ErrOffline and ErrBadResponse mean "keep everything, try again
// later"; ErrSessionExpired means "ask for the password again, keep the outbox".
var (
	// ErrOffline: the server could not be reached or the connection broke.
	ErrOffline = errors.New("sync: server unreachable")
	// ErrBadResponse: the server answered, but with a 5xx, a truncated or
	// corrupt body, or something that is not our protocol. Retried like
	// ErrOffline.
	ErrBadResponse = errors.New("sync: bad response from server")
	// ErrSessionExpired: the session is gone (expired, revoked, never had
	// one). Nothing local is lost; the user logs in again.
	ErrSessionExpired = errors.New("sync: session expired")
	// ErrNotLoggedIn: no identity in the cache yet (never logged in online).
	ErrNotLoggedIn = errors.New("sync: not logged in")
	// ErrNotSent: a push failed before its request was written whole to
	// the network, so the server cannot hold its commands; they go back to
	// never-sent and 【撤销】 is possible again. Comes with another error.
	ErrNotSent = errors.New("sync: request not sent")
)

// IsRetryable reports whether err is transient: the same request may succeed
// later without anything changing on our side.
func IsRetryable(err error) bool {
	return errors.Is(err, ErrOffline) || errors.Is(err, ErrBadResponse)
}

// offline wraps a transport failure of op. The cause is kept for logs; it
// never holds the token or the password (those travel in headers and bodies,
// which net/http errors do not quote).
func offline(op string, err error) error {
	return fmt.Errorf("%s: %w: %w", op, ErrOffline, err)
}

func badResponse(op string, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", op, ErrBadResponse, fmt.Sprintf(format, args...))
}

// Message is the Chinese sentence the status bar shows for err.
func Message(err error) string {
	var me *model.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrSessionExpired):
		return "登录已过期，请重新输入密码"
	case errors.Is(err, ErrNotLoggedIn):
		return "尚未登录，请先联网登录"
	case errors.Is(err, ErrOffline):
		return "无法连接服务器，已离线工作，恢复连接后自动同步"
	case errors.Is(err, ErrBadResponse):
		return "服务器响应异常，稍后自动重试"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "同步已取消"
	case errors.As(err, &me) && me.Detail != "":
		return me.Detail
	case errors.As(err, &me) && me.Title != "":
		return me.Title
	}
	return "同步失败，请稍后重试"
}
