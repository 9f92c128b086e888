package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// TestMain lets the test binary double as the writer process that the kill -9 test starts and kills.
func TestMain(m *testing.M) {
	if url := os.Getenv("CONTINUUM_DURABILITY_WRITER"); url != "" {
		os.Exit(durabilityWriter(url, os.Getenv("CONTINUUM_DURABILITY_PREFIX")))
	}
	os.Exit(m.Run())
}

// durabilityWriter writes children and their episodes as fast as it can, printing "ack ID" only after each commit
// has returned, until it is killed.
func durabilityWriter(url, prefix string) int {
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		id, err := s.CreateFile(ctx, worker, func(f *casework.File) error {
			return f.Save(child(fmt.Sprintf("%s%d", prefix, i)))
		})
		if err == nil {
			err = s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
				return f.Save(&casework.Episode{ReferralDate: d("2025-05-01"), Source: "6", PrimaryNeed: "N1"})
			})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(out, "ack %s\n", id)
		out.Flush()
	}
}

func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills writer processes")
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			url := b.url(t)
			openTest(t, url).Close()
			acked := map[string]bool{}
			for round := range 6 {
				for _, id := range killWriter(t, url, fmt.Sprintf("K%d", round), time.Duration(50+rand.IntN(400))*time.Millisecond) {
					acked[id] = true
				}
				checkAcked(t, url, acked)
			}
			if len(acked) < 10 {
				t.Fatalf("only %d writes were acknowledged across all rounds; the test proved little", len(acked))
			}
			t.Logf("%d acknowledged writes survived 6 kills", len(acked))
		})
	}
}

// killWriter starts a writer, kills it with SIGKILL after roughly d, and returns the IDs it acknowledged.
func killWriter(t *testing.T, url, prefix string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONTINUUM_DURABILITY_WRITER="+url, "CONTINUUM_DURABILITY_PREFIX="+prefix)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	must(t, cmd.Start())
	lines := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	time.Sleep(d)
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	var ids []string
	for l := range lines {
		if id, ok := strings.CutPrefix(l, "ack "); ok {
			ids = append(ids, id)
		}
	}
	_ = cmd.Wait() // killed: the error is expected
	if strings.TrimSpace(stderr.String()) != "" {
		t.Fatalf("writer failed before it was killed: %s", stderr.String())
	}
	return ids
}

// checkAcked reopens the database as a restarted server would and finds every acknowledged write intact.
func checkAcked(t *testing.T, url string, acked map[string]bool) {
	t.Helper()
	s := openTest(t, url)
	defer s.Close()
	if s.Dialect() == "sqlite" {
		var result string
		must(t, s.db.QueryRow(`PRAGMA integrity_check`).Scan(&result))
		if result != "ok" {
			t.Fatalf("integrity_check: %s", result)
		}
		rows, err := s.db.Query(`PRAGMA foreign_key_check`)
		must(t, err)
		if rows.Next() {
			t.Fatal("foreign_key_check found orphaned rows")
		}
		rows.Close()
	}
	for id := range acked {
		f, err := s.File(t.Context(), worker, id)
		if err != nil {
			t.Fatalf("acknowledged file %s lost after kill -9: %v", id, err)
		}
		if len(casework.All[*casework.Episode](f)) != 1 {
			t.Fatalf("acknowledged episode on %s lost after kill -9", id)
		}
	}
	c, err := s.VerifyAudit(t.Context())
	must(t, err)
	if c.BrokenAt != 0 {
		t.Fatalf("audit chain broken after kill -9: %+v", c)
	}
}
