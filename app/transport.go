package app

import (
	"net"
	"net/url"
	"strings"
)

// PlainHTTPHost is the host (with port) of an http:// server address that
// is not this computer — the addresses the app refuses (SEC-5) unless the
// person confirmed them in 设置 — and "" for https:// and loopback
// (127.0.0.0/8, ::1, localhost, as demo mode uses).
func PlainHTTPHost(serverURL string) string {
	u, err := url.Parse(strings.TrimSpace(serverURL))
	if err != nil || !strings.EqualFold(u.Scheme, "http") || u.Host == "" {
		return ""
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ""
	}
	return strings.ToLower(u.Host)
}

// errPlainHTTP refuses an unconfirmed plain-HTTP server and says why.
func errPlainHTTP(host string) error {
	return &LoginError{PlainHTTP: host, Message: "服务器地址 " + host + " 使用未加密的 http:// 连接：用户名、密码和申报人的身份证号等个人信息" +
		"会以明文经过网络，可能被他人截获或篡改。请使用 https:// 开头的地址（可向市职称办索取）；" +
		"如该服务器确在受信任的内部网络中，可在【设置】中确认允许后再登录。"}
}
