// Command cronnext reads CronJob schedules, one a line, and prints for each what robfig/cron
// (the parser and clock of kube-controller-manager's CronJob controller, at the version this
// module pins) makes of it: the parse error, or the next runs after 2027-01-01 00:00 UTC.
// A line "FROM UNTIL<tab>SCHEDULE" (two RFC 3339 times) asks instead for every run after FROM up
// to UNTIL, in UTC: the controller prefixes "TZ=<spec.timeZone> " to the schedule, so this shows
// what a change of the clocks does to a CronJob's runs.
// The tests compare Pod Studio's reading of schedules with it (tests/sandbox/test_cron_schedules.py).
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

type answer struct {
	Schedule string   `json:"schedule"`
	Error    string   `json:"error,omitempty"`
	Next     []string `json:"next"`
	Stuck    bool     `json:"stuck,omitempty"` // Next gave the last run again: it never moves on
}

func main() {
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	lines := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for lines.Scan() {
		result := answer{Schedule: lines.Text(), Next: []string{}}
		from, until, most := start, time.Time{}, 12
		if window, schedule, found := strings.Cut(result.Schedule, "\t"); found {
			bounds := strings.Fields(window)
			from, _ = time.Parse(time.RFC3339, bounds[0])
			until, _ = time.Parse(time.RFC3339, bounds[1])
			result.Schedule, most = schedule, 100000
		}
		schedule, err := cron.ParseStandard(result.Schedule)
		if err != nil {
			result.Error = err.Error()
		} else {
			at := from
			for len(result.Next) < most {
				previous := at
				at = schedule.Next(at)
				if at.IsZero() || (!until.IsZero() && at.After(until)) {
					break // none in the next five years (it never runs), or past the window
				}
				result.Next = append(result.Next, at.UTC().Format(time.RFC3339))
				if !at.After(previous) {
					result.Stuck = true
					break
				}
			}
		}
		if err := out.Encode(result); err != nil {
			panic(err)
		}
	}
}
