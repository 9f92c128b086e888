package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// SSO signs staff in through the council's identity provider (Entra ID and the like) with OpenID Connect's
// authorisation code flow and PKCE. The provider vouches for who someone is; Continuum's own user list still
// decides whether they may use it and in what role, so a person must have been added (continuum user add) with
// the email address the provider gives.
type SSO struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// ssoCallback is where the provider sends people back, under the service's public address.
const ssoCallback = "/sign-in/sso/callback"

// ssoWindow is how long someone has to finish signing in at the provider.
const ssoWindow = 10 * time.Minute

// NewSSO reads the provider's discovery document and keys from issuer. publicURL is the address people reach the
// service at (https://continuum.example.gov.uk); the provider must have publicURL + /sign-in/sso/callback
// registered as the client's redirect address.
func NewSSO(ctx context.Context, issuer, clientID, clientSecret, publicURL string) (*SSO, error) {
	if clientID == "" || publicURL == "" {
		return nil, errors.New("single sign-on needs a client ID and the service's public address")
	}
	// The provider's keys are fetched again when it rotates them, long after ctx has ended.
	p, err := oidc.NewProvider(context.WithoutCancel(ctx), issuer)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: %w", err)
	}
	return &SSO{
		oauth: oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, Endpoint: p.Endpoint(),
			RedirectURL: strings.TrimSuffix(publicURL, "/") + ssoCallback, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: p.Verifier(&oidc.Config{ClientID: clientID}),
	}, nil
}

// Option changes how the server is built.
type Option func(*Server)

// WithSSO offers single sign-on beside local accounts.
func WithSSO(sso *SSO) Option { return func(s *Server) { s.sso = sso } }

// ssoCookie holds the sign-in under way: the state that ties the provider's answer to this browser, the nonce
// that ties the ID token to this sign-in, and the PKCE verifier that only this server can show the provider.
func (s *Server) ssoCookie() string {
	if s.secureCookies {
		return "__Host-continuum_sso"
	}
	return "continuum_sso"
}

// startSSO sends the browser to the provider with a fresh state, nonce and PKCE challenge.
func (s *Server) startSSO(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	if s.sso == nil {
		return casework.ErrNotFound
	}
	state, nonce, verifier := newToken(), newToken(), oauth2.GenerateVerifier()
	// Lax, not Strict: the provider's redirect back is a navigation from another site.
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookie(), Value: state + "." + nonce + "." + verifier, Path: "/",
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(ssoWindow.Seconds())})
	http.Redirect(w, r, s.sso.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)),
		http.StatusSeeOther)
	return nil
}

// finishSSO takes the provider's answer: it checks the state, swaps the code (with the PKCE verifier) for an ID
// token, checks the token's signature, issuer, audience, expiry and nonce, and signs in the user with that
// email address.
func (s *Server) finishSSO(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	if s.sso == nil {
		return casework.ErrNotFound
	}
	refuse := func(status int, msg string) error {
		w.WriteHeader(status)
		s.render(w, "sign-in.html", signInData{SSO: true, Errors: []casework.FieldError{{Field: "sso", Message: msg}}})
		return nil
	}
	c, err := r.Cookie(s.ssoCookie())
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	parts := []string{}
	if err == nil {
		parts = strings.Split(c.Value, ".")
	}
	q := r.URL.Query()
	if len(parts) != 3 || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(q.Get("state"))) != 1 {
		return refuse(http.StatusBadRequest, "This sign-in was not started here, or took longer than 10 minutes. Start again.")
	}
	if e := q.Get("error"); e != "" {
		s.log.Warn("single sign-on refused by the provider", "error", e)
		return refuse(http.StatusUnauthorized, "Your council's sign-in service did not sign you in. Try again, or contact the service desk.")
	}
	email, err := s.sso.identify(r.Context(), q.Get("code"), parts[1], parts[2])
	if err != nil {
		s.log.Warn("single sign-on failed", "error", err.Error())
		return refuse(http.StatusUnauthorized, "Your council's sign-in service could not confirm who you are. Try again, or contact the service desk.")
	}
	u, err := s.store.UserByEmail(r.Context(), email)
	if errors.Is(err, casework.ErrNotFound) || (err == nil && u.Disabled) {
		s.log.Warn("single sign-on for someone without an account", "disabled", err == nil)
		return refuse(http.StatusForbidden, "You do not have a Continuum account, or it has been closed. Ask your manager or the service desk to set one up.")
	}
	if err != nil {
		return err
	}
	return s.signedIn(w, r, u, "sso")
}

// identify swaps the code for tokens and returns the email address the verified ID token gives.
func (sso *SSO) identify(ctx context.Context, code, nonce, verifier string) (string, error) {
	if code == "" {
		return "", errors.New("no code in the answer")
	}
	tok, err := sso.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", fmt.Errorf("code exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", errors.New("the token answer has no ID token")
	}
	id, err := sso.verifier.Verify(ctx, raw)
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(nonce)) != 1 {
		return "", errors.New("the ID token's nonce is not this sign-in's")
	}
	var claims struct {
		Email    string `json:"email"`
		Verified *bool  `json:"email_verified"`
	}
	if err := id.Claims(&claims); err != nil {
		return "", err
	}
	if claims.Email == "" || (claims.Verified != nil && !*claims.Verified) {
		return "", errors.New("the ID token has no verified email address")
	}
	return claims.Email, nil
}
