// Command cronnext reads CronJob schedules, one a line, and prints for each what robfig/cron
// (the parser and clock of kube-controller-manager's CronJob controller, at the version this
// module pins) makes of it: the parse error, or the next runs after 2027-01-01 00:00 UTC.
// The tests compare Pod Studio's reading of schedules with it (tests/sandbox/test_cron_schedules.py).
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type answer struct {
	Schedule string   `json:"schedule"`
	Error    string   `json:"error,omitempty"`
	Next     []string `json:"next"`
}

func main() {
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	lines := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for lines.Scan() {
		result := answer{Schedule: lines.Text(), Next: []string{}}
		schedule, err := cron.ParseStandard(result.Schedule)
		if err != nil {
			result.Error = err.Error()
		} else {
			at := start
			for len(result.Next) < 12 {
				at = schedule.Next(at)
				if at.IsZero() {
					break // no time in the next five years: it never runs
				}
				result.Next = append(result.Next, at.Format(time.RFC3339))
			}
		}
		if err := out.Encode(result); err != nil {
			panic(err)
		}
	}
}
