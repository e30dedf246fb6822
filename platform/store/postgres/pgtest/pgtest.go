// Package pgtest starts a throw-away PostgreSQL cluster for tests, from
// the server binaries of Debian's postgresql package
// (/usr/lib/postgresql/VERSION/bin, or the folder $OTA_PG_BIN names). The
// cluster lives in a temporary folder, listens on 127.0.0.1 only, trusts
// local connections and is removed when the test ends. As root, initdb and
// postgres run as the user postgres (they refuse root), which the package
// creates.
//
// When the binaries are absent, or under -short, the test is skipped with
// a message; when the environment variable CI is set, a missing PostgreSQL
// fails the test instead, as .ci/run installs it.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
)

// Cluster is a running PostgreSQL server.
type Cluster struct {
	port  int
	dir   string
	proc  *exec.Cmd
	count atomic.Int64
	log   *bytes.Buffer
}

// binDir finds the server binaries.
func binDir() (string, error) {
	if d := os.Getenv("OTA_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: apt-get install postgresql (or set OTA_PG_BIN)")
}

func unavailable(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("PostgreSQL is required under CI: %s", msg)
	}
	tb.Skipf("skipped: %s", msg)
}

// Start starts a cluster for the test (and its subtests); it is stopped
// and removed by tb.Cleanup.
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	if testing.Short() {
		tb.Skip("skipped under -short: the PostgreSQL tests start a server")
	}
	bin, err := binDir()
	if err != nil {
		unavailable(tb, err.Error())
	}
	dir, err := os.MkdirTemp("", "ota-pgtest-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred, err = postgresUser()
		if err != nil {
			unavailable(tb, err.Error())
		}
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			tb.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "ota", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		tb.Fatalf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	c := &Cluster{port: port, dir: dir, log: &bytes.Buffer{}}
	c.proc = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-h", "127.0.0.1", "-p", strconv.Itoa(port),
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=60")
	c.proc.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	c.proc.Stdout, c.proc.Stderr = c.log, c.log
	if err := c.proc.Start(); err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	tb.Cleanup(c.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", c.url("postgres"))
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("postgres did not start: %v\n%s", err, c.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return c
}

func (c *Cluster) url(db string) string {
	return fmt.Sprintf("postgres://ota@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

func (c *Cluster) stop() {
	if c.proc == nil || c.proc.Process == nil {
		return
	}
	// SIGQUIT: immediate shutdown; the data is thrown away anyway.
	_ = c.proc.Process.Signal(syscall.SIGQUIT)
	done := make(chan struct{})
	go func() { _ = c.proc.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.proc.Process.Kill()
		<-done
	}
}

// NewDatabase creates an empty database and returns its URL. The database
// is dropped with the cluster.
func (c *Cluster) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d", c.count.Add(1))
	db, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	return c.url(name)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// postgresUser returns the credentials of the user postgres, creating it
// (as Debian's package does) when it does not exist.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("running as root, and no user postgres to run the server as (useradd: %v: %s)", err, out)
		}
		if u, err = user.Lookup("postgres"); err != nil {
			return nil, err
		}
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user postgres has uid %q gid %q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
