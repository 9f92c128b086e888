package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/web"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	return withStore(ctx, "serve", args, "sqlite:./continuum.db", getenv, nil, func(cfg Config, s *store.Store) error {
		return serve(ctx, cfg, s, stdout, stderr, nil)
	})
}

// serve listens on cfg.Addr until ctx is cancelled or the process is told to stop, then shuts down gracefully,
// letting requests in flight finish. ready, when given, receives the address once listening.
func serve(ctx context.Context, cfg Config, s *store.Store, stdout, stderr io.Writer, ready func(addr string)) error {
	log := logger(cfg, stderr)
	h, err := web.New(s, log, cfg.Env == "production", store.LatestSchema())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	log.Info("serving", "addr", addr, "database", s.Dialect())
	if ready != nil {
		ready(addr)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
