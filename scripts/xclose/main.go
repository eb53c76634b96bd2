// Command xclose asks an X11 window to close the way a window manager's
// close button does: it sends the window a WM_DELETE_WINDOW client message
// (ICCCM §4.2.8). The real-window smoke test (scripts/smoke.sh) uses it to
// quit TitleDesk under Xvfb, where there is no window manager: `xdotool
// windowclose` destroys the window instead, which crashes GLFW.
//
//	xclose WINDOW_ID        (decimal or 0x…, e.g. from `xdotool search`)
//
// It speaks just enough of the X11 protocol over the local socket of
// $DISPLAY (":N" → /tmp/.X11-unix/XN) without authentication, which is what
// an Xvfb started without -auth accepts; no cgo, no X libraries.
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xclose WINDOW_ID")
		os.Exit(2)
	}
	win, err := strconv.ParseUint(os.Args[1], 0, 32)
	if err == nil {
		err = closeWindow(os.Getenv("DISPLAY"), uint32(win))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "xclose:", err)
		os.Exit(1)
	}
}

var le = binary.LittleEndian

func closeWindow(display string, win uint32) error {
	num, ok := strings.CutPrefix(display, ":")
	if !ok {
		return fmt.Errorf("DISPLAY %q: only local displays (:N) are supported", display)
	}
	num, _, _ = strings.Cut(num, ".") // :N.S → screen S of display N
	c, err := net.DialTimeout("unix", "/tmp/.X11-unix/X"+num, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	x := &conn{c: c}
	if err := x.setup(); err != nil {
		return err
	}
	protocols, err := x.internAtom("WM_PROTOCOLS")
	if err != nil {
		return err
	}
	deleteWindow, err := x.internAtom("WM_DELETE_WINDOW")
	if err != nil {
		return err
	}
	// SendEvent(propagate=false, destination=win, event-mask=0): with no
	// mask the event goes to the client that created the window.
	req := make([]byte, 44)
	req[0], req[1] = 25, 0
	le.PutUint16(req[2:], 11)
	le.PutUint32(req[4:], win)
	le.PutUint32(req[8:], 0)
	ev := req[12:]
	ev[0], ev[1] = 33, 32 // ClientMessage, format 32
	le.PutUint32(ev[4:], win)
	le.PutUint32(ev[8:], protocols)
	le.PutUint32(ev[12:], deleteWindow)
	le.PutUint32(ev[16:], 0) // CurrentTime
	if _, err := c.Write(req); err != nil {
		return err
	}
	// GetInputFocus as a round trip: an error for SendEvent (e.g. no such
	// window) arrives before its reply.
	_, err = x.request([]byte{43, 0, 1, 0})
	return err
}

type conn struct{ c net.Conn }

// setup sends the connection setup (little-endian, protocol 11.0, no
// authorization) and skips the server's description.
func (x *conn) setup() error {
	req := []byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if _, err := x.c.Write(req); err != nil {
		return err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(x.c, head); err != nil {
		return err
	}
	rest := make([]byte, 4*int(le.Uint16(head[6:])))
	if _, err := io.ReadFull(x.c, rest); err != nil {
		return err
	}
	if head[0] != 1 {
		reason := string(rest[:min(int(head[1]), len(rest))])
		return fmt.Errorf("X server refused the connection: %q", reason)
	}
	return nil
}

func (x *conn) internAtom(name string) (uint32, error) {
	n := len(name)
	req := make([]byte, 8+(n+3)/4*4)
	req[0] = 16 // InternAtom, only-if-exists = false
	le.PutUint16(req[2:], uint16(len(req)/4))
	le.PutUint16(req[4:], uint16(n))
	copy(req[8:], name)
	reply, err := x.request(req)
	if err != nil {
		return 0, fmt.Errorf("InternAtom %s: %w", name, err)
	}
	return le.Uint32(reply[8:]), nil
}

// request writes req and reads its reply (32 bytes plus any extra length),
// turning an X error into a Go error. Nothing else is expected on the
// connection: no events were selected.
func (x *conn) request(req []byte) ([]byte, error) {
	if _, err := x.c.Write(req); err != nil {
		return nil, err
	}
	reply := make([]byte, 32)
	if _, err := io.ReadFull(x.c, reply); err != nil {
		return nil, err
	}
	switch reply[0] {
	case 0:
		return nil, fmt.Errorf("X error %d (bad value %#x, request %d)", reply[1], le.Uint32(reply[4:]), reply[10])
	case 1:
		extra := make([]byte, 4*int(le.Uint32(reply[4:])))
		if _, err := io.ReadFull(x.c, extra); err != nil {
			return nil, err
		}
		return reply, nil
	}
	return nil, errors.New("unexpected event from the X server")
}
