package server

import (
	"context"
	"fmt"

	"titledesk/model"
)

// Devices (SEC-2): a device id belongs to the account that first logged in
// or pushed with it. Another account presenting it is refused at login and
// at push, so two accounts can never see or cancel each other's stored
// command results, which are looked up by (account, device, seq) and by
// (account, command id).

func errDeviceInUse() error {
	return &model.Error{Kind: model.KindConflict, Code: model.CodeDeviceInUse, Title: "设备标识已被其他账户使用",
		Detail: "本机的设备标识已登记在另一个账户名下，不能用于当前账户。请重新登录，程序会为本账户使用新的设备标识；如仍有问题请联系市职称办"}
}

// bindDevice binds deviceID to accountID on its first use and refuses a
// device another account holds (device_in_use, 409).
func (t *txn) bindDevice(ctx context.Context, accountID, deviceID string) error {
	if err := t.exec(ctx, `INSERT INTO devices(device_id, account_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT(device_id) DO NOTHING`, deviceID, accountID, millis(t.now)); err != nil {
		return fmt.Errorf("bind device: %w", err)
	}
	var owner string
	if err := t.tx.QueryRowContext(ctx, `SELECT account_id FROM devices WHERE device_id = ?`, deviceID).Scan(&owner); err != nil {
		return fmt.Errorf("bind device: %w", err)
	}
	if owner != accountID {
		return errDeviceInUse()
	}
	return nil
}

// useDevice binds the device a push names. Normally that is the session's
// own device (bindDevice). A desktop whose seqs came back seq_reused (its
// cache was restored from a backup or copied to another computer) takes a
// brand-new device id and pushes with it: an id nobody has used is bound to
// this account and becomes the session's; any other id is refused — the
// session may not speak for another of the account's devices
// (forbidden), nor for another account's (device_in_use). The switch is
// audited.
func (t *txn) useDevice(ctx context.Context, c *caller, deviceID string) error {
	if deviceID == c.DeviceID {
		return t.bindDevice(ctx, c.AccountID, deviceID)
	}
	res, err := t.tx.ExecContext(ctx, `INSERT INTO devices(device_id, account_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT(device_id) DO NOTHING`, deviceID, c.AccountID, millis(t.now))
	if err != nil {
		return fmt.Errorf("bind device: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err := t.bindDevice(ctx, c.AccountID, deviceID); err != nil {
			return err // another account's
		}
		return errForbidden("设备标识与登录会话不一致，请重新登录")
	}
	if err := t.exec(ctx, `UPDATE sessions SET device_id = ? WHERE token_hash = ?`, deviceID, c.tokenHash); err != nil {
		return fmt.Errorf("switch device: %w", err)
	}
	old := c.DeviceID
	c.DeviceID = deviceID
	return t.audit(ctx, AuditEntry{Event: AuditDeviceChanged, AccountID: c.AccountID, Username: c.Username,
		Address: c.Address, DeviceID: deviceID, Detail: "原设备 " + old})
}
