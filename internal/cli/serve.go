package cli

import (
	"context"
	"errors"
	"flag"
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

// serveCmd serves the web application. Single sign-on is offered when an issuer is given (--oidc-issuer or
// CONTINUUM_OIDC_ISSUER), with the client's ID and the service's public address; the client secret is read only
// from CONTINUUM_OIDC_CLIENT_SECRET, so it never shows in a process list.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	var issuer, clientID, publicURL string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&issuer, "oidc-issuer", lookup(getenv, "CONTINUUM_OIDC_ISSUER"), "OpenID Connect issuer URL for single sign-on")
		fs.StringVar(&clientID, "oidc-client-id", lookup(getenv, "CONTINUUM_OIDC_CLIENT_ID"), "this service's client ID at the issuer")
		fs.StringVar(&publicURL, "public-url", lookup(getenv, "CONTINUUM_PUBLIC_URL"), "the address people reach the service at")
	}
	return withStore(ctx, "serve", args, "sqlite:./continuum.db", getenv, extra, func(cfg Config, s *store.Store) error {
		var opts []web.Option
		if issuer != "" {
			sso, err := web.NewSSO(ctx, issuer, clientID, lookup(getenv, "CONTINUUM_OIDC_CLIENT_SECRET"), publicURL)
			if err != nil {
				return err
			}
			opts = append(opts, web.WithSSO(sso))
		}
		return serve(ctx, cfg, s, stdout, stderr, nil, opts...)
	})
}

// lookup is an environment variable's value, or "".
func lookup(getenv env, name string) string {
	v, _ := getenv(name)
	return v
}

// serve listens on cfg.Addr until ctx is cancelled or the process is told to stop, then shuts down gracefully,
// letting requests in flight finish. ready, when given, receives the address once listening.
func serve(ctx context.Context, cfg Config, s *store.Store, stdout, stderr io.Writer, ready func(addr string), opts ...web.Option) error {
	log := logger(cfg, stderr)
	h, err := web.New(s, log, cfg.Env == "production", store.LatestSchema(), opts...)
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
