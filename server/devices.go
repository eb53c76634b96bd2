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
