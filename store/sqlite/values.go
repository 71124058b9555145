package sqlite

import (
	"database/sql"
	"encoding/json"
	"time"
)

// timeFormat is fixed width, so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func parseList(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	var l []string
	if json.Unmarshal([]byte(s.String), &l) != nil {
		return nil
	}
	return l
}
