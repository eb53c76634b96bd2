package app

import (
	"context"
	"fmt"
)

// Dashboard is 首页 (HOME-1..4).
type Dashboard struct{ s *Session }

// Load reads the logged-in unit's dashboard from the cache in one snapshot.
func (d Dashboard) Load(ctx context.Context) (DashboardData, error) {
	_, st, err := d.s.current()
	if err != nil {
		return DashboardData{}, err
	}
	me, _ := d.s.Me()
	data, err := st.Dashboard(ctx, me.UnitID)
	if err != nil {
		return DashboardData{}, fmt.Errorf("dashboard: %w", err)
	}
	return data, nil
}
